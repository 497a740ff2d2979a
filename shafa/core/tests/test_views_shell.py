"""The shell: layout, language switch, the dashboard frame, the audit log's permission, Jalali form fields."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shafa.core import jalali
from shafa.core.forms import JalaliDateField
from shafa.core.text import digits_to_persian

pytestmark = pytest.mark.django_db

PERSIAN_DATE = re.compile(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_home_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_student_dashboard_in_persian_is_rtl_with_a_jalali_today(client, student_sara):
    client.force_login(student_sara.person.user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert 'dir="rtl"' in html_tag(response) and 'lang="fa"' in html_tag(response)
    body = response.content.decode()
    assert 'data-panel="student"' in body
    assert digits_to_persian(student_sara.student_number) in body
    assert jalali.format_date(timezone.localdate(), "fa") in body
    assert "bootstrap.rtl.min.css" in body
    assert "Vazirmatn-font-face.css" in body
    assert 'data-nav="home">' in body and "خانه" in body  # not django.contrib.admin's "شروع"


def test_language_switch_flips_direction_and_date_format(client, student_sara):
    client.force_login(student_sara.person.user)
    home = reverse("core:home")
    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    response = client.get(home)
    tag = html_tag(response)
    assert 'dir="ltr"' in tag and 'lang="en"' in tag
    body = response.content.decode()
    assert timezone.localdate().isoformat() in body
    assert not PERSIAN_DATE.search(body)
    assert "bootstrap.min.css" in body and "bootstrap.rtl.min.css" not in body
    assert "My studies" in body
    client.post(reverse("set_language"), {"language": "fa", "next": home})
    response = client.get(home)
    assert 'dir="rtl"' in html_tag(response)
    assert PERSIAN_DATE.search(response.content.decode())


def test_audit_log_is_for_administrators_only(client, admin_amir, registrar_maryam, student_sara):
    url = reverse("core:audit")
    assert client.get(url).status_code == 302
    client.force_login(registrar_maryam)
    assert client.get(url).status_code == 403
    client.force_login(student_sara.person.user)
    assert client.get(url).status_code == 403
    client.force_login(admin_amir)
    assert client.get(url).status_code == 200


class TestJalaliDateField:
    def test_parses_any_digit_script(self):
        field = JalaliDateField()
        assert field.clean("1403/12/30") == dt.date(2025, 3, 20)
        assert field.clean("۱۴۰۳/۱۲/۳۰") == dt.date(2025, 3, 20)
        assert field.clean("١٤٠٣-١٢-٣٠") == dt.date(2025, 3, 20)

    def test_impossible_date_has_a_clear_message_in_both_languages(self):
        from django.core.exceptions import ValidationError
        from django.utils import translation

        field = JalaliDateField()
        with translation.override("en"):
            with pytest.raises(ValidationError) as english:
                field.clean("1404/12/30")
            assert "1404/12/30 is not a date in the Jalali calendar" in english.value.messages[0]
        with translation.override("fa"):
            with pytest.raises(ValidationError) as persian:
                field.clean("1404/12/30")
            assert "۱۴۰۴/۱۲/۳۰" in persian.value.messages[0]
            assert "تقویم شمسی" in persian.value.messages[0]
        assert field.clean("1403/12/30") == dt.date(2025, 3, 20)  # 1403 is a leap year

    def test_garbage_is_refused_and_initial_renders_in_jalali(self):
        from django import forms
        from django.core.exceptions import ValidationError
        from django.utils import translation

        with pytest.raises(ValidationError):
            JalaliDateField().clean("yesterday")

        class Form(forms.Form):
            when = JalaliDateField()

        with translation.override("fa"):
            assert 'value="۱۳۶۳/۰۱/۰۱"' in str(Form(initial={"when": dt.date(1984, 3, 21)})["when"])
        with translation.override("en"):
            assert 'value="1363/01/01"' in str(Form(initial={"when": dt.date(1984, 3, 21)})["when"])


def test_every_stylesheet_the_base_template_links_is_found_by_staticfiles():
    from django.contrib.staticfiles import finders

    for path in (
        "shafa/shafa.css",
        "vendor/bootstrap/css/bootstrap.rtl.min.css",
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/vazirmatn/Vazirmatn-font-face.css",
        "django_htmx/htmx-2.min.js",
    ):
        assert finders.find(path), path


@pytest.mark.django_db
def test_pages_are_persian_even_when_the_browser_asks_for_english(client) -> None:
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'dir="rtl"' in response.content.decode()


@pytest.mark.django_db
def test_the_switch_wins_over_the_default(client) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/about/", HTTP_ACCEPT_LANGUAGE="fa")
    assert 'dir="ltr"' in response.content.decode()
