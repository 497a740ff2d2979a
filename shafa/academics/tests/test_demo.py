"""The demo curricula load, look real, offer clash-free cohort timetables and load only once."""

from __future__ import annotations

import random

import pytest

from shafa.academics.demo import load_curricula
from shafa.academics.models import Course, Curriculum, Meeting, PassedCourse, RegistrationWindow, Section
from shafa.academics.services.registration import registration_create
from shafa.institution.tests.factories import ProgramFactory, SchoolFactory, TermFactory
from shafa.people.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def university_programs():
    school = SchoolFactory()
    md = ProgramFactory(school=school, code="md")
    nursing = ProgramFactory(
        school=school,
        code="bsc-nursing",
        degree_level="bachelor",
        duration_terms=8,
        max_duration_terms=12,
        credits_required=130,
    )
    return school.university, md, nursing


def test_load_curricula(university_programs):
    university, md, _nursing = university_programs
    term = TermFactory()  # 14041
    older = TermFactory(
        academic_year__start_year=1403,
        academic_year__start_date="2024-09-22",
        academic_year__end_date="2025-09-22",
        number=1,
    )
    student = StudentFactory(program=md, entry_term=older)  # in term 3 of MD in 14041

    counts = load_curricula(university, random.Random(1), "small")

    assert counts["curricula"] == 2
    assert Curriculum.objects.get(program=md).items.count() > 50
    assert Course.objects.get(code="MD-201").prerequisites.filter(code="MD-101").exists()
    assert Section.objects.filter(term=term, course__code="MD-301").exists()  # term 3 runs in Mehr
    assert not Section.objects.filter(term=term, course__code="MD-201").exists()  # term 2 does not
    # A cohort's weekly timetable never clashes with itself.
    md_term_1 = list(
        Meeting.objects.filter(
            section__course__curriculum_items__curriculum__program=md,
            section__course__curriculum_items__recommended_term=1,
            section__number=1,
        ).distinct()
    )
    for i, a in enumerate(md_term_1):
        for b in md_term_1[i + 1 :]:
            assert a.section.course_id == b.section.course_id or not a.overlaps(b)
    # The student has passed terms 1–2, and can register for term 3 today.
    assert PassedCourse.objects.filter(student=student, course__code="MD-101").exists()
    assert RegistrationWindow.objects.filter(term=term).exists()
    section = Section.objects.filter(term=term, course__code="MD-301").first()
    assert registration_create(student=student, section=section).status_code == 201

    assert load_curricula(university, random.Random(1), "small") == {}  # a second load changes nothing
