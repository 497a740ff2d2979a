"""Standing from finalised grades: probation, passed courses, repeat policy, duration, graduation, gates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shafa.academics.models import (
    CurriculumItem,
    GateExamKind,
    GradingPolicy,
    PassedCourse,
    RepeatPolicy,
)
from shafa.academics.selectors import standing
from shafa.academics.services.grades import (
    GradingRefused,
    grade_enter,
    grade_sheet_finalise,
    grade_sheet_submit,
)
from shafa.academics.services.standing import gate_exam_record
from shafa.institution.models import PhaseKind

from .factories import CourseFactory, CurriculumFactory
from .grades_fixtures import enrol, make_taught_section, term_of


def finalised_grade(student, term, teacher, registrar, value, *, course=None, credits="3"):
    """One finalised grade (the whole term-end flow, done by the services)."""
    section = make_taught_section(
        term, teacher, course=course, credits=credits, number=(course.sections.count() + 1) if course else 1
    )
    registration = enrol(student, section)
    grade_enter(actor=teacher.person.user, registration=registration, value=value)
    grade_sheet_submit(actor=teacher.person.user, section=section)
    grade_sheet_finalise(actor=registrar, section=section, reason="test")
    return section.course


@pytest.fixture
def terms(db):
    return term_of(1403, 1), term_of(1403, 2), term_of(1403, 3), term_of(1404, 1)


def test_probation_after_a_low_term_gpa_only_from_finalised_grades(
    terms, student_sara, faculty_tehrani, registrar_maryam
):
    first, second, _summer, next_year = terms
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "11", credits="3")
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "12.5", credits="2")
    # (11*3 + 12.5*2) / 5 = 11.6 < 12
    assert standing.is_on_probation(student_sara, second)
    # a draft (not final) low grade in the second term does not count
    section = make_taught_section(second, faculty_tehrani)
    grade_enter(actor=faculty_tehrani.person.user, registration=enrol(student_sara, section), value="5")
    assert standing.is_on_probation(student_sara, next_year)  # still judged on the first term
    grade_sheet_submit(actor=faculty_tehrani.person.user, section=section)
    grade_sheet_finalise(actor=registrar_maryam, section=section, reason="test")
    assert standing.is_on_probation(student_sara, next_year)


def test_good_term_lifts_probation_and_summer_does_not_count(
    terms, student_sara, faculty_tehrani, registrar_maryam
):
    first, second, summer, next_year = terms
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "10")
    finalised_grade(student_sara, second, faculty_tehrani, registrar_maryam, "16")
    finalised_grade(student_sara, summer, faculty_tehrani, registrar_maryam, "8")
    assert not standing.is_on_probation(student_sara, next_year)
    GradingPolicy.objects.create(program=student_sara.program, summer_counts_for_probation=True)
    assert standing.is_on_probation(student_sara, next_year)


def test_threshold_is_configurable(terms, student_sara, faculty_tehrani, registrar_maryam):
    first, second, *_ = terms
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "13")
    assert not standing.is_on_probation(student_sara, second)
    GradingPolicy.objects.create(program=student_sara.program, probation_below=Decimal("14"))
    assert standing.is_on_probation(student_sara, second)


def test_passed_courses_and_credits_from_grades_and_transfers(
    terms, student_sara, faculty_tehrani, registrar_maryam
):
    first, *_ = terms
    passed = finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "10", credits="3")
    failed = finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "9.75", credits="2")
    transferred = CourseFactory(theoretical_credits=Decimal("1"))
    PassedCourse.objects.create(student=student_sara, course=transferred)
    assert standing.passed_course_ids(student_sara) == {passed.pk, transferred.pk}
    assert standing.passed_credits(student_sara) == Decimal("4")
    assert failed.pk not in standing.passed_course_ids(student_sara)


def test_repeat_policy_is_per_program(terms, student_sara, faculty_tehrani, registrar_maryam):
    first, second, *_ = terms
    course = CourseFactory(theoretical_credits=Decimal("2"))
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "8", course=course)
    finalised_grade(student_sara, second, faculty_tehrani, registrar_maryam, "16", course=course)
    assert standing.student_standing(student_sara).gpa == Decimal("16.00")
    GradingPolicy.objects.create(program=student_sara.program, repeat_policy=RepeatPolicy.ALL_ATTEMPTS)
    result = standing.student_standing(student_sara)
    assert result.gpa == Decimal("12.00")
    assert [t.gpa for t in result.terms] == [Decimal("8.00"), Decimal("16.00")]
    assert [t.on_probation for t in result.terms] == [True, False]
    assert result.credits_passed == Decimal("2")


def test_registration_cap_uses_real_probation(terms, student_sara, faculty_tehrani, registrar_maryam):
    from shafa.academics.services.registration import credit_cap

    first, second, *_ = terms
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "9")
    assert credit_cap(student_sara, second) == Decimal("14")


def test_graduation_audit_against_the_curriculum(terms, student_sara, faculty_tehrani, registrar_maryam):
    first, *_ = terms
    program = student_sara.program
    program.credits_required = 5
    program.save()
    curriculum = CurriculumFactory(program=program)
    a, b = CourseFactory(theoretical_credits=Decimal("3")), CourseFactory(theoretical_credits=Decimal("2"))
    CurriculumItem.objects.create(curriculum=curriculum, course=a, recommended_term=1)
    CurriculumItem.objects.create(curriculum=curriculum, course=b, recommended_term=2)
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "15", course=a)
    audit = standing.graduation_audit(student_sara)
    assert not audit.eligible and audit.missing_courses == [b]
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "14", course=b)
    audit = standing.graduation_audit(student_sara)
    assert audit.eligible and audit.credits_passed == 5
    program.credits_required = 6
    program.save()
    assert not standing.graduation_audit(student_sara).eligible


def test_max_duration_counts_regular_terms(terms, student_sara, faculty_tehrani):
    for term in terms:
        enrol(student_sara, make_taught_section(term, faculty_tehrani))
    program = student_sara.program
    program.duration_terms = 2
    program.max_duration_terms = 2
    program.save()
    result = standing.student_standing(student_sara)
    assert result.terms_used == 3 and result.over_max_duration


def test_md_gates(student_sara, registrar_maryam, faculty_tehrani):
    assert standing.phase_gate_missing(student_sara, PhaseKind.PHYSIOPATHOLOGY) == GateExamKind.BASIC_SCIENCES
    assert standing.phase_gate_missing(student_sara, PhaseKind.EXTERNSHIP) is None
    with pytest.raises(GradingRefused):
        gate_exam_record(
            actor=faculty_tehrani.person.user,
            student=student_sara,
            kind="basic_sciences",
            held_on=dt.date(2025, 8, 1),
            passed=True,
        )
    gate_exam_record(
        actor=registrar_maryam,
        student=student_sara,
        kind="basic_sciences",
        held_on=dt.date(2025, 8, 1),
        passed=False,
    )
    assert standing.phase_gate_missing(student_sara, PhaseKind.PHYSIOPATHOLOGY) == "basic_sciences"
    gate_exam_record(
        actor=registrar_maryam,
        student=student_sara,
        kind="basic_sciences",
        held_on=dt.date(2025, 9, 1),
        passed=True,
    )
    assert standing.phase_gate_missing(student_sara, PhaseKind.PHYSIOPATHOLOGY) is None
    assert standing.phase_gate_missing(student_sara, PhaseKind.INTERNSHIP) == "pre_internship"


def test_a_withdrawn_course_leaves_the_gpa(terms, student_sara, faculty_tehrani, registrar_maryam):
    from shafa.academics.models import Registration, RegistrationStatus

    first, second, *_ = terms
    finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "16")
    low = finalised_grade(student_sara, first, faculty_tehrani, registrar_maryam, "4")
    assert standing.student_standing(student_sara).gpa == Decimal("10.00")
    Registration.objects.filter(student=student_sara, course=low).update(status=RegistrationStatus.WITHDRAWN)
    assert standing.student_standing(student_sara).gpa == Decimal("16.00")
    assert not standing.is_on_probation(student_sara, second)


def test_one_grading_policy_per_scope_on_every_database(student_sara, term) -> None:
    from django.db import IntegrityError, transaction

    program = student_sara.program
    for scope in ({}, {"program": program}, {"term": term}, {"program": program, "term": term}):
        GradingPolicy.objects.create(**scope)
        with pytest.raises(IntegrityError), transaction.atomic():
            GradingPolicy.objects.create(**scope)  # the same scope again: NULL counts as a value
    assert GradingPolicy.objects.count() == 4
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        GradingPolicy(program=program).full_clean()  # the admin's check, before the database's
    assert caught.value.messages == ["A grading policy for this program and term already exists."]
