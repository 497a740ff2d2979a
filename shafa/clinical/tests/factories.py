"""Clinical test data: a tiny clinical year the engine solves in well under a second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from shafa.clinical.models import (
    Block,
    ClinicalYear,
    LearnerEnrollment,
    Offering,
    RotationType,
)
from shafa.institution.models import PhaseKind
from shafa.institution.tests.factories import AcademicYearFactory, ClinicalSiteFactory, ProgramFactory
from shafa.people.tests.factories import StudentFactory


@dataclass
class TinyYear:
    year: ClinicalYear
    blocks: list[Block]
    rotations: list[RotationType]
    sites: list[Any]
    offerings: list[Offering]
    enrollments: list[LearnerEnrollment] = field(default_factory=list)


def make_tiny_year(
    *,
    students: list[Any] | None = None,
    n_learners: int = 4,
    n_blocks: int = 3,
    capacity: int = 2,
    n_rotations: int = 2,
    n_sites: int = 2,
) -> TinyYear:
    """`n_learners` externs, `n_rotations` one-block required rotations, each at every site."""
    program = ProgramFactory()
    academic_year = AcademicYearFactory()
    year = ClinicalYear.objects.create(
        program=program, academic_year=academic_year, max_rotations_per_site=None
    )
    start = dt.date(2025, 9, 23)
    blocks = []
    for i in range(n_blocks):
        first = start + dt.timedelta(days=28 * i)
        blocks.append(
            Block.objects.create(
                year=year, number=i + 1, start_date=first, end_date=first + dt.timedelta(days=27)
            )
        )
    names = [
        ("داخلی", "Internal medicine"),
        ("جراحی", "Surgery"),
        ("کودکان", "Paediatrics"),
        ("زنان", "ObGyn"),
    ]
    rotations = [
        RotationType.objects.create(
            program=program,
            code=f"rot-{i}",
            phase=PhaseKind.EXTERNSHIP,
            duration_blocks=1,
            name_fa=names[i % 4][0],
            name_en=names[i % 4][1],
        )
        for i in range(n_rotations)
    ]
    sites = [ClinicalSiteFactory() for _ in range(n_sites)]
    offerings = [
        Offering.objects.create(year=year, rotation=rot, site=site, min_learners=0, max_learners=capacity)
        for rot in rotations
        for site in sites
    ]
    tiny = TinyYear(year, blocks, rotations, sites, offerings)
    students = list(students or [])
    while len(students) < n_learners:
        students.append(StudentFactory())
    for student in students:
        tiny.enrollments.append(
            LearnerEnrollment.objects.create(year=year, student=student, phase=PhaseKind.EXTERNSHIP)
        )
    return tiny
