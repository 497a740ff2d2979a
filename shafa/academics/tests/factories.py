"""Factories for courses, sections, meetings, windows and registrations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from shafa.academics import models
from shafa.institution.tests.factories import ProgramFactory, TermFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Course

    code = factory.Sequence(lambda n: f"C{1000 + n}")
    title_fa = factory.Sequence(lambda n: f"درس {n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    course_type = models.CourseType.CORE
    theoretical_credits = Decimal("3")


class CurriculumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Curriculum

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"curriculum-{n}")
    title_fa = factory.Sequence(lambda n: f"برنامه درسی {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section
        skip_postgeneration_save = True

    term = factory.SubFactory(TermFactory)
    course = factory.SubFactory(CourseFactory)
    number = 1
    capacity = 30

    @factory.post_generation
    def meetings(self, create: bool, extracted: list[tuple[int, str, str]] | None, **kwargs: object) -> None:
        """meetings=[(weekday, "08:00", "10:00"), ...]"""
        if create and extracted:
            for weekday, start, end in extracted:
                models.Meeting.objects.create(
                    section=self,
                    weekday=weekday,
                    start_time=dt.time.fromisoformat(start),
                    end_time=dt.time.fromisoformat(end),
                    room="101",
                )


class RegistrationWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RegistrationWindow

    term = factory.SubFactory(TermFactory)
    phase = models.RegistrationPhase.MAIN
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
