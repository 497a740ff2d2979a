"""Re-plan a published schedule after an event, moving as few learners as possible.

Strategy: the learners *directly affected* by the event (on leave in a block where they were
placed; placed in an offering/block whose capacity dropped below its current load) are
released; everybody else keeps their published placements (they only consume capacity).
The sub-model maximises satisfaction minus a large penalty per published placement that is
not kept (and a larger one per unmet minimum).  If that is infeasible, the released set grows
in rings (learners sharing the affected rotations/sites/blocks, then random others, then
everyone) until a schedule is found.
"""

from __future__ import annotations

import dataclasses
import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from . import model as M
from .checker import check
from .problem import Id, Offering, Problem, Schedule, compile_problem, from_index_schedule, to_index_schedule
from .solver import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, Result, State, histogram, repair_local


@dataclass(frozen=True)
class CapacityDrop:
    """The offering (rotation, site) takes at most ``new_max`` learners in ``block``."""

    rotation: Id
    site: Id
    block: int
    new_max: int


@dataclass(frozen=True)
class Leave:
    """Learner takes leave (becomes unavailable) in ``blocks``."""

    learner: Id
    blocks: frozenset[int]


Event = CapacityDrop | Leave


def apply_events(problem: Problem, events: list[Event]) -> Problem:
    p = dataclasses.replace(problem, offerings=list(problem.offerings), learners=list(problem.learners))
    for ev in events:
        if isinstance(ev, CapacityDrop):
            found = False
            for i, o in enumerate(p.offerings):
                if o.rotation == ev.rotation and o.site == ev.site:
                    mx = o.max_learners
                    mx = [mx] * p.n_blocks if isinstance(mx, int) else list(mx)
                    mn = o.min_learners
                    mn = [mn] * p.n_blocks if isinstance(mn, int) else list(mn)
                    mx[ev.block] = ev.new_max
                    mn[ev.block] = min(mn[ev.block], ev.new_max)
                    p.offerings[i] = Offering(o.rotation, o.site, tuple(mx), tuple(mn))
                    found = True
            if not found:
                raise ValueError(f"no offering {ev.rotation} at {ev.site}")
        elif isinstance(ev, Leave):
            for i, lr in enumerate(p.learners):
                if lr.id == ev.learner:
                    p.learners[i] = dataclasses.replace(
                        lr, unavailable_blocks=frozenset(lr.unavailable_blocks | ev.blocks)
                    )
        else:
            raise TypeError(f"unknown event {ev!r}")
    return p


