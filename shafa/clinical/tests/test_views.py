"""Pages: who gets 200, who gets 403 or 404; the learner's and the site's views; query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shafa.clinical.models import Assignment, SolverRun
from shafa.people.selectors.students import student_list_visible_to

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("persona,expected", [("coordinator_nazanin", 200), ("admin_amir", 200)])
def test_coordinator_pages_for_managers(request, placed, persona, expected) -> None:
    user = request.getfixturevalue(persona)
    client = _client(user)
    year, run = placed.tiny.year, placed.run
    for url in (
        reverse("clinical:year_list"),
        reverse("clinical:year_detail", args=[year.pk]),
        reverse("clinical:run_detail", args=[run.pk]),
        reverse("clinical:run_compare", args=[year.pk]),
        reverse("clinical:swap_queue", args=[year.pk]),
        reverse("clinical:replan", args=[year.pk]),
        reverse("clinical:assignment_move", args=[placed.sara_assignment.pk]),
    ):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_coordinator_pages_refused_to_others(request, placed, persona) -> None:
    value = request.getfixturevalue(persona)
    client = _client((getattr(value, "person", None) and value.person.user) or value)
    year, run = placed.tiny.year, placed.run
    for url in (
        reverse("clinical:year_list"),
        reverse("clinical:year_detail", args=[year.pk]),
        reverse("clinical:run_detail", args=[run.pk]),
        reverse("clinical:run_progress", args=[run.pk]),
        reverse("clinical:swap_queue", args=[year.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("clinical:run_publish", args=[run.pk])).status_code == 403
    assert (
        client.post(reverse("clinical:run_create", args=[year.pk]), {"variant_label": "x"}).status_code == 403
    )


def test_signed_out_visitor_is_sent_to_log_in(placed) -> None:
    response = Client().get(reverse("clinical:year_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_learner_sees_only_their_schedule(placed, student_sara) -> None:
    client = _client(student_sara.person.user)
    response = client.get(reverse("clinical:my_schedule"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="list-group-item"') == 2  # Sara's two rotations, not Reza's
    assert f"{placed.karimi_site.name_fa}</" in body.replace(" —", "</") or placed.karimi_site.name_fa in body
    assert "رضا کریمی" not in body


def test_learner_calendar_is_rfc5545(placed, student_sara) -> None:
    client = _client(student_sara.person.user)
    response = client.get(reverse("clinical:my_calendar", args=[placed.sara.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    block = placed.tiny.blocks[0]
    assert f"DTSTART;VALUE=DATE:{block.start_date:%Y%m%d}" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_learner_cannot_download_another_learners_calendar(placed, student_sara) -> None:
    client = _client(student_sara.person.user)
    assert client.get(reverse("clinical:my_calendar", args=[placed.reza.pk])).status_code == 404


def test_coordinator_is_not_a_learner(placed, coordinator_nazanin) -> None:
    assert _client(coordinator_nazanin).get(reverse("clinical:my_schedule")).status_code == 403


def test_preceptor_sees_the_learners_coming_to_their_site(placed, preceptor_karimi) -> None:
    client = _client(preceptor_karimi.person.user)
    assert client.get(reverse("clinical:site_list")).status_code == 200
    response = client.get(reverse("clinical:site_detail", args=[placed.karimi_site.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "سارا محمدی" in body
    assert "رضا" not in body
    assert client.get(reverse("clinical:site_detail", args=[placed.other_site.pk])).status_code == 404


def test_student_cannot_see_site_pages(placed, student_sara) -> None:
    client = _client(student_sara.person.user)
    assert client.get(reverse("clinical:site_list")).status_code == 403
    assert client.get(reverse("clinical:site_detail", args=[placed.karimi_site.pk])).status_code == 403


def test_preceptor_learner_scope_follows_the_published_schedule(placed, preceptor_karimi) -> None:
    user = preceptor_karimi.person.user
    assert list(student_list_visible_to(user)) == [placed.sara.student]
    assert user.has_perm("people.view_student", placed.sara.student)
    assert not user.has_perm("people.view_student", placed.reza.student)
    placed.run.published = False
    placed.run.save()
    assert list(student_list_visible_to(user)) == []


def test_progress_partial_polls_until_finished(placed, coordinator_nazanin) -> None:
    client = _client(coordinator_nazanin)
    running = SolverRun.objects.create(
        year=placed.tiny.year, variant_label="B", status="running", progress=40
    )
    response = client.get(reverse("clinical:run_progress", args=[running.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert "۴۰" in response.content.decode()
    assert 'data-testid="run-best-so-far"' not in response.content.decode()  # nothing found yet

    # the engine's best schedule so far (written by the run as it improves), in Persian digits
    SolverRun.objects.filter(pk=running.pk).update(shortfall=0, worst_satisfaction=12, total_satisfaction=345)
    page = client.get(
        reverse("clinical:run_progress", args=[running.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="run-best-so-far"' in page
    assert "بهترین برنامه تا این لحظه" in page and "۳۴۵" in page and "۱۲" in page
    finished = client.get(
        reverse("clinical:run_progress", args=[placed.run.pk]) + "?reload=1", HTTP_HX_REQUEST="true"
    )
    assert "hx-trigger" not in finished.content.decode()
    assert finished["HX-Refresh"] == "true"


def test_live_rule_check_in_persian(placed, coordinator_nazanin) -> None:
    draft = SolverRun.objects.create(
        year=placed.tiny.year, variant_label="draft", status="optimal", progress=100
    )
    rows = [
        Assignment.objects.create(
            run=draft, enrollment=a.enrollment, rotation=a.rotation, site=a.site, start=a.start, end=a.end
        )
        for a in placed.run.assignments.all()
    ]
    sara_first = next(r for r in rows if r.enrollment_id == placed.sara.pk and r.start == 1)
    client = _client(coordinator_nazanin)
    url = reverse("clinical:assignment_move", args=[sara_first.pk])
    # onto block 2, where Sara already has her other rotation
    response = client.post(url, {"site": placed.karimi_site.pk, "start": 2}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="move-errors"' in body
    assert "سارا محمدی" in body and "دو جا" in body
    response = client.post(url, {"site": placed.other_site.pk, "start": 3}, HTTP_HX_REQUEST="true")
    assert 'data-testid="move-ok"' in response.content.decode()
    response = client.post(url, {"site": placed.other_site.pk, "start": 3, "save": "1"})
    assert response.status_code == 302
    sara_first.refresh_from_db()
    assert (sara_first.site_id, sara_first.start) == (placed.other_site.pk, 3)


def test_schedule_grid_query_count_does_not_grow_with_learners(
    placed, coordinator_nazanin, django_assert_max_num_queries
) -> None:
    from shafa.people.tests.factories import StudentFactory

    client = _client(coordinator_nazanin)
    url = reverse("clinical:run_detail", args=[placed.run.pk])
    client.get(url)
    for _ in range(10):
        enr = placed.tiny.year.enrollments.create(student=StudentFactory(), phase="externship")
        for i, rot in enumerate(placed.tiny.rotations):
            Assignment.objects.create(
                run=placed.run, enrollment=enr, rotation=rot, site=placed.other_site, start=i + 1, end=i + 1
            )
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("clinical:year_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("clinical:year_detail", args=[placed.tiny.year.pk])).status_code == 200


def test_learner_ranks_preferences_during_the_window(placed, student_sara) -> None:
    import datetime as dt

    from django.utils import timezone

    from shafa.clinical.models import RotationPreference

    year = placed.tiny.year
    year.preference_opens_at = timezone.now() - dt.timedelta(days=1)
    year.preference_closes_at = timezone.now() + dt.timedelta(days=1)
    year.save()
    first, second = placed.tiny.rotations
    client = _client(student_sara.person.user)
    page = client.get(reverse("clinical:my_schedule")).content.decode()
    assert f'name="rotation_rank_{first.pk}"' in page
    url = reverse("clinical:my_preferences", args=[placed.sara.pk])
    # Persian digits are accepted; rank 1 is the first choice whatever the order on the page
    client.post(url, {f"rotation_rank_{first.pk}": "۲", f"rotation_rank_{second.pk}": "۱"})
    ranked = list(
        RotationPreference.objects.filter(enrollment=placed.sara)
        .order_by("rank")
        .values_list("rotation_id", flat=True)
    )
    assert ranked == [second.pk, first.pk]
    # another learner's preferences cannot be written
    reza_url = reverse("clinical:my_preferences", args=[placed.reza.pk])
    assert client.post(reza_url, {f"rotation_rank_{first.pk}": "1"}).status_code == 404


def test_coordinator_changes_a_capacity_for_one_block(placed, coordinator_nazanin, student_sara) -> None:
    from shafa.clinical.models import OfferingBlockCapacity

    offering = placed.tiny.offerings[0]
    url = reverse("clinical:offering_capacity")
    data = {
        "offering": offering.pk,
        "min_learners": "0",
        "max_learners": "1",
        "block": "2",
        "reason": "ward repairs",
    }
    assert _client(student_sara.person.user).post(url, data).status_code == 403
    response = _client(coordinator_nazanin).post(url, data)
    assert response.status_code == 302
    cap = OfferingBlockCapacity.objects.get(offering=offering)
    assert (cap.block.number, cap.max_learners, cap.reason) == (2, 1, "ward repairs")
    offering.refresh_from_db()
    assert offering.max_learners == 2  # the other blocks keep the offering's capacity


def test_home_panels(placed, coordinator_nazanin, student_sara, preceptor_karimi) -> None:
    from shafa.clinical.selectors.runs import arrivals_at_my_sites, current_and_next

    home = reverse("core:home")
    assert 'data-panel="clinical-coordinator"' in _client(coordinator_nazanin).get(home).content.decode()
    assert _client(student_sara.person.user).get(home).status_code == 200
    assert (
        'data-panel="clinical-preceptor"' in _client(preceptor_karimi.person.user).get(home).content.decode()
    )
    first_day = placed.tiny.blocks[0].start_date
    upcoming = current_and_next(student_sara.person.user, today=first_day)
    assert upcoming[0]["assignment"] == placed.sara_assignment
    assert upcoming[0]["is_current"]
    arrivals = arrivals_at_my_sites(preceptor_karimi.person.user, today=first_day)
    assert {row["assignment"].enrollment_id for row in arrivals} == {placed.sara.pk}


def test_coordinator_locks_a_placement_for_later_runs(placed, coordinator_nazanin, student_sara) -> None:
    from shafa.clinical.models import ManualLock
    from shafa.clinical.selectors.problem import problem_for_year

    url = reverse("clinical:assignment_lock", args=[placed.sara_assignment.pk])
    assert _client(student_sara.person.user).post(url).status_code == 403
    client = _client(coordinator_nazanin)
    assert client.post(url, {"reason": "research elective"}).status_code == 302
    lock = ManualLock.objects.get(enrollment=placed.sara)
    assert (lock.site_id, lock.start_block.number) == (placed.karimi_site.pk, placed.sara_assignment.start)
    locks = problem_for_year(placed.tiny.year).problem.locks
    assert [(lk.learner, lk.site, lk.start) for lk in locks] == [(placed.sara.pk, placed.karimi_site.pk, 0)]
    client.post(url, {"unlock": "1"})
    assert not ManualLock.objects.exists()
