"""Object-level permissions on people records (django-rules), from the same scopes as the selectors."""

from __future__ import annotations

from typing import Any

import rules

from shafa.accounts.rules import is_administrator, is_office, is_registrar

from .access import student_scope


@rules.predicate
def can_see_student(user: Any, student: Any) -> bool:
    if student is None:
        return bool(getattr(user, "is_authenticated", False))
    scope = student_scope(user)
    if scope is None:
        return True
    return type(student).objects.filter(scope, pk=student.pk).exists()


rules.add_perm("people.view_student", can_see_student)
rules.add_perm("people.list_students", is_office | rules.is_authenticated)
rules.add_perm("people.change_student", is_registrar | is_administrator)
rules.add_perm("people.add_student", is_registrar | is_administrator)
rules.add_perm("people.view_facultymember", rules.is_authenticated)
rules.add_perm("people.view_preceptor", rules.is_authenticated)
rules.add_perm("people.view_office_lists", is_office)
