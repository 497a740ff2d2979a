"""A program's rotation types, their elective groups and precedences."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shafa.clinical.models import Assignment, RotationGroup, RotationPrecedence, RotationType
from shafa.core.audit import audit_context
from shafa.core.text import normalize_persian
from shafa.institution.models import Program

MAX_DURATION = 26  # the model's check constraint
# What a schedule depends on: once a rotation is in a run, these stay as they were.
_SCHEDULED_FIELDS = ("phase", "duration_blocks", "group_id")


def _code(value: str) -> str:
    return value.strip().lower()


@transaction.atomic
def rotation_save(
    *,
    rotation: RotationType | None,
    program: Program,
    code: str,
    name_fa: str,
    name_en: str = "",
    phase: str,
    duration_blocks: int,
    group: RotationGroup | None = None,
    school_preference: int = 0,
    actor: Any = None,
) -> RotationType:
    """Create a rotation type of `program` (`rotation` None) or change one.

    Without a group it is required of every learner of its phase; a group makes it an elective
    of that group, which must be of the same program and phase. A rotation already placed in a
    solver run keeps its phase, duration and group (those runs were solved with them): change
    its names or the school's preference, or add a new rotation type."""
    code, name_fa = _code(code), normalize_persian(name_fa).strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("Give the rotation a code.")
    if not name_fa:
        errors["name_fa"] = _("Give the rotation's Persian name.")
    if not 1 <= duration_blocks <= MAX_DURATION:
        errors["duration_blocks"] = _("A rotation lasts between 1 and %(most)s blocks.") % {
            "most": MAX_DURATION
        }
    if group is not None and (group.program_id != program.pk or group.phase != phase):
        errors["group"] = _("The elective group must be of the same program and phase.")
    taken = RotationType.objects.filter(program=program, code=code)
    if rotation is not None:
        taken = taken.exclude(pk=rotation.pk)
    if code and taken.exists():
        errors["code"] = _("The program already has a rotation with this code.")
    if rotation is not None and rotation.program_id != program.pk:
        errors["program"] = _("The rotation belongs to another program.")
    if rotation is not None and Assignment.objects.filter(rotation=rotation).exists():
        wanted = {"phase": phase, "duration_blocks": duration_blocks, "group_id": group.pk if group else None}
        if any(getattr(rotation, field) != wanted[field] for field in _SCHEDULED_FIELDS):
            errors[NON_FIELD_ERRORS] = _(
                "%(rotation)s is already placed in solver runs: its phase, duration and group stay "
                "as they were. Add a new rotation type for the new rules."
            ) % {"rotation": rotation}
    if errors:
        raise ValidationError(errors)
    target = rotation or RotationType(program=program)
    target.code, target.name_fa, target.name_en = code, name_fa[:200], name_en.strip()[:200]
    target.phase, target.duration_blocks, target.group = phase, duration_blocks, group
    target.school_preference = school_preference
    try:
        with audit_context(actor=actor, reason=_("Rotation type saved")), transaction.atomic():
            target.save()
    except IntegrityError as exc:  # a concurrent save took the code first
        raise ValidationError({"code": _("The program already has a rotation with this code.")}) from exc
    return target


@transaction.atomic
def group_save(
    *,
    group: RotationGroup | None,
    program: Program,
    code: str,
    name_fa: str,
    name_en: str = "",
    phase: str,
    required_count: int,
    actor: Any = None,
) -> RotationGroup:
    """Create or change an elective group: a learner of `phase` takes `required_count` of its
    rotations. Its rotations stay of its phase."""
    code, name_fa = _code(code), normalize_persian(name_fa).strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = _("Give the group a code.")
    if not name_fa:
        errors["name_fa"] = _("Give the group's Persian name.")
    if required_count < 1:
        errors["required_count"] = _("A learner takes at least one rotation of a group.")
    taken = RotationGroup.objects.filter(program=program, code=code)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
        if group.rotations.exclude(phase=phase).exists():
            errors["phase"] = _("The group's rotations are of another phase.")
    if code and taken.exists():
        errors["code"] = _("The program already has a group with this code.")
    if errors:
        raise ValidationError(errors)
    target = group or RotationGroup(program=program)
    target.code, target.name_fa, target.name_en = code, name_fa[:200], name_en.strip()[:200]
    target.phase, target.required_count = phase, required_count
    try:
        with audit_context(actor=actor, reason=_("Elective group saved")), transaction.atomic():
            target.save()
    except IntegrityError as exc:
        raise ValidationError({"code": _("The program already has a group with this code.")}) from exc
    return target


def _reaches(start: int, goal: int, edges: dict[int, set[int]]) -> bool:
    """Whether `goal` can be reached from `start` along `edges` (before → after)."""
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


@transaction.atomic
def precedence_add(*, before: RotationType, after: RotationType, actor: Any = None) -> RotationPrecedence:
    """`before` must be completed before `after` starts; refused if it closes a cycle."""
    if before.program_id != after.program_id:
        raise ValidationError(_("Both rotations must be of the same program."))
    if before.pk == after.pk:
        raise ValidationError(_("A rotation cannot precede itself."))
    # Lock the program so two concurrent additions cannot close a cycle together.
    Program.objects.select_for_update().filter(pk=before.program_id).first()
    rows = RotationPrecedence.objects.filter(before__program_id=before.program_id)
    edges: dict[int, set[int]] = {}
    for b, a in rows.values_list("before_id", "after_id"):
        edges.setdefault(b, set()).add(a)
    if after.pk in edges.get(before.pk, set()):
        raise ValidationError(_("This precedence is already recorded."))
    if _reaches(after.pk, before.pk, edges):
        raise ValidationError(
            _("%(after)s already comes before %(before)s: this precedence would make a cycle.")
            % {"after": after, "before": before}
        )
    with audit_context(actor=actor, reason=_("Precedence added")):
        return RotationPrecedence.objects.create(before=before, after=after)


@transaction.atomic
def precedence_remove(*, precedence: RotationPrecedence, actor: Any = None) -> None:
    with audit_context(actor=actor, reason=_("Precedence removed")):
        precedence.delete()
