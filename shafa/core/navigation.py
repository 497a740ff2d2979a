"""Navigation by role: each app registers its menu entries with the permission that shows them.

core knows nothing of roles; apps register entries in their AppConfig.ready(), and a user sees
an entry when `user.has_perm(entry.permission)` (django-rules decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    permission: str | None
    icon: str = "circle"
    order: int = 100


_registry: dict[str, NavEntry] = {}


def register(entry: NavEntry) -> None:
    _registry[entry.key] = entry


def navigation_for(user: Any) -> list[dict[str, Any]]:
    items = []
    for entry in sorted(_registry.values(), key=lambda item: (item.order, item.key)):
        if entry.permission is not None and not user.has_perm(entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"key": entry.key, "label": entry.label, "url": url, "icon": entry.icon})
    return items
