"""Reads of accounts: users and their roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from .models import Role, RoleAssignment, User


def user_counts_by_role() -> list[dict[str, Any]]:
    """Active users per role, in the order of Role, with the role's label."""
    counts = dict(
        RoleAssignment.objects.filter(user__is_active=True)
        .values_list("role")
        .annotate(total=Count("id"))
        .values_list("role", "total")
    )
    return [{"role": r.value, "label": r.label, "count": counts.get(r.value, 0)} for r in Role]


def user_count_active() -> int:
    return User.objects.filter(is_active=True).count()
