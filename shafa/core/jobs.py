"""Background jobs: Celery in production, a daemon thread in the embedded default, inline in tests.

`SHAFA_JOBS_MODE` = "celery" | "thread" | "sync"; by default "thread" when Celery runs eagerly
(no broker: the web request must still return at once) and "celery" otherwise.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)


def jobs_mode() -> str:
    default = "thread" if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) else "celery"
    mode = getattr(settings, "SHAFA_JOBS_MODE", None) or default
    if mode not in ("celery", "thread", "sync"):
        raise ValueError(f"SHAFA_JOBS_MODE must be celery, thread or sync, not {mode!r}")
    return mode


def in_thread(func: Callable[[int], Any], arg: int) -> None:
    """Run `func(arg)` as a thread's whole life: its own database connection, closed at the end."""
    close_old_connections()
    try:
        func(arg)
    except Exception:  # the job records its own failure; this is the last resort
        logger.exception("background job %s(%s) failed", func.__name__, arg)
    finally:
        connection.close()


def run_after_commit(func: Callable[[int], Any], arg: int, *, task: Callable[[], Any], name: str) -> None:
    """Run `func(arg)` once the current transaction commits: inline ("sync"), in a daemon thread
    named `name` ("thread"), or as the Celery task `task()` returns ("celery"; imported late, so
    a worker-less process never loads Celery's task modules)."""
    mode = jobs_mode()
    if mode == "sync":
        transaction.on_commit(lambda: func(arg))
    elif mode == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=in_thread, args=(func, arg), name=name, daemon=True).start()
        )
    else:
        transaction.on_commit(lambda: task().delay(arg))
