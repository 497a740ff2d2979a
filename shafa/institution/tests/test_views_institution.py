"""Institution pages: who may open them, filters, and the queries a list page costs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shafa.institution.models import ProgramPhase, SiteGovernance, SiteKind
from shafa.institution.tests.factories import (
    ClinicalSiteFactory,
    CountyFactory,
    DepartmentFactory,
    ProgramFactory,
    SchoolFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "institution:school_list",
    "institution:program_list",
    "institution:term_list",
    "institution:site_list",
]


@pytest.fixture
def catalogue():
    school = SchoolFactory()
    department = DepartmentFactory(school=school, name_fa="گروه داخلی", is_clinical=True)
    program = ProgramFactory(department=department, school=school)
    ProgramPhase.objects.create(program=program, order=1, kind="basic_sciences", duration_terms=5)
    ProgramPhase.objects.create(program=program, order=2, kind="internship", duration_terms=3)
    for number in range(3, 30):
        ProgramFactory(code=f"p{number}", name_fa=f"رشته {number}", school=school)
    TermFactory()
    takestan = CountyFactory(name_fa="تاکستان", name_en="Takestan")
    ClinicalSiteFactory(
        name_fa="خانه بهداشت اسفرورین",
        kind=SiteKind.HEALTH_HOUSE,
        county=takestan,
        governance=SiteGovernance.AGREEMENT,
    )
    ClinicalSiteFactory.create_batch(30)
    return {"school": school, "department": department, "program": program}


@pytest.mark.parametrize("name", LISTS)
def test_lists_need_login(client, name):
    assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    "persona", ["student_sara", "registrar_maryam", "preceptor_karimi", "coordinator_nazanin"]
)
def test_lists_open_for_every_role_in_few_queries(
    client, request, catalogue, name, persona, django_assert_max_num_queries
):
    subject = request.getfixturevalue(persona)
    client.force_login((getattr(subject, "person", None) and subject.person.user) or subject)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_program_list_paginates_and_filters(client, registrar_maryam, catalogue):
    client.force_login(registrar_maryam)
    body = client.get(reverse("institution:program_list")).content.decode()
    assert "۲۸ در مجموع" in body  # 28 programs, 25 a page
    body = client.get(reverse("institution:program_list"), {"page": 2}).content.decode()
    assert body.count("/institution/programs/") >= 3
    body = client.get(reverse("institution:program_list"), {"q": "رشته ۱۲"}).content.decode()
    assert "رشته 12" in body and "رشته 13" not in body


def test_school_department_program_chain(client, student_sara, catalogue):
    client.force_login(student_sara.person.user)
    school, department, program = catalogue["school"], catalogue["department"], catalogue["program"]
    body = client.get(reverse("institution:school_detail", args=[school.pk])).content.decode()
    assert "گروه داخلی" in body and reverse("institution:program_detail", args=[program.pk]) in body
    assert client.get(reverse("institution:department_detail", args=[department.pk])).status_code == 200
    body = client.get(reverse("institution:program_detail", args=[program.pk])).content.decode()
    assert "کارورزی" in body  # the internship phase, in Persian
    assert client.get(reverse("institution:program_detail", args=[999999])).status_code == 404


def test_site_list_filters_by_county_kind_and_governance(client, coordinator_nazanin, catalogue):
    client.force_login(coordinator_nazanin)
    url = reverse("institution:site_list")
    takestan = CountyFactory(name_fa="تاکستان")
    for params in ({"county": takestan.pk}, {"kind": SiteKind.HEALTH_HOUSE}, {"governance": "agreement"}):
        body = client.get(url, params).content.decode()
        assert "خانه بهداشت اسفرورین" in body
        assert len(re.findall(r'href="/institution/sites/\d+/"', body)) == 1
    site = catalogue["school"].university.clinical_sites.first()
    assert client.get(reverse("institution:site_detail", args=[site.pk])).status_code == 200


def test_terms_show_jalali_dates(client, student_sara, catalogue):
    client.force_login(student_sara.person.user)
    body = client.get(reverse("institution:term_list")).content.decode()
    assert "۱۴۰۴/۰۷/۰۱" in body  # 2025-09-23


def test_detail_pages_need_login_and_unknown_ids_are_404(client, student_sara, catalogue):
    urls = [
        reverse("institution:school_detail", args=[catalogue["school"].pk]),
        reverse("institution:department_detail", args=[catalogue["department"].pk]),
        reverse("institution:program_detail", args=[catalogue["program"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(student_sara.person.user)
    for url in urls:
        assert client.get(url).status_code == 200
    for name in ("school_detail", "department_detail", "site_detail"):
        assert client.get(reverse(f"institution:{name}", args=[999999])).status_code == 404
