"""Grades: entry by the section's instructors, submission, appeals, corrections and finalisation.

The sheet of a section moves draft → submitted → finalised. Instructors enter and submit until
the deadline (exam + `entry_days`); a submitted sheet is locked and open to appeals for
`appeal_days`; the registrar finalises it once every appeal is answered. Every change after
submission carries a reason, is recorded as a `GradeChange` and audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shafa.academics.models import (
    AppealStatus,
    Grade,
    GradeAppeal,
    GradeChange,
    GradeSheet,
    GradeSheetStatus,
    GradingMode,
    Registration,
    RegistrationStatus,
    Section,
)
from shafa.academics.selectors.grades import grading_policy_for, is_section_instructor
from shafa.accounts.models import Role
from shafa.core.audit import audit_context, audit_record
from shafa.core.text import digits_to_ascii
from shafa.core.validators import validate_grade

STATUS_FOR_CODE = {"not_found": 404, "forbidden": 403, "invalid_grade": 400, "reason_required": 400}

MESSAGES: dict[str, str | Promise] = {
    "forbidden": _("You do not have permission to do this."),
    "not_found": _("Not found."),
    "not_on_roster": _("This student is not registered in the section."),
    "invalid_grade": _("A grade must be between 0 and 20 in steps of 0.25."),
    "pass_fail_required": _("This course is pass/fail: choose pass or fail."),
    "deadline_passed": _("The grade entry deadline has passed; ask the registrar's office."),
    "sheet_locked": _("The grades of this section have been submitted; changes go through the registrar."),
    "sheet_finalised": _("The grades of this section are final."),
    "reason_required": _("A change after submission needs a reason."),
    "incomplete": _("Enter a grade for every student before submitting (%(missing)s missing)."),
    "not_submitted": _("The grades of this section have not been submitted."),
    "appeal_closed": _("The appeal period for this grade is over."),
    "appeal_open": _("You already have an open appeal on this grade."),
    "appeal_text_required": _("Say what your objection is."),
    "grade_hidden": _("Complete the teacher evaluation for this course to see and appeal its grade."),
    "appeal_answered": _("This appeal has already been answered."),
    "answer_required": _("Write an answer to the student."),
    "appeals_pending": _("%(count)s appeal(s) still await the instructor's answer."),
    "invalid_date": _("Enter a valid Jalali date (YYYY/MM/DD)."),
    "appeal_window_open": _("The appeal period ends on %(until)s; to finalise earlier, give a reason."),
}


class GradingRefused(Exception):
    """A grading rule refused the request; `message` says why in the user's language."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        return text % self.params if self.params else text

    @property
    def status_code(self) -> int:
        return STATUS_FOR_CODE.get(self.code, 409)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.message}


def is_registrar_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(
        Role.REGISTRAR, Role.ADMINISTRATOR
    )


def section_program_id(section: Section) -> int | None:
    """The program a section's course belongs to, when exactly one active curriculum has it."""
    from shafa.academics.models import CurriculumItem

    programs = set(
        CurriculumItem.objects.filter(course_id=section.course_id, curriculum__is_active=True).values_list(
            "curriculum__program_id", flat=True
        )[:2]
    )
    return programs.pop() if len(programs) == 1 else None


def entry_deadline_for(section: Section) -> dt.datetime | None:
    """Exam time (or the end of the term) plus `entry_days` of the term's (and program's) policy."""
    policy = grading_policy_for(program=section_program_id(section), term=section.term_id)
    if section.exam_at is not None:
        base = section.exam_at
    else:
        end = section.term.end_date
        base = timezone.make_aware(dt.datetime.combine(end, dt.time(23, 59)))
    return base + dt.timedelta(days=policy.entry_days)


def grade_sheet_get_or_create(section: Section) -> GradeSheet:
    """The section's grade sheet, created in draft with its deadline on first use."""
    sheet = GradeSheet.objects.filter(section=section).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            return GradeSheet.objects.create(section=section, entry_deadline=entry_deadline_for(section))
    except IntegrityError:
        return GradeSheet.objects.get(section=section)


