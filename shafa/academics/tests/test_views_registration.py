"""Registration pages: who may open them, and a student registering through htmx."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shafa.academics.admission import registration_gate
from shafa.academics.models import (
    Curriculum,
    CurriculumItem,
    RegistrarOverride,
    Registration,
    RegistrationLedger,
    RegistrationWindow,
)
from shafa.academics.services.registration import registration_create

from .factories import CurriculumFactory

pytestmark = pytest.mark.django_db

EVERYONE = (
    "student_sara",
    "faculty_tehrani",
    "registrar_maryam",
    "preceptor_karimi",
    "admin_amir",
    "leader_hosseini",
    "coordinator_nazanin",
)
REGISTRAR_OFFICE = {"registrar_maryam", "admin_amir"}


def client_of(request, persona, language="fa"):
    value = request.getfixturevalue(persona)
    user = value.person.user if hasattr(value, "person") else value
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def offered(student_sara, main_window, make_section):
    """Two sections of courses in Sara's curriculum, clashing with each other."""
    curriculum = CurriculumFactory(program=student_sara.program)
    first = make_section(meetings=[(0, "08:00", "10:00")], capacity=1)
    second = make_section(meetings=[(0, "09:00", "11:00")])
    for term_number, section in enumerate((first, second), start=1):
        CurriculumItem.objects.create(
            curriculum=curriculum, course=section.course, recommended_term=term_number
        )
    return first, second


@pytest.mark.parametrize("persona", EVERYONE)
def test_registration_page_is_for_students(request, persona, offered):
    response = client_of(request, persona).get(reverse("academics:register"))
    assert response.status_code == (200 if persona == "student_sara" else 403)


