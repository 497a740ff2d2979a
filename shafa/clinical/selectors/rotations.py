"""Reads of programs' rotation types, elective groups and precedences."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from shafa.clinical.models import RotationGroup, RotationPrecedence, RotationType
from shafa.institution.models import Program


def programs_with_rotations() -> QuerySet[Program]:
    """Every program, with how many rotation types and groups it has."""
    return (
        Program.objects.select_related("school")
        .annotate(
            rotation_count=Count("rotation_types", distinct=True),
            group_count=Count("rotation_groups", distinct=True),
        )
        .order_by("-rotation_count", "code")
    )


def rotations_of_program(program: Program) -> QuerySet[RotationType]:
    return (
        RotationType.objects.filter(program=program)
        .select_related("group")
        .order_by("phase", "group__code", "code")
    )


def groups_of_program(program: Program) -> QuerySet[RotationGroup]:
    return (
        RotationGroup.objects.filter(program=program)
        .annotate(rotation_count=Count("rotations"))
        .order_by("phase", "code")
    )


def precedences_of_program(program: Program) -> QuerySet[RotationPrecedence]:
    return (
        RotationPrecedence.objects.filter(before__program=program)
        .select_related("before", "after")
        .order_by("before__phase", "before__code", "after__code")
    )
