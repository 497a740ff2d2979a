"""Who may do what with courses, sections and registrations (django-rules)."""

from __future__ import annotations

from typing import Any

import rules

from shafa.accounts.rules import is_administrator, is_leadership, is_registrar, is_student

is_registrar_office = is_registrar | is_administrator


@rules.predicate
def owns_registration(user: Any, registration: Any) -> bool:
    if registration is None:
        return False
    return registration.student.person.user_id == user.pk


rules.add_perm("academics.view_catalog", rules.is_authenticated)
rules.add_perm("academics.register", is_student)
rules.add_perm("academics.view_registration", owns_registration | is_registrar_office | is_leadership)
rules.add_perm("academics.change_registration", owns_registration | is_registrar_office)
rules.add_perm("academics.manage_registration", is_registrar_office)
rules.add_perm("academics.view_registration_reports", is_registrar_office | is_leadership)
