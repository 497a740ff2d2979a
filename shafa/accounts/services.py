"""Writes on accounts: users and their roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shafa.core.audit import audit_record

from .models import Role, RoleAssignment, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    roles: Iterable[str] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "fa",
) -> User:
    """Create a user with roles; an unknown role or a taken username is refused, nothing is saved."""
    roles = list(roles)
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(roles)s") % {"roles": ", ".join(unknown)}})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=role) for role in roles])
    audit_record(action="create", instance=user, changes={"roles": [None, sorted(roles)]})
    return user


@transaction.atomic
def role_grant(*, user: User, role: str, reason: str = "") -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(roles)s") % {"roles": role}})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role)
    if created:
        audit_record(action="update", instance=user, changes={"role_granted": [None, role]}, reason=reason)
    user.__dict__.pop("role_set", None)
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str, reason: str = "") -> None:
    deleted, _count = RoleAssignment.objects.filter(user=user, role=role).delete()
    if deleted:
        audit_record(action="update", instance=user, changes={"role_revoked": [role, None]}, reason=reason)
    user.__dict__.pop("role_set", None)
