"""The API's foundation: schema, offline docs, token sign-in with lockout, error shapes, Jalali fields."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shafa.api.exceptions import exception_handler
from shafa.core.api.fields import JalaliDateField, JalaliDisplayField, date_from_iso_or_jalali
from shafa.core.api.testing import client_for

TOKEN = reverse("api:auth:token")
ME = reverse("api:people:me")
PASSWORD = "pass-1234-word"  # the persona factories' password


# --- Schema -------------------------------------------------------------------------------------
def test_schema_is_served_and_lists_every_endpoint(db):
    response = APIClient().get(reverse("api:schema"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for expected in [
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/audit-events/",
        "/api/v1/people/students/",
        "/api/v1/people/students/{id}/",
        "/api/v1/people/faculty/",
        "/api/v1/people/preceptors/",
        "/api/v1/institution/university/",
        "/api/v1/institution/schools/",
        "/api/v1/institution/departments/",
        "/api/v1/institution/programs/",
        "/api/v1/institution/academic-years/",
        "/api/v1/institution/terms/",
        "/api/v1/institution/campuses/",
        "/api/v1/institution/counties/",
        "/api/v1/institution/clinical-sites/",
    ]:
        assert expected in paths, expected
    student_patch = schema["components"]["schemas"]["StudentUpdateInputRequest"]
    assert student_patch["required"] == ["reason"]
    person = schema["components"]["schemas"]["PersonOutput"]
    assert "national_code" in person["properties"]
    assert "national_code" not in person["required"]


def test_schema_validates_without_warnings(db, tmp_path: Path):
    # drf-spectacular's own check: OpenAPI 3 validation, and any warning fails it.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/people/students/" in target.read_text()


# --- Offline docs -------------------------------------------------------------------------------
@pytest.mark.parametrize("route", ["api:docs", "api:redoc"])
def test_docs_pages_reference_only_local_static_files(db, route):
    response = APIClient().get(reverse(route))
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not served by Shafa"
        assert finders.find(url.removeprefix("/static/")), f"{url} is not among the static files"
    assert "//" not in re.sub(r"https?://(127\.0\.0\.1|localhost|testserver)", "", " ".join(urls))
    assert not re.search(r"https?://(?!testserver)[\w.-]+", html.replace("http://www.w3.org", "")), (
        "the page names an outside host"
    )


def test_docs_pages_point_at_our_schema(db):
    html = APIClient().get(reverse("api:redoc")).content.decode()
    assert reverse("api:schema") in html
    html = APIClient().get(reverse("api:docs")).content.decode()
    assert reverse("api:schema") in html


# --- Token sign-in ------------------------------------------------------------------------------
def test_token_sign_in_and_use(registrar_maryam):
    response = APIClient().post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["username"] == "maryam" and data["user_id"] == registrar_maryam.pk
    assert Token.objects.get(user=registrar_maryam).key == data["token"]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {data['token']}")
    assert client.get(ME).json()["username"] == "maryam"
    # The same token comes back on the next sign-in.
    again = APIClient().post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json")
    assert again.json()["token"] == data["token"]
    registrar_maryam.refresh_from_db()
    assert registrar_maryam.last_login is not None


def test_token_sign_in_needs_no_csrf_token(registrar_maryam):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(TOKEN, {"username": "maryam", "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Wrong username or password."), ("fa", "نام کاربری یا گذرواژه نادرست است.")],
)
def test_wrong_password_is_a_400_in_the_request_language(registrar_maryam, language, message):
    response = client_for(None, language=language).post(
        TOKEN, {"username": "maryam", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [message]}
    assert not Token.objects.exists()


def test_missing_fields_are_reported(db):
    response = client_for(None).post(TOKEN, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_inactive_user_gets_no_token(registrar_maryam):
    registrar_maryam.is_active = False
    registrar_maryam.save()
    response = APIClient().post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not Token.objects.exists()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_lockout_after_repeated_failures_refuses_even_the_right_password(
    registrar_maryam, settings, language
):
    from axes.models import AccessAttempt

    client = client_for(None, language=language)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": "maryam", "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username="maryam").exists()
    response = client.post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json")
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "locked_out"
    assert int(response["Retry-After"]) > 0
    if language == "fa":
        assert "قفل" in body["detail"]
    else:
        assert "locked" in body["detail"]
    assert not Token.objects.exists()


def test_success_resets_the_failure_count(registrar_maryam, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(TOKEN, {"username": "maryam", "password": "wrong"}, format="json")
    assert client.post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(TOKEN, {"username": "maryam", "password": "wrong"}, format="json")
    assert client.post(TOKEN, {"username": "maryam", "password": PASSWORD}, format="json").status_code == 200


def test_user_with_an_authenticator_needs_the_one_time_code(admin_amir):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=admin_amir, name="phone", confirmed=True)
    client = APIClient()
    response = client.post(TOKEN, {"username": "amir", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "otp_token" in response.json()
    response = client.post(
        TOKEN, {"username": "amir", "password": PASSWORD, "otp_token": "000000"}, format="json"
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    good = str(totp.token()).zfill(device.digits)
    if response.status_code == 200:  # pragma: no cover - "000000" happened to be the current code
        return
    assert not Token.objects.exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    response = client.post(
        TOKEN, {"username": "amir", "password": PASSWORD, "otp_token": good}, format="json"
    )
    assert response.status_code == 200, response.content


def test_bad_token_is_refused(db):
    response = APIClient(HTTP_AUTHORIZATION="Token 0123456789abcdef").get(ME)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "authentication_failed"


def test_session_sign_in_works_for_the_api(client, registrar_maryam):
    client.force_login(registrar_maryam)
    assert client.get(ME).json()["username"] == "maryam"


# --- Error shapes -------------------------------------------------------------------------------
def test_django_validation_errors_become_field_errors():
    response = exception_handler(
        DjangoValidationError({"birth_date": ["bad"], "__all__": ["both wrong"]}), {}
    )
    assert response.status_code == 400
    assert response.data == {"birth_date": ["bad"], "non_field_errors": ["both wrong"]}
    response = exception_handler(DjangoValidationError("plain"), {})
    assert response.data == {"non_field_errors": ["plain"]}


def test_validation_errors_keep_the_plain_field_shape(db):
    # A field named "code" must not collide with an error code.
    response = exception_handler(serializers.ValidationError({"code": ["taken"]}), {})
    assert response.data == {"code": ["taken"]}


def test_other_errors_carry_a_stable_code_and_translated_detail(db):
    fa = APIClient(HTTP_ACCEPT_LANGUAGE="fa").get(ME).json()
    en = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(ME).json()
    assert fa["code"] == en["code"] == "not_authenticated"
    assert en["detail"] == "Authentication credentials were not provided."
    assert any("\u0600" <= char <= "\u06ff" for char in fa["detail"])


def test_unknown_api_path_is_404(registrar_maryam):
    assert client_for(registrar_maryam).get("/api/v1/nowhere/").status_code == 404


# --- Jalali fields ------------------------------------------------------------------------------
class _BirthSerializer(serializers.Serializer):
    birth_date = serializers.DateField(required=False)
    birth_date_jalali = JalaliDateField(required=False)

    def validate(self, attrs):
        return date_from_iso_or_jalali(attrs, "birth_date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1382/02/11", dt.date(2003, 5, 1)),
        ("۱۳۸۲/۰۲/۱۱", dt.date(2003, 5, 1)),
        ("١٣٨٢/٠٢/١١", dt.date(2003, 5, 1)),
        ("1382-2-11", dt.date(2003, 5, 1)),
        (" 1403/12/30 ", dt.date(2025, 3, 20)),
        ("1363/01/01", dt.date(1984, 3, 21)),
    ],
)
def test_jalali_date_field_reads_any_digit_script(text, expected):
    assert JalaliDateField().run_validation(text) == expected


@pytest.mark.parametrize("text", ["1404/12/30", "1403/13/01", "1403/07/31", "1403/00/10"])
def test_jalali_date_field_refuses_dates_that_do_not_exist(text):
    with translation.override("en"), pytest.raises(serializers.ValidationError) as info:
        JalaliDateField().run_validation(text)
    assert "is not a date in the Jalali calendar" in str(info.value.detail[0])
    assert info.value.detail[0].code == "no_such_date"


@pytest.mark.parametrize("text", ["", "yesterday", "1404/07", 14040701, None])
def test_jalali_date_field_refuses_unreadable_input(text):
    serializer = _BirthSerializer(data={"birth_date_jalali": text})
    assert not serializer.is_valid()
    assert "birth_date_jalali" in serializer.errors


def test_jalali_display_field_formats_dates_and_none():
    field = JalaliDisplayField()
    assert field.to_representation(dt.date(2025, 9, 23)) == "1404/07/01"
    assert field.to_representation(None) is None


def test_iso_and_jalali_together_must_agree():
    assert _BirthSerializer(data={"birth_date": "2003-05-01", "birth_date_jalali": "1382/02/11"}).is_valid()
    assert not _BirthSerializer(
        data={"birth_date": "2003-05-02", "birth_date_jalali": "1382/02/11"}
    ).is_valid()
    assert not _BirthSerializer(data={}).is_valid()
    ok = _BirthSerializer(data={"birth_date": "2003-05-01"})
    assert ok.is_valid() and ok.validated_data == {"birth_date": dt.date(2003, 5, 1)}
