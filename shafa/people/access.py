"""Who may see which people records: one definition used by selectors (lists) and rules (objects).

Apps above `people` widen access without `people` importing them: the clinical app registers
which learners a preceptor supervises (`register_learner_scope`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from shafa.accounts.models import Role

OFFICE_ROLES = (
    Role.REGISTRAR,
    Role.LEADERSHIP,
    Role.ADMINISTRATOR,
    Role.GRADUATES_OFFICE,
    Role.CLINICAL_COORDINATOR,
    Role.RESEARCH_OFFICE,
)
# Roles that may read a person's national code (the DESIGN: shown only to roles that need it).
NATIONAL_CODE_ROLES = (Role.REGISTRAR, Role.ADMINISTRATOR, Role.GRADUATES_OFFICE)

LearnerScope = Callable[[Any], Q]
_learner_scopes: list[LearnerScope] = []


def register_learner_scope(scope: LearnerScope) -> None:
    """Add a source of students a user may see (e.g. learners placed at a preceptor's site)."""
    if scope not in _learner_scopes:
        _learner_scopes.append(scope)


def student_scope(user: Any) -> Q | None:
    """A filter on Student for the students `user` may see; None means all of them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.has_role(*OFFICE_ROLES):
        return None
    scope = Q(person__user=user)
    if user.has_role(Role.FACULTY):
        scope |= Q(advisor__person__user=user)
    for extra in _learner_scopes:
        scope |= extra(user)
    return scope


def faculty_scope(user: Any) -> Q | None:
    """Faculty are listed for every signed-in member of the university (teachers are public)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return None


def preceptor_scope(user: Any) -> Q | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.has_role(*OFFICE_ROLES):
        return None
    if user.has_role(Role.PRECEPTOR):
        return Q(site__preceptors__person__user=user)
    return Q(pk__in=[])


def may_see_national_code(user: Any, person: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(*NATIONAL_CODE_ROLES) or (person.user_id is not None and person.user_id == user.pk)
