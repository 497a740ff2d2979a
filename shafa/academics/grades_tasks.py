"""Celery tasks of grades and transcripts: thin, idempotent wrappers around services.

Celery's autodiscovery looks for `tasks` modules: `shafa/academics/tasks.py` (or the Celery app)
should import this module so a worker knows the task.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="academics.transcript_batch_execute", acks_late=True)
def transcript_batch_execute(batch_id: int) -> None:
    from shafa.academics.services.transcripts import transcript_batch_run

    transcript_batch_run(batch_id)
