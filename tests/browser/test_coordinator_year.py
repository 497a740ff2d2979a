"""A clinical coordinator sets up a new clinical year in a real browser: the Jalali calendar with
its official holidays, then the learners by pasted student numbers (Persian digits)."""

from __future__ import annotations

from shafa.core.tests.browser import BROWSER

pytestmark = BROWSER


def test_coordinator_creates_a_year_and_enrols_its_learners(live_server, browser_page, coordinator_nazanin):
    from shafa.clinical.models import ClinicalYear, RotationType
    from shafa.core.text import digits_to_persian
    from shafa.institution.tests.factories import AcademicYearFactory, ProgramFactory, UniversityFactory
    from shafa.people.tests.factories import StudentFactory

    UniversityFactory(is_demo=True)
    program, academic_year = ProgramFactory(), AcademicYearFactory()
    RotationType.objects.create(
        program=program, code="ext-internal", phase="externship", name_fa="کارآموزی داخلی"
    )
    newcomer = StudentFactory(program=program)

    page = browser_page
    page.goto(f"{live_server.url}/clinical/years/new/")
    page.fill("input[name=username]", "nazanin")
    page.fill("input[name=password]", "pass-1234-word")
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(f"{live_server.url}/clinical/years/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.select_option("#id_program", str(program.pk))
    page.select_option("#id_academic_year", str(academic_year.pk))
    page.fill("#id_first_day", "۱۴۰۴/۰۷/۰۱")
    page.fill("#id_n_blocks", "14")  # 14 x 28 days run past the academic year
    page.click("form[novalidate] button.btn-primary")
    assert "بیرون از سال تحصیلی" in page.content()
    assert not ClinicalYear.objects.exists()

    page.fill("#id_n_blocks", "13")
    page.click("form[novalidate] button.btn-primary")
    year = ClinicalYear.objects.get(program=program)
    page.wait_for_url(f"{live_server.url}/clinical/years/{year.pk}/")
    assert year.blocks.count() == 13
    holidays = page.get_by_test_id("holidays").inner_text()
    assert "نوروز" in holidays and "۱۴۰۵/۰۱/۰۱" in holidays

    page.goto(f"{live_server.url}/clinical/years/{year.pk}/learners/")
    page.fill("#id_student_numbers", digits_to_persian(newcomer.student_number))
    page.click("[data-testid=enrol] button.btn-primary")
    row = page.get_by_test_id(f"learner-{newcomer.student_number}")
    row.wait_for()
    assert newcomer.person.last_name_fa in row.inner_text()
    assert year.enrollments.filter(student=newcomer, phase="externship").exists()
