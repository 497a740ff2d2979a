"""Re-plan a published schedule after an event, keeping everyone in place unless moving is needed.

The event is saved on the year (a per-block capacity override, or a leave), a re-plan run is
queued, and the engine's re-planner (`scheduling.replan`) keeps every published placement that
the event does not force to move.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shafa.clinical.models import (
    Block,
    LearnerEnrollment,
    LearnerLeave,
    Offering,
    OfferingBlockCapacity,
    ReplanEvent,
    ReplanKind,
    RunKind,
    SolverRun,
)
from shafa.clinical.scheduling.problem import Placement, Schedule
from shafa.clinical.scheduling.replan import CapacityDrop, Leave, replan
from shafa.clinical.scheduling.solver import Result
from shafa.clinical.selectors.problem import ProblemBundle
from shafa.core.audit import audit_context

from .jobs import enqueue_solver_run
from .runs import SOLVER_WORKERS, run_start, schedule_of_run


@transaction.atomic
def replan_start(
    *,
    base_run: SolverRun,
    kind: str,
    block: Block,
    offering: Offering | None = None,
    new_capacity: int | None = None,
    enrollment: LearnerEnrollment | None = None,
    reason: str = "",
    time_limit_seconds: int = 30,
    actor: Any = None,
) -> ReplanEvent:
    """Record the event, apply it to the year, and start a re-plan run of the published schedule."""
    if not base_run.published:
        raise ValidationError(_("Only the published schedule is re-planned."))
    year = base_run.year
    if block.year_id != year.pk:
        raise ValidationError({"block": _("The block is not in this clinical year.")})
    with audit_context(actor=actor, reason=reason or _("Re-plan after an event")):
        if kind == ReplanKind.CAPACITY:
            if offering is None or new_capacity is None or offering.year_id != year.pk:
                raise ValidationError(_("Choose an offering of this year and its new capacity."))
            cap, _created = OfferingBlockCapacity.objects.get_or_create(
                offering=offering,
                block=block,
                defaults={"min_learners": 0, "max_learners": new_capacity, "reason": reason[:200]},
            )
            cap.max_learners = new_capacity
            cap.min_learners = min(cap.min_learners, new_capacity)
            cap.reason = reason[:200]
            cap.save()
        elif kind == ReplanKind.LEAVE:
            if enrollment is None or enrollment.year_id != year.pk:
                raise ValidationError(_("Choose a learner of this year."))
            LearnerLeave.objects.get_or_create(
                enrollment=enrollment, block=block, defaults={"reason": reason[:200]}
            )
        else:
            raise ValidationError(_("Unknown event."))
        event = ReplanEvent(
            year=year,
            kind=kind,
            block=block,
            offering=offering if kind == ReplanKind.CAPACITY else None,
            new_capacity=new_capacity if kind == ReplanKind.CAPACITY else None,
            enrollment=enrollment if kind == ReplanKind.LEAVE else None,
            reason=reason[:300],
            base_run=base_run,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        event.save()
        label = _("Re-plan: %(event)s") % {"event": event.get_kind_display()}
        run = run_start(
            year=year,
            variant_label=label[:80],
            seed=base_run.seed,
            time_limit_seconds=time_limit_seconds,
            actor=actor,
            kind=RunKind.REPLAN,
            parent=base_run,
            enqueue=False,
        )
        event.result_run = run
        event.save()
    enqueue_solver_run(run.pk)
    return event


def replan_events(run: SolverRun) -> list[Any]:
    """The run's event in the engine's terms (0-based blocks)."""
    events: list[Any] = []
    for event in ReplanEvent.objects.filter(result_run=run).select_related("block", "offering"):
        if event.kind == ReplanKind.CAPACITY and event.offering is not None:
            off, block = event.offering, event.block.index
            events.append(CapacityDrop(off.rotation_id, off.site_id, block, int(event.new_capacity or 0)))
        elif event.kind == ReplanKind.LEAVE and event.enrollment_id:
            events.append(Leave(event.enrollment_id, frozenset({event.block.index})))
    return events


def replan_solve(run: SolverRun, bundle: ProblemBundle) -> tuple[Result, list[dict[str, Any]]]:
    """Solve the re-plan run against its parent's schedule with the engine's re-planner.

    The year already carries the event (the problem is built after it was saved); the engine
    applies it again (idempotent) to find the directly affected learners, keeps everyone else
    where they are, and releases more learners only when it must.
    """
    assert run.parent is not None, "a re-plan run has the published run as parent"
    learners = {lr.id for lr in bundle.problem.learners}
    base = {lid: placements for lid, placements in schedule_of_run(run.parent).items() if lid in learners}
    for lid in learners:
        base.setdefault(lid, [])
    result = replan(
        bundle.problem,
        base,
        replan_events(run),
        time_limit=float(run.time_limit_seconds),
        workers=SOLVER_WORKERS,
        seed=run.seed,
    )
    return result, moves_between(base, result.schedule)


def moves_between(before: Schedule, after: Schedule) -> list[dict[str, Any]]:
    """Who moves: every placement whose site or blocks changed, as JSON-ready rows."""
    moved = []
    for learner, placements in after.items():
        old = {p.rotation: p for p in before.get(learner, [])}
        for p in placements:
            was: Placement | None = old.get(p.rotation)
            if was is None or (was.site, was.start) != (p.site, p.start):
                moved.append(
                    {
                        "learner": learner,
                        "rotation": p.rotation,
                        "from_site": was.site if was else None,
                        "from_start": was.start + 1 if was else None,
                        "to_site": p.site,
                        "to_start": p.start + 1,
                    }
                )
    return moved
