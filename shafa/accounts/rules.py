"""Role predicates (django-rules). Object-level rules live in the app that owns the object."""

from __future__ import annotations

import rules

from .models import Role


def _role(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role_{role}")
    def check(user: object) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)  # type: ignore[attr-defined]

    return check


is_registrar = _role(Role.REGISTRAR)
is_leadership = _role(Role.LEADERSHIP)
is_faculty = _role(Role.FACULTY)
is_student = _role(Role.STUDENT)
is_clinical_coordinator = _role(Role.CLINICAL_COORDINATOR)
is_preceptor = _role(Role.PRECEPTOR)
is_research_office = _role(Role.RESEARCH_OFFICE)
is_graduates_office = _role(Role.GRADUATES_OFFICE)
is_administrator = _role(Role.ADMINISTRATOR)

# Offices that read institution-wide people records.
is_office = is_registrar | is_leadership | is_administrator | is_graduates_office | is_research_office

rules.add_perm("accounts.view_audit", is_administrator)
rules.add_perm("accounts.manage_users", is_administrator)
