"""API: the same rules as the pages — coordinator manages, learner sees theirs, site sees its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shafa.clinical.models import (
    ClinicalYear,
    Holiday,
    LearnerEnrollment,
    LearnerLeave,
    RunStatus,
    SolverRun,
)
from shafa.core.api.testing import assert_not_signed_in, client_for, user_of
from shafa.institution.tests.factories import AcademicYearFactory, ProgramFactory
from shafa.people.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def test_years_for_the_coordinator_only(placed, coordinator_nazanin, student_sara, preceptor_karimi) -> None:
    url = reverse("api:clinical-year-list")
    response = client_for(coordinator_nazanin).get(url)
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == placed.tiny.year.pk
    assert client_for(student_sara.person.user).get(url).status_code == 403
    assert client_for(preceptor_karimi.person.user).get(url).status_code == 403
    assert_not_signed_in(client_for(None).get(url))


def test_offerings_and_blocks(placed, coordinator_nazanin, student_sara) -> None:
    year = placed.tiny.year
    client = client_for(coordinator_nazanin)
    offerings = client.get(reverse("api:clinical-year-offerings", args=[year.pk])).json()["results"]
    assert len(offerings) == 4
    blocks = client.get(reverse("api:clinical-year-blocks", args=[year.pk])).json()
    assert blocks[0]["start_date_jalali"] == "1404/07/01"
    assert (
        client_for(student_sara.person.user)
        .get(reverse("api:clinical-year-offerings", args=[year.pk]))
        .status_code
        == 403
    )


def test_run_created_with_202_and_polled(placed, coordinator_nazanin, student_sara) -> None:
    url = reverse("api:clinical-year-runs", args=[placed.tiny.year.pk])
    assert (
        client_for(student_sara.person.user).post(url, {"variant_label": "x"}, format="json").status_code
        == 403
    )
    client = client_for(coordinator_nazanin)
    response = client.post(url, {"variant_label": "B", "seed": 5, "time_limit_seconds": 2}, format="json")
    assert response.status_code == 202
    run_id = response.json()["id"]
    detail = client.get(response.json()["progress_url"]).json()
    assert detail["id"] == run_id and detail["progress"] == 100
    assert detail["status"] in (RunStatus.OPTIMAL, RunStatus.FEASIBLE)
    schedule = client.get(reverse("api:clinical-run-schedule", args=[run_id])).json()
    assert schedule["count"] == 4
    bad = client.post(url, {"variant_label": "B", "time_limit_seconds": 0}, format="json")
    assert bad.status_code == 400 and "time_limit_seconds" in bad.json()


def test_publish_is_for_the_coordinator(placed, coordinator_nazanin, student_sara) -> None:
    draft = SolverRun.objects.create(
        year=placed.tiny.year, variant_label="d", status=RunStatus.INFEASIBLE, progress=100
    )
    url = reverse("api:clinical-run-publish", args=[draft.pk])
    assert client_for(student_sara.person.user).post(url).status_code == 403
    response = client_for(coordinator_nazanin).post(url)
    assert response.status_code == 400  # nothing to publish: a clear message, not a crash
    assert response.json()["non_field_errors"]


def test_my_schedule_shows_only_mine(placed, student_sara, coordinator_nazanin) -> None:
    response = client_for(student_sara.person.user).get(reverse("api:clinical-my-schedule"))
    assert response.status_code == 200
    learners = {row["learner"] for row in response.json()["results"]}
    assert learners == {placed.sara.pk}
    assert client_for(coordinator_nazanin).get(reverse("api:clinical-my-schedule")).status_code == 403


def test_site_schedule_for_its_preceptor(placed, preceptor_karimi, student_sara, coordinator_nazanin) -> None:
    user = preceptor_karimi.person.user
    own = client_for(user).get(reverse("api:clinical-site-schedule", args=[placed.karimi_site.pk]))
    assert own.status_code == 200
    assert {row["learner"] for row in own.json()["results"]} == {placed.sara.pk}
    assert (
        client_for(user).get(reverse("api:clinical-site-schedule", args=[placed.other_site.pk])).status_code
        == 404
    )
    student = client_for(student_sara.person.user).get(
        reverse("api:clinical-site-schedule", args=[placed.karimi_site.pk])
    )
    assert student.status_code == 403
    coordinator = client_for(coordinator_nazanin).get(
        reverse("api:clinical-site-schedule", args=[placed.other_site.pk])
    )
    assert {row["learner"] for row in coordinator.json()["results"]} == {placed.reza.pk}


def test_run_schedule_refused_to_learners(placed, student_sara) -> None:
    url = reverse("api:clinical-run-schedule", args=[placed.run.pk])
    assert client_for(student_sara.person.user).get(url).status_code == 403


def test_swap_request_only_for_own_rotation(placed, student_sara, student_reza, coordinator_nazanin) -> None:
    url = reverse("api:clinical-swap-requests")
    sara = client_for(student_sara.person.user)
    other = sara.post(url, {"assignment": placed.reza_assignment.pk, "wanted_start": 1}, format="json")
    assert other.status_code == 404
    mine = sara.post(url, {"assignment": placed.sara_assignment.pk, "wanted_start": 3}, format="json")
    assert mine.status_code == 201, mine.content
    swap_id = mine.json()["id"]
    assert [r["id"] for r in sara.get(url).json()] == [swap_id]
    assert client_for(student_reza.person.user).get(url).json() == []
    decide = reverse("api:clinical-swap-decide", args=[swap_id])
    assert sara.post(decide, {"decision": "approve"}, format="json").status_code == 403
    response = client_for(coordinator_nazanin).post(decide, {"decision": "reject"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_replan_through_the_api(placed, coordinator_nazanin, student_sara) -> None:
    url = reverse("api:clinical-year-replan", args=[placed.tiny.year.pk])
    body = {"kind": "leave", "block": 1, "enrollment": placed.sara.pk, "time_limit_seconds": 2}
    assert client_for(student_sara.person.user).post(url, body, format="json").status_code == 403
    response = client_for(coordinator_nazanin).post(url, body, format="json")
    assert response.status_code == 202, response.content
    run = SolverRun.objects.get(pk=response.json()["id"])
    assert run.parent_id == placed.run.pk
    assert run.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE), run.explanations
    assert {m["learner"] for m in run.moved} == {placed.sara.pk}


def test_schema_includes_clinical_endpoints(coordinator_nazanin) -> None:
    response = client_for(coordinator_nazanin).get(reverse("api:schema"))
    assert response.status_code == 200
    assert "/api/v1/clinical/years/{id}/runs/" in response.content.decode()
    assert "/api/v1/clinical/agreements/{id}/" in response.content.decode()


def test_schedule_list_query_count_is_flat(
    placed, coordinator_nazanin, django_assert_max_num_queries
) -> None:
    from shafa.clinical.models import Assignment

    for _ in range(8):
        enr = placed.tiny.year.enrollments.create(student=StudentFactory(), phase="externship")
        for i, rot in enumerate(placed.tiny.rotations):
            Assignment.objects.create(
                run=placed.run, enrollment=enr, rotation=rot, site=placed.other_site, start=i + 1, end=i + 1
            )
    client = client_for(coordinator_nazanin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api:clinical-run-schedule", args=[placed.run.pk]))
    assert response.json()["count"] == 20
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("api:clinical-year-offerings", args=[placed.tiny.year.pk])).status_code == 200
        )


def test_calendar_and_learners_through_the_api(placed, coordinator_nazanin) -> None:

    client = client_for(coordinator_nazanin)
    program, academic_year = ProgramFactory(code="bsn-nursing"), AcademicYearFactory()
    body = {
        "program": program.pk,
        "academic_year": academic_year.pk,
        "first_day": "۱۴۰۴/۰۷/۰۱",
        "n_blocks": 14,
        "block_days": 28,
    }
    refused = client.post(reverse("api:clinical-year-list"), body, format="json")
    assert refused.status_code == 400 and "outside the academic year" in str(refused.json())
    body["n_blocks"] = 13
    created = client.post(reverse("api:clinical-year-list"), body, format="json")
    assert created.status_code == 201 and created.json()["block_count"] == 13
    year = ClinicalYear.objects.get(pk=created.json()["id"])
    holidays = client.get(reverse("api:clinical-year-holidays", args=[year.pk])).json()
    assert {"date": "1405/01/01", "name_en": "Nowruz"}.items() <= holidays[2].items()
    tasua = client.post(
        reverse("api:clinical-year-holidays", args=[year.pk]),
        {"date": "1404/04/14", "name_fa": "تاسوعا"},
        format="json",
    )
    assert tasua.status_code == 400  # 1404/04/14 is before the first block
    assert client.delete(reverse("api:clinical-holiday-detail", args=[holidays[0]["id"]])).status_code == 204

    year = placed.tiny.year
    url = reverse("api:clinical-year-learners", args=[year.pk])
    newcomer = StudentFactory(program=year.program)
    refused = client.post(
        url, {"student_numbers": [newcomer.student_number, "000"], "phase": "externship"}, format="json"
    )
    assert refused.status_code == 400 and "000" in str(refused.json()["student_numbers"])
    assert not LearnerEnrollment.objects.filter(student=newcomer).exists()
    enrolled = client.post(
        url,
        {
            "student_numbers": [newcomer.student_number, placed.sara.student.student_number],
            "phase": "externship",
        },
        format="json",
    )
    assert enrolled.status_code == 201
    assert [x["student_number"] for x in enrolled.json()["added"]] == [newcomer.student_number]
    assert enrolled.json()["already"] == [placed.sara.student.student_number]
    new_id = enrolled.json()["added"][0]["id"]
    leave = client.post(reverse("api:clinical-enrollment-leave", args=[new_id]), {"block": 2}, format="json")
    assert leave.status_code == 201 and leave.json()["leave"][0]["block"] == 2
    published_block = client.post(
        reverse("api:clinical-enrollment-leave", args=[placed.sara.pk]), {"block": 1}, format="json"
    )
    assert published_block.status_code == 400 and "re-plan" in str(published_block.json())
    assert (
        client.post(
            reverse("api:clinical-enrollment-leave", args=[new_id]), {"block": 9}, format="json"
        ).status_code
        == 404
    )
    leave_id = leave.json()["leave"][0]["id"]
    assert client.delete(reverse("api:clinical-leave-detail", args=[leave_id])).status_code == 204
    eligibility = reverse("api:clinical-enrollment-eligibility", args=[new_id])
    assert client.put(eligibility, {"is_eligible": False}, format="json").status_code == 400
    done = client.put(eligibility, {"is_eligible": False, "reason": "comprehensive exam"}, format="json")
    assert done.status_code == 200 and done.json()["is_eligible"] is False
    listed = client.get(url, {"search": newcomer.student_number}).json()["results"]
    assert [x["id"] for x in listed] == [new_id]


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_calendar_and_learner_endpoints_refused_to_others(request, placed, persona) -> None:

    client = client_for(user_of(request, persona))
    year, sara = placed.tiny.year, placed.sara

    holiday = Holiday.objects.create(year=year, date=dt.date(2025, 10, 5), name_fa="تاسوعا")
    leave = LearnerLeave.objects.create(enrollment=sara, block=placed.tiny.blocks[2])
    for method, url, body in (
        ("post", reverse("api:clinical-year-list"), {}),
        ("get", reverse("api:clinical-year-holidays", args=[year.pk]), None),
        (
            "post",
            reverse("api:clinical-year-holidays", args=[year.pk]),
            {"date": "1404/07/13", "name_fa": "x"},
        ),
        ("delete", reverse("api:clinical-holiday-detail", args=[holiday.pk]), None),
        ("get", reverse("api:clinical-year-learners", args=[year.pk]), None),
        (
            "post",
            reverse("api:clinical-year-learners", args=[year.pk]),
            {"student_numbers": ["1"], "phase": "x"},
        ),
        (
            "put",
            reverse("api:clinical-enrollment-eligibility", args=[sara.pk]),
            {"is_eligible": False, "reason": "x"},
        ),
        ("post", reverse("api:clinical-enrollment-leave", args=[sara.pk]), {"block": 3}),
        ("delete", reverse("api:clinical-leave-detail", args=[leave.pk]), None),
    ):
        response = (
            getattr(client, method)(url, body, format="json")
            if body is not None
            else getattr(client, method)(url)
        )
        assert response.status_code == 403, (method, url)
    assert (
        Holiday.objects.filter(pk=holiday.pk).exists() and LearnerLeave.objects.filter(pk=leave.pk).exists()
    )
    sara.refresh_from_db()
    assert sara.is_eligible
