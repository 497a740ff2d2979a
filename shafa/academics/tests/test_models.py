"""The database itself holds the registration invariants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from shafa.academics import models

from .factories import CourseFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_course_needs_some_credits():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(theoretical_credits=Decimal("0"))


def test_course_credits_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFactory(theoretical_credits=Decimal("2"), practical_credits=Decimal("-1"))


def test_course_credits_sum_the_split():
    course = CourseFactory(theoretical_credits=Decimal("1.5"), practical_credits=Decimal("0.5"))
    assert course.credits == Decimal("2.0")


def test_section_seats_never_exceed_capacity_in_the_database():
    section = SectionFactory(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Section.objects.filter(pk=section.pk).update(seats_taken=3)


def test_section_capacity_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(capacity=0)


def test_section_save_never_writes_back_a_stale_seat_count():
    section = SectionFactory(capacity=5)
    models.Section.objects.filter(pk=section.pk).update(seats_taken=4)
    section.capacity = 6  # section.seats_taken is still 0 in memory
    section.save()
    section.refresh_from_db()
    assert (section.capacity, section.seats_taken) == (6, 4)


def test_meeting_must_end_after_it_starts():
    section = SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Meeting.objects.create(
            section=section, weekday=0, start_time=dt.time(10), end_time=dt.time(9), room="1"
        )


def test_override_needs_a_reason(registrar_maryam, student_sara):
    section = SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.RegistrarOverride.objects.create(
            term=section.term, student=student_sara, kind="time_clash", reason="", granted_by=registrar_maryam
        )


def test_ledger_credits_within_cap(student_sara):
    section = SectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.RegistrationLedger.objects.create(
            student=student_sara, term=section.term, credits=Decimal("21"), max_credits=Decimal("20")
        )


def test_one_active_registration_per_course_per_term(student_sara):
    first = SectionFactory(number=1)
    second = SectionFactory(number=2, course=first.course, term=first.term)
    common = {"student": student_sara, "term": first.term, "course": first.course, "credits": 3}
    models.Registration.objects.create(section=first, status="registered", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Registration.objects.create(section=second, status="registered", **common)
    models.Registration.objects.filter(section=first).update(status="dropped")
    models.Registration.objects.create(section=second, status="registered", **common)
