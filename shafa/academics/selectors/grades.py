"""Reads for grading: the policy in force, rosters with their grades, a student's visible grades."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from shafa.academics.models import (
    EvaluationReceipt,
    Grade,
    GradeAppeal,
    GradeSheet,
    GradeSheetStatus,
    GradingPolicy,
    Registration,
    RegistrationStatus,
    Section,
)


def grading_policy_for(*, program: Any = None, term: Any = None) -> GradingPolicy:
    """The most specific grading policy for (program, term); the built-in defaults if none."""
    program_id = getattr(program, "pk", program)
    term_id = getattr(term, "pk", term)
    rows = list(
        GradingPolicy.objects.filter(
            Q(program_id=program_id) | Q(program__isnull=True), Q(term_id=term_id) | Q(term__isnull=True)
        )
    )

    def rank(policy: GradingPolicy) -> int:
        # term-specific beats program-specific beats the university default
        return (2 if policy.term_id is not None else 0) + (1 if policy.program_id is not None else 0)

    if program_id is None:
        rows = [row for row in rows if row.program_id is None]
    if term_id is None:
        rows = [row for row in rows if row.term_id is None]
    if rows:
        return max(rows, key=rank)
    return GradingPolicy(program_id=program_id, term_id=term_id)


def is_section_instructor(user: Any, section: Section) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return section.instructors.filter(person__user=user).exists()


def sections_taught_by(user: Any, *, term: Any = None) -> QuerySet[Section]:
    """Sections `user` teaches (as one of their instructors), newest term first."""
    sections = Section.objects.filter(instructors__person__user=user).select_related(
        "course", "term", "grade_sheet"
    )
    if term is not None:
        sections = sections.filter(term=term)
    return sections.order_by("-term__code", "course__code", "number").distinct()


def grade_sheet_sections(*, term: Any = None, status: str = "") -> QuerySet[Section]:
    """Sections with their grade sheet state, for the registrar's lists."""
    sections = Section.objects.select_related("course", "term", "grade_sheet")
    if term is not None:
        sections = sections.filter(term=term)
    if status == GradeSheetStatus.DRAFT:
        sections = sections.filter(Q(grade_sheet__isnull=True) | Q(grade_sheet__status=status))
    elif status:
        sections = sections.filter(grade_sheet__status=status)
    return sections.order_by("-term__code", "course__code", "number")


def roster(section: Section) -> list[Any]:
    """The section's registered students, each with `grade` (or None) and open appeals prefetched."""
    rows: list[Any] = list(
        Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED)
        .select_related("student__person", "grade")
        .prefetch_related(
            Prefetch(
                "grade__appeals", queryset=GradeAppeal.objects.order_by("-created_at"), to_attr="appeal_list"
            )
        )
        .order_by("student__person__last_name_fa", "student__student_number")
    )
    for row in rows:
        row.grade_or_none = getattr(row, "grade", None) if _has_grade(row) else None
    return rows


def _has_grade(registration: Registration) -> bool:
    try:
        registration.grade  # type: ignore[attr-defined]  # noqa: B018
    except Grade.DoesNotExist:
        return False
    return True


@dataclass
class StudentGradeRow:
    registration: Registration
    grade: Grade | None
    sheet_status: str
    visible: bool
    needs_evaluation: bool
    may_appeal: bool
    open_appeal: GradeAppeal | None


def student_grade_rows(student: Any, *, now: Any = None) -> list[StudentGradeRow]:
    """A student's registered courses with their grades, hidden until submitted and evaluated."""
    from django.utils import timezone

    now = now or timezone.now()
    registrations = list(
        Registration.objects.filter(student=student, status=RegistrationStatus.REGISTERED)
        .select_related("section__course", "section__grade_sheet", "term", "grade")
        .prefetch_related(Prefetch("grade__appeals", to_attr="appeal_list"))
        .order_by("-term__code", "course__code")
    )
    evaluated = set(EvaluationReceipt.objects.filter(student=student).values_list("section_id", flat=True))
    policies: dict[int, GradingPolicy] = {}
    rows = []
    for registration in registrations:
        sheet = (
            getattr(registration.section, "grade_sheet", None) if _has_sheet(registration.section) else None
        )
        grade = registration.grade if _has_grade(registration) else None  # type: ignore[attr-defined]
        status = sheet.status if sheet is not None else GradeSheetStatus.DRAFT
        policy = policies.get(registration.term_id)
        if policy is None:
            policy = policies[registration.term_id] = grading_policy_for(
                program=student.program_id, term=registration.term_id
            )
        needs_evaluation = policy.evaluation_required and registration.section_id not in evaluated
        visible = grade is not None and status != GradeSheetStatus.DRAFT and not needs_evaluation
        open_appeal = None
        if grade is not None:
            appeals = grade.appeal_list  # type: ignore[attr-defined]  # prefetched, to_attr
            open_appeal = next((a for a in appeals if a.status == "open"), None)
        may_appeal = bool(
            visible
            and sheet is not None
            and status == GradeSheetStatus.SUBMITTED
            and sheet.appeal_deadline is not None
            and now <= sheet.appeal_deadline
            and open_appeal is None
        )
        rows.append(
            StudentGradeRow(
                registration=registration,
                grade=grade if visible else None,
                sheet_status=status,
                visible=visible,
                needs_evaluation=needs_evaluation and status != GradeSheetStatus.DRAFT,
                may_appeal=may_appeal,
                open_appeal=open_appeal,
            )
        )
    return rows


def _has_sheet(section: Section) -> bool:
    try:
        section.grade_sheet  # type: ignore[attr-defined]  # noqa: B018
    except GradeSheet.DoesNotExist:
        return False
    return True


def appeals_for_instructor(user: Any) -> QuerySet[GradeAppeal]:
    """Open appeals on the sections `user` teaches."""
    return (
        GradeAppeal.objects.filter(status="open", grade__sheet__section__instructors__person__user=user)
        .select_related("grade__registration__section__course", "grade__student__person")
        .order_by("created_at")
        .distinct()
    )


def grade_changes_for_section(section: Section) -> QuerySet[Any]:
    """Changes made to a section's grades after submission, oldest first, with who and why."""
    from shafa.academics.models import GradeChange

    return (
        GradeChange.objects.filter(grade__sheet__section=section)
        .select_related("grade__student__person", "changed_by")
        .order_by("changed_at")
    )


def appeals_for_section(section: Section) -> QuerySet[GradeAppeal]:
    return (
        GradeAppeal.objects.filter(grade__sheet__section=section)
        .select_related("grade__student__person")
        .order_by("-created_at")
    )
