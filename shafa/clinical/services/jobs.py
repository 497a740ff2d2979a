"""Background jobs: Celery in production, a daemon thread in the embedded default, inline in tests.

`SHAFA_JOBS_MODE` = "celery" | "thread" | "sync"; by default "thread" when Celery runs eagerly
(no broker: the web request must still return at once) and "celery" otherwise.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)


def jobs_mode() -> str:
    default = "thread" if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) else "celery"
    mode = getattr(settings, "SHAFA_JOBS_MODE", None) or default
    if mode not in ("celery", "thread", "sync"):
        raise ValueError(f"SHAFA_JOBS_MODE must be celery, thread or sync, not {mode!r}")
    return mode


def _in_thread(func: Callable[[int], None], arg: int) -> None:
    close_old_connections()
    try:
        func(arg)
    except Exception:  # the job records its own failure; this is the last resort
        logger.exception("background job %s(%s) failed", func.__name__, arg)
    finally:
        connection.close()


def enqueue_solver_run(run_id: int) -> None:
    """Start the solver run `run_id` in the background once the current transaction commits."""
    from .runs import run_execute

    mode = jobs_mode()
    if mode == "sync":
        run_execute(run_id)
        return
    if mode == "thread":

        def start() -> None:
            threading.Thread(
                target=_in_thread, args=(run_execute, run_id), name=f"shafa-run-{run_id}", daemon=True
            ).start()

        transaction.on_commit(start)
        return
    from shafa.clinical.tasks import solver_run_execute

    transaction.on_commit(lambda: solver_run_execute.delay(run_id))


class ProgressTicker:
    """Moves a run's progress bar with the clock while the engine works (until its time limit,
    unless it proves optimality first; its best schedule so far is reported separately, runs.py)."""

    def __init__(self, run_id: int, seconds: float, start: int = 10, stop: int = 95) -> None:
        self.run_id, self.seconds, self.start, self.stop = run_id, max(seconds, 0.1), start, stop
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ProgressTicker:
        if jobs_mode() != "sync":
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _tick(self) -> None:
        import time

        from shafa.clinical.models import SolverRun

        began = time.monotonic()
        try:
            while not self._done.wait(1.0):
                share = min(1.0, (time.monotonic() - began) / self.seconds)
                value = int(self.start + (self.stop - self.start) * share)
                SolverRun.objects.filter(pk=self.run_id, progress__lt=value).update(progress=value)
        finally:
            connection.close()
