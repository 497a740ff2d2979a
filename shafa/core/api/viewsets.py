"""Read-only viewsets whose list filters are a validated serializer (shared by every app's API)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    # List and detail; `filter_input_serializer_class` validates the list's query parameters.
    # (A comment, not a docstring: the schema would show it on every subclass's operations.)

    filter_input_serializer_class: type[serializers.Serializer] | None = None

    def list_filters(self) -> dict[str, Any]:
        if self.action != "list" or self.filter_input_serializer_class is None:
            return {}
        params = self.filter_input_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)
