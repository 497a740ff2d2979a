"""The academics API: per-role permissions on every endpoint, rules and idempotency over HTTP."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from shafa.academics.admission import registration_gate
from shafa.academics.models import RegistrarOverride, Registration
from shafa.academics.services.registration import registration_create
from shafa.core.api.testing import assert_not_signed_in, client_for, user_of

from .factories import RegistrationWindowFactory

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

COURSES = reverse("api:academics:course-list")
SECTIONS = reverse("api:academics:section-list")
REGISTRATIONS = reverse("api:academics:registrations")
WAITLIST = reverse("api:academics:waitlist")
OVERRIDES = reverse("api:academics:overrides")


@pytest.fixture
def section(main_window, make_section):
    return make_section(capacity=2)


@pytest.mark.parametrize("url", [COURSES, SECTIONS, REGISTRATIONS, WAITLIST, OVERRIDES])
def test_anonymous_is_refused(url, db):
    assert_not_signed_in(client_for(None).get(url))


@pytest.mark.parametrize("persona", EVERYONE)
def test_catalogue_is_readable_by_every_signed_in_role(request, persona, section):
    client = client_for(user_of(request, persona))
    assert client.get(COURSES).status_code == 200
    sections = client.get(SECTIONS, {"term": section.term.code})
    assert sections.status_code == 200
    assert [row["id"] for row in sections.json()["results"]] == [section.pk]
    assert sections.json()["results"][0]["seats_left"] == 2
    assert client.get(reverse("api:academics:section-detail", args=[section.pk])).status_code == 200


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_registrar_office_sees_a_waitlist(request, persona, section):
    response = client_for(user_of(request, persona)).get(
        reverse("api:academics:section-waitlist", args=[section.pk])
    )
    assert response.status_code == (200 if persona in REGISTRAR_OFFICE else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_students_register_themselves(request, persona, section):
    client = client_for(user_of(request, persona))
    response = client.post(REGISTRATIONS, {"section": section.pk}, format="json")
    assert response.status_code == (201 if persona == "student_sara" else 403), response.content
    assert client.get(REGISTRATIONS).status_code == (200 if persona == "student_sara" else 403)
    assert client.get(WAITLIST).status_code == (200 if persona == "student_sara" else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_registrar_office_registers_a_student(request, persona, section, student_reza):
    client = client_for(user_of(request, persona))
    response = client.post(REGISTRATIONS, {"section": section.pk, "student": student_reza.pk}, format="json")
    assert response.status_code == (201 if persona in REGISTRAR_OFFICE else 403)
    listing = client.get(REGISTRATIONS, {"student": student_reza.pk})
    assert listing.status_code == (200 if persona in REGISTRAR_OFFICE else 403)


@pytest.mark.parametrize("persona", EVERYONE)
def test_drop_is_for_the_owner_and_the_registrar_office(request, persona, section, student_sara):
    registration = registration_create(student=student_sara, section=section).registration
    response = client_for(user_of(request, persona)).post(
        reverse("api:academics:registration-drop", args=[registration.pk]), {}, format="json"
    )
    expected = (
        200
        if persona in REGISTRAR_OFFICE | {"student_sara"}
        else (403 if persona == "leader_hosseini" else 404)
    )
    assert response.status_code == expected, response.content


def test_another_students_registration_is_not_found(section, student_sara, student_reza):
    registration = registration_create(student=student_reza, section=section).registration
    response = client_for(student_sara.person.user).post(
        reverse("api:academics:registration-drop", args=[registration.pk]), {}, format="json"
    )
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "registered"


@pytest.mark.parametrize("persona", EVERYONE)
def test_overrides_are_for_the_registrar_office(request, persona, section, student_reza):
    client = client_for(user_of(request, persona))
    assert client.get(OVERRIDES, {"term": section.term.code}).status_code == (
        200 if persona in REGISTRAR_OFFICE else 403
    )
    response = client.post(
        OVERRIDES,
        {
            "term": section.term.code,
            "student": student_reza.pk,
            "kind": "time_clash",
            "reason": "کلاس جبرانی",
        },
        format="json",
    )
    assert response.status_code == (201 if persona in REGISTRAR_OFFICE else 403)
    assert RegistrarOverride.objects.count() == (1 if persona in REGISTRAR_OFFICE else 0)


def test_refusal_says_why_with_a_code(student_sara, term, make_section):
    section = make_section()  # no window is open
    response = client_for(student_sara.person.user).post(
        REGISTRATIONS, {"section": section.pk}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"code": "no_window", "detail": "Registration is not open for you now."}


def test_refusal_in_persian(student_sara, term, make_section):
    section = make_section()
    client = client_for(student_sara.person.user, language="fa")
    response = client.post(REGISTRATIONS, {"section": section.pk}, format="json")
    assert response.json()["code"] == "no_window"
    assert "انتخاب واحد" in response.json()["detail"]


def test_full_section_answers_202_waitlisted(student_sara, student_reza, main_window, make_section):
    section = make_section(capacity=1)
    registration_create(student=student_reza, section=section)
    response = client_for(student_sara.person.user).post(
        REGISTRATIONS, {"section": section.pk}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1


def test_idempotency_key_header_replays(student_sara, section):
    client = client_for(student_sara.person.user)
    first = client.post(REGISTRATIONS, {"section": section.pk}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(REGISTRATIONS, {"section": section.pk}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 1


def test_overloaded_registration_answers_429_at_once(student_sara, section):
    client = client_for(student_sara.person.user)
    taken = 0
    while registration_gate.try_enter():
        taken += 1
    try:
        response = client.post(REGISTRATIONS, {"section": section.pk}, format="json")
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1
        assert response.json()["code"] == "overloaded"
        assert Registration.objects.count() == 0
        assert client.get(REGISTRATIONS).status_code == 200  # reads never wait behind the gate
        assert client.get(SECTIONS).status_code == 200
    finally:
        for _ in range(taken):
            registration_gate.leave()
    assert taken == registration_gate.limit
    assert client.post(REGISTRATIONS, {"section": section.pk}, format="json").status_code == 201


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_students_submit_a_form_and_the_registrar_office_for_a_student(
    request, persona, main_window, make_section, student_reza
):
    sections = [make_section(), make_section()]
    client = client_for(user_of(request, persona))
    own = client.post(REGISTRATIONS, {"sections": [s.pk for s in sections]}, format="json")
    assert own.status_code == (200 if persona == "student_sara" else 403), own.content
    for_reza = client.post(
        REGISTRATIONS, {"sections": [s.pk for s in sections], "student": student_reza.pk}, format="json"
    )
    assert for_reza.status_code == (200 if persona in REGISTRAR_OFFICE else 403)
    registered = Counter(r.student_id for r in Registration.objects.all())
    assert registered[student_reza.pk] == (2 if persona in REGISTRAR_OFFICE else 0)
    assert sum(registered.values()) == registered[student_reza.pk] + (2 if persona == "student_sara" else 0)


def test_a_form_answers_each_sections_outcome_in_the_request_language(
    student_sara, student_reza, main_window, make_section
):
    full = make_section(capacity=1, waitlist_limit=0)
    registration_create(student=student_reza, section=full)
    free = make_section()
    client = client_for(student_sara.person.user, language="fa")
    response = client.post(
        REGISTRATIONS, {"sections": [free.pk, full.pk, 999_999]}, format="json", HTTP_IDEMPOTENCY_KEY="f1"
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["section"], r["status"]) for r in results] == [
        (free.pk, "registered"),
        (full.pk, "refused"),
        (999_999, "refused"),
    ]
    assert results[1]["code"] == "section_full" and "ظرفیت" in results[1]["detail"]
    again = client.post(
        REGISTRATIONS, {"sections": [free.pk, full.pk, 999_999]}, format="json", HTTP_IDEMPOTENCY_KEY="f1"
    )
    assert again.json() == response.json() and again["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(student=student_sara).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"section": 1, "sections": [1]},
        {"sections": []},
        {"sections": [1, 1]},
        {"sections": list(range(1, 14))},
    ],
)
def test_a_malformed_form_is_a_400_that_says_what_is_wrong(student_sara, main_window, body):
    response = client_for(student_sara.person.user).post(REGISTRATIONS, body, format="json")
    assert response.status_code == 400
    assert response.json()
    assert Registration.objects.count() == 0


def test_schema_lists_the_academics_endpoints(admin_amir):
    schema = client_for(admin_amir).get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/academics/registrations/" in schema["paths"]
    assert "/api/v1/academics/registrations/{id}/drop/" in schema["paths"]
    assert "/api/v1/academics/sections/{id}/waitlist/" in schema["paths"]


@pytest.mark.parametrize("persona", EVERYONE)
def test_emergency_withdrawal_endpoint_permissions(request, persona, term, make_section, student_sara):
    main = RegistrationWindowFactory(term=term, phase="main")
    registrations = [
        registration_create(student=student_sara, section=make_section()).registration for _ in range(5)
    ]
    main.delete()
    RegistrationWindowFactory(term=term, phase="emergency_withdrawal")
    response = client_for(user_of(request, persona)).post(
        reverse("api:academics:registration-withdraw", args=[registrations[0].pk]), {}, format="json"
    )
    expected = (
        200
        if persona in REGISTRAR_OFFICE | {"student_sara"}
        else (403 if persona == "leader_hosseini" else 404)
    )
    assert response.status_code == expected, response.content
    registrations[0].refresh_from_db()
    assert (registrations[0].status == "withdrawn") == (expected == 200)
