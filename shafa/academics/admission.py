"""Admission control for the registration write path: shed excess load at once with 429.

A per-process gate (a semaphore acquired without blocking) wraps the views that write
registrations. When every slot is busy the request is answered immediately with 429 and
`Retry-After`, before authentication or any database work, so the requests already admitted
keep their latency instead of everyone slowing down together. Reads, reports and exports do not
pass through this gate, so they never queue behind (or in front of) registration writes.

The limit is per process: set `SHAFA_REGISTRATION_MAX_INFLIGHT` (settings or environment) to a
little below the threads a worker runs (gunicorn `--threads`), so a free thread is always left
to answer 429s quickly.
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
    return int(getattr(settings, name, None) or os.environ.get(name) or default)


class AdmissionGate:
    """A non-blocking counting gate: `try_enter()` is True when a slot was free."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphore = threading.BoundedSemaphore(limit)

    def try_enter(self) -> bool:
        return self._semaphore.acquire(blocking=False)

    def leave(self) -> None:
        self._semaphore.release()


registration_gate = AdmissionGate(_setting("SHAFA_REGISTRATION_MAX_INFLIGHT", 4))
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

        return wrapped

    return decorator
