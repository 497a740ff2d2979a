"""Grades: entry, deadline, submission and lock, appeals, corrections with reasons, finalisation."""
# ruff: noqa: F811  (pytest fixtures imported from grades_fixtures are redefined as arguments)

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shafa.academics.models import (
    AppealStatus,
    Grade,
    GradeChange,
    GradeSheetStatus,
    GradingMode,
    GradingPolicy,
    RegistrationStatus,
)
from shafa.academics.selectors.grades import grading_policy_for, student_grade_rows
from shafa.academics.services.evaluation import evaluation_submit
from shafa.academics.services.grades import (
    GradingRefused,
    grade_appeal_answer,
    grade_appeal_create,
    grade_enter,
    grade_sheet_extend_deadline,
    grade_sheet_finalise,
    grade_sheet_get_or_create,
    grade_sheet_submit,
    parse_grade,
)
from shafa.core.models import AuditEvent

from .grades_fixtures import (  # noqa: F401
    answers_for,
    enrol,
    faculty_ahmadi,
    grade_term,
    make_taught_section,
    questionnaire,
    taught_section,
)


def _user(member):
    return member.person.user


@pytest.fixture
def roster(taught_section, student_sara, student_reza):
    return enrol(student_sara, taught_section), enrol(student_reza, taught_section)


def test_instructor_enters_grades_in_quarters(taught_section, roster, faculty_tehrani):
    sara, _reza = roster
    grade = grade_enter(actor=_user(faculty_tehrani), registration=sara, value="۱۷/۷۵")
    assert grade.value == Decimal("17.75")
    assert grade.student_id == sara.student_id
    for bad in ("17.3", "20.25", "-1", "abc"):
        with pytest.raises(GradingRefused) as refused:
            grade_enter(actor=_user(faculty_tehrani), registration=sara, value=bad)
        assert refused.value.code == "invalid_grade"


