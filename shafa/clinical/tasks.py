"""Celery tasks: thin, idempotent wrappers around services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="clinical.solver_run_execute", acks_late=True)
def solver_run_execute(run_id: int) -> None:
    from shafa.clinical.services.runs import run_execute

    run_execute(run_id)
