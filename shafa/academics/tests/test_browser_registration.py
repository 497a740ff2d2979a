"""A student registers for a course in Persian through a real browser (Debian's chromium)."""

from __future__ import annotations

import json

import pytest

from shafa.academics.models import CurriculumItem, Registration
from shafa.core.tests.browser import BROWSER

from .factories import CurriculumFactory

pytestmark = BROWSER


def sign_in_to_registration(page, live_server):
    """Sara signs in and lands on her registration page."""
    page.goto(f"{live_server.url}/accounts/login/?next=/academics/register/")
    page.fill("input[name=username]", "sara")
    page.fill("input[name=password]", "pass-1234-word")
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(f"{live_server.url}/academics/register/")


@pytest.mark.django_db(transaction=True)
def test_student_registers_in_persian_and_sees_a_clash_refused(
    live_server, browser_page, student_sara, main_window, make_section
):
    first = make_section(meetings=[(0, "08:00", "10:00")], capacity=5)
    clashing = make_section(meetings=[(0, "09:00", "11:00")], capacity=5)
    curriculum = CurriculumFactory(program=student_sara.program)
    for number, section in enumerate((first, clashing), start=1):
        CurriculumItem.objects.create(curriculum=curriculum, course=section.course, recommended_term=number)

    page = browser_page
    sign_in_to_registration(page, live_server)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_test_id("timetable").is_visible()

    first_row = page.locator(f"form[action$='/register/add/{first.pk}/']")
    first_row.locator("button").click()
    page.get_by_test_id("notice").wait_for()
    assert Registration.objects.filter(student=student_sara, section=first, status="registered").exists()

    page.locator(f"form[action$='/register/add/{clashing.pk}/']").locator("button").click()
    refusal = page.get_by_test_id("refusal").first
    refusal.wait_for()
    assert "تداخل" in refusal.inner_text()  # "clash", said in Persian
    assert not Registration.objects.filter(student=student_sara, section=clashing).exists()


@pytest.mark.django_db(transaction=True)
def test_a_refusal_by_the_reverse_proxy_shows_its_message_in_the_busy_notice(
    live_server, browser_page, student_sara, main_window, make_section
):
    """nginx answers an overloaded registration write with JSON (deploy/nginx), not the app's
    HTML fragment: the page shows its message as text and registers nothing."""
    section = make_section(meetings=[(1, "08:00", "10:00")], capacity=5)
    curriculum = CurriculumFactory(program=student_sara.program)
    CurriculumItem.objects.create(curriculum=curriculum, course=section.course, recommended_term=1)
    message = "انتخاب واحد الان بسیار شلوغ است؛ لطفاً چند ثانیه دیگر دوباره تلاش کنید."

    page = browser_page
    page.route(
        f"**/academics/register/add/{section.pk}/",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "2", "Content-Type": "application/json; charset=utf-8"},
            body=json.dumps({"detail": message, "code": "overloaded"}, ensure_ascii=False),
        ),
    )
    sign_in_to_registration(page, live_server)

    page.locator(f"form[action$='/register/add/{section.pk}/']").locator("button").click()
    busy = page.locator("#acad-busy")
    busy.filter(has_text="شلوغ").wait_for()
    assert busy.inner_text().strip() == message
    assert "{" not in busy.inner_html()  # the message, not the JSON around it
    assert not Registration.objects.filter(student=student_sara, section=section).exists()


@pytest.mark.django_db(transaction=True)
def test_student_ticks_three_sections_and_registers_them_in_one_submit(
    live_server, browser_page, student_sara, main_window, make_section
):
    """The registration form: ticked sections go in one request; the clashing one is refused with
    its reason and stays ticked, the others are registered."""
    first = make_section(meetings=[(0, "08:00", "10:00")], capacity=5)
    clashing = make_section(meetings=[(0, "09:00", "11:00")], capacity=5)
    third = make_section(meetings=[(2, "08:00", "10:00")], capacity=5)
    curriculum = CurriculumFactory(program=student_sara.program)
    for number, section in enumerate((first, clashing, third), start=1):
        CurriculumItem.objects.create(curriculum=curriculum, course=section.course, recommended_term=number)

    page = browser_page
    sign_in_to_registration(page, live_server)

    for section in (first, clashing, third):
        page.get_by_test_id(f"choose-{section.pk}").check()
    page.get_by_test_id("register-form").click()
    refusals = page.get_by_test_id("form-refusals")
    refusals.wait_for()
    assert "تداخل" in refusals.inner_text()  # the clash, said in Persian
    assert clashing.course.title_fa in refusals.inner_text()
    assert "۲" in page.get_by_test_id("notice").inner_text()  # "registered in 2 sections", Persian digits
    registered = Registration.objects.filter(student=student_sara, status="registered")
    assert {r.section_id for r in registered} == {first.pk, third.pk}
    assert page.get_by_test_id(f"choose-{clashing.pk}").is_checked()  # left ticked, to change and resend