def _lock_sheet(section: Section) -> GradeSheet:
    grade_sheet_get_or_create(section)
    return (
        GradeSheet.objects.select_for_update()
        .select_related("section__course", "section__term")
        .get(section=section)
    )


def parse_grade(raw: Any) -> Decimal:
    """A grade typed in any digit script ('۱۷/۵', '17.5', '17,5') → Decimal, validated."""
    text = digits_to_ascii(str(raw)).strip().replace("/", ".").replace(",", ".").replace("٫", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise GradingRefused("invalid_grade") from None
    try:
        validate_grade(value)
    except ValidationError:
        raise GradingRefused("invalid_grade") from None
    return value.quantize(Decimal("0.01"))


def _mark(course_grading: str, value: Any, is_pass: Any) -> tuple[Decimal | None, bool | None]:
    if course_grading == GradingMode.PASS_FAIL:
        if is_pass is None:
            raise GradingRefused("pass_fail_required")
        return None, bool(is_pass)
    if value is None or value == "":
        raise GradingRefused("invalid_grade")
    return parse_grade(value), None


@transaction.atomic
def grade_enter(
    *, actor: Any, registration: Registration, value: Any = None, is_pass: Any = None, reason: str = ""
) -> Grade:
    """Enter or change one student's grade; after submission only the registrar, with a reason."""
    registration = Registration.objects.select_related("section__course", "student").get(pk=registration.pk)
    section = registration.section
    registrar = is_registrar_office(actor)
    instructor = is_section_instructor(actor, section)
    if not (registrar or instructor):
        raise GradingRefused("forbidden")
    if registration.status != RegistrationStatus.REGISTERED:
        raise GradingRefused("not_on_roster")
    sheet = _lock_sheet(section)
    reason = (reason or "").strip()
    if sheet.status == GradeSheetStatus.DRAFT:
        if not registrar and sheet.entry_deadline is not None and timezone.now() > sheet.entry_deadline:
            raise GradingRefused("deadline_passed")
    else:
        if not registrar:
            raise GradingRefused("sheet_locked")
        if not reason:
            raise GradingRefused("reason_required")
    new_value, new_is_pass = _mark(section.course.grading, value, is_pass)
    grade = Grade.objects.select_for_update().filter(registration=registration).first()
    with audit_context(actor=actor, reason=reason):
        if grade is None:
            grade = Grade.objects.create(
                registration=registration,
                sheet=sheet,
                student=registration.student,
                value=new_value,
                is_pass=new_is_pass,
                entered_by=actor,
            )
            if sheet.status != GradeSheetStatus.DRAFT:
                _record_change(grade, None, None, reason, actor)
            return grade
        if grade.value == new_value and grade.is_pass == new_is_pass:
            return grade
        old_value, old_is_pass = grade.value, grade.is_pass
        grade.value, grade.is_pass, grade.entered_by = new_value, new_is_pass, actor
        grade.save()
        if sheet.status != GradeSheetStatus.DRAFT:
            _record_change(grade, old_value, old_is_pass, reason, actor)
    return grade


def _record_change(
    grade: Grade, old_value: Any, old_is_pass: Any, reason: str, actor: Any, appeal: GradeAppeal | None = None
) -> GradeChange:
    return GradeChange.objects.create(
        grade=grade,
        old_value=old_value,
        new_value=grade.value,
        old_is_pass=old_is_pass,
        new_is_pass=grade.is_pass,
        reason=reason,
        changed_by=actor,
        appeal=appeal,
    )


@transaction.atomic
def grade_sheet_submit(*, actor: Any, section: Section) -> GradeSheet:
    """Submit (and lock) a section's grades; opens the appeal window."""
    registrar = is_registrar_office(actor)
    if not (registrar or is_section_instructor(actor, section)):
        raise GradingRefused("forbidden")
    sheet = _lock_sheet(section)
    if sheet.status != GradeSheetStatus.DRAFT:
        raise GradingRefused("sheet_locked")
    now = timezone.now()
    if not registrar and sheet.entry_deadline is not None and now > sheet.entry_deadline:
        raise GradingRefused("deadline_passed")
    missing = (
        Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED, grade__isnull=True)
        .only("pk")
        .count()
    )
    if missing:
        raise GradingRefused("incomplete", missing=missing)
    policy = grading_policy_for(program=section_program_id(section), term=section.term_id)
    sheet.status = GradeSheetStatus.SUBMITTED
    sheet.submitted_at = now
    sheet.submitted_by = actor
    sheet.appeal_deadline = now + dt.timedelta(days=policy.appeal_days)
    with audit_context(actor=actor):
        sheet.save()
    return sheet


