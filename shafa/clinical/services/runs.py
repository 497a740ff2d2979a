"""Solver runs: start one in the background, execute it, store its schedule, publish it, edit it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shafa.clinical.models import Assignment, Block, ClinicalYear, ManualLock, RunKind, RunStatus, SolverRun
from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.problem import Placement, Schedule
from shafa.clinical.scheduling.solver import Progress, SolveOptions, solve
from shafa.clinical.selectors.problem import ProblemBundle, problem_for_year
from shafa.core.audit import audit_context, audit_record

from .explanations import SOFT_CODES, explanation_dict
from .jobs import ProgressTicker, enqueue_solver_run, jobs_mode

logger = logging.getLogger(__name__)

ENGINE_STATUS = {
    "OPTIMAL": RunStatus.OPTIMAL,
    "FEASIBLE": RunStatus.FEASIBLE,
    "INFEASIBLE": RunStatus.INFEASIBLE,
    "UNKNOWN": RunStatus.UNKNOWN,
}
MAX_TIME_LIMIT = 3600
SOLVER_WORKERS = 2


@transaction.atomic
def run_start(
    *,
    year: ClinicalYear,
    variant_label: str,
    seed: int = 0,
    time_limit_seconds: int = 60,
    actor: Any = None,
    kind: str = RunKind.SOLVE,
    parent: SolverRun | None = None,
    enqueue: bool = True,
) -> SolverRun:
    """Queue a solver run of `year` and start it in the background; returns at once.

    `enqueue=False` leaves it queued for the caller to start (after linking what it needs).
    """
    if not 1 <= int(time_limit_seconds) <= MAX_TIME_LIMIT:
        raise ValidationError({"time_limit_seconds": _("The time limit must be 1 to 3600 seconds.")})
    if int(seed) < 0:
        raise ValidationError({"seed": _("The seed must be zero or positive.")})
    with audit_context(actor=actor, reason=_("Solver run started")):
        run = SolverRun(
            year=year,
            kind=kind,
            variant_label=(variant_label or "").strip()[:80] or _("Variant"),
            seed=int(seed),
            time_limit_seconds=int(time_limit_seconds),
            parent=parent,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        run.save()
    if enqueue:
        enqueue_solver_run(run.pk)
    return run


STALE_GRACE = dt.timedelta(minutes=10)


def run_fail_if_stale(run: SolverRun, now: dt.datetime | None = None) -> SolverRun:
    """An in-process run whose web process died never finishes: mark it failed after its time.

    Only in the embedded "thread" mode; a Celery queue may legitimately hold a run for longer.
    """
    if run.is_finished or jobs_mode() != "thread":
        return run
    now = now or timezone.now()
    since = run.started_at or run.created_at
    if since and now - since > dt.timedelta(seconds=run.time_limit_seconds) + STALE_GRACE:
        SolverRun.objects.filter(pk=run.pk, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
            status=RunStatus.FAILED,
            progress=100,
            finished_at=now,
            error="stale: the job stopped before finishing",
        )
        run.refresh_from_db()
    return run


def _calendar_problems(bundle: ProblemBundle) -> list[dict[str, Any]]:
    """Bad input caught before the engine: an empty or broken calendar, nobody to place."""
    found = []
    blocks = bundle.blocks
    if not blocks:
        found.append(explanation_dict("empty_calendar", {}, "The clinical year has no blocks."))
    for i, block in enumerate(blocks):
        if block.number != i + 1:
            found.append(
                explanation_dict(
                    "calendar_gap", {"block": i}, f"Block numbers must run 1..n; block {i + 1} is missing."
                )
            )
            break
        if i and block.start_date <= blocks[i - 1].end_date:
            found.append(
                explanation_dict(
                    "calendar_overlap", {"block": i}, f"Block {i + 1} starts before block {i} ends."
                )
            )
    if not bundle.problem.learners:
        found.append(
            explanation_dict("no_learners", {}, "No eligible learner is enrolled in the clinical year.")
        )
    if not bundle.problem.offerings:
        found.append(explanation_dict("no_offerings", {}, "The clinical year has no offerings."))
    return found


def schedule_of_run(run: SolverRun) -> Schedule:
    """The run's assignments in the engine's terms (0-based blocks)."""
    schedule: Schedule = {}
    for enr_id, rot_id, site_id, start, end in run.assignments.values_list(
        "enrollment_id", "rotation_id", "site_id", "start", "end"
    ):
        schedule.setdefault(enr_id, []).append(Placement(rot_id, site_id, start - 1, end - 1))
    for placements in schedule.values():
        placements.sort(key=lambda p: p.start)
    return schedule


def run_execute(run_id: int) -> None:
    """Solve the run (idempotent: a finished run is left alone) and store what the engine found."""
    run = SolverRun.objects.select_related("year", "parent").get(pk=run_id)
    if run.is_finished:
        return
    started = timezone.now()
    SolverRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=5, started_at=started)
    try:
        bundle = problem_for_year(run.year)
        bad = _calendar_problems(bundle)
        if bad:
            _store(run, bundle, status=RunStatus.INFEASIBLE, explanations=bad)
            return
        SolverRun.objects.filter(pk=run.pk).update(progress=10)
        with ProgressTicker(run.pk, run.time_limit_seconds):
            if run.kind == RunKind.REPLAN and run.parent_id:
                from .replan import replan_solve

                result, moved = replan_solve(run, bundle)
            else:
                result = solve(bundle.problem, _options(run, on_progress=_best_so_far(run.pk)))
                moved = []
        status = ENGINE_STATUS.get(result.status, RunStatus.UNKNOWN)
        explanations = [
            explanation_dict(e.code, e.params, e.message, fatal=getattr(e, "fatal", True))
            for e in (result.explanations or [])
        ]
        if status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE) and not result.scores.get("violations"):
            _store(run, bundle, status=status, result=result, explanations=explanations, moved=moved)
        else:
            if status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE):
                # The engine's answer breaks a rule by the checker's count: keep nothing, say which.
                status = RunStatus.UNKNOWN
                explanations += _broken_rules(bundle, result.schedule)
            _store(run, bundle, status=status, result=result, explanations=explanations)
    except Exception as exc:
        logger.exception("solver run %s failed", run_id)
        SolverRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, progress=100, error=str(exc)[:2000], finished_at=timezone.now()
        )


def _broken_rules(bundle: ProblemBundle, schedule: Schedule, limit: int = 20) -> list[dict[str, Any]]:
    found = check(bundle.problem, schedule).violations
    return [explanation_dict(v.code, v.params, v.message, fatal=False) for v in found[:limit]]


def _options(run: SolverRun, on_progress: Callable[[Progress], None] | None = None) -> SolveOptions:
    return SolveOptions(
        time_limit=float(run.time_limit_seconds),
        workers=SOLVER_WORKERS,
        seed=run.seed,
        mode="university",
        lottery_seed=run.seed,
        on_progress=on_progress,
    )


def _best_so_far(run_id: int) -> Callable[[Progress], None]:
    """Show the engine's best schedule so far on the running run (its page polls it); the
    finished run's own figures replace these when it is stored."""

    def record(progress: Progress) -> None:
        SolverRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            shortfall=progress.shortfall,
            worst_satisfaction=progress.worst,
            total_satisfaction=progress.total,
        )

    return record


