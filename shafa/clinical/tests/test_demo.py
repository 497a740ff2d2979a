"""The demo university's clinical year loads, is consistent and is solvable."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from shafa.clinical.demo import load_clinical_year, publish_first_schedules
from shafa.clinical.models import ClinicalYear, SolverRun
from shafa.clinical.scheduling.explain import precheck
from shafa.clinical.selectors.problem import problem_for_year
from shafa.clinical.selectors.years import agreements_expiring

pytestmark = pytest.mark.django_db

demo = pytest.importorskip("shafa.demo.generate")


@pytest.fixture
def demo_university():
    demo.load(scale="small", password="demo-pass-1234")
    return demo.demo_university()


def test_demo_clinical_years(demo_university) -> None:
    # `shafa demo` loads this year's clinical years (MD externs and interns; nursing).
    years = list(ClinicalYear.objects.select_related("program"))
    assert {y.program.code for y in years} == {"md", "bsc-nursing"}
    md = next(y for y in years if y.program.code == "md")
    assert md.blocks.count() == 13
    phases = Counter(md.enrollments.values_list("phase", flat=True))
    assert phases["externship"] > 0 and phases["internship"] > 0
    # the persona Sara (an extern) is enrolled, so her page shows the year
    assert md.enrollments.filter(student__person__user__username="student").exists()
    assert md.offerings.filter(site__kind="health_centre").exists()
    for year in years:
        bundle = problem_for_year(year)
        assert not [e for e in precheck(bundle.problem) if e.fatal], year
    assert agreements_expiring(60).exists()
    # a second call changes nothing
    assert load_clinical_year(demo_university, random.Random(5), "small") == []
    assert ClinicalYear.objects.count() == 2


def test_demo_can_publish_a_first_schedule(demo_university) -> None:
    years = list(ClinicalYear.objects.all())
    assert not SolverRun.objects.exists()  # the small demo leaves the year unsolved
    publish_first_schedules(years, solve_seconds=3)
    published = SolverRun.objects.filter(published=True)
    assert published.count() == len(years) == 2
    sara = published.get(year__program__code="md").assignments.filter(
        enrollment__student__person__user__username="student"
    )
    assert sara.exists()
