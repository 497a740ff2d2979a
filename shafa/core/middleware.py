"""Request middleware: attribute audited writes of a request to its user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import audit_context


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # request.user is lazy; audit_context resolves it only when a write is recorded.
        with audit_context(actor=_LazyUser(request)):
            return self.get_response(request)


class _LazyUser:
    """Resolves request.user at audit time (API token auth sets it after middleware runs)."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def resolve(self) -> object:
        return getattr(self._request, "user", None)


class PersianFirstMiddleware:
    """Persian is the UI's default whatever the browser asks for; English is chosen by the switch.

    Web pages ignore Accept-Language until the user picks a language (the language cookie). The
    API keeps honouring Accept-Language, so clients get errors in the language they ask for.
    Runs before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
