"""The clinical background jobs (solver runs) and their progress ticker; the mode and the thread
wrapper are shafa.core.jobs'. A solver run in "sync" mode runs at once, not after the commit (the
coordinator's request waits for it in tests)."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection

from shafa.core.jobs import jobs_mode, run_after_commit

__all__ = ["ProgressTicker", "enqueue_solver_run", "jobs_mode"]


def enqueue_solver_run(run_id: int) -> None:
    """Start the solver run `run_id` in the background once the current transaction commits."""
    from .runs import run_execute

    if jobs_mode() == "sync":
        run_execute(run_id)
        return

    def task() -> Any:
        from shafa.clinical.tasks import solver_run_execute

        return solver_run_execute

    run_after_commit(run_execute, run_id, task=task, name=f"shafa-run-{run_id}")


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
