"""Logging in and out, the lockout after repeated failures, and two-step verification (TOTP)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shafa.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"  # the persona factories' password


def current_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now for `device` (computed from its key, as the app does)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0 - offset_steps * device.step,
        digits=device.digits,
        drift=device.drift,
    )
    return f"{value:0{device.digits}d}"


def test_login_page_is_public_and_persian(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_login_with_password_goes_home_and_logout_needs_post(client, student_sara):
    response = client.post(reverse("accounts:login"), {"username": "sara", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_wrong_password_shows_a_persian_error(client, student_sara):
    response = client.post(reverse("accounts:login"), {"username": "sara", "password": "nope"})
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه" in response.content.decode()


def test_five_failures_lock_the_account_and_say_when_to_try_again(client, student_sara):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "sara", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "sara", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert 'data-testid="locked-out"' in body
    assert "۳۰ دقیقه" in body  # 30 minutes, in Persian digits
    assert client.get(reverse("core:home")).status_code == 302  # not signed in


def test_lockout_message_in_english(client, student_sara):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _ in range(6):
        response = client.post(reverse("accounts:login"), {"username": "sara", "password": "wrong"})
    assert response.status_code == 429
    assert "You may try again in 30 minutes." in response.content.decode()


def test_staff_enrol_totp_confirm_and_it_is_then_required_at_login(client, registrar_maryam):
    client.force_login(registrar_maryam)
    security = reverse("accounts:security")
    assert 'data-testid="mfa-off"' in client.get(security).content.decode()
    client.post(reverse("accounts:security_enrol"))
    device = TOTPDevice.objects.get(user=registrar_maryam)
    assert not device.confirmed
    body = client.get(security).content.decode()
    assert "<svg" in body and 'data-testid="mfa-qr"' in body  # inline QR, no external service
    # A wrong code does not confirm.
    client.post(
        reverse("accounts:security_enrol"),
        {"token": "000000" if current_code(device) != "000000" else "111111"},
    )
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # the failure throttles the device for a second; let that second pass
    client.post(reverse("accounts:security_enrol"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        object_id=str(registrar_maryam.pk), changes__two_step=[False, True]
    ).exists()

    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": "maryam", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:login_verify")
    assert client.get(reverse("core:home")).status_code == 302  # password alone does not sign in
    response = client.post(reverse("accounts:login_verify"), {"token": "123"})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    # The next time step's code (the one just used for enrolment cannot be replayed).
    response = client.post(reverse("accounts:login_verify"), {"token": current_code(device, offset_steps=1)})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified()


def test_login_verify_accepts_persian_digits_and_refuses_wrong_codes(client, admin_amir):
    device = TOTPDevice.objects.create(user=admin_amir, name="app", confirmed=True)
    client.post(reverse("accounts:login"), {"username": "amir", "password": PASSWORD})
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(reverse("accounts:login_verify"), {"token": wrong})
    assert response.status_code == 200
    assert client.get(reverse("core:home")).status_code == 302
    device.throttle_reset()
    persian = current_code(device).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = client.post(reverse("accounts:login_verify"), {"token": persian})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_login_verify_without_a_password_step_goes_back_to_login(client):
    response = client.get(reverse("accounts:login_verify"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_disable_needs_a_current_code(client, admin_amir):
    device = TOTPDevice.objects.create(user=admin_amir, name="app", confirmed=True)
    client.force_login(admin_amir)
    client.post(reverse("accounts:security_disable"), {"token": "12"})
    assert TOTPDevice.objects.filter(user=admin_amir).exists()
    client.post(reverse("accounts:security_disable"), {"token": current_code(device)})
    assert not TOTPDevice.objects.filter(user=admin_amir).exists()


def test_students_do_not_enrol_in_two_step_verification(client, student_sara):
    client.force_login(student_sara.person.user)
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 200
    assert 'data-testid="mfa-staff-only"' in response.content.decode()
    assert client.post(reverse("accounts:security_enrol")).status_code == 403
    assert client.post(reverse("accounts:security_disable"), {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_security_needs_login(client):
    assert client.get(reverse("accounts:security")).status_code == 302
