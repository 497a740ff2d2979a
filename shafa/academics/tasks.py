"""Celery discovers tasks in `tasks` modules: the academics jobs."""

from .grades_tasks import transcript_batch_execute  # noqa: F401
