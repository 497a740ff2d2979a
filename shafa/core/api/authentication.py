"""Token authentication with the token and its user read by one fixed statement.

Every API request of registration day authenticates, so DRF's `select_related("user").get(key=…)`
is replaced by the same read written once (see `shafa.core.sql`); the rules are DRF's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from shafa.core.sql import attnames_of, fetch_rows, instance_from_row, select_list, table


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user_model = get_user_model()
        rows = fetch_rows(
            f"SELECT {select_list('t', Token)}, {select_list('u', user_model)}"
            f" FROM {table(Token)} t JOIN {table(user_model)} u ON u.id = t.user_id WHERE t.key = %s",
            [key],
        )
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        split = len(attnames_of(Token))
        token = instance_from_row(Token, rows[0][:split])
        user = instance_from_row(user_model, rows[0][split:])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
