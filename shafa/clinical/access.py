"""Who sees which clinical schedules: one definition for selectors (lists) and rules (objects).

A learner sees their own placements; a preceptor sees the learners placed at their sites by the
published schedule; the coordinator (and the administrator) sees everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shafa.accounts.models import Role

MANAGER_ROLES = (Role.CLINICAL_COORDINATOR, Role.ADMINISTRATOR)


def is_manager(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*MANAGER_ROLES)


def preceptor_learner_scope(user: Any) -> Q:
    """Students placed (published schedule) at a site where `user` is an active preceptor.

    Registered with `shafa.people.access.register_learner_scope`; one filter, so both
    conditions bind to the same assignment.
    """
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.PRECEPTOR):
        return Q(pk__in=[])
    return Q(
        clinical_enrollments__assignments__run__published=True,
        clinical_enrollments__assignments__site__preceptors__person__user=user,
        clinical_enrollments__assignments__site__preceptors__is_active=True,
    )


def site_scope(user: Any) -> Q | None:
    """A filter on ClinicalSite for the sites whose schedule `user` may see; None means all."""
    if is_manager(user):
        return None
    if getattr(user, "is_authenticated", False) and user.has_role(Role.PRECEPTOR):
        return Q(preceptors__person__user=user, preceptors__is_active=True)
    return Q(pk__in=[])


def assignment_scope(user: Any) -> Q | None:
    """A filter on Assignment: managers all; learners their own; preceptors their sites' (published)."""
    if is_manager(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    scope = Q(enrollment__student__person__user=user, run__published=True)
    if user.has_role(Role.PRECEPTOR):
        scope |= Q(run__published=True, site__preceptors__person__user=user, site__preceptors__is_active=True)
    return scope
