"""Reads of faculty members, staff and preceptors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shafa.people.access import faculty_scope, preceptor_scope
from shafa.people.models import FacultyMember, Preceptor


def faculty_list_visible_to(user: Any, *, department_id: int | None = None) -> QuerySet[FacultyMember]:
    qs = FacultyMember.objects.select_related("person", "department", "department__school")
    scope = faculty_scope(user)
    if scope is not None:
        qs = qs.filter(scope)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.order_by("person__last_name_fa", "id")


def faculty_of_user(user: Any) -> FacultyMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return FacultyMember.objects.select_related("person", "department").filter(person__user=user).first()


def preceptor_list_visible_to(user: Any, *, site_id: int | None = None) -> QuerySet[Preceptor]:
    qs = Preceptor.objects.select_related("person", "site", "site__county")
    scope = preceptor_scope(user)
    if scope is not None:
        qs = qs.filter(scope).distinct()
    if site_id:
        qs = qs.filter(site_id=site_id)
    return qs.order_by("site__name_fa", "person__last_name_fa", "id")


def preceptor_sites_of_user(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Preceptor.objects.filter(person__user=user, is_active=True).values_list("site_id", flat=True))
