"""Preference window, learners' preferences, capacities; background-job mode."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from shafa.clinical.models import RotationPreference
from shafa.clinical.selectors.problem import problem_for_year
from shafa.clinical.services.jobs import jobs_mode
from shafa.clinical.services.years import (
    offering_set_capacity,
    preferences_submit,
    year_set_preference_window,
)

from .factories import make_tiny_year

pytestmark = pytest.mark.django_db


def test_preferences_only_while_the_window_is_open(student_sara, coordinator_nazanin) -> None:
    tiny = make_tiny_year(students=[student_sara], n_learners=1)
    enrollment = tiny.enrollments[0]
    now = timezone.now()
    with pytest.raises(ValidationError):
        preferences_submit(
            enrollment=enrollment, rotation_ids=[tiny.rotations[1].pk], site_ids=[], block_ids=[]
        )
    year_set_preference_window(
        year=tiny.year,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        actor=coordinator_nazanin,
    )
    preferences_submit(
        enrollment=enrollment,
        rotation_ids=[tiny.rotations[1].pk, tiny.rotations[0].pk],
        site_ids=[tiny.sites[0].pk],
        block_ids=[tiny.blocks[2].pk],
    )
    assert list(
        RotationPreference.objects.filter(enrollment=enrollment).values_list("rotation_id", flat=True)
    ) == [
        tiny.rotations[1].pk,
        tiny.rotations[0].pk,
    ]
    learner = problem_for_year(tiny.year).problem.learners[0]
    assert learner.rotation_pref == {tiny.rotations[1].pk: 2, tiny.rotations[0].pk: 1}
    assert learner.block_pref == {2: 1}


def test_preferences_refuse_what_is_not_offered(student_sara) -> None:
    tiny = make_tiny_year(students=[student_sara], n_learners=1)
    now = timezone.now()
    year_set_preference_window(
        year=tiny.year, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        preferences_submit(enrollment=tiny.enrollments[0], rotation_ids=[999999], site_ids=[], block_ids=[])


def test_window_must_close_after_it_opens() -> None:
    tiny = make_tiny_year(n_learners=1)
    now = timezone.now()
    with pytest.raises(ValidationError):
        year_set_preference_window(year=tiny.year, opens_at=now, closes_at=now - dt.timedelta(hours=1))


def test_block_capacity_override(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=1)
    offering_set_capacity(
        offering=tiny.offerings[0],
        min_learners=0,
        max_learners=1,
        block=tiny.blocks[0],
        actor=coordinator_nazanin,
    )
    with pytest.raises(ValidationError):
        offering_set_capacity(offering=tiny.offerings[0], min_learners=3, max_learners=1)
    off = problem_for_year(tiny.year).problem.offerings[0]
    assert list(off.max_learners) == [1, 2, 2]


def test_jobs_mode_defaults() -> None:
    with override_settings(SHAFA_JOBS_MODE=None, CELERY_TASK_ALWAYS_EAGER=True):
        assert jobs_mode() == "thread"
    with override_settings(SHAFA_JOBS_MODE=None, CELERY_TASK_ALWAYS_EAGER=False):
        assert jobs_mode() == "celery"
    with override_settings(SHAFA_JOBS_MODE="sync"):
        assert jobs_mode() == "sync"
    with override_settings(SHAFA_JOBS_MODE="bogus"), pytest.raises(ValueError):
        jobs_mode()


def test_ineligible_learner_left_out_and_named(coordinator_nazanin) -> None:
    tiny = make_tiny_year(n_learners=3)
    out = tiny.enrollments[0]
    out.is_eligible = False
    out.eligibility_reason = "comprehensive exam not passed"
    out.save()
    bundle = problem_for_year(tiny.year)
    assert out.pk not in {lr.id for lr in bundle.problem.learners}
    assert bundle.ineligible == [out]


def test_celery_mode_enqueues_the_task_on_commit(
    django_capture_on_commit_callbacks, coordinator_nazanin
) -> None:
    from shafa.clinical.models import RunStatus
    from shafa.clinical.services.runs import run_start

    tiny = make_tiny_year(n_learners=2)
    with override_settings(SHAFA_JOBS_MODE="celery"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = run_start(
                year=tiny.year, variant_label="c", time_limit_seconds=1, actor=coordinator_nazanin
            )
        run.refresh_from_db()
        assert run.status == RunStatus.QUEUED  # nothing ran inside the request's transaction
        assert len(callbacks) == 1
        callbacks[0]()  # the broker delivers; in tests Celery runs eagerly
    run.refresh_from_db()
    assert run.status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE)


def test_a_thread_run_that_died_is_marked_failed() -> None:
    from shafa.clinical.models import RunStatus, SolverRun
    from shafa.clinical.services.runs import run_fail_if_stale

    tiny = make_tiny_year(n_learners=1)
    run = SolverRun.objects.create(
        year=tiny.year, variant_label="x", status=RunStatus.RUNNING, time_limit_seconds=60
    )
    run.started_at = timezone.now() - dt.timedelta(minutes=5)
    run.save()
    with override_settings(SHAFA_JOBS_MODE="thread"):
        assert run_fail_if_stale(run).status == RunStatus.RUNNING
        later = timezone.now() + dt.timedelta(minutes=10)
        assert run_fail_if_stale(run, now=later).status == RunStatus.FAILED