@transaction.atomic
def _store(
    run: SolverRun,
    bundle: ProblemBundle,
    *,
    status: str,
    result: Any = None,
    explanations: list[dict[str, Any]] | None = None,
    moved: list[dict[str, Any]] | None = None,
) -> None:
    run = SolverRun.objects.select_for_update().get(pk=run.pk)
    with audit_context(actor=run.created_by, reason=_("Solver run finished")):
        run.status = status
        run.progress = 100
        run.finished_at = timezone.now()
        run.explanations = explanations or []
        run.moved = moved or []
        for enr in bundle.ineligible:
            run.explanations.append(
                explanation_dict(
                    "learner_ineligible",
                    {"learner": enr.pk, "reason": enr.eligibility_reason},
                    f"Learner {enr.pk} is not eligible: {enr.eligibility_reason}",
                    fatal=False,
                )
            )
        if result is not None:
            scores = result.scores or {}
            run.objective = result.objective
            run.bound = result.bound
            run.gap = result.gap
            run.seconds = result.seconds
            run.histogram = _jsonable(result.histogram or {})
            run.shortfall = scores.get("shortfall")
            run.worst_satisfaction = scores.get("worst")
            run.total_satisfaction = scores.get("total")
        if status in (RunStatus.OPTIMAL, RunStatus.FEASIBLE) and result is not None:
            run.assignments.all().delete()
            rows = [
                Assignment(
                    run=run,
                    enrollment_id=enr_id,
                    rotation_id=p.rotation,
                    site_id=p.site,
                    start=p.start + 1,
                    end=p.end + 1,
                )
                for enr_id, placements in result.schedule.items()
                for p in placements
            ]
            Assignment.objects.bulk_create(rows)
            audit_record(
                action="update",
                instance=run,
                changes={"assignments": [None, len(rows)]},
                reason=_("Schedule stored from the engine"),
            )
        run.save()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@transaction.atomic
