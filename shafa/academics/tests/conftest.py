"""A term with an open main-registration window, and helpers to build sections quickly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shafa.academics.models import RegistrationPhase
from shafa.institution.tests.factories import TermFactory

from .factories import CourseFactory, RegistrationWindowFactory, SectionFactory


@pytest.fixture
def term(db):
    return TermFactory()


@pytest.fixture
def main_window(term):
    return RegistrationWindowFactory(term=term, phase=RegistrationPhase.MAIN)


@pytest.fixture
def make_section(term):
    counter = {"n": 0}

    def make(credits: str = "3", capacity: int = 30, meetings=None, exam_at=None, course=None, **kwargs):
        counter["n"] += 1
        n = counter["n"]
        if meetings is None:
            # Distinct slots so sections do not clash unless a test asks for it.
            meetings = [(n % 6, f"{7 + (n // 6) * 2:02d}:00", f"{8 + (n // 6) * 2:02d}:30")]
        course = course or CourseFactory(theoretical_credits=Decimal(credits))
        return SectionFactory(
            term=term, course=course, capacity=capacity, meetings=meetings, exam_at=exam_at, **kwargs
        )

    return make


@pytest.fixture
def exam_time():
    return timezone.make_aware(dt.datetime(2026, 1, 10, 9, 0))