def replan(
    problem: Problem,
    previous: Schedule,
    events: Event | list[Event],
    time_limit: float = 15.0,
    workers: int = 2,
    seed: int = 0,
    move_weight: int = 10_000,
) -> Result:
    """Re-solve after ``events`` keeping published placements unless moving is needed.
    ``Result.moved`` lists (learner, old placements, new placements) for every learner whose
    schedule changed; ``Result.scores['directly_affected']`` counts the learners the event
    hit directly."""
    t0 = time.time()
    evs = events if isinstance(events, list) else [events]
    p2 = apply_events(problem, evs)
    c = compile_problem(p2)
    prev = to_index_schedule(c, previous)
    rng = random.Random(seed)
    # directly affected learners
    affected: set[int] = set()
    for ev in evs:
        if isinstance(ev, Leave):
            s = c.lidx[ev.learner]
            if any(t in ev.blocks for (r, _h, st) in prev[s] for t in range(st, st + c.dur[r])):
                affected.add(s)
        else:
            r, h = c.ridx[ev.rotation], c.hidx[ev.site]
            inside = [
                s
                for s in range(c.S)
                if any(o[0] == r and o[1] == h and o[2] <= ev.block < o[2] + c.dur[r] for o in prev[s])
            ]
            if len(inside) > ev.new_max:
                affected.update(inside)  # the solver decides who leaves
    n_direct = len(affected)
    opts = {s: M.learner_options(c, s) for s in range(c.S)}
    deadline = t0 + time_limit
    # fast path for capacity drops: learner-local moves out of the over-full offering
    # (least satisfaction lost, never breaking a minimum), see solver.repair_local
    base = [list(x) for x in prev]
    leave_hit = {c.lidx[ev.learner] for ev in evs if isinstance(ev, Leave)} & affected
    if any(isinstance(ev, CapacityDrop) for ev in evs):
        st0 = State(c, base)
        if st0.violation() > 0:
            repair_local(c, st0, opts, rng, t0 + 0.4 * time_limit)
            base = [list(x) for x in st0.sched]
            if st0.violation() == 0:
                affected = {s for s in affected if base[s] == prev[s]} | leave_hit
    free = set(affected) if leave_hit or State(c, base).violation() > 0 else set()
    best = None if free else base
    status = UNKNOWN if free else FEASIBLE
    rings = 0
    related_rot: set[int] = set()
    for s in affected:
        related_rot.update(o[0] for o in prev[s])
    while free:
        left = deadline - time.time()
        if left <= 0.1:
            break
        learners = sorted(free)
        b = M.build(
            c,
            learners=learners,
            fixed=base,
            mode="mss",
            soft_min=True,
            soft_max=True,  # the published schedule (the hint) stays a solution
            shortfall_weight=move_weight * 100,
            fixed_min_sat=None,
            options={s: opts[s] for s in learners},
            move_penalty={s: set(prev[s]) for s in learners},
            move_weight=move_weight,
        )
        M.add_hint(b, base)
        sv = cp_model.CpSolver()
        sv.parameters.max_time_in_seconds = max(0.1, min(left, time_limit * 0.35))
        # hint-following single worker without presolve (see solver.Engine.subsolve)
        sv.parameters.num_workers = 1
        sv.parameters.cp_model_presolve = False
        sv.parameters.random_seed = seed
        res = sv.Solve(b.model)
        if res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = M.extract(b, sv)
            cand = [list(base[s]) if s not in free else new[s] for s in range(c.S)]
            st = State(c, cand)
            if st.violation() == 0:
                best = cand
                status = OPTIMAL if res == cp_model.OPTIMAL else FEASIBLE
                break
        if len(free) >= c.S:
            if res == cp_model.INFEASIBLE:
                status = INFEASIBLE
            break
        # grow the released set: twice as many, related learners (same rotations) first
        rings += 1
        ring = [s for s in range(c.S) if s not in free and any(o[0] in related_rot for o in prev[s])]
        rest = [s for s in range(c.S) if s not in free and s not in set(ring)]
        rng.shuffle(ring)
        rng.shuffle(rest)
        want = max(10, len(free))
        add = (ring + rest)[:want]
        if rings >= 4:
            add = ring + rest
        free.update(add)
    seconds = time.time() - t0
    if best is None:
        from .explain import explain_infeasible, precheck

        expl = [e for e in precheck(p2, c) if e.fatal]
        left = deadline - time.time()
        if not expl and left > 2:
            expl = explain_infeasible(p2, c, time_limit=left)
        return Result(
            previous,
            INFEASIBLE if any(e.fatal for e in expl) else status,
            None,
            None,
            None,
            None,
            seconds,
            explanations=expl,
            scores={"directly_affected": n_direct},
        )
    sched = from_index_schedule(c, best)
    chk = check(p2, sched)
    moved = []
    for s in range(c.S):
        if sorted(best[s]) != sorted(prev[s]):
            L = c.lid[s]
            moved.append((L, previous.get(L, []), sched[L]))
    st = State(c, best)
    return Result(
        schedule=sched,
        status=status if chk.feasible else UNKNOWN,
        objective=chk.score,
        bound=None,
        gap=None,
        seconds_to_first_feasible=seconds,
        seconds=seconds,
        histogram=histogram(c, best, st.sat),
        moved=moved,
        scores={
            "mss": chk.score,
            "directly_affected": n_direct,
            "released": len(free),
            "moved_learners": len(moved),
            "total": chk.total,
            "worst": chk.worst,
        },
    )
