"""Permission checks for API views, through the same django-rules permissions the UI uses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

PERMISSION_MESSAGE = _("You do not have permission to do this.")


def require_perm(request: Request, perm: str, obj: Any = None) -> None:
    """Refuse (403) unless the signed-in user holds `perm` (a django-rules permission)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(PERMISSION_MESSAGE)
