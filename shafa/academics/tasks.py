"""Celery discovers tasks in `tasks` modules: the academics jobs."""

from celery import shared_task

from .grades_tasks import transcript_batch_execute  # noqa: F401


@shared_task(name="academics.ledgers_refresh", acks_late=True)
def ledgers_refresh_execute(program_id: int) -> int:
    """Work out again the prepared credit limits of a program whose policy changed."""
    from shafa.academics.services.registration import ledgers_refresh_for_program

    return ledgers_refresh_for_program(program_id)


@shared_task(name="academics.ledgers_prepare", acks_late=True)
def ledgers_prepare_execute(window_id: int) -> int:
    """Work out the credit limits of the students a new registration window covers."""
    from shafa.academics.services.registration import ledgers_prepare_for_window

    return ledgers_prepare_for_window(window_id)
