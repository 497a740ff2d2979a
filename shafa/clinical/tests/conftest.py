"""A published clinical year with Sara placed at Dr Karimi's site and Reza elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings

from shafa.clinical.models import Assignment, RunStatus, SolverRun
from shafa.institution.tests.factories import ClinicalSiteFactory

from .factories import TinyYear, make_tiny_year


@pytest.fixture(autouse=True)
def _sync_jobs():
    with override_settings(SHAFA_JOBS_MODE="sync"):
        yield


@dataclass
class Placed:
    tiny: TinyYear
    run: SolverRun
    sara: Any
    reza: Any
    karimi_site: Any
    other_site: Any
    sara_assignment: Assignment
    reza_assignment: Assignment


@pytest.fixture
def placed(db, student_sara, student_reza, preceptor_karimi) -> Placed:
    tiny = make_tiny_year(students=[student_sara, student_reza], n_learners=2, n_sites=0)
    karimi_site, other_site = preceptor_karimi.site, ClinicalSiteFactory()
    for site in (karimi_site, other_site):
        for rot in tiny.rotations:
            tiny.offerings.append(
                tiny.year.offerings.create(rotation=rot, site=site, min_learners=0, max_learners=2)
            )
    tiny.sites = [karimi_site, other_site]
    run = SolverRun.objects.create(year=tiny.year, variant_label="A", status=RunStatus.OPTIMAL, progress=100)
    sara, reza = tiny.enrollments
    rows = {}
    for enr, site, first in ((sara, karimi_site, 1), (reza, other_site, 2)):
        for i, rot in enumerate(tiny.rotations):
            rows[(enr.pk, i)] = Assignment.objects.create(
                run=run, enrollment=enr, rotation=rot, site=site, start=first + i, end=first + i
            )
    run.published = True
    run.save()
    return Placed(tiny, run, sara, reza, karimi_site, other_site, rows[(sara.pk, 0)], rows[(reza.pk, 0)])
