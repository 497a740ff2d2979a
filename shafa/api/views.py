"""Views of the API itself (its documentation pages)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularRedocView

__all__ = ["OfflineRedocView"]


class OfflineRedocView(SpectacularRedocView):
    """ReDoc from the sidecar's static files, without the web fonts the stock page fetches."""

    template_name = "api/redoc.html"
