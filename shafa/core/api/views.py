"""Audit events for administrators (`accounts.view_audit`)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from shafa.core.api.permissions import require_perm
from shafa.core.models import AuditEvent

from .serializers import AuditEventListInputSerializer, AuditEventOutputSerializer


def audit_event_list(
    *, model_label: str = "", object_id: str = "", actor_id: int | None = None, action: str = ""
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered. (Candidate for shafa/core/selectors.py.)"""
    qs = AuditEvent.objects.select_related("actor")
    if model_label:
        qs = qs.filter(model_label__iexact=model_label)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    return qs.order_by("-at", "-id")


class AuditEventListView(ListAPIView):
    """Who changed what, when and why; administrators only (others 403)."""

    serializer_class = AuditEventOutputSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        params = AuditEventListInputSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return audit_event_list(
            model_label=data.get("model_label", ""),
            object_id=data.get("object_id", ""),
            actor_id=data.get("actor"),
            action=data.get("action", ""),
        )

    @extend_schema(
        parameters=[AuditEventListInputSerializer], tags=["audit"], summary="Audit events (administrators)"
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        require_perm(request, "accounts.view_audit")
        return super().get(request, *args, **kwargs)
