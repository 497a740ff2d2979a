"""A new clinical year's calendar and holidays; enrolment, eligibility and leave of its learners."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from shafa.clinical.block_calendar import block_dates, official_holidays
from shafa.clinical.models import Block, ClinicalYear, Holiday, LearnerEnrollment, LearnerLeave
from shafa.clinical.selectors.problem import problem_for_year
from shafa.clinical.services.learners import (
    enrollment_set_eligibility,
    enrollments_add,
    leave_add,
    leave_remove,
)
from shafa.clinical.services.years import holiday_add, holiday_remove, year_create
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import AcademicYearFactory, ProgramFactory
from shafa.people.models import StudentStatus
from shafa.people.tests.factories import StudentFactory

from .factories import make_tiny_year

pytestmark = pytest.mark.django_db

MEHR_1 = dt.date(2025, 9, 23)  # 1404/07/01, the factory's academic year 1404-1405


def test_block_dates_are_back_to_back() -> None:
    dates = block_dates(MEHR_1, 3, 28)
    assert dates[0] == (MEHR_1, dt.date(2025, 10, 20))
    for (_first, last), (nxt, _end) in itertools.pairwise(dates):
        assert nxt == last + dt.timedelta(days=1)


def test_official_holidays_cross_the_jalali_new_year() -> None:
    found = official_holidays(dt.date(2026, 3, 1), dt.date(2026, 4, 5))
    assert [d for d, _fa, _en in found] == [
        dt.date(2026, 3, 20),  # 1404/12/29
        dt.date(2026, 3, 21),  # Nowruz 1405
        dt.date(2026, 3, 22),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 24),
        dt.date(2026, 4, 1),  # 1405/01/12
        dt.date(2026, 4, 2),  # 1405/01/13
    ]


def test_year_create_builds_the_calendar_with_the_official_holidays(coordinator_nazanin) -> None:
    program, academic_year = ProgramFactory(), AcademicYearFactory()
    year = year_create(
        program=program,
        academic_year=academic_year,
        first_day=MEHR_1,
        n_blocks=13,
        block_days=28,
        max_rotations_per_site=2,
        actor=coordinator_nazanin,
    )
    blocks = list(Block.objects.filter(year=year).order_by("number"))
    assert [b.number for b in blocks] == list(range(1, 14))
    assert blocks[0].start_date == MEHR_1 and blocks[-1].end_date == dt.date(2026, 9, 21)
    dates = set(Holiday.objects.filter(year=year).values_list("date", flat=True))
    assert dt.date(2026, 3, 21) in dates and dt.date(2026, 2, 11) in dates  # Nowruz, 22 Bahman
    assert year.max_rotations_per_site == 2
    assert problem_for_year(year).problem.n_blocks == 13
    event = AuditEvent.objects.get(model_label="clinical.ClinicalYear", object_id=str(year.pk))
    assert event.action == "create" and event.actor == coordinator_nazanin


def test_year_create_without_official_holidays() -> None:
    year = year_create(
        program=ProgramFactory(),
        academic_year=AcademicYearFactory(),
        first_day=MEHR_1,
        n_blocks=2,
        block_days=14,
        official=False,
    )
    assert not Holiday.objects.filter(year=year).exists()


def test_year_create_refuses_a_calendar_outside_the_academic_year() -> None:
    program, academic_year = ProgramFactory(), AcademicYearFactory()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        year_create(
            program=program, academic_year=academic_year, first_day=MEHR_1, n_blocks=14, block_days=28
        )
    (message,) = caught.value.message_dict["first_day"]
    assert "outside the academic year" in message and "2026-10-19" in message  # the 14th block's end
    with translation.override("fa"), pytest.raises(ValidationError) as caught:
        year_create(
            program=program,
            academic_year=academic_year,
            first_day=MEHR_1 - dt.timedelta(days=1),
            n_blocks=1,
            block_days=7,
        )
    assert "۱۴۰۴" in caught.value.message_dict["first_day"][0]  # Jalali, Persian digits
    assert not ClinicalYear.objects.filter(program=program).exists()
    assert not Block.objects.filter(year__program=program).exists()


def test_year_create_refuses_a_second_year_and_bad_sizes() -> None:
    program, academic_year = ProgramFactory(), AcademicYearFactory()
    year_create(program=program, academic_year=academic_year, first_day=MEHR_1, n_blocks=1, block_days=7)
    with pytest.raises(ValidationError) as caught:
        year_create(
            program=program,
            academic_year=academic_year,
            first_day=MEHR_1,
            n_blocks=0,
            block_days=3,
            max_rotations_per_site=0,
        )
    assert set(caught.value.message_dict) == {
        "academic_year",
        "n_blocks",
        "block_days",
        "max_rotations_per_site",
    }
    assert ClinicalYear.objects.filter(program=program).count() == 1


def test_holidays_added_inside_the_calendar_only(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=0)  # blocks from 2025-09-23, 3 x 28 days
    tasua = holiday_add(
        year=tiny.year, date=dt.date(2025, 10, 5), name_fa="تاسوعا", actor=coordinator_nazanin
    )
    with pytest.raises(ValidationError) as caught:
        holiday_add(year=tiny.year, date=dt.date(2025, 10, 5), name_fa="دوباره")
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        holiday_add(year=tiny.year, date=dt.date(2026, 5, 1), name_fa="بیرون از تقویم")
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        holiday_add(year=tiny.year, date=dt.date(2025, 10, 6), name_fa="  ")
    assert "name_fa" in caught.value.message_dict
    holiday_remove(holiday=tasua, actor=coordinator_nazanin)
    assert not Holiday.objects.filter(year=tiny.year).exists()
    assert AuditEvent.objects.filter(model_label="clinical.Holiday", action="delete").exists()


def _program_students(tiny, n: int, **kwargs) -> list:
    return [StudentFactory(program=tiny.year.program, **kwargs) for _ in range(n)]


def test_enrol_by_student_number_in_any_digits(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=0)
    first, second = _program_students(tiny, 2)
    persian = first.student_number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    done = enrollments_add(
        year=tiny.year, student_numbers=[persian, " "], phase="externship", actor=coordinator_nazanin
    )
    assert [e.student for e in done.added] == [first] and done.already == []
    done = enrollments_add(
        year=tiny.year,
        student_numbers=[first.student_number, second.student_number, second.student_number],
        phase="externship",
    )
    assert [e.student for e in done.added] == [second] and done.already == [first.student_number]
    assert LearnerEnrollment.objects.filter(year=tiny.year).count() == 2
    assert AuditEvent.objects.filter(model_label="clinical.LearnerEnrollment", action="create").count() == 2


def test_enrol_refuses_the_whole_list_naming_each_bad_number() -> None:
    tiny = make_tiny_year(n_learners=0)
    (good,) = _program_students(tiny, 1)
    (gone,) = _program_students(tiny, 1, status=StudentStatus.WITHDRAWN)
    stranger = StudentFactory(program=ProgramFactory(code="bsn-nursing"))
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        enrollments_add(
            year=tiny.year,
            student_numbers=[good.student_number, "999999", gone.student_number, stranger.student_number],
            phase="externship",
        )
    messages = caught.value.message_dict["student_numbers"]
    assert len(messages) == 3
    assert "999999" in messages[0]
    assert stranger.student_number in messages[1] and "another program" in messages[1]
    assert gone.student_number in messages[2] and "not active" in messages[2]
    assert not LearnerEnrollment.objects.filter(year=tiny.year).exists()  # not even the good one


def test_enrol_only_in_a_phase_with_rotations() -> None:
    tiny = make_tiny_year(n_learners=0)  # externship rotations only
    (student,) = _program_students(tiny, 1)
    with pytest.raises(ValidationError) as caught:
        enrollments_add(year=tiny.year, student_numbers=[student.student_number], phase="internship")
    assert "phase" in caught.value.message_dict
    with pytest.raises(ValidationError):
        enrollments_add(year=tiny.year, student_numbers=[], phase="externship")


def test_ineligible_learners_need_a_reason_and_are_left_out_of_runs(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=2)
    enrollment = tiny.enrollments[0]
    with pytest.raises(ValidationError) as caught:
        enrollment_set_eligibility(enrollment=enrollment, is_eligible=False, reason=" ")
    assert "reason" in caught.value.message_dict
    enrollment_set_eligibility(
        enrollment=enrollment,
        is_eligible=False,
        reason="آزمون جامع پیش‌کارورزی",
        actor=coordinator_nazanin,
    )
    assert [learner.id for learner in problem_for_year(tiny.year).problem.learners] == [
        tiny.enrollments[1].pk
    ]
    enrollment_set_eligibility(enrollment=enrollment, is_eligible=True, reason="ignored")
    enrollment.refresh_from_db()
    assert enrollment.is_eligible and enrollment.eligibility_reason == ""
    assert len(problem_for_year(tiny.year).problem.learners) == 2


def test_leave_before_publishing_makes_the_block_unavailable(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=1)
    enrollment, block = tiny.enrollments[0], tiny.blocks[1]
    leave = leave_add(enrollment=enrollment, block=block, reason="مرخصی", actor=coordinator_nazanin)
    assert problem_for_year(tiny.year).problem.learners[0].unavailable_blocks == frozenset({1})
    with pytest.raises(ValidationError):
        leave_add(enrollment=enrollment, block=block)
    other = year_create(
        program=ProgramFactory(code="bsn-nursing"),
        academic_year=tiny.year.academic_year,
        first_day=MEHR_1,
        n_blocks=1,
        block_days=7,
    )
    with pytest.raises(ValidationError) as caught:
        leave_add(enrollment=enrollment, block=other.blocks.get())
    assert "block" in caught.value.message_dict
    leave_remove(leave=leave, actor=coordinator_nazanin)
    assert problem_for_year(tiny.year).problem.learners[0].unavailable_blocks == frozenset()


def test_leave_where_the_published_schedule_places_the_learner_is_a_replan(placed) -> None:
    sara = placed.sara  # placed in blocks 1 and 2, free in block 3
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        leave_add(enrollment=sara, block=placed.tiny.blocks[0])
    assert "re-plan" in caught.value.message_dict["block"][0]
    assert not LearnerLeave.objects.filter(enrollment=sara).exists()
    leave_add(enrollment=sara, block=placed.tiny.blocks[2])
    assert LearnerLeave.objects.filter(enrollment=sara).count() == 1
