"""Audit: who changed what, when and why — recorded in the same transaction as the change.

`AuditedModel` records every create, update and delete of its subclasses as an `AuditEvent`.
The actor and the reason come from `audit_context(...)` (services, commands) or, for web and
API requests, from `AuditActorMiddleware`. Bulk loads bypass model saves and record one event
describing the load (see `audit_record`).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .sql import db_datetime, execute, table

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("shafa_audit_actor", default=None)
_reason: contextvars.ContextVar[str] = contextvars.ContextVar("shafa_audit_reason", default="")

AUDIT_EXCLUDED_FIELDS = {"password", "last_login", "updated_at", "created_at"}


@contextlib.contextmanager
def audit_context(*, actor: Any = None, reason: str = "") -> Iterator[None]:
    """Attribute the audited writes inside the block to `actor`, with `reason`."""
    actor_token = _actor.set(actor if actor is not None else _actor.get())
    reason_token = _reason.set(reason or _reason.get())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _reason.reset(reason_token)


def current_actor() -> Any:
    actor = _actor.get()
    resolve = getattr(actor, "resolve", None)
    if callable(resolve):
        actor = resolve()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def field_snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's loaded field values (deferred fields are left out, never fetched)."""
    data: dict[str, Any] = {}
    deferred = instance.get_deferred_fields()
    for field in instance._meta.concrete_fields:
        if field.name in AUDIT_EXCLUDED_FIELDS or field.attname in deferred:
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def audit_record(
    *,
    action: str,
    instance: models.Model | None = None,
    model_label: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """Write one audit event now (inside the caller's transaction)."""
    if instance is not None:
        model_label = instance._meta.label
        object_id = str(instance.pk)
        object_repr = str(instance)[:200]
    _insert_events([(action, model_label, object_id, object_repr, changes)], reason)


def audit_records(action: str, events: list[tuple[models.Model, dict[str, Any]]], reason: str = "") -> None:
    """Write one audit event per (instance, changes) in one statement (a batch of like writes)."""
    _insert_events(
        [
            (action, instance._meta.label, str(instance.pk), str(instance)[:200], changes)
            for instance, changes in events
        ],
        reason,
    )


def _insert_events(events: list[tuple[str, str, str, str, dict[str, Any] | None]], reason: str) -> None:
    from .models import AuditEvent

    if not events:
        return
    actor = current_actor()
    actor_id = actor.pk if actor is not None else None
    at = db_datetime(timezone.now())
    reason = reason or _reason.get()
    # Fixed INSERTs (every audited write pays for one; see shafa.core.sql), as the ORM writes them.
    params: list[Any] = []
    for action, model_label, object_id, object_repr, changes in events:
        params += [
            at,
            actor_id,
            action,
            model_label,
            object_id,
            object_repr,
            json.dumps(changes or {}),
            reason,
        ]
    execute(
        f"INSERT INTO {table(AuditEvent)}"
        " (at, actor_id, action, model_label, object_id, object_repr, changes, reason)"
        f" VALUES {', '.join(['(%s, %s, %s, %s, %s, %s, %s, %s)'] * len(events))}",
        params,
    )


class AuditedModel(models.Model):
    """A model whose every create, update and delete is recorded as an AuditEvent."""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        # Keep the loaded values as they came (cheap); the diff is computed only on save.
        # Deferred fields are absent from field_names, so nothing is fetched here.
        instance.__dict__["_audit_loaded_raw"] = (field_names, values)
        return instance

    def _audit_before(self) -> dict[str, Any]:
        loaded = self.__dict__.get("_audit_loaded")
        if loaded is not None:
            return loaded
        raw = self.__dict__.get("_audit_loaded_raw")
        if raw is None:
            return {}
        names, values = raw
        return {
            name: _jsonable(value)
            for name, value in zip(names, values, strict=False)
            if name not in AUDIT_EXCLUDED_FIELDS
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            after = field_snapshot(self)
            if creating:
                changes = {key: [None, value] for key, value in after.items() if value not in (None, "")}
                audit_record(action="create", instance=self, changes=changes)
            else:
                before = self._audit_before()
                changes = {
                    key: [before.get(key), value]
                    for key, value in after.items()
                    if key in before and before.get(key) != value
                }
                if changes or not before:
                    audit_record(action="update", instance=self, changes=changes)
        self._audit_loaded = after

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            snapshot = field_snapshot(self)
            label, pk, text = self._meta.label, str(self.pk), str(self)[:200]
            result = super().delete(*args, **kwargs)
            audit_record(
                action="delete",
                model_label=label,
                object_id=pk,
                object_repr=text,
                changes={key: [value, None] for key, value in snapshot.items()},
            )
        return result
