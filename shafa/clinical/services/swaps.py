"""Swap requests: a learner proposes, the engine finds compatible swaps and cycles, the
coordinator approves and the published schedule changes (every change audited).

Proposals come from two places: the engine's swap finder (`scheduling.swaps.find_swaps`:
exchanges among the pending requests, pairs and longer cycles, each checked against every rule)
and, for a single request, a move into a free place or a two-way swap with a learner who holds
the wanted place (also checked with the engine's checker).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shafa.clinical.models import Assignment, LearnerEnrollment, Swap, SwapRequest, SwapStatus
from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.problem import Placement, Schedule
from shafa.clinical.scheduling.swaps import SwapRequest as EngineSwapRequest
from shafa.clinical.scheduling.swaps import Want, find_swaps
from shafa.clinical.selectors.problem import ProblemBundle, problem_for_year
from shafa.core.audit import audit_context

from .explanations import SOFT_CODES
from .runs import schedule_of_run

MAX_PARTNERS = 30
MAX_PROPOSALS = 10


def _hard_keys(bundle: ProblemBundle, schedule: Schedule) -> set[tuple[str, str]]:
    result = check(bundle.problem, schedule)
    return {(v.code, repr(sorted(v.params.items()))) for v in result.violations if v.code not in SOFT_CODES}


def _apply(schedule: Schedule, moves: list[dict[str, Any]], rows: dict[int, Assignment]) -> Schedule:
    out = {k: list(v) for k, v in schedule.items()}
    for move in moves:
        row = rows[move["assignment"]]
        duration = row.end - row.start
        placements = [p for p in out.get(row.enrollment_id, []) if p.rotation != row.rotation_id]
        placements.append(
            Placement(row.rotation_id, move["site"], move["start"] - 1, move["start"] - 1 + duration)
        )
        out[row.enrollment_id] = sorted(placements, key=lambda p: p.start)
    return out


def _wants(request: SwapRequest, site_id: int, start: int) -> bool:
    return (
        (request.wanted_start is None or request.wanted_start == start)
        and (request.wanted_site_id is None or request.wanted_site_id == site_id)
        and (site_id, start) != (request.assignment.site_id, request.assignment.start)
    )


def swap_proposals(request: SwapRequest, bundle: ProblemBundle | None = None) -> list[dict[str, Any]]:
    """Compatible ways to grant the request: a move into a free place, a two-way swap, a cycle."""
    run = request.run
    bundle = bundle or problem_for_year(run.year)
    schedule = schedule_of_run(run)
    all_rows = {a.pk: a for a in run.assignments.all()}
    by_learner: dict[int, list[Assignment]] = {}
    for a in all_rows.values():
        by_learner.setdefault(a.enrollment_id, []).append(a)
    rows = {pk: a for pk, a in all_rows.items() if a.rotation_id == request.assignment.rotation_id}
    mine = rows[request.assignment_id]

    def moving(row: Assignment, site_id: int, start: int) -> list[dict[str, Any]]:
        """Move `row`; a same-length placement of that learner in the way takes its old blocks."""
        moves = [{"assignment": row.pk, "learner": row.enrollment_id, "site": site_id, "start": start}]
        if start == row.start:
            return moves
        length = row.end - row.start
        for other in by_learner.get(row.enrollment_id, []):
            if other.pk != row.pk and other.start <= start + length and start <= other.end:
                if (other.start, other.end - other.start) != (start, length):
                    return moves  # not a clean exchange; the checker will refuse the plain move
                moves.append(
                    {
                        "assignment": other.pk,
                        "learner": row.enrollment_id,
                        "site": other.site_id,
                        "start": row.start,
                    }
                )
        return moves

    baseline = _hard_keys(bundle, schedule)
    proposals: list[dict[str, Any]] = []

    def fits(moves: list[dict[str, Any]]) -> bool:
        return not (_hard_keys(bundle, _apply(schedule, moves, all_rows)) - baseline)

    # 1. into a free place: every wanted (site, start) the rotation is offered at
    duration = mine.end - mine.start
    for site_id in bundle.sites:
        if (mine.rotation_id, site_id) not in bundle.offerings:
            continue
        for start in range(1, len(bundle.blocks) - duration + 1):
            if _wants(request, site_id, start):
                moves = moving(mine, site_id, start)
                if fits(moves):
                    proposals.append({"kind": "move", "moves": moves})
    # 2. two-way swaps with a learner holding a wanted place; 3. cycles through other requests
    pending = {
        r.assignment_id: r
        for r in SwapRequest.objects.filter(run=run, status=SwapStatus.PENDING)
        .exclude(pk=request.pk)
        .select_related("assignment")
    }
    partners = [row for row in rows.values() if row.pk != mine.pk and _wants(request, row.site_id, row.start)]
    partners.sort(key=lambda row: (row.pk not in pending, row.pk))
    for other in partners[:MAX_PARTNERS]:
        moves = moving(mine, other.site_id, other.start) + moving(other, mine.site_id, mine.start)
        if fits(moves):
            mutual = other.pk in pending and _wants(pending[other.pk], mine.site_id, mine.start)
            proposals.append({"kind": "swap", "moves": moves, "mutual": mutual})
    proposals += _engine_cycles(bundle, schedule, request, all_rows)
    proposals.sort(key=lambda p: ({"cycle": 0, "move": 1, "swap": 2}[p["kind"]], not p.get("mutual", False)))
    return proposals[:MAX_PROPOSALS]


def _engine_request(request: SwapRequest) -> EngineSwapRequest:
    a = request.assignment
    want = Want(
        rotation=a.rotation_id,
        site=request.wanted_site_id,
        start=request.wanted_start - 1 if request.wanted_start else None,
    )
    return EngineSwapRequest(
        a.enrollment_id, Placement(a.rotation_id, a.site_id, a.start - 1, a.end - 1), (want,)
    )


def _engine_cycles(
    bundle: ProblemBundle, schedule: Schedule, request: SwapRequest, rows: dict[int, Assignment]
) -> list[dict[str, Any]]:
    """Exchanges among the pending requests (pairs and cycles) that include `request`, from the engine."""
    pending = list(
        SwapRequest.objects.filter(run=request.run, status=SwapStatus.PENDING)
        .exclude(pk=request.pk)
        .select_related("assignment")
    )
    if not pending:
        return []
    by_give: dict[tuple[Any, Any], SwapRequest] = {
        (r.assignment.enrollment_id, r.assignment.rotation_id): r for r in [request, *pending]
    }
    row_of: dict[tuple[Any, Any], Assignment] = {(a.enrollment_id, a.rotation_id): a for a in rows.values()}
    found = find_swaps(bundle.problem, schedule, [_engine_request(r) for r in [request, *pending]])
    out = []
    for swap in found:
        if request.enrollment_id not in swap.learners:
            continue
        moves = [
            {
                "assignment": row_of[(who, gives.rotation)].pk,
                "learner": who,
                "site": receives.site,
                "start": receives.start + 1,
            }
            for who, gives, receives in swap.moves
        ]
        others = [
            by_give[(who, gives.rotation)].pk for who, gives, _r in swap.moves if who != request.enrollment_id
        ]
        out.append({"kind": "cycle", "moves": moves, "requests": others, "mutual": True})
    return out


@transaction.atomic
def swap_request_create(
    *,
    enrollment: LearnerEnrollment,
    assignment: Assignment,
    wanted_start: int | None = None,
    wanted_site_id: int | None = None,
    note: str = "",
    actor: Any = None,
) -> SwapRequest:
    """A learner asks to move one of their published placements; the engine looks for swaps at once."""
    if assignment.enrollment_id != enrollment.pk:
        raise ValidationError(_("You can ask to swap only your own rotations."))
    if not assignment.run.published:
        raise ValidationError(_("Swaps are requested on the published schedule."))
    if wanted_start is None and wanted_site_id is None:
        raise ValidationError(_("Say which block or which site you want."))
    if SwapRequest.objects.filter(assignment=assignment, status=SwapStatus.PENDING).exists():
        raise ValidationError(_("You already have a pending request for this rotation."))
    with audit_context(actor=actor, reason=_("Swap requested")):
        request = SwapRequest(
            run=assignment.run,
            enrollment=enrollment,
            assignment=assignment,
            wanted_start=wanted_start,
            wanted_site_id=wanted_site_id,
            note=note[:300],
        )
        request.save()
        request.proposals = swap_proposals(request)
        request.save()
    return request


@transaction.atomic
def swap_approve(*, request: SwapRequest, proposal: int, actor: Any = None) -> Swap:
    """Apply one of the engine's proposals to the published schedule, after checking it again."""
    request = SwapRequest.objects.select_for_update().select_related("run", "assignment").get(pk=request.pk)
    if request.status != SwapStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    fresh = swap_proposals(request)
    chosen = request.proposals[proposal] if 0 <= proposal < len(request.proposals) else None
    if chosen is None or chosen["moves"] not in [p["moves"] for p in fresh]:
        request.proposals = fresh
        request.save()
        raise ValidationError(
            _("The schedule has changed and this swap no longer fits; see the new proposals.")
        )
    with audit_context(actor=actor, reason=_("Swap approved")):
        rows = {
            a.pk: a
            for a in Assignment.objects.select_for_update().filter(
                pk__in=[m["assignment"] for m in chosen["moves"]]
            )
        }
        for move in chosen["moves"]:
            row = rows[move["assignment"]]
            duration = row.end - row.start
            row.site_id, row.start, row.end = move["site"], move["start"], move["start"] + duration
            row.save()
        swap = Swap(run=request.run, request=request, moves=chosen["moves"], approved_by=_user(actor))
        swap.save()
        decided = [request.pk, *chosen.get("requests", [])]
        for other in SwapRequest.objects.select_for_update().filter(pk__in=decided):
            other.status = SwapStatus.APPROVED
            other.decided_by = _user(actor)
            other.decided_at = timezone.now()
            other.save()
    return swap


@transaction.atomic
def swap_reject(*, request: SwapRequest, actor: Any = None, reason: str = "") -> SwapRequest:
    request = SwapRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SwapStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    with audit_context(actor=actor, reason=reason or _("Swap rejected")):
        request.status = SwapStatus.REJECTED
        request.decided_by = _user(actor)
        request.decided_at = timezone.now()
        request.save()
    return request


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
