"""Hooks for pages that core serves but other apps fill: the home dashboard and the About page.

core sits below every app (DESIGN: module direction), so it knows no roles, students or sites.
Apps register a panel per role (shown to users who hold that role) and About sections in their
AppConfig.ready(), as they register navigation entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    role: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    order: int = 100


_panels: dict[str, DashboardPanel] = {}
_about_providers: dict[str, Callable[[], dict[str, Any]]] = {}


def register_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def panels_for(user: Any) -> list[dict[str, Any]]:
    """The panels of the roles `user` holds, each with its context built."""
    panels = []
    for panel in sorted(_panels.values(), key=lambda item: (item.order, item.key)):
        if user.has_role(panel.role):
            panels.append({"name": panel.key, "template": panel.template, **panel.context(user)})
    return panels


def register_about(key: str, provider: Callable[[], dict[str, Any]]) -> None:
    """Add context to the public About page (no user: the page is public)."""
    _about_providers[key] = provider


def about_context() -> dict[str, Any]:
    context: dict[str, Any] = {}
    for key in sorted(_about_providers):
        context.update(_about_providers[key]())
    return context
