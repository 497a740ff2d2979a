"""Fixtures for the grades, standing, evaluation and transcript tests (imported by those modules).

A section taught by faculty_tehrani whose exam was yesterday, students enrolled directly (the
registration rules are tested elsewhere), a colleague who does not teach it, a questionnaire.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shafa.academics.models import (
    EvaluationQuestion,
    EvaluationQuestionnaire,
    GradingMode,
    Registration,
    RegistrationStatus,
)
from shafa.accounts.models import Role
from shafa.institution.tests.factories import AcademicYearFactory, TermFactory

from .factories import CourseFactory, SectionFactory


def enrol(student, section, status=RegistrationStatus.REGISTERED):
    return Registration.objects.create(
        student=student,
        section=section,
        term=section.term,
        course=section.course,
        status=status,
        credits=section.course.credits,
        registered_at=timezone.now(),
    )


def term_of(year: int, number: int):
    return TermFactory(academic_year=AcademicYearFactory(start_year=year), number=number)


def make_taught_section(term, teacher, *, credits="3", grading=GradingMode.GRADED, course=None, number=1):
    course = course or CourseFactory(theoretical_credits=Decimal(credits), grading=grading)
    section = SectionFactory(
        term=term, course=course, number=number, exam_at=timezone.now() - dt.timedelta(days=1)
    )
    section.instructors.add(teacher)
    return section


@pytest.fixture
def grade_term(db):
    return term_of(1404, 1)


@pytest.fixture
def taught_section(grade_term, faculty_tehrani):
    return make_taught_section(grade_term, faculty_tehrani)


@pytest.fixture
def faculty_ahmadi(db, make_user):
    from shafa.people.tests.factories import FacultyMemberFactory, PersonFactory

    user = make_user("ahmadi", Role.FACULTY)
    person = PersonFactory(
        first_name_fa="علی", last_name_fa="احمدی", first_name_en="Ali", last_name_en="Ahmadi", user=user
    )
    return FacultyMemberFactory(person=person)


@pytest.fixture
def questionnaire(db):
    q = EvaluationQuestionnaire.objects.create(
        code="general", title_fa="ارزشیابی استاد", title_en="Teacher evaluation"
    )
    for order, (fa, en) in enumerate(
        [
            ("استاد به موقع در کلاس حاضر می‌شد.", "The teacher came to class on time."),
            ("مطالب با بیان روشن ارائه می‌شد.", "The material was presented clearly."),
            ("ارزشیابی دانشجو منصفانه بود.", "Assessment was fair."),
        ],
        start=1,
    ):
        EvaluationQuestion.objects.create(questionnaire=q, order=order, text_fa=fa, text_en=en)
    return q


def answers_for(questionnaire, score=4):
    return {question.pk: score for question in questionnaire.questions.all()}
