"""Pages for a new clinical year, its holidays and its learners: who may, and what they do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from shafa.clinical.models import ClinicalYear, Holiday, LearnerEnrollment, LearnerLeave
from shafa.institution.tests.factories import ProgramFactory
from shafa.people.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _user(request, persona: str):
    value = request.getfixturevalue(persona)
    return (getattr(value, "person", None) and value.person.user) or value


@pytest.mark.parametrize(
    "persona", ["student_sara", "preceptor_karimi", "registrar_maryam", "faculty_tehrani"]
)
def test_calendar_and_learner_pages_refused_to_others(request, placed, persona) -> None:
    client = _client(_user(request, persona))
    year, sara = placed.tiny.year, placed.sara
    holiday = Holiday.objects.create(year=year, date=dt.date(2025, 10, 5), name_fa="تاسوعا")
    leave = LearnerLeave.objects.create(enrollment=sara, block=placed.tiny.blocks[2])
    for url in (reverse("clinical:year_create"), reverse("clinical:year_learners", args=[year.pk])):
        assert client.get(url).status_code == 403, url
    for url, data in (
        (reverse("clinical:year_create"), {}),
        (reverse("clinical:year_learners", args=[year.pk]), {"student_numbers": "1", "phase": "externship"}),
        (reverse("clinical:holiday_add", args=[year.pk]), {"date": "1404/07/20", "name_fa": "x"}),
        (reverse("clinical:holiday_remove", args=[holiday.pk]), {}),
        (reverse("clinical:leave_add", args=[year.pk]), {"enrollment": sara.pk, "block": 1}),
        (reverse("clinical:leave_remove", args=[leave.pk]), {}),
        (reverse("clinical:enrollment_eligibility", args=[sara.pk]), {"is_eligible": "0", "reason": "x"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert LearnerLeave.objects.filter(pk=leave.pk).exists()
    sara.refresh_from_db()
    assert sara.is_eligible


def test_coordinator_creates_a_year_from_a_jalali_date(coordinator_nazanin) -> None:
    client = _client(coordinator_nazanin)
    program = ProgramFactory()
    from shafa.institution.tests.factories import AcademicYearFactory

    academic_year = AcademicYearFactory()
    page = client.get(reverse("clinical:year_create"))
    assert page.status_code == 200
    data = {
        "program": program.pk,
        "academic_year": academic_year.pk,
        "first_day": "۱۴۰۴/۰۷/۰۱",
        "n_blocks": "۱۴",
        "block_days": "28",
        "official_holidays": "on",
    }
    refused = client.post(reverse("clinical:year_create"), data)
    assert refused.status_code == 400
    assert "بیرون از سال تحصیلی" in refused.content.decode()  # in Persian, naming the dates
    assert not ClinicalYear.objects.filter(program=program).exists()
    data["n_blocks"] = "13"
    done = client.post(reverse("clinical:year_create"), data)
    year = ClinicalYear.objects.get(program=program, academic_year=academic_year)
    assert done.status_code == 302 and done["Location"] == reverse("clinical:year_detail", args=[year.pk])
    assert year.blocks.count() == 13 and year.holidays.filter(date=dt.date(2026, 3, 21)).exists()
    detail = client.get(done["Location"])
    assert 'data-testid="holiday-add"' in detail.content.decode()


def test_coordinator_adds_and_removes_a_holiday(placed, coordinator_nazanin) -> None:
    client = _client(coordinator_nazanin)
    year = placed.tiny.year
    url = reverse("clinical:holiday_add", args=[year.pk])
    response = client.post(url, {"date": "۱۴۰۴/۰۷/۱۳", "name_fa": "تاسوعا", "name_en": "Tasua"})
    assert response.status_code == 302
    holiday = Holiday.objects.get(year=year)
    assert holiday.date == dt.date(2025, 10, 5) and holiday.name_en == "Tasua"
    client.post(url, {"date": "1405/05/01", "name_fa": "بیرون"}, follow=True)
    assert Holiday.objects.filter(year=year).count() == 1  # outside the calendar: refused
    client.post(reverse("clinical:holiday_remove", args=[holiday.pk]))
    assert not Holiday.objects.filter(year=year).exists()


def test_coordinator_enrols_records_leave_and_eligibility(placed, coordinator_nazanin) -> None:
    client = _client(coordinator_nazanin)
    year = placed.tiny.year
    url = reverse("clinical:year_learners", args=[year.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'data-testid="learner-{placed.sara.student.student_number}"' in page.content.decode()
    newcomer = StudentFactory(program=year.program)
    refused = client.post(url, {"student_numbers": f"{newcomer.student_number}\n000", "phase": "externship"})
    assert refused.status_code == 400
    assert "دانشجویی با این شماره نیست: ۰۰۰" in refused.content.decode()
    assert not LearnerEnrollment.objects.filter(student=newcomer).exists()
    done = client.post(url, {"student_numbers": f"{newcomer.student_number}, ", "phase": "externship"})
    assert done.status_code == 302
    enrollment = LearnerEnrollment.objects.get(year=year, student=newcomer)
    searched = client.get(url, {"q": newcomer.student_number})
    assert searched.context["learners"] == [enrollment]

    block = placed.tiny.blocks[1]
    client.post(
        reverse("clinical:leave_add", args=[year.pk]), {"enrollment": enrollment.pk, "block": block.pk}
    )
    leave = LearnerLeave.objects.get(enrollment=enrollment)
    assert leave.block == block
    # Sara is placed in block 1 of the published schedule: that leave is a re-plan, refused here
    client.post(
        reverse("clinical:leave_add", args=[year.pk]),
        {"enrollment": placed.sara.pk, "block": placed.tiny.blocks[0].pk},
    )
    assert not LearnerLeave.objects.filter(enrollment=placed.sara).exists()
    client.post(reverse("clinical:leave_remove", args=[leave.pk]))
    assert not LearnerLeave.objects.filter(enrollment=enrollment).exists()

    eligibility = reverse("clinical:enrollment_eligibility", args=[enrollment.pk])
    client.post(eligibility, {"is_eligible": "0", "reason": ""})
    enrollment.refresh_from_db()
    assert enrollment.is_eligible  # no reason: refused
    client.post(eligibility, {"is_eligible": "0", "reason": "آزمون جامع"})
    enrollment.refresh_from_db()
    assert not enrollment.is_eligible and enrollment.eligibility_reason == "آزمون جامع"
