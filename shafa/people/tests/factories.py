"""Factories for persons, students, faculty and preceptors, with valid national codes."""

from __future__ import annotations

import datetime as dt

import factory

from shafa.accounts.models import RoleAssignment, User
from shafa.core.validators import national_code_with_check_digit
from shafa.institution.tests.factories import (
    ClinicalSiteFactory,
    DepartmentFactory,
    ProgramFactory,
    TermFactory,
)
from shafa.people import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234-word")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for role in extracted:
                RoleAssignment.objects.get_or_create(user=self, role=role)
        self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    national_code = factory.Sequence(lambda n: national_code_with_check_digit(f"{1000000 + n:09d}"))
    first_name_fa = "سارا"
    last_name_fa = factory.Sequence(lambda n: f"احمدی{n}")
    first_name_en = "Sara"
    last_name_en = factory.Sequence(lambda n: f"Ahmadi{n}")
    sex = models.Sex.FEMALE
    birth_date = dt.date(2003, 5, 1)


class FacultyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FacultyMember

    person = factory.SubFactory(PersonFactory, first_name_fa="علی", first_name_en="Ali", sex="M")
    employee_number = factory.Sequence(lambda n: f"{500000 + n}")
    department = factory.SubFactory(DepartmentFactory)
    rank = models.FacultyRank.ASSISTANT_PROFESSOR


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Student

    person = factory.SubFactory(PersonFactory)
    student_number = factory.Sequence(lambda n: f"40311{n:04d}")
    program = factory.SubFactory(ProgramFactory)
    entry_term = factory.SubFactory(TermFactory)


class PreceptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Preceptor

    person = factory.SubFactory(PersonFactory, first_name_fa="رضا", first_name_en="Reza", sex="M")
    site = factory.SubFactory(ClinicalSiteFactory)
