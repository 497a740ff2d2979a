"""Token authentication with the token, its user and the user's roles read by one fixed statement.

Every API request of registration day authenticates and then checks a role, so DRF's
`select_related("user").get(key=…)` and the role query become one read written once (see
`shafa.core.sql`); the rules are DRF's own."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from shafa.accounts.models import RoleAssignment, User
from shafa.core.sql import attnames_of, fetch_rows, instance_from_row, select_list, table


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        rows = fetch_rows(
            f"SELECT {select_list('t', Token)}, {select_list('u', User)}, r.role"
            f" FROM {table(Token)} t JOIN {table(User)} u ON u.id = t.user_id"
            f" LEFT JOIN {table(RoleAssignment)} r ON r.user_id = u.id WHERE t.key = %s",
            [key],
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        split = len(attnames_of(Token))
        token = instance_from_row(Token, rows[0][:split])
        user = instance_from_row(User, rows[0][split:-1])
        user.__dict__["role_set"] = frozenset(row[-1] for row in rows if row[-1] is not None)
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