def run_publish(*, run: SolverRun, actor: Any = None) -> SolverRun:
    """Publish a run: learners and sites now see it; the year's previous published run is withdrawn."""
    run = SolverRun.objects.select_for_update().get(pk=run.pk)
    if not run.has_schedule:
        raise ValidationError(_("Only a run with a schedule can be published."))
    if run.published:
        return run
    bundle = problem_for_year(run.year)
    result = check(bundle.problem, schedule_of_run(run))
    hard = [v for v in result.violations if v.code not in SOFT_CODES]
    if hard:
        raise ValidationError(
            _("The schedule breaks %(count)s rule(s); fix them before publishing.") % {"count": len(hard)}
        )
    with audit_context(actor=actor, reason=_("Schedule published")):
        for previous in SolverRun.objects.select_for_update().filter(year=run.year, published=True):
            previous.published = False
            previous.save()
        run.published = True
        run.published_at = timezone.now()
        run.save()
    return run


@dataclass
class MoveCheck:
    """What the engine's checker says of a proposed edit: refusals and warnings, as findings."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _violation_keys(violations: list[Any]) -> set[tuple[str, str]]:
    return {(v.code, repr(sorted(v.params.items(), key=lambda kv: kv[0]))) for v in violations}


def assignment_move_check(
    *, assignment: Assignment, site_id: int, start: int, bundle: ProblemBundle | None = None
) -> MoveCheck:
    """Check moving `assignment` to `site_id` from block `start` (1-based) against every rule."""
    run = assignment.run
    bundle = bundle or problem_for_year(run.year)
    schedule = schedule_of_run(run)
    before = check(bundle.problem, schedule)
    duration = assignment.end - assignment.start
    placements = [
        p for p in schedule.get(assignment.enrollment_id, []) if p.rotation != assignment.rotation_id
    ]
    placements.append(Placement(assignment.rotation_id, site_id, start - 1, start - 1 + duration))
    schedule[assignment.enrollment_id] = sorted(placements, key=lambda p: p.start)
    outcome = MoveCheck()
    if assignment.enrollment_id not in bundle.enrollments:
        outcome.errors.append(explanation_dict("not_eligible", {"learner": assignment.enrollment_id}, ""))
        return outcome
    if site_id not in bundle.sites:
        outcome.errors.append(
            explanation_dict(
                "not_eligible",
                {"learner": assignment.enrollment_id, "rotation": assignment.rotation_id, "site": site_id},
                "",
            )
        )
        return outcome
    after = check(bundle.problem, schedule)
    old = _violation_keys(before.violations)
    for violation in after.violations:
        key = (violation.code, repr(sorted(violation.params.items(), key=lambda kv: kv[0])))
        if key in old:
            continue
        item = explanation_dict(violation.code, violation.params, violation.message)
        (outcome.warnings if violation.code in SOFT_CODES else outcome.errors).append(item)
    return outcome


@transaction.atomic
def assignment_move(
    *, assignment: Assignment, site_id: int, start: int, actor: Any = None, reason: str = ""
) -> MoveCheck:
    """Move a draft assignment by hand; refused when it breaks a hard rule, saved with warnings otherwise."""
    assignment = Assignment.objects.select_for_update().select_related("run__year").get(pk=assignment.pk)
    if assignment.run.published:
        raise ValidationError(_("A published schedule changes only through swaps and re-plans."))
    if not assignment.run.has_schedule:
        raise ValidationError(_("This run has no schedule to edit."))
    outcome = assignment_move_check(assignment=assignment, site_id=site_id, start=start)
    if not outcome.ok:
        return outcome
    with audit_context(actor=actor, reason=reason or _("Moved by hand")):
        duration = assignment.end - assignment.start
        assignment.site_id = site_id
        assignment.start = start
        assignment.end = start + duration
        assignment.is_manual = True
        assignment.save()
    outcome.saved = True
    return outcome


@transaction.atomic
def lock_from_assignment(*, assignment: Assignment, actor: Any = None, reason: str = "") -> ManualLock:
    """Lock a learner's rotation where this assignment puts it: the engine keeps it in later runs."""
    year = assignment.run.year
    block = Block.objects.get(year=year, number=assignment.start)
    with audit_context(actor=actor, reason=reason or _("Locked by hand")):
        lock = ManualLock.objects.filter(
            enrollment=assignment.enrollment, rotation=assignment.rotation
        ).first()
        lock = lock or ManualLock(enrollment=assignment.enrollment, rotation=assignment.rotation)
        lock.site_id, lock.start_block, lock.reason = assignment.site_id, block, reason[:200]
        lock.save()
    return lock


@transaction.atomic
def lock_remove(*, lock: ManualLock, actor: Any = None) -> None:
    with audit_context(actor=actor, reason=_("Lock removed")):
        lock.delete()