@transaction.atomic
def grade_sheet_extend_deadline(
    *, actor: Any, section: Section, until: dt.datetime, reason: str
) -> GradeSheet:
    """The registrar moves a draft sheet's entry deadline, with a reason."""
    if not is_registrar_office(actor):
        raise GradingRefused("forbidden")
    if not (reason or "").strip():
        raise GradingRefused("reason_required")
    sheet = _lock_sheet(section)
    if sheet.status != GradeSheetStatus.DRAFT:
        raise GradingRefused("sheet_locked")
    sheet.entry_deadline = until
    with audit_context(actor=actor, reason=reason.strip()):
        sheet.save()
    return sheet


@transaction.atomic
def grade_sheet_reopen(*, actor: Any, section: Section, reason: str) -> GradeSheet:
    """The registrar returns a submitted (not final) sheet to the instructors, with a reason."""
    if not is_registrar_office(actor):
        raise GradingRefused("forbidden")
    if not (reason or "").strip():
        raise GradingRefused("reason_required")
    sheet = _lock_sheet(section)
    if sheet.status == GradeSheetStatus.FINALISED:
        raise GradingRefused("sheet_finalised")
    if sheet.status == GradeSheetStatus.SUBMITTED:
        sheet.status = GradeSheetStatus.DRAFT
        sheet.submitted_at = sheet.appeal_deadline = None
        sheet.submitted_by = None
        with audit_context(actor=actor, reason=reason.strip()):
            sheet.save()
    return sheet


@transaction.atomic
def grade_sheet_finalise(*, actor: Any, section: Section, reason: str = "") -> GradeSheet:
    """The registrar finalises a submitted sheet once its appeals are answered (early: with a reason)."""
    if not is_registrar_office(actor):
        raise GradingRefused("forbidden")
    sheet = _lock_sheet(section)
    if sheet.status == GradeSheetStatus.DRAFT:
        raise GradingRefused("not_submitted")
    if sheet.status == GradeSheetStatus.FINALISED:
        raise GradingRefused("sheet_finalised")
    pending = GradeAppeal.objects.filter(grade__sheet=sheet, status=AppealStatus.OPEN).count()
    if pending:
        raise GradingRefused("appeals_pending", count=pending)
    now = timezone.now()
    reason = (reason or "").strip()
    if sheet.appeal_deadline is not None and now <= sheet.appeal_deadline and not reason:
        from shafa.core.jalali import format_date

        raise GradingRefused("appeal_window_open", until=format_date(sheet.appeal_deadline))
    sheet.status = GradeSheetStatus.FINALISED
    sheet.finalised_at = now
    sheet.finalised_by = actor
    with audit_context(actor=actor, reason=reason):
        sheet.save()
    from shafa.academics.services.registration import ledgers_refresh_after_grades

    ledgers_refresh_after_grades(
        student_ids=list(sheet.grades.values_list("student_id", flat=True)), term=section.term
    )
    return sheet


