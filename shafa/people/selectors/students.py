"""Reads of students shared by the UI, the API and exports."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shafa.core.text import normalize_number, normalize_persian
from shafa.people.access import student_scope
from shafa.people.models import Student


def student_list_visible_to(user: Any, *, search: str = "", program_id: int | None = None,
                            status: str = "") -> QuerySet[Student]:
    """Students `user` may see, with what list pages show already joined."""
    qs = Student.objects.select_related(
        "person", "program", "program__school", "entry_term", "advisor__person"
    )
    scope = student_scope(user)
    if scope is not None:
        qs = qs.filter(scope).distinct()
    if search:
        text = normalize_persian(search)
        number = normalize_number(search)
        condition = (
            Q(person__last_name_fa__icontains=text)
            | Q(person__first_name_fa__icontains=text)
            | Q(person__last_name_en__icontains=text)
        )
        if number.isdigit():
            condition |= Q(student_number__startswith=number)
        qs = qs.filter(condition)
    if program_id:
        qs = qs.filter(program_id=program_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("student_number")


def student_get_visible_to(user: Any, pk: int) -> Student | None:
    return student_list_visible_to(user).filter(pk=pk).first()


def student_of_user(user: Any) -> Student | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Student.objects.select_related("person", "program", "entry_term").filter(person__user=user).first()
