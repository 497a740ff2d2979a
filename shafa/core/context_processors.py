"""What every page needs: the direction of the active language and the navigation for the user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_bidi

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "page_dir": "rtl" if get_language_bidi() else "ltr",
        "page_lang": get_language() or "fa",
        "nav_items": navigation_for(user) if user is not None and user.is_authenticated else [],
        # The university whose pages these are (name in the top bar, the demo banner); queried
        # only when a template reads it.
        "university": SimpleLazyObject(_current_university),
    }


def _current_university() -> Any:
    # By name, not import: core sits below institution (see DESIGN, module direction).
    from django.apps import apps

    return apps.get_model("institution", "University").objects.order_by("id").first()
