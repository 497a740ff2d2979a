"""What every page needs: the direction of the active language and the navigation for the user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "page_dir": "rtl" if get_language_bidi() else "ltr",
        "page_lang": get_language() or "fa",
        "nav_items": navigation_for(user) if user is not None and user.is_authenticated else [],
    }