@transaction.atomic
def grade_appeal_create(*, actor: Any, grade: Grade, text: str) -> GradeAppeal:
    """A student objects to their submitted grade inside the appeal window."""
    from shafa.academics.selectors.grades import student_grade_rows

    grade = Grade.objects.select_related("sheet", "student__person").get(pk=grade.pk)
    if grade.student.person.user_id != getattr(actor, "pk", None):
        raise GradingRefused("forbidden")
    text = (text or "").strip()
    if not text:
        raise GradingRefused("appeal_text_required")
    row = next(
        (r for r in student_grade_rows(grade.student) if r.registration.pk == grade.registration_id), None
    )
    if row is None or not row.visible:
        raise GradingRefused("grade_hidden" if row is not None and row.needs_evaluation else "not_submitted")
    sheet = grade.sheet
    if sheet.status != GradeSheetStatus.SUBMITTED or (
        sheet.appeal_deadline is not None and timezone.now() > sheet.appeal_deadline
    ):
        raise GradingRefused("appeal_closed")
    if GradeAppeal.objects.filter(grade=grade, status=AppealStatus.OPEN).exists():
        raise GradingRefused("appeal_open")
    try:
        with transaction.atomic(), audit_context(actor=actor):
            return GradeAppeal.objects.create(grade=grade, text=text, old_value=grade.value)
    except IntegrityError:
        raise GradingRefused("appeal_open") from None


@transaction.atomic
def grade_appeal_answer(
    *, actor: Any, appeal: GradeAppeal, answer: str, new_value: Any = None, new_is_pass: Any = None
) -> GradeAppeal:
    """The instructor answers an appeal; a new mark changes the grade (the answer is the reason)."""
    appeal = GradeAppeal.objects.select_for_update().get(pk=appeal.pk)
    grade = Grade.objects.select_related("sheet__section__course").get(pk=appeal.grade_id)
    section = grade.sheet.section
    if not (is_section_instructor(actor, section) or is_registrar_office(actor)):
        raise GradingRefused("forbidden")
    if appeal.status != AppealStatus.OPEN:
        raise GradingRefused("appeal_answered")
    sheet = _lock_sheet(section)
    if sheet.status == GradeSheetStatus.FINALISED:
        raise GradingRefused("sheet_finalised")
    answer = (answer or "").strip()
    if not answer:
        raise GradingRefused("answer_required")
    changed = False
    with audit_context(actor=actor, reason=answer):
        if new_value not in (None, "") or new_is_pass is not None:
            value, is_pass = _mark(section.course.grading, new_value, new_is_pass)
            if (value, is_pass) != (grade.value, grade.is_pass):
                old_value, old_is_pass = grade.value, grade.is_pass
                grade.value, grade.is_pass, grade.entered_by = value, is_pass, actor
                grade.save()
                _record_change(grade, old_value, old_is_pass, answer, actor, appeal)
                changed = True
        appeal.status = AppealStatus.ACCEPTED if changed else AppealStatus.REJECTED
        appeal.answer = answer
        appeal.answered_by = actor
        appeal.answered_at = timezone.now()
        appeal.new_value = grade.value
        appeal.save()
    return appeal


def grade_import_rows(*, actor: Any, section: Section, rows: list[tuple[str, Any]]) -> int:
    """Enter many grades at once from (student number, mark) pairs; all or nothing."""
    by_number = {
        r.student.student_number: r
        for r in Registration.objects.filter(
            section=section, status=RegistrationStatus.REGISTERED
        ).select_related("student")
    }
    count = 0
    with transaction.atomic():
        for number, mark in rows:
            registration = by_number.get(digits_to_ascii(str(number)).strip())
            if registration is None:
                raise GradingRefused("not_on_roster")
            if section.course.grading == GradingMode.PASS_FAIL:
                grade_enter(
                    actor=actor,
                    registration=registration,
                    is_pass=str(mark).strip().lower() in ("1", "pass", "true", "قبول"),
                )
            else:
                grade_enter(actor=actor, registration=registration, value=mark)
            count += 1
        audit_record(action="update", instance=section, changes={"grades_imported": [None, count]})
    return count
