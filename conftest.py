"""Named personas shared by every app's tests, so a test reads like a story.

Django-dependent imports stay inside the fixtures, so the engine's plain-Python tests also run
with `-p no:django`."""

from __future__ import annotations

import pytest

from shafa.core.tests.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def make_user(db):
    from shafa.people.tests.factories import UserFactory

    def make(username: str, *roles: str):
        return UserFactory(username=username, roles=list(roles))

    return make


@pytest.fixture
def student_sara(db, make_user):
    from shafa.accounts.models import Role
    from shafa.people.tests.factories import PersonFactory, StudentFactory

    user = make_user("sara", Role.STUDENT)
    person = PersonFactory(
        first_name_fa="سارا", last_name_fa="محمدی", first_name_en="Sara", last_name_en="Mohammadi", user=user
    )
    return StudentFactory(person=person, student_number="4031100001")


@pytest.fixture
def student_reza(db, make_user):
    from shafa.accounts.models import Role
    from shafa.people.tests.factories import PersonFactory, StudentFactory

    user = make_user("reza", Role.STUDENT)
    person = PersonFactory(
        first_name_fa="رضا",
        last_name_fa="کریمی",
        first_name_en="Reza",
        last_name_en="Karimi",
        sex="M",
        user=user,
    )
    return StudentFactory(person=person, student_number="4031100002")


@pytest.fixture
def registrar_maryam(db, make_user):
    from shafa.accounts.models import Role

    return make_user("maryam", Role.REGISTRAR)


@pytest.fixture
def admin_amir(db, make_user):
    from shafa.accounts.models import Role

    return make_user("amir", Role.ADMINISTRATOR)


@pytest.fixture
def leader_hosseini(db, make_user):
    from shafa.accounts.models import Role

    return make_user("hosseini", Role.LEADERSHIP)


@pytest.fixture
def coordinator_nazanin(db, make_user):
    from shafa.accounts.models import Role

    return make_user("nazanin", Role.CLINICAL_COORDINATOR)


@pytest.fixture
def faculty_tehrani(db, make_user):
    from shafa.accounts.models import Role
    from shafa.people.tests.factories import FacultyMemberFactory, PersonFactory

    user = make_user("tehrani", Role.FACULTY)
    person = PersonFactory(
        first_name_fa="محمد",
        last_name_fa="تهرانی",
        first_name_en="Mohammad",
        last_name_en="Tehrani",
        sex="M",
        user=user,
    )
    return FacultyMemberFactory(person=person)


@pytest.fixture
def preceptor_karimi(db, make_user):
    from shafa.accounts.models import Role
    from shafa.people.tests.factories import PersonFactory, PreceptorFactory

    user = make_user("karimi", Role.PRECEPTOR)
    person = PersonFactory(
        first_name_fa="زهرا", last_name_fa="کریمی", first_name_en="Zahra", last_name_en="Karimi", user=user
    )
    return PreceptorFactory(person=person)


# --- Browser tests: Debian's chromium driven by Playwright ------------------------------------------
@pytest.fixture
def browser_page(monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures stay
    # synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="fa-IR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
