"""Factories for institution records (factory-boy)."""

from __future__ import annotations

import datetime as dt

import factory

from shafa.institution import models


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.University
        django_get_or_create = ("code",)

    code = "qums"
    name_fa = "دانشگاه علوم پزشکی قزوین"
    name_en = "Qazvin University of Medical Sciences"
    founded_on = dt.date(1984, 3, 21)
    city_fa = "قزوین"
    city_en = "Qazvin"
    province_fa = "قزوین"
    province_en = "Qazvin"
    is_demo = True


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.County
        django_get_or_create = ("province_fa", "name_fa")

    name_fa = "قزوین"
    name_en = "Qazvin"
    province_fa = "قزوین"
    province_en = "Qazvin"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School
        django_get_or_create = ("university", "code")

    university = factory.SubFactory(UniversityFactory)
    code = "medicine"
    kind = models.SchoolKind.MEDICINE
    name_fa = "دانشکده پزشکی"
    name_en = "School of Medicine"
    founded_jalali_year = 1363


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Department

    school = factory.SubFactory(SchoolFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name_fa = factory.Sequence(lambda n: f"گروه {n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Program
        django_get_or_create = ("code",)

    school = factory.SubFactory(SchoolFactory)
    code = "md"
    name_fa = "پزشکی عمومی"
    name_en = "Medicine (MD)"
    degree_level = models.DegreeLevel.PROFESSIONAL_DOCTORATE
    degree_title_en = "MD"
    duration_terms = 14
    max_duration_terms = 18
    credits_required = 290


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AcademicYear
        django_get_or_create = ("start_year",)

    start_year = 1404
    start_date = dt.date(2025, 9, 23)
    end_date = dt.date(2026, 9, 22)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Term
        django_get_or_create = ("code",)

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = 1
    code = factory.LazyAttribute(lambda o: o.academic_year.start_year * 10 + o.number)
    start_date = dt.date(2025, 9, 23)
    end_date = dt.date(2026, 1, 20)


class ClinicalSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClinicalSite

    university = factory.SubFactory(UniversityFactory)
    code = factory.Sequence(lambda n: f"site-{n}")
    name_fa = factory.Sequence(lambda n: f"بیمارستان آموزشی {n}")
    name_en = factory.Sequence(lambda n: f"Teaching Hospital {n}")
    kind = models.SiteKind.TEACHING_HOSPITAL
    governance = models.SiteGovernance.UNIVERSITY
    county = factory.SubFactory(CountyFactory)
