"""API errors in the user's language, with field-level details and a stable code.

Two shapes, as clients of Django REST framework expect:

* 400 validation errors: ``{"<field>": ["message", ...], "non_field_errors": [...]}``, the
  messages in the request's language (Accept-Language, or the language cookie).
* every other error: ``{"detail": "message", "code": "not_found"}``; ``code`` is stable and
  never translated, so a client branches on it and shows ``detail``.

A Django ``ValidationError`` raised by a service becomes a 400 in the first shape, so services
keep their rules and views never translate errors themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _as_drf_validation_error(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            detail.setdefault(key, []).extend(messages)
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = _as_drf_validation_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None or isinstance(exc, exceptions.ValidationError):
        return response
    if isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data["code"] = str(code)
    return response
