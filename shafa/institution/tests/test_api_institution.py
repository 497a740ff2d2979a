"""Institution read endpoints: who may read them, filters, Jalali twins, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shafa.core.api.testing import ROLE_PERSONAS, assert_not_signed_in, client_for, user_of
from shafa.institution import models
from shafa.institution.tests.factories import (
    AcademicYearFactory,
    ClinicalSiteFactory,
    CountyFactory,
    DepartmentFactory,
    ProgramFactory,
    SchoolFactory,
    TermFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db

LIST_ROUTES = [
    "api:institution:school-list",
    "api:institution:department-list",
    "api:institution:program-list",
    "api:institution:academic-year-list",
    "api:institution:term-list",
    "api:institution:campus-list",
    "api:institution:county-list",
    "api:institution:clinical-site-list",
]


@pytest.fixture
def institution(db):
    university = UniversityFactory()
    school = SchoolFactory(university=university)
    dentistry = SchoolFactory(
        university=university,
        code="dentistry",
        kind=models.SchoolKind.DENTISTRY,
        name_fa="دانشکده دندانپزشکی",
        name_en="School of Dentistry",
        founded_jalali_year=1372,
    )
    department = DepartmentFactory(school=school, is_clinical=True)
    program = ProgramFactory(school=school, department=department)
    models.ProgramPhase.objects.create(
        program=program, order=1, kind=models.PhaseKind.BASIC_SCIENCES, duration_terms=5
    )
    models.ProgramPhase.objects.create(
        program=program, order=2, kind=models.PhaseKind.PHYSIOPATHOLOGY, duration_terms=2
    )
    term = TermFactory()
    qazvin = CountyFactory()
    takestan = CountyFactory(name_fa="تاکستان", name_en="Takestan")
    models.Campus.objects.create(
        university=university, county=qazvin, name_fa="پردیس بوعلی", name_en="Bu-Ali campus"
    )
    hospital = ClinicalSiteFactory(university=university, county=qazvin)
    centre = ClinicalSiteFactory(
        university=university,
        county=takestan,
        kind=models.SiteKind.HEALTH_CENTRE,
        governance=models.SiteGovernance.AGREEMENT,
        is_urban=False,
    )
    return {
        "university": university,
        "school": school,
        "dentistry": dentistry,
        "department": department,
        "program": program,
        "term": term,
        "qazvin": qazvin,
        "takestan": takestan,
        "hospital": hospital,
        "centre": centre,
    }


@pytest.mark.parametrize("route", [*LIST_ROUTES, "api:institution:university"])
def test_anonymous_is_refused(route, institution):
    assert_not_signed_in(client_for(None).get(reverse(route)))


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
@pytest.mark.parametrize("route", [*LIST_ROUTES, "api:institution:university"])
def test_every_signed_in_role_reads_the_institution(request, persona, route, institution):
    response = client_for(user_of(request, persona)).get(reverse(route))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("persona", ["student_sara", "admin_amir"])
def test_institution_is_read_only_for_everyone(request, persona, institution):
    client = client_for(user_of(request, persona))
    assert client.post(reverse("api:institution:school-list"), {"code": "x"}).status_code == 405
    detail = reverse("api:institution:school-detail", args=[institution["school"].pk])
    assert client.patch(detail, {"name_fa": "x"}).status_code == 405
    assert client.delete(detail).status_code == 405


def test_university_has_bilingual_names_and_a_jalali_founding_date(registrar_maryam, institution):
    data = client_for(registrar_maryam).get(reverse("api:institution:university")).json()
    assert data["name_fa"] == "دانشگاه علوم پزشکی قزوین"
    assert data["name_en"] == "Qazvin University of Medical Sciences"
    assert data["founded_on"] == "1984-03-21"
    assert data["founded_on_jalali"] == "1363/01/01"


def test_university_missing_is_404(registrar_maryam):
    response = client_for(registrar_maryam).get(reverse("api:institution:university"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_programs_carry_their_phases_in_order(institution, student_sara):
    data = client_for(student_sara.person.user).get(reverse("api:institution:program-list")).json()
    md = next(row for row in data["results"] if row["code"] == "md")
    assert [phase["kind"] for phase in md["phases"]] == ["basic_sciences", "physiopathology"]
    assert md["school"]["code"] == "medicine"
    assert md["department"]["id"] == institution["department"].pk


def test_terms_show_jalali_dates(registrar_maryam, institution):
    data = client_for(registrar_maryam).get(reverse("api:institution:term-list")).json()
    term = data["results"][0]
    assert term["code"] == 14041
    assert term["jalali_year"] == 1404
    assert term["start_date"] == "2025-09-23"
    assert term["start_date_jalali"] == "1404/07/01"


def test_terms_filter_by_jalali_year(registrar_maryam, institution):
    TermFactory(
        academic_year=AcademicYearFactory(
            start_year=1403, start_date=dt.date(2024, 9, 22), end_date=dt.date(2025, 9, 22)
        ),
        start_date=dt.date(2024, 9, 22),
        end_date=dt.date(2025, 1, 20),
    )
    client = client_for(registrar_maryam)
    codes = [t["code"] for t in client.get(reverse("api:institution:term-list")).json()["results"]]
    assert codes == [14041, 14031]
    codes = [
        t["code"]
        for t in client.get(reverse("api:institution:term-list"), {"jalali_year": 1403}).json()["results"]
    ]
    assert codes == [14031]


def test_clinical_sites_filter_by_county_kind_and_governance(coordinator_nazanin, institution):
    client = client_for(coordinator_nazanin)
    url = reverse("api:institution:clinical-site-list")

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    hospital, centre = institution["hospital"].pk, institution["centre"].pk
    assert ids() == {hospital, centre}
    assert ids(county=institution["takestan"].pk) == {centre}
    assert ids(kind="teaching_hospital") == {hospital}
    assert ids(governance="agreement") == {centre}
    assert ids(governance="university", county=institution["takestan"].pk) == set()


def test_bad_filter_is_a_400_in_the_request_language(coordinator_nazanin, institution):
    url = reverse("api:institution:clinical-site-list")
    en = client_for(coordinator_nazanin, language="en").get(url, {"kind": "castle"})
    assert en.status_code == 400
    assert "is not a valid choice" in en.json()["kind"][0]
    fa = client_for(coordinator_nazanin, language="fa").get(url, {"kind": "castle"})
    assert fa.status_code == 400
    assert "معتبر" in fa.json()["kind"][0]


def test_site_kind_display_follows_the_language(coordinator_nazanin, institution):
    url = reverse("api:institution:clinical-site-detail", args=[institution["centre"].pk])
    en = client_for(coordinator_nazanin, language="en").get(url).json()
    assert en["kind_display"] == "Comprehensive health service centre"
    assert en["county"]["name_en"] == "Takestan"


def test_unknown_record_is_404(registrar_maryam, institution):
    response = client_for(registrar_maryam).get(reverse("api:institution:program-detail", args=[999999]))
    assert response.status_code == 404


def test_lists_do_not_grow_queries_with_rows(registrar_maryam, institution, django_assert_max_num_queries):
    school = institution["school"]
    for n in range(6):
        department = DepartmentFactory(school=school)
        program = ProgramFactory(school=school, department=department, code=f"p{n}")
        models.ProgramPhase.objects.create(
            program=program, order=1, kind=models.PhaseKind.GENERAL, duration_terms=4
        )
        ClinicalSiteFactory(university=institution["university"], county=institution["takestan"])
    client = client_for(registrar_maryam)
    # count + page (+ the phases prefetch) — never one query per row.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("api:institution:program-list"))
    assert response.json()["count"] == 7
    with django_assert_max_num_queries(2):
        response = client.get(reverse("api:institution:clinical-site-list"))
    assert response.json()["count"] == 8
    with django_assert_max_num_queries(2):
        response = client.get(reverse("api:institution:department-list"))
    assert response.json()["count"] == 7
    with django_assert_max_num_queries(2):
        client.get(reverse("api:institution:campus-list"))
