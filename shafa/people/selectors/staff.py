"""Reads of faculty members, staff and preceptors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from shafa.core.text import normalize_number, normalize_persian
from shafa.people.access import faculty_scope, preceptor_scope
from shafa.people.models import FacultyMember, FacultyRank, Preceptor


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


def faculty_get_visible_to(user: Any, pk: int) -> FacultyMember | None:
    return faculty_list_visible_to(user).filter(pk=pk).first()


def faculty_list_search(
    user: Any, *, search: str = "", department_id: int | None = None, rank: str = ""
) -> QuerySet[FacultyMember]:
    """Faculty visible to `user`, filtered by a name (any script) or employee number, and rank."""
    qs = faculty_list_visible_to(user, department_id=department_id)
    if search:
        text = normalize_persian(search)
        number = normalize_number(search)
        condition = (
            Q(person__last_name_fa__icontains=text)
            | Q(person__first_name_fa__icontains=text)
            | Q(person__last_name_en__icontains=search)
        )
        if number.isdigit():
            condition |= Q(employee_number__startswith=number)
        qs = qs.filter(condition)
    if rank:
        qs = qs.filter(rank=rank)
    return qs


def faculty_counts_by_rank() -> list[dict[str, Any]]:
    """Active faculty per rank, with how many have an ORCID iD (the research office's view)."""
    rows = dict(
        FacultyMember.objects.filter(is_active=True)
        .values_list("rank")
        .annotate(total=Count("id"))
        .values_list("rank", "total")
    )
    orcid = dict(
        FacultyMember.objects.filter(is_active=True)
        .exclude(orcid="")
        .values_list("rank")
        .annotate(total=Count("id"))
        .values_list("rank", "total")
    )
    return [
        {
            "rank": r.value,
            "label": r.label,
            "count": rows.get(r.value, 0),
            "with_orcid": orcid.get(r.value, 0),
        }
        for r in FacultyRank
    ]


def preceptor_search(user: Any, *, search: str = "", site_id: int | None = None) -> QuerySet[Preceptor]:
    qs = preceptor_list_visible_to(user, site_id=site_id)
    if search:
        text = normalize_persian(search)
        qs = qs.filter(
            Q(person__last_name_fa__icontains=text)
            | Q(person__first_name_fa__icontains=text)
            | Q(person__last_name_en__icontains=search)
            | Q(site__name_fa__icontains=text)
        )
    return qs


def preceptorships_of_user(user: Any) -> QuerySet[Preceptor]:
    """The sites where `user` is an active preceptor."""
    if not getattr(user, "is_authenticated", False):
        return Preceptor.objects.none()
    return (
        Preceptor.objects.select_related("site", "site__county")
        .filter(person__user=user, is_active=True)
        .order_by("site__name_fa")
    )
