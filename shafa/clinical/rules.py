"""Clinical permissions (django-rules): the coordinator manages; learners and sites see their own."""

from __future__ import annotations

from typing import Any

import rules

from shafa.accounts.rules import is_administrator, is_clinical_coordinator, is_preceptor, is_student

from .access import site_scope

is_clinical_manager = is_clinical_coordinator | is_administrator


@rules.predicate
def is_own_enrollment(user: Any, enrollment: Any) -> bool:
    if enrollment is None:
        return False
    return enrollment.student.person.user_id == getattr(user, "pk", None)


@rules.predicate
def is_site_preceptor(user: Any, site: Any) -> bool:
    if site is None:
        return False
    scope = site_scope(user)
    if scope is None:
        return True
    return type(site).objects.filter(scope, pk=site.pk).exists()


rules.add_perm("clinical.manage", is_clinical_manager)
rules.add_perm("clinical.view_my_schedule", is_student)
rules.add_perm("clinical.view_site_schedules", is_preceptor | is_clinical_manager)
rules.add_perm("clinical.view_site_schedule", is_clinical_manager | is_site_preceptor)
rules.add_perm("clinical.view_enrollment", is_clinical_manager | is_own_enrollment)
rules.add_perm("clinical.request_swap", is_own_enrollment)
