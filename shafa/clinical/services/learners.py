"""Writes on a clinical year's learners: enrolment, eligibility and leave."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shafa.clinical.display import list_label, number_label
from shafa.clinical.models import (
    Assignment,
    Block,
    ClinicalYear,
    LearnerEnrollment,
    LearnerLeave,
    RotationType,
)
from shafa.core.audit import audit_context
from shafa.core.text import digits_to_ascii, normalize_persian
from shafa.people.models import Student, StudentStatus

SHOWN = 10  # student numbers named in one error before "and N more"


@dataclass(frozen=True)
class Enrolled:
    added: list[LearnerEnrollment]
    already: list[str]  # student numbers enrolled before


def _listed(numbers: list[str]) -> str:
    shown = list_label(numbers[:SHOWN])
    if len(numbers) > SHOWN:
        shown += " " + _("and %(n)s more") % {"n": number_label(len(numbers) - SHOWN)}
    return shown


def year_phases(year: ClinicalYear) -> list[str]:
    """The phases in which the year's program has rotations (the phases a learner can enrol in)."""
    return sorted(
        set(RotationType.objects.filter(program_id=year.program_id).values_list("phase", flat=True))
    )


@transaction.atomic
def enrollments_add(
    *, year: ClinicalYear, student_numbers: Iterable[str], phase: str, actor: Any = None
) -> Enrolled:
    """Enrol the program's active students, by student number, in `phase`; all or none.

    Numbers already enrolled in the year are skipped and reported; an unknown number, a student
    of another program or one not active refuses the whole list, naming them."""
    numbers = list(dict.fromkeys(digits_to_ascii(n).strip() for n in student_numbers if n.strip()))
    if not numbers:
        raise ValidationError({"student_numbers": _("Give at least one student number.")})
    phases = year_phases(year)
    if not phases:
        raise ValidationError(_("The program has no rotations yet: add its rotation types first."))
    if phase not in phases:
        raise ValidationError({"phase": _("The program has no rotations in this phase.")})
    students = {
        s.student_number: s
        for s in Student.objects.filter(student_number__in=numbers).select_related("person")
    }
    unknown = [n for n in numbers if n not in students]
    other = [n for n in numbers if n in students and students[n].program_id != year.program_id]
    inactive = [
        n for n in numbers if n in students and n not in other and students[n].status != StudentStatus.ACTIVE
    ]
    errors = []
    if unknown:
        errors.append(_("No student has the number: %(numbers)s.") % {"numbers": _listed(unknown)})
    if other:
        errors.append(_("These students are in another program: %(numbers)s.") % {"numbers": _listed(other)})
    if inactive:
        errors.append(
            _("These students are not active (on leave, withdrawn or graduated): %(numbers)s.")
            % {"numbers": _listed(inactive)}
        )
    if errors:
        raise ValidationError({"student_numbers": errors})
    enrolled = set(
        LearnerEnrollment.objects.filter(year=year, student__student_number__in=numbers).values_list(
            "student__student_number", flat=True
        )
    )
    added = []
    try:
        with audit_context(actor=actor, reason=_("Learners enrolled")), transaction.atomic():
            for number in numbers:
                if number not in enrolled:
                    added.append(
                        LearnerEnrollment.objects.create(year=year, student=students[number], phase=phase)
                    )
    except IntegrityError as exc:  # a concurrent enrolment of one of them won
        raise ValidationError(
            {"student_numbers": _("Someone enrolled some of these students at the same time; try again.")}
        ) from exc
    return Enrolled(added=added, already=[n for n in numbers if n in enrolled])


@transaction.atomic
def enrollment_set_eligibility(
    *, enrollment: LearnerEnrollment, is_eligible: bool, reason: str = "", actor: Any = None
) -> LearnerEnrollment:
    """Mark a learner (in)eligible for the year's rotations; ineligibility needs its reason (the
    comprehensive exam not yet passed, a phase not reached). Later runs leave them out; a published
    schedule changes only through a run or a re-plan."""
    reason = normalize_persian(reason).strip()
    if not is_eligible and not reason:
        raise ValidationError({"reason": _("Say why the learner is not eligible.")})
    with audit_context(actor=actor, reason=_("Eligibility changed")):
        enrollment.is_eligible = is_eligible
        enrollment.eligibility_reason = "" if is_eligible else reason[:200]
        enrollment.save()
    return enrollment


def _published_placement(enrollment: LearnerEnrollment, block: Block) -> Assignment | None:
    return (
        Assignment.objects.filter(
            run__year_id=enrollment.year_id,
            run__published=True,
            enrollment=enrollment,
            start__lte=block.number,
            end__gte=block.number,
        )
        .select_related("rotation", "site")
        .first()
    )


@transaction.atomic
def leave_add(
    *, enrollment: LearnerEnrollment, block: Block, reason: str = "", actor: Any = None
) -> LearnerLeave:
    """Record a learner's leave in a block before the schedule places them there. Where the
    published schedule already does, the leave is a re-plan event (it moves them), not this."""
    if block.year_id != enrollment.year_id:
        raise ValidationError({"block": _("The block is not in the learner's year.")})
    taken = ValidationError(
        {"block": _("%(learner)s already has leave in this block.") % {"learner": enrollment}}
    )
    if LearnerLeave.objects.filter(enrollment=enrollment, block=block).exists():
        raise taken
    placed = _published_placement(enrollment, block)
    if placed is not None:
        raise ValidationError(
            {
                "block": _(
                    "%(learner)s is at %(site)s for %(rotation)s in block %(block)s of the published "
                    "schedule: record this leave as a re-plan event, which moves them."
                )
                % {
                    "learner": enrollment,
                    "site": placed.site,
                    "rotation": placed.rotation,
                    "block": number_label(block.number),
                }
            }
        )
    try:
        with audit_context(actor=actor, reason=_("Leave recorded")), transaction.atomic():
            return LearnerLeave.objects.create(
                enrollment=enrollment, block=block, reason=normalize_persian(reason).strip()[:200]
            )
    except IntegrityError as exc:
        raise taken from exc


@transaction.atomic
def leave_remove(*, leave: LearnerLeave, actor: Any = None) -> None:
    with audit_context(actor=actor, reason=_("Leave removed")):
        leave.delete()
