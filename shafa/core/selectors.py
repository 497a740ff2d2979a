"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_event_list(
    *,
    model_label: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered by record type, actor's username and local date."""
    qs = AuditEvent.objects.select_related("actor")
    if model_label:
        qs = qs.filter(model_label=model_label)
    if actor:
        qs = qs.filter(actor__username__iexact=actor.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.order_by("-at", "-id")


def audit_record_types() -> list[str]:
    """The record types that have audit events (for the filter)."""
    return list(AuditEvent.objects.order_by("model_label").values_list("model_label", flat=True).distinct())


def audit_event_recent(limit: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.select_related("actor").order_by("-at", "-id")[:limit])
