"""A student logs in through a real browser (Debian's chromium) and sees a Persian, right-to-left page."""

from __future__ import annotations

import re

from shafa.core.tests.browser import BROWSER

JALALI_DATE = re.compile(r"[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}")

pytestmark = BROWSER


def test_student_logs_in_and_sees_a_persian_rtl_dashboard(live_server, browser_page, student_sara):
    from shafa.institution.tests.factories import UniversityFactory

    UniversityFactory(is_demo=True)
    page = browser_page
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", "pass-1234-word")
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(f"{live_server.url}/")

    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert html.get_attribute("lang") == "fa"
    today = page.get_by_test_id("today")
    assert today.is_visible()
    assert JALALI_DATE.search(today.inner_text())
    assert page.get_by_test_id("demo-banner").is_visible()
    assert "سارا محمدی" in page.content()
    # The stylesheets were served (static files in live_server): Bootstrap's RTL build is applied.
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in font
    loaded = page.evaluate(
        "[...document.styleSheets].some("
        "s => (s.href || '').includes('bootstrap.rtl.min.css') && s.cssRules.length > 100)"
    )
    assert loaded
    assert page.evaluate("typeof window.htmx") == "object"  # htmx, vendored by django-htmx
