"""Admission control for the registration write path: shed excess load at once with 429.

A per-process gate (a semaphore acquired without blocking) wraps the views that write
registrations. When every slot is busy the request is answered immediately with 429 and
`Retry-After`, before authentication or any database work, so the requests already admitted
keep their latency instead of everyone slowing down together. Reads, reports and exports do not
pass through this gate, so they never queue behind (or in front of) registration writes.

The limit is per process: set `SHAFA_REGISTRATION_MAX_INFLIGHT` (settings or environment) to a
little below the threads a worker runs (gunicorn `--threads`), so a free thread is always left
to answer 429s quickly.

A request that finds every slot busy may wait a little for one (`SHAFA_REGISTRATION_QUEUE_MS`,
15 ms by default) if few others are already waiting (half the limit): at the gate's edge a slot
frees every few milliseconds, and a student turned away for want of those milliseconds would
come back only after `Retry-After`, leaving the slot idle meanwhile. The wait is short and the
queue small, so it cannot grow under overload; its price is a thread held while waiting (see
docs/adr/0002 for the measured trade-off; 0 refuses at once).

In production the reverse proxy refuses first (deploy/nginx, `shafa nginx_config`): nginx counts
the same writes across all workers and answers the excess before it reaches Python; this gate
is the second line, for requests that reach gunicorn directly or land unevenly on its workers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def _setting(name: str, default: int) -> int:
    """The Django setting, else the environment variable, else `default` (0 is a value, not unset)."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name, "")
    return int(value) if value != "" else default


class AdmissionGate:
    """A counting gate: `try_enter()` is True when a slot was free or freed within the short wait.

    At most `max_waiting` callers wait at once (for at most `wait_ms`); the others are refused
    at once.
    """

    def __init__(self, limit: int, wait_ms: int = 0, max_waiting: int | None = None) -> None:
        self.limit = limit
        self.wait = max(0, wait_ms) / 1000
        self.max_waiting = max(1, limit // 2) if max_waiting is None else max_waiting
        self._semaphore = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._waiting = 0

    def try_enter(self) -> bool:
        if self._semaphore.acquire(blocking=False):
            return True
        if not self.wait:
            return False
        with self._lock:
            if self._waiting >= self.max_waiting:
                return False
            self._waiting += 1
        try:
            return self._semaphore.acquire(timeout=self.wait)
        finally:
            with self._lock:
                self._waiting -= 1

    def leave(self) -> None:
        self._semaphore.release()


registration_gate = AdmissionGate(
    _setting("SHAFA_REGISTRATION_MAX_INFLIGHT", 4), wait_ms=_setting("SHAFA_REGISTRATION_QUEUE_MS", 15)
)
RETRY_AFTER_SECONDS = _setting("SHAFA_REGISTRATION_RETRY_AFTER", 2)


def overloaded_response(request: HttpRequest) -> HttpResponse:
    message = _("Registration is very busy right now; please try again in a few seconds.")
    if request.headers.get("HX-Request") or "text/html" in request.headers.get("Accept", ""):
        response: HttpResponse = HttpResponse(
            f'<p class="refusal" role="alert">{message}</p>',
            status=429,
            content_type="text/html; charset=utf-8",
        )
    else:
        response = JsonResponse({"detail": message, "code": "overloaded"}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def admission_controlled(
    gate: AdmissionGate = registration_gate,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Wrap a view: its writes run if the gate has room, else get 429 with Retry-After; reads pass."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in SAFE_METHODS:
                return view(request, *args, **kwargs)
            if not gate.try_enter():
                return overloaded_response(request)
            try:
                return view(request, *args, **kwargs)
            finally:
                gate.leave()

        # Marks the view as a registration write, for the check that the reverse proxy's list of
        # such URLs (deploy/nginx) matches the views gated here (tests/test_proxy.py).
        wrapped.admission_gate = gate  # type: ignore[attr-defined]
        return wrapped

    return decorator
