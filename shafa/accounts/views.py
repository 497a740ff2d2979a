"""Sign in (password, then a TOTP code for users who enrolled one), sign out, and the Security page."""

from __future__ import annotations

import base64
from typing import cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shafa.core.audit import audit_record
from shafa.core.selectors import audit_event_recent

from .forms import LoginForm, TokenForm
from .models import User
from .selectors import user_count_active, user_counts_by_role

PENDING_USER = "shafa_mfa_user"
PENDING_BACKEND = "shafa_mfa_backend"
PENDING_NEXT = "shafa_mfa_next"


def _confirmed_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


def _verify(devices: list[TOTPDevice], token: str) -> TOTPDevice | None:
    """The device that accepts `token` (each device throttles its own failures)."""
    for device in devices:
        allowed, _data = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if _confirmed_devices(user):
            # The password was right; the session is not signed in until the code is.
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_BACKEND] = getattr(user, "backend", None)
            self.request.session[PENDING_NEXT] = self.get_success_url()
            return redirect("accounts:login_verify")
        return super().form_valid(form)


def login_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the user's authenticator app."""
    user_id = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verify(_confirmed_devices(user), form.cleaned_data["token"])
        if device is not None:
            backend = request.session.get(PENDING_BACKEND)
            next_url = request.session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT):
                request.session.pop(key, None)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = settings.LOGIN_REDIRECT_URL
            return redirect(next_url)
        form.add_error("token", _("That code is not right, or it has expired. Try the current code."))
    return render(request, "accounts/login_verify.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Two-step verification: enrol an authenticator app, confirm it, or turn it off."""
    user = cast(User, request.user)
    devices = list(TOTPDevice.objects.filter(user=user))
    confirmed = next((device for device in devices if device.confirmed), None)
    pending = next((device for device in devices if not device.confirmed), None)
    context = {
        "may_enrol": user.is_staff_role,
        "confirmed": confirmed,
        "pending": pending,
        "form": TokenForm(),
        "verified": user.is_verified() if hasattr(user, "is_verified") else False,
    }
    if pending is not None:
        context["qr_svg"] = mark_safe(_qr_svg(pending.config_url))
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def security_enrol(request: HttpRequest) -> HttpResponse:
    """Start enrolment (a new secret), or confirm it with the first code the app shows."""
    user = cast(User, request.user)
    if not user.is_staff_role:
        raise PermissionDenied
    if "token" not in request.POST:
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        return redirect("accounts:security")
    form = TokenForm(request.POST)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is None:
        return redirect("accounts:security")
    if form.is_valid() and _verify([pending], form.cleaned_data["token"]):
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            audit_record(
                action="update",
                instance=user,
                changes={"two_step": [False, True]},
                reason=_("Two-step verification turned on"),
            )
        otp_login(request, pending)
        messages.success(
            request, _("Two-step verification is on. You will be asked for a code when you log in.")
        )
        return redirect("accounts:security")
    messages.error(request, _("That code is not right, or it has expired. Try the current code."))
    return redirect("accounts:security")


@login_required
@require_POST
def security_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-step verification off; a current code proves the user still holds the device."""
    user = cast(User, request.user)
    if not user.is_staff_role:
        raise PermissionDenied
    form = TokenForm(request.POST)
    devices = _confirmed_devices(user)
    if devices and form.is_valid() and _verify(devices, form.cleaned_data["token"]):
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            audit_record(
                action="update",
                instance=user,
                changes={"two_step": [True, False]},
                reason=_("Two-step verification turned off"),
            )
        messages.success(request, _("Two-step verification is off."))
    else:
        messages.error(request, _("That code is not right, or it has expired. Try the current code."))
    return redirect("accounts:security")


def administrator_panel(user: User) -> dict[str, object]:
    """Users by role and the latest audited changes (the administrator's dashboard)."""
    return {"by_role": user_counts_by_role(), "users": user_count_active(), "events": audit_event_recent(10)}
