"""Views of the API itself (its documentation pages)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularRedocView

# Moved to shafa.core.api.viewsets (apps below shafa.api may not import it); kept for old imports.
from shafa.core.api.viewsets import ReadOnlyViewSet

__all__ = ["OfflineRedocView", "ReadOnlyViewSet"]


class OfflineRedocView(SpectacularRedocView):
    """ReDoc from the sidecar's static files, without the web fonts the stock page fetches."""

    template_name = "api/redoc.html"