@pytest.mark.parametrize("url", ["academics:sections", "academics:windows", "academics:overrides"])
@pytest.mark.parametrize("persona", EVERYONE)
def test_registrar_pages(request, persona, url, offered):
    response = client_of(request, persona).get(reverse(url))
    assert response.status_code == (200 if persona in REGISTRAR_OFFICE else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_section_detail_is_for_the_registrar_office(request, persona, offered):
    response = client_of(request, persona).get(reverse("academics:section_detail", args=[offered[0].pk]))
    assert response.status_code == (200 if persona in REGISTRAR_OFFICE else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_course_catalogue_for_everyone_signed_in(request, persona, offered):
    assert client_of(request, persona).get(reverse("academics:courses")).status_code == 200


def test_anonymous_is_sent_to_sign_in(offered):
    response = Client().get(reverse("academics:register"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", [p for p in EVERYONE if p != "student_sara"])
def test_others_cannot_post_registrations(request, persona, offered):
    client = client_of(request, persona)
    response = client.post(reverse("academics:register_add", args=[offered[0].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_student_sees_sections_meetings_and_seats_in_persian(request, offered):
    page = client_of(request, "student_sara").get(reverse("academics:register")).content.decode()
    assert offered[0].course.title_fa in page
    assert "۰۸:۰۰" in page  # meeting time in Persian digits
    assert 'data-testid="timetable"' in page


def test_student_adds_then_sees_a_clash_refusal_inline(request, offered, student_sara):
    client = client_of(request, "student_sara")
    first, second = offered
    added = client.post(
        reverse("academics:register_add", args=[first.pk]), {"idempotency_key": "k1"}, HTTP_HX_REQUEST="true"
    )
    assert added.status_code == 200
    assert 'id="registration-panel"' in added.content.decode()
    assert Registration.objects.get(student=student_sara).section == first
    refused = client.post(
        reverse("academics:register_add", args=[second.pk]), {"idempotency_key": "k2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="refusal"' in refused
    assert "تداخل" in refused  # "time clash", in Persian
    assert Registration.objects.filter(student=student_sara).count() == 1


def test_double_submit_with_the_same_key_registers_once(request, offered, student_sara):
    client = client_of(request, "student_sara")
    url = reverse("academics:register_add", args=[offered[0].pk])
    client.post(url, {"idempotency_key": "same"}, HTTP_HX_REQUEST="true")
    client.post(url, {"idempotency_key": "same"}, HTTP_HX_REQUEST="true")
    assert Registration.objects.filter(student=student_sara).count() == 1


@pytest.mark.parametrize("persona", [p for p in EVERYONE if p != "student_sara"])
def test_others_cannot_submit_a_registration_form(request, persona, offered):
    client = client_of(request, persona)
    response = client.post(
        reverse("academics:register_form"), {"sections": [s.pk for s in offered]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_the_form_registers_the_ticked_sections_and_lists_the_refused(request, offered, student_sara):
    client = client_of(request, "student_sara")
    first, clashing = offered
    url = reverse("academics:register_form")
    page = client.post(
        url, {"sections": [first.pk, clashing.pk], "idempotency_key": "f1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert Registration.objects.get(student=student_sara).section == first
    assert 'data-testid="form-refusals"' in page and "تداخل" in page
    assert "۱" in page.split('data-testid="notice"')[1].split("</div>")[0]  # registered in 1, Persian digit
    # The refused one comes back ticked; the same submit again changes nothing.
    assert f'value="{clashing.pk}" form="acad-form" checked' in page
    client.post(url, {"sections": [first.pk, clashing.pk], "idempotency_key": "f1"}, HTTP_HX_REQUEST="true")
    assert Registration.objects.filter(student=student_sara).count() == 1


def test_an_empty_or_oversized_form_says_so(request, offered, student_sara):
    client = client_of(request, "student_sara")
    url = reverse("academics:register_form")
    empty = client.post(url, {"sections": []}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="refusal"' in empty and "علامت" in empty
    many = client.post(url, {"sections": list(range(1, 14))}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="refusal"' in many
    assert Registration.objects.count() == 0


def test_the_form_in_english(request, offered, student_sara):
    client = client_of(request, "student_sara", language="en")
    client.cookies["shafa_language"] = "en"
    page = client.post(
        reverse("academics:register_form"), {"sections": [offered[0].pk]}, HTTP_HX_REQUEST="true"
    )
    assert "Registered in 1 section." in page.content.decode()


def test_student_drops_own_but_not_anothers(request, offered, student_sara, student_reza):
    mine = registration_create(student=student_sara, section=offered[0]).registration
    theirs = registration_create(student=student_reza, section=offered[1]).registration
    client = client_of(request, "student_sara")
    assert (
        client.post(reverse("academics:register_drop", args=[theirs.pk]), HTTP_HX_REQUEST="true").status_code
        == 404
    )
    assert (
        client.post(reverse("academics:register_drop", args=[mine.pk]), HTTP_HX_REQUEST="true").status_code
        == 200
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("dropped", "registered")


def test_ui_write_is_shed_with_429_when_overloaded(request, offered):
    client = client_of(request, "student_sara")
    taken = 0
    while registration_gate.try_enter():
        taken += 1
    try:
        response = client.post(
            reverse("academics:register_add", args=[offered[0].pk]), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 429 and response["Retry-After"]
        assert client.get(reverse("academics:register")).status_code == 200
    finally:
        for _ in range(taken):
            registration_gate.leave()


def test_registrar_grants_an_override_with_a_reason(request, offered, student_sara):
    client = client_of(request, "registrar_maryam")
    url = reverse("academics:overrides")
    missing = client.post(
        url, {"student_number": student_sara.student_number, "kind": "time_clash", "reason": ""}
    )
    assert missing.status_code == 200 and RegistrarOverride.objects.count() == 0
    done = client.post(
        url,
        {"student_number": "۴۰۳۱۱۰۰۰۰۱", "kind": "time_clash", "section": offered[1].pk, "reason": "جبرانی"},
    )
    assert done.status_code == 302
    override = RegistrarOverride.objects.get()
    assert (override.student, override.section, override.reason) == (student_sara, offered[1], "جبرانی")


def test_registrar_opens_a_window(request, offered, django_capture_on_commit_callbacks):
    client = client_of(request, "registrar_maryam")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academics:windows"),
            {"phase": "add_drop", "opens_at": "2026-02-01T08:00", "closes_at": "2026-02-03T20:00"},
        )
    assert response.status_code == 302
    assert RegistrationWindow.objects.filter(phase="add_drop").exists()
    # Its students' credit limits are worked out before it opens (in the background; inline here).
    window = RegistrationWindow.objects.get(phase="add_drop")
    ledger = RegistrationLedger.objects.get(student=request.getfixturevalue("student_sara"), term=window.term)
    assert ledger.max_credits == 20


def test_registration_page_queries_do_not_grow_with_sections(
    request, offered, student_sara, make_section, django_assert_max_num_queries
):
    client = client_of(request, "student_sara")
    registration_create(student=student_sara, section=offered[0])
    client.get(reverse("academics:register"))  # warm caches (sessions, permissions)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("academics:register"))
    active = Curriculum.objects.get(program=student_sara.program)
    for n in range(10):
        section = make_section()
        CurriculumItem.objects.create(curriculum=active, course=section.course, recommended_term=3 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("academics:register"))
