"""The public About page, the demo banner on every page, and the clinical coordinator's dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.institution.models import Milestone, MilestoneKind, SiteKind
from shafa.institution.tests.factories import ClinicalSiteFactory, CountyFactory, UniversityFactory

pytestmark = pytest.mark.django_db


def test_every_page_has_the_language_switch_and_the_demo_banner(client, student_sara):
    UniversityFactory(is_demo=True)
    for url in (reverse("accounts:login"), reverse("core:about")):
        body = client.get(url).content.decode()
        assert 'data-testid="language-switch"' in body
        assert reverse("set_language") in body
        assert 'data-testid="demo-banner"' in body
        assert "داده‌های نمایشی" in body


def test_no_demo_banner_for_a_real_university(client):
    UniversityFactory(is_demo=False)
    body = client.get(reverse("core:about")).content.decode()
    assert 'data-testid="demo-banner"' not in body


def test_about_is_public_with_history_counts_and_counties(client, django_assert_max_num_queries):
    university = UniversityFactory()
    Milestone.objects.create(
        university=university,
        jalali_year=1370,
        kind=MilestoneKind.SCHOOL,
        title_fa="تأسیس دانشکده دندانپزشکی",
        title_en="School of Dentistry founded",
    )
    Milestone.objects.create(
        university=university,
        jalali_year=1363,
        kind=MilestoneKind.FOUNDING,
        title_fa="تأسیس دانشگاه",
        title_en="The university is founded",
    )
    takestan = CountyFactory(name_fa="تاکستان", name_en="Takestan")
    ClinicalSiteFactory(name_fa="مرکز خدمات جامع سلامت تاکستان", kind=SiteKind.HEALTH_CENTRE, county=takestan)
    ClinicalSiteFactory.create_batch(2)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:about"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "دانشگاه علوم پزشکی قزوین" in body and "Qazvin University of Medical Sciences" in body
    assert "۱۳۶۳" in body and "۱۹۸۴" in body
    assert body.index("تأسیس دانشگاه") < body.index("تأسیس دانشکده دندانپزشکی")  # ordered by year
    assert "bi-flag-fill" in body and "bi-building" in body
    assert 'data-testid="count-sites">۳<' in body
    assert "تاکستان" in body and "مرکز خدمات جامع سلامت تاکستان" in body
