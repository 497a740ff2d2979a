"""Refusals of the token sign-in, as API errors with stable codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.settings import api_settings


class LockedOut(exceptions.Throttled):
    """Too many failed sign-ins (django-axes): refused even with the right password for a while."""

    default_detail = _("Too many failed sign-in attempts: this account is locked for a while.")
    default_code = "locked_out"


def bad_credentials() -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {api_settings.NON_FIELD_ERRORS_KEY: [_("Wrong username or password.")]}, code="authorization"
    )


def otp_required() -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {"otp_token": [_("Enter the current one-time code from your authenticator app.")]}, code="otp"
    )
