"""Solver runs from the database: build the problem, solve a tiny year, store, explain, publish."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from shafa.clinical.models import Assignment, OfferingBlockCapacity, RunStatus, SolverRun
from shafa.clinical.scheduling.solver import Progress
from shafa.clinical.selectors.problem import problem_for_year
from shafa.clinical.selectors.runs import run_explanations
from shafa.clinical.services.runs import assignment_move, run_publish, run_start
from shafa.core.models import AuditEvent

from .factories import make_tiny_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sync_jobs")]


@pytest.fixture
def sync_jobs():
    with override_settings(SHAFA_JOBS_MODE="sync"):
        yield


def test_problem_built_from_the_year_in_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    tiny = make_tiny_year(n_learners=6)
    with django_assert_max_num_queries(16):
        bundle = problem_for_year(tiny.year.pk)
    problem = bundle.problem
    assert problem.n_blocks == 3
    assert {lr.id for lr in problem.learners} == {e.pk for e in tiny.enrollments}
    assert len(problem.offerings) == 4
    assert all(o.max_learners == [2, 2, 2] for o in problem.offerings)


def test_tiny_year_solved_and_stored(coordinator_nazanin) -> None:
    tiny = make_tiny_year()
    run = run_start(
        year=tiny.year, variant_label="A", seed=7, time_limit_seconds=3, actor=coordinator_nazanin
    )
    run.refresh_from_db()
    assert run.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE), run.explanations
    assert run.progress == 100
    rows = list(Assignment.objects.filter(run=run))
    # every learner does both rotations once
    assert len(rows) == 4 * 2
    for enr in tiny.enrollments:
        assert sorted(r.rotation_id for r in rows if r.enrollment_id == enr.pk) == sorted(
            r.pk for r in tiny.rotations
        )
    # capacity 2 per (rotation, site, block) is kept
    cells: dict = {}
    for r in rows:
        cells[(r.rotation_id, r.site_id, r.start)] = cells.get((r.rotation_id, r.site_id, r.start), 0) + 1
    assert max(cells.values()) <= 2
    assert run.histogram["sat_min"] is not None
    assert AuditEvent.objects.filter(model_label="clinical.SolverRun", object_id=str(run.pk)).exists()


def test_infeasible_year_explained_in_persian(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=5, n_blocks=2, capacity=1, n_sites=2)
    # 5 learners × 2 rotations, 2 blocks, 2 sites × 1 seat: 4 seats per rotation for 5 learners.
    run = run_start(year=tiny.year, variant_label="tight", time_limit_seconds=3, actor=coordinator_nazanin)
    run.refresh_from_db()
    assert run.status == RunStatus.INFEASIBLE
    assert not run.assignments.exists()
    codes = {e["code"] for e in run.explanations}
    assert codes, "an infeasible run must say why"
    with translation.override("fa"):
        texts = [item["text"] for item in run_explanations(run)]
    # the rotation by name, the blocks in Jalali with Persian digits, the shortfall in words
    assert any("داخلی" in text and "۱۴۰۴/۰۷/۰۱" in text and "جا کم است" in text for text in texts), texts
    with translation.override("en"):
        english = [item["text"] for item in run_explanations(run)]
    assert any("Internal medicine" in text and "seat(s) short" in text for text in english), english
    assert all("Traceback" not in text for text in texts)


def test_empty_calendar_is_a_clear_message(coordinator_nazanin) -> None:
    tiny = make_tiny_year()
    for block in tiny.blocks:
        block.delete()
    run = run_start(year=tiny.year, variant_label="x", time_limit_seconds=2, actor=coordinator_nazanin)
    run.refresh_from_db()
    assert run.status == RunStatus.INFEASIBLE
    assert run.explanations[0]["code"] == "empty_calendar"


def test_publish_keeps_one_published_run_per_year(coordinator_nazanin) -> None:
    tiny = make_tiny_year()
    first = run_start(
        year=tiny.year, variant_label="A", seed=1, time_limit_seconds=2, actor=coordinator_nazanin
    )
    second = run_start(
        year=tiny.year, variant_label="B", seed=2, time_limit_seconds=2, actor=coordinator_nazanin
    )
    run_publish(run=first, actor=coordinator_nazanin)
    run_publish(run=second, actor=coordinator_nazanin)
    assert list(SolverRun.objects.filter(published=True)) == [second]


def test_infeasible_run_cannot_be_published(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=5, n_blocks=2, capacity=1)
    run = run_start(year=tiny.year, variant_label="tight", time_limit_seconds=2, actor=coordinator_nazanin)
    with pytest.raises(ValidationError):
        run_publish(run=run, actor=coordinator_nazanin)


def test_manual_move_refused_when_it_breaks_a_rule_and_saved_when_it_fits(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=2, n_blocks=3, capacity=2)
    run = run_start(year=tiny.year, variant_label="A", time_limit_seconds=2, actor=coordinator_nazanin)
    a, b = Assignment.objects.filter(run=run, enrollment=tiny.enrollments[0]).order_by("start")
    # onto the block of the learner's other rotation: two places at once
    outcome = assignment_move(assignment=a, site_id=a.site_id, start=b.start, actor=coordinator_nazanin)
    assert not outcome.saved
    assert "double_booked" in {e["code"] for e in outcome.errors}
    # into the free block: fine
    free = ({1, 2, 3} - {a.start, b.start}).pop()
    outcome = assignment_move(assignment=a, site_id=tiny.sites[1].pk, start=free, actor=coordinator_nazanin)
    assert outcome.saved, outcome.errors
    a.refresh_from_db()
    assert (a.site_id, a.start, a.is_manual) == (tiny.sites[1].pk, free, True)
    assert AuditEvent.objects.filter(
        model_label="clinical.Assignment", object_id=str(a.pk), action="update"
    ).exists()


def test_capacity_override_reaches_the_engine() -> None:
    tiny = make_tiny_year()
    OfferingBlockCapacity.objects.create(offering=tiny.offerings[0], block=tiny.blocks[1], max_learners=0)
    bundle = problem_for_year(tiny.year)
    off = next(
        o
        for o in bundle.problem.offerings
        if (o.rotation, o.site) == (tiny.offerings[0].rotation_id, tiny.offerings[0].site_id)
    )
    assert list(off.max_learners) == [2, 0, 2]


def test_a_running_run_shows_the_engines_best_so_far(coordinator_nazanin, monkeypatch) -> None:
    """The engine reports its best schedule as it improves; the run's row shows it while running."""
    from shafa.clinical.services import runs as runs_service

    solve = runs_service.solve
    seen: list[tuple[Progress, tuple]] = []

    def watched(problem, options):
        record = options.on_progress

        def relay(progress: Progress) -> None:
            record(progress)
            row = SolverRun.objects.values_list(
                "status", "shortfall", "worst_satisfaction", "total_satisfaction"
            ).get()
            seen.append((progress, row))

        return solve(problem, dataclasses.replace(options, on_progress=relay))

    monkeypatch.setattr(runs_service, "solve", watched)
    tiny = make_tiny_year()
    run = run_start(
        year=tiny.year, variant_label="A", seed=7, time_limit_seconds=3, actor=coordinator_nazanin
    )
    assert seen
    for progress, row in seen:
        assert row == (RunStatus.RUNNING, progress.shortfall, progress.worst, progress.total)
    run.refresh_from_db()
    assert run.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE)
    last = seen[-1][0]
    assert (run.worst_satisfaction, run.total_satisfaction) >= (last.worst, last.total)
