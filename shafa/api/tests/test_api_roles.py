"""Every endpoint of the foundation × every persona: who gets 200, 403 or 404 (one table)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.core.api.testing import assert_not_signed_in, client_for, user_of
from shafa.institution import models
from shafa.institution.tests.factories import ClinicalSiteFactory, CountyFactory, UniversityFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("student_sara", "faculty_tehrani", "registrar_maryam", "preceptor_karimi", "admin_amir")
ALL = dict.fromkeys(PERSONAS, 200)


@pytest.fixture
def world(student_sara, student_reza, faculty_tehrani, preceptor_karimi):
    student_reza.advisor = faculty_tehrani
    student_reza.save()
    university = UniversityFactory()
    county = CountyFactory()
    campus = models.Campus.objects.create(university=university, county=county, name_fa="پردیس")
    site = ClinicalSiteFactory(university=university, county=county)
    program = student_sara.program
    return {
        "university": university, "county": county, "campus": campus, "site": site,
        "school": program.school, "program": program, "term": student_sara.entry_term,
        "year": student_sara.entry_term.academic_year, "sara": student_sara,
        "tehrani": faculty_tehrani, "karimi": preceptor_karimi,
    }  # fmt: skip


# (name, method, url(world), body, expected status per persona)
CASES = [
    ("university", "get", lambda w: reverse("api:institution:university"), None, ALL),
    ("school", "get", lambda w: reverse("api:institution:school-detail", args=[w["school"].pk]), None, ALL),
    (
        "program",
        "get",
        lambda w: reverse("api:institution:program-detail", args=[w["program"].pk]),
        None,
        ALL,
    ),
    (
        "year",
        "get",
        lambda w: reverse("api:institution:academic-year-detail", args=[w["year"].pk]),
        None,
        ALL,
    ),
    ("term", "get", lambda w: reverse("api:institution:term-detail", args=[w["term"].pk]), None, ALL),
    ("campus", "get", lambda w: reverse("api:institution:campus-detail", args=[w["campus"].pk]), None, ALL),
    ("county", "get", lambda w: reverse("api:institution:county-detail", args=[w["county"].pk]), None, ALL),
    (
        "site",
        "get",
        lambda w: reverse("api:institution:clinical-site-detail", args=[w["site"].pk]),
        None,
        ALL,
    ),
    ("me", "get", lambda w: reverse("api:people:me"), None, ALL),
    (
        "faculty member",
        "get",
        lambda w: reverse("api:people:faculty-detail", args=[w["tehrani"].pk]),
        None,
        ALL,
    ),
    (
        "student sara",
        "get",
        lambda w: reverse("api:people:student-detail", args=[w["sara"].pk]),
        None,
        {
            "student_sara": 200,
            "faculty_tehrani": 404,
            "registrar_maryam": 200,
            "preceptor_karimi": 404,
            "admin_amir": 200,
        },
    ),
    (
        "preceptor karimi",
        "get",
        lambda w: reverse("api:people:preceptor-detail", args=[w["karimi"].pk]),
        None,
        {
            "student_sara": 404,
            "faculty_tehrani": 404,
            "registrar_maryam": 200,
            "preceptor_karimi": 200,
            "admin_amir": 200,
        },
    ),
    (
        "change sara's status",
        "patch",
        lambda w: reverse("api:people:student-detail", args=[w["sara"].pk]),
        {"status": "on_leave", "reason": "Leave approved"},
        {
            "student_sara": 403,
            "faculty_tehrani": 404,
            "registrar_maryam": 200,
            "preceptor_karimi": 404,
            "admin_amir": 200,
        },
    ),
    (
        "audit trail",
        "get",
        lambda w: reverse("api:core:audit-event-list"),
        None,
        {
            "student_sara": 403,
            "faculty_tehrani": 403,
            "registrar_maryam": 403,
            "preceptor_karimi": 403,
            "admin_amir": 200,
        },
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_status_code_per_role(request, world, persona, name, method, url, body, expected):
    client = client_for(user_of(request, persona))
    response = getattr(client, method)(url(world), body, format="json")
    assert response.status_code == expected[persona], (name, persona, response.content)


@pytest.mark.parametrize(("name", "method", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_anonymous_is_refused_everywhere(world, name, method, url, body, expected):
    assert_not_signed_in(getattr(client_for(None), method)(url(world), body, format="json"))