def test_database_rejects_grade_off_the_quarter_grid(taught_section, roster, faculty_tehrani):
    sara, _reza = roster
    grade = grade_enter(actor=_user(faculty_tehrani), registration=sara, value="12")
    for bad in (Decimal("12.30"), Decimal("20.50"), Decimal("-0.25")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Grade.objects.filter(pk=grade.pk).update(value=bad)
    Grade.objects.filter(pk=grade.pk).update(value=Decimal("19.75"))


def test_pass_fail_course_takes_a_mark_not_a_number(grade_term, faculty_tehrani, student_sara):
    section = make_taught_section(grade_term, faculty_tehrani, grading=GradingMode.PASS_FAIL)
    registration = enrol(student_sara, section)
    with pytest.raises(GradingRefused) as refused:
        grade_enter(actor=_user(faculty_tehrani), registration=registration, value="15")
    assert refused.value.code == "pass_fail_required"
    grade = grade_enter(actor=_user(faculty_tehrani), registration=registration, is_pass=True)
    assert grade.is_pass is True and grade.value is None


def test_only_the_sections_instructors_and_registrar_enter_grades(
    taught_section, roster, faculty_ahmadi, student_sara, registrar_maryam
):
    sara, _reza = roster
    for outsider in (_user(faculty_ahmadi), student_sara.person.user):
        with pytest.raises(GradingRefused) as refused:
            grade_enter(actor=outsider, registration=sara, value="15")
        assert refused.value.code == "forbidden"
    assert grade_enter(actor=registrar_maryam, registration=sara, value="15").value == 15


def test_no_grade_for_a_dropped_student(taught_section, student_sara, faculty_tehrani):
    registration = enrol(student_sara, taught_section, status=RegistrationStatus.DROPPED)
    with pytest.raises(GradingRefused) as refused:
        grade_enter(actor=_user(faculty_tehrani), registration=registration, value="15")
    assert refused.value.code == "not_on_roster"


def test_deadline_is_ten_days_after_the_exam_and_configurable_per_term(taught_section, grade_term):
    sheet = grade_sheet_get_or_create(taught_section)
    assert sheet.entry_deadline == taught_section.exam_at + dt.timedelta(days=10)
    GradingPolicy.objects.create(term=grade_term, entry_days=14)
    sheet.delete()
    assert grade_sheet_get_or_create(taught_section).entry_deadline == taught_section.exam_at + dt.timedelta(
        days=14
    )


def test_deadline_follows_the_program_of_the_course(taught_section, student_sara):
    from shafa.academics.models import CurriculumItem

    from .factories import CurriculumFactory

    program = student_sara.program
    CurriculumItem.objects.create(
        curriculum=CurriculumFactory(program=program), course=taught_section.course, recommended_term=1
    )
    GradingPolicy.objects.create(program=program, entry_days=7)
    sheet = grade_sheet_get_or_create(taught_section)
    assert sheet.entry_deadline == taught_section.exam_at + dt.timedelta(days=7)


def test_policy_most_specific_wins(grade_term, student_sara):
    program = student_sara.program
    GradingPolicy.objects.create(appeal_days=5)
    assert grading_policy_for(program=program, term=grade_term).appeal_days == 5
    GradingPolicy.objects.create(program=program, appeal_days=6)
    assert grading_policy_for(program=program, term=grade_term).appeal_days == 6
    GradingPolicy.objects.create(term=grade_term, appeal_days=7)
    assert grading_policy_for(program=program, term=grade_term).appeal_days == 7
    GradingPolicy.objects.create(program=program, term=grade_term, appeal_days=8)
    assert grading_policy_for(program=program, term=grade_term).appeal_days == 8
    assert grading_policy_for().appeal_days == 5


def test_after_the_deadline_the_instructor_is_refused_until_extended(
    taught_section, roster, faculty_tehrani, registrar_maryam
):
    sara, _reza = roster
    sheet = grade_sheet_get_or_create(taught_section)
    sheet.entry_deadline = timezone.now() - dt.timedelta(minutes=1)
    sheet.save()
    with pytest.raises(GradingRefused) as refused:
        grade_enter(actor=_user(faculty_tehrani), registration=sara, value="15")
    assert refused.value.code == "deadline_passed"
    with pytest.raises(GradingRefused):
        grade_sheet_extend_deadline(
            actor=registrar_maryam, section=taught_section, until=timezone.now(), reason=""
        )
    grade_sheet_extend_deadline(
        actor=registrar_maryam,
        section=taught_section,
        until=timezone.now() + dt.timedelta(days=2),
        reason="Instructor was ill",
    )
    assert grade_enter(actor=_user(faculty_tehrani), registration=sara, value="15").value == 15


def test_submit_needs_every_grade_then_locks(taught_section, roster, faculty_tehrani):
    sara, reza = roster
    teacher = _user(faculty_tehrani)
    grade_enter(actor=teacher, registration=sara, value="15")
    with pytest.raises(GradingRefused) as refused:
        grade_sheet_submit(actor=teacher, section=taught_section)
    assert refused.value.code == "incomplete" and "1" in refused.value.message
    grade_enter(actor=teacher, registration=reza, value="9.5")
    sheet = grade_sheet_submit(actor=teacher, section=taught_section)
    assert sheet.status == GradeSheetStatus.SUBMITTED
    assert sheet.appeal_deadline - sheet.submitted_at == dt.timedelta(days=3)
    with pytest.raises(GradingRefused) as refused:
        grade_enter(actor=teacher, registration=sara, value="20")
    assert refused.value.code == "sheet_locked"
    with pytest.raises(GradingRefused):
        grade_sheet_submit(actor=teacher, section=taught_section)


def test_change_after_submission_needs_a_reason_and_is_audited(
    taught_section, roster, faculty_tehrani, registrar_maryam
):
    sara, reza = roster
    teacher = _user(faculty_tehrani)
    grade_enter(actor=teacher, registration=sara, value="15")
    grade_enter(actor=teacher, registration=reza, value="16")
    grade_sheet_submit(actor=teacher, section=taught_section)
    with pytest.raises(GradingRefused) as refused:
        grade_enter(actor=registrar_maryam, registration=sara, value="16")
    assert refused.value.code == "reason_required"
    grade = grade_enter(
        actor=registrar_maryam, registration=sara, value="16", reason="Addition error on sheet"
    )
    assert grade.value == 16
    change = GradeChange.objects.get(grade=grade)
    assert (change.old_value, change.new_value, change.reason) == (
        Decimal("15.00"),
        Decimal("16.00"),
        "Addition error on sheet",
    )
    event = AuditEvent.objects.filter(
        model_label="academics.Grade", object_id=str(grade.pk), action="update"
    ).last()
    assert event.reason == "Addition error on sheet"
    assert event.actor_id == registrar_maryam.pk
    assert event.changes["value"] == ["15.00", "16.00"]


def _submitted(section, roster, teacher, values=("15", "11")):
    for registration, value in zip(roster, values, strict=True):
        grade_enter(actor=teacher, registration=registration, value=value)
    return grade_sheet_submit(actor=teacher, section=section)


def test_student_sees_grade_only_after_evaluating(
    taught_section, roster, faculty_tehrani, student_sara, questionnaire
):
    _submitted(taught_section, roster, _user(faculty_tehrani))
    [row] = student_grade_rows(student_sara)
    assert not row.visible and row.grade is None and row.needs_evaluation
    evaluation_submit(student=student_sara, section=taught_section, answers=answers_for(questionnaire))
    [row] = student_grade_rows(student_sara)
    assert row.visible and row.grade.value == 15 and row.may_appeal


def test_evaluation_requirement_can_be_switched_off(taught_section, roster, faculty_tehrani, student_sara):
    GradingPolicy.objects.create(evaluation_required=False)
    [row] = student_grade_rows(student_sara)
    assert not row.visible  # still draft: nothing to show before submission
    _submitted(taught_section, roster, _user(faculty_tehrani))
    [row] = student_grade_rows(student_sara)
    assert row.visible and row.grade.value == 15


def test_appeal_flow_accepted_changes_grade_and_registrar_finalises(
    taught_section, roster, faculty_tehrani, student_sara, student_reza, registrar_maryam, questionnaire
):
    teacher = _user(faculty_tehrani)
    _submitted(taught_section, roster, teacher)
    sara_grade = Grade.objects.get(registration=roster[0])
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_create(
            actor=student_sara.person.user, grade=sara_grade, text="Question 4 was marked wrongly"
        )
    assert refused.value.code == "grade_hidden"
    evaluation_submit(student=student_sara, section=taught_section, answers=answers_for(questionnaire))
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_create(actor=student_reza.person.user, grade=sara_grade, text="not mine")
    assert refused.value.code == "forbidden"
    appeal = grade_appeal_create(
        actor=student_sara.person.user, grade=sara_grade, text="Question 4 was marked wrongly"
    )
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_create(actor=student_sara.person.user, grade=sara_grade, text="again")
    assert refused.value.code == "appeal_open"
    with pytest.raises(GradingRefused) as refused:
        grade_sheet_finalise(actor=registrar_maryam, section=taught_section, reason="early")
    assert refused.value.code == "appeals_pending"
    appeal = grade_appeal_answer(actor=teacher, appeal=appeal, answer="Re-marked: +1.25", new_value="16.25")
    assert appeal.status == AppealStatus.ACCEPTED
    assert Grade.objects.get(pk=sara_grade.pk).value == Decimal("16.25")
    assert GradeChange.objects.get(grade=sara_grade).appeal_id == appeal.pk
    with pytest.raises(GradingRefused) as refused:
        grade_sheet_finalise(actor=registrar_maryam, section=taught_section)
    assert refused.value.code == "appeal_window_open"
    with pytest.raises(GradingRefused):
        grade_sheet_finalise(actor=teacher, section=taught_section, reason="x")
    sheet = grade_sheet_finalise(
        actor=registrar_maryam, section=taught_section, reason="All appeals answered"
    )
    assert sheet.status == GradeSheetStatus.FINALISED
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_create(actor=student_sara.person.user, grade=sara_grade, text="once more")
    assert refused.value.code == "appeal_closed"


def test_appeal_rejected_keeps_grade_and_window_closes(
    taught_section, roster, faculty_tehrani, student_sara, registrar_maryam
):
    GradingPolicy.objects.create(evaluation_required=False)
    teacher = _user(faculty_tehrani)
    sheet = _submitted(taught_section, roster, teacher)
    grade = Grade.objects.get(registration=roster[0])
    appeal = grade_appeal_create(actor=student_sara.person.user, grade=grade, text="Please re-check")
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_answer(actor=teacher, appeal=appeal, answer="")
    assert refused.value.code == "answer_required"
    appeal = grade_appeal_answer(actor=teacher, appeal=appeal, answer="Re-checked; the mark stands.")
    assert appeal.status == AppealStatus.REJECTED and Grade.objects.get(pk=grade.pk).value == 15
    sheet.appeal_deadline = timezone.now() - dt.timedelta(seconds=1)
    sheet.save()
    with pytest.raises(GradingRefused) as refused:
        grade_appeal_create(actor=student_sara.person.user, grade=grade, text="late")
    assert refused.value.code == "appeal_closed"
    assert (
        grade_sheet_finalise(actor=registrar_maryam, section=taught_section).status
        == GradeSheetStatus.FINALISED
    )


def test_database_allows_one_open_appeal_per_grade(taught_section, roster, faculty_tehrani):
    from shafa.academics.models import GradeAppeal

    _submitted(taught_section, roster, _user(faculty_tehrani))
    grade = Grade.objects.get(registration=roster[0])
    GradeAppeal.objects.create(grade=grade, text="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        GradeAppeal.objects.create(grade=grade, text="two")


def test_parse_grade_accepts_persian_digits_and_separators():
    assert parse_grade("۱۸٫۵") == Decimal("18.50")
    assert parse_grade("18,25") == Decimal("18.25")
    assert parse_grade("20") == Decimal("20.00")


def test_demo_loader_is_idempotent(db, student_sara, registrar_maryam):
    import random

    from shafa.academics.grades_demo import load_grading
    from shafa.academics.models import EvaluationQuestionnaire, GateExamResult
    from shafa.institution.tests.factories import AcademicYearFactory, TermFactory

    student_sara.entry_term = TermFactory(academic_year=AcademicYearFactory(start_year=1401), number=1)
    student_sara.save()
    first = load_grading(None, random.Random(1))
    assert first["questionnaires"] == 1 and first["gate_exam_results"] >= 1
    assert GateExamResult.objects.filter(student=student_sara, kind="basic_sciences", passed=True).exists()
    assert not GateExamResult.objects.filter(kind="pre_internship").exists()
    assert load_grading(None, random.Random(1)) == {"questionnaires": 0, "gate_exam_results": 0}
    assert EvaluationQuestionnaire.objects.get().questions.count() == 6


def test_finalising_a_sheet_updates_its_students_prepared_credit_limits(
    taught_section, roster, faculty_tehrani, registrar_maryam, monkeypatch
):
    from shafa.academics.services import registration

    calls = []
    monkeypatch.setattr(registration, "ledgers_refresh_after_grades", lambda **kwargs: calls.append(kwargs))
    _submitted(taught_section, roster, _user(faculty_tehrani))
    grade_sheet_finalise(actor=registrar_maryam, section=taught_section, reason="appeals closed early")
    [call] = calls
    assert sorted(call["student_ids"]) == sorted(r.student_id for r in roster)
    assert call["term"] == taught_section.term
