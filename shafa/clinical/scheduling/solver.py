"""Solver: per-learner construction + CP-SAT large-neighbourhood search (+ full-model polish).

Pipeline (see docs/adr/0100-rotation-engine.md):

1. cheap necessary-condition checks (:mod:`explain`); fatal findings -> INFEASIBLE with
   explanations, no search.
2. *Construction*: every learner's own best schedule, ignoring the other learners (a small
   CP-SAT per learner).  Its optimum ``ub[s]`` bounds SatTot(s), so
   ``sum(ub) + min(ub)`` is a valid upper bound of the MSS score (the "per-learner bound").
3. *Repair*: LNS with minimums/maximums soft (penalised) until no staffing violation is left.
4. *Improve*: best responses, then (MSS) simulated annealing (:mod:`anneal`) for 60 % of
   the time, then LNS on the true objective (sub-model over a few learners, everyone else
   fixed, capacities residual), neighbourhood size adapted to the sub-solve's speed.
5. *Polish/prove*: if the full model is small enough, one CP-SAT run on it hinted with the
   incumbent (its bound tightens the proven bound).
"""

from __future__ import annotations

import contextlib
import math
import operator
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from . import model as M
from .checker import check
from .problem import Compiled, IndexSchedule, Problem, Schedule, compile_problem, from_index_schedule

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"
_start = operator.itemgetter(2)  # an option's start block
_REPAIR_WEIGHT = 1000  # points per broken seat when annealing a schedule that breaks some
_ANNEAL_SHARE = 0.6  # of the improvement time, before the LNS (MSS; see Engine.anneal)


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    mode: str = "mss"  # "mss" | "university"
    lottery_seed: int | None = None  # university mode: published seed for the tie-break
    deterministic: bool = False  # fixed iteration counts + deterministic time limits
    full_model_max_vars: int = 60_000
    # a whole-problem feasibility model when construction and local repair leave violations
    feasibility_max_vars: int = 120_000
    verbose: bool = False
    lns_iterations: int | None = None  # deterministic mode: number of LNS iterations
    # called with a `Progress` as the best schedule improves (at most about once a second)
    on_progress: Callable[[Progress], None] | None = None


@dataclass(frozen=True)
class Progress:
    """The best schedule so far, as the engine works: what a coordinator watches during a run."""

    seconds: float
    phase: str  # "repair" (rules still broken) or "improvement"
    shortfall: int  # learners missing under the minimums, summed over offerings and blocks
    broken: int  # other rule breaks still to repair (over a maximum, a learner's own rules)
    worst: int  # the worst-off learner's satisfaction
    total: int  # total satisfaction


@dataclass
class Result:
    schedule: Schedule
    status: str
    objective: int | None  # MSS score (mss mode) / university: see `scores`
    bound: int | None
    gap: float | None  # (bound - objective) / |objective|
    seconds_to_first_feasible: float | None
    seconds: float
    histogram: dict[str, Any] = field(default_factory=dict)
    explanations: list = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    moved: list = field(default_factory=list)  # re-plan: (learner, old placement, new)
    log: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- evaluation
def learner_sat(
    c: Compiled, s: int, opts: list[tuple[int, int, int]], values: dict[M.Option, int] | None = None
) -> int:
    """Exact SatTot of one learner (index form), same rules as the checker.  ``values`` holds
    :func:`model.option_value` of the learner's options, precomputed (the annealing's hot path:
    one pass over the placements in block order)."""
    if not opts:
        return 0
    _w1, _w2, w3, w4 = c.w[s]
    dur = c.dur
    v = changes = attended = last = 0
    prev = -1
    for o in sorted(opts, key=_start):
        r, h, st = o
        v += values[o] if values is not None else M.option_value(c, s, o)
        d = dur[r]
        attended += d
        if st + d > last:
            last = st + d
        if h != prev and prev >= 0:
            changes += 1
        prev = h
    return v + w3 * changes + w4 * (last - attended)


class State:
    def __init__(self, c: Compiled, sched: IndexSchedule):
        self.c = c
        self.sched = [list(x) for x in sched]
        self.occ = [[[0] * c.T for _ in range(c.R)] for _ in range(c.H)]
        for s in range(c.S):
            self._add(s, 1)
        self.sat = [learner_sat(c, s, self.sched[s]) for s in range(c.S)]
        self.local = [self._local(s) for s in range(c.S)]

    def _local(self, s: int) -> int:
        """Learner-local violations: missing/extra rotations per group (+1 if invalid)."""
        c = self.c
        cnt = [0] * c.G
        for r, _h, _st in self.sched[s]:
            cnt[c.rgroup[r]] += 1
        v = sum(abs(cnt[g] - c.need[s][g]) for g in range(c.G))
        if self.sched[s] and not learner_valid(c, s, self.sched[s]):
            v += 1
        return v

    def _add(self, s: int, sign: int) -> None:
        for r, h, st in self.sched[s]:
            for t in range(st, st + self.c.dur[r]):
                self.occ[h][r][t] += sign

    def set(self, s: int, opts: list) -> None:
        self._add(s, -1)
        self.sched[s] = list(opts)
        self._add(s, 1)
        self.sat[s] = learner_sat(self.c, s, self.sched[s])
        self.local[s] = self._local(s)

    def violation_cells(self) -> list[tuple[int, int, int, int]]:
        c = self.c
        out = []
        for h in range(c.H):
            for r in range(c.R):
                oc, mn, mx = self.occ[h][r], c.mincap[h][r], c.maxcap[h][r]
                for t in range(c.T):
                    if oc[t] < mn[t]:
                        out.append((h, r, t, mn[t] - oc[t]))
                    elif oc[t] > mx[t]:
                        out.append((h, r, t, oc[t] - mx[t]))
        return out

    def violation(self) -> int:
        return sum(v[3] for v in self.violation_cells()) + 10 * sum(self.local)

    def score(self) -> int:
        return sum(self.sat) + (min(self.sat) if self.sat else 0)


def university_key(st: State) -> tuple:
    return (-st.violation(), min(st.sat) if st.sat else 0, sum(st.sat))


# --------------------------------------------------------------------------- helpers
def _params(sv: cp_model.CpSolver, limit: float, workers: int, seed: int, det: bool) -> None:
    if det:
        sv.parameters.max_deterministic_time = max(limit, 0.01)
        sv.parameters.num_workers = 1
    else:
        sv.parameters.max_time_in_seconds = max(limit, 0.01)
        sv.parameters.num_workers = workers
    sv.parameters.random_seed = seed
    sv.parameters.log_search_progress = False


def histogram(c: Compiled, sched: IndexSchedule, sat: list[int]) -> dict[str, Any]:
    """How many learners got their 1st, 2nd, ... rotation / site choice (by preference rank,
    1 = most preferred; ties share the best rank), and the worst-off learner."""
    rot_hist: dict[int, int] = {}
    site_hist: dict[int, int] = {}
    for s in range(c.S):
        pr = c.pref_rot[s]
        ps = c.pref_site[s]
        for r, h, _st in sched[s]:
            rk = 1 + sum(1 for r2 in range(c.R) if c.allowed[s][r2] and pr[r2] > pr[r])
            hk = 1 + sum(1 for v in ps if v > ps[h])
            rot_hist[rk] = rot_hist.get(rk, 0) + 1
            site_hist[hk] = site_hist.get(hk, 0) + 1
    worst = min(range(c.S), key=lambda s: sat[s]) if c.S else None
    return {
        "rotation_choice_rank": dict(sorted(rot_hist.items())),
        "site_choice_rank": dict(sorted(site_hist.items())),
        "worst_learner": c.lid[worst] if worst is not None else None,
        "worst_sat": sat[worst] if worst is not None else None,
        "sat_min": min(sat) if sat else None,
        "sat_mean": (sum(sat) / len(sat)) if sat else None,
        "sat_max": max(sat) if sat else None,
    }


# --------------------------------------------------------------------------- main
class Engine:
    def __init__(self, c: Compiled, opt: SolveOptions):
        self.c = c
        self.opt = opt
        self.t0 = time.time()
        self.deadline = self.t0 + opt.time_limit
        self.rng = random.Random(opt.seed)
        self.opts = {s: M.learner_options(c, s) for s in range(c.S)}
        self.first_feasible: float | None = None
        self.log: list[str] = []
        self.bound: int | None = None
        self.restarts = 0
        self.repair_only = False
        self.target = 4000.0
        self.release: frozenset = frozenset()
        self.full_status: str | None = None
        self.lag_bound: int | None = None
        self.lag_proc: Any = None
        self.align = False  # repair LNS on aligned starts only (see lopts)
        self.aligned: dict[int, list] | None = None
        self.hr: list[set[tuple[int, int]]] | None = None  # (site, rotation) pairs per learner
        self.on_progress = opt.on_progress
        self.reported_at = -math.inf  # last call of on_progress (see report)
        self.reported_clean = False
        self.responders: list[int] | None = None  # learners with an exact best response
        self.dp: Any = None  # their DP (lagrange.Lagrangian), built on first use
        self.priced = False  # the start comes mostly from the Lagrangian's priced plans
        self.annealer: Any = None  # simulated annealing (MSS), built on first use

    def left(self) -> float:
        return self.deadline - time.time()

    def say(self, msg: str) -> None:
        line = f"[{time.time() - self.t0:7.2f}s] {msg}"
        self.log.append(line)
        if self.opt.verbose:
            print(line, flush=True)

    # -- construction ----------------------------------------------------------------
    def construct(self) -> IndexSchedule:
        """Greedy per learner (a few randomised tries); a learner the greedy cannot place
        gets a single-learner CP-SAT solve against the residual capacities."""
        c = self.c
        occ = [[[0] * c.T for _ in range(c.R)] for _ in range(c.H)]
        sched: IndexSchedule = [[] for _ in range(c.S)]
        order = sorted(range(c.S), key=lambda s: len(self.opts[s]))
        if self.restarts:
            self.rng.shuffle(order)
        failed = []
        for s in order:
            res = None
            for attempt in range(30):
                res = greedy_learner(
                    c,
                    s,
                    self.opts[s],
                    occ,
                    self.rng,
                    noise=0.0 if attempt == 0 else 2.0,
                    delay=0 if attempt % 2 == 0 else 1,
                )
                if res is not None:
                    break
            if res is None:
                failed.append(s)
            else:
                sched[s] = res
        # learners the greedy could not place: one CP-SAT feasibility model for all of
        # them against the residual capacities (fast), then one by one if that fails
        # (rotations of length d started at multiples of d first: a far smaller model that
        # CP-SAT solves in ~1 s where the full one needs ~6 s, I80_24_4; then all starts)
        aligned = {s: [o for o in self.opts[s] if o[2] % c.dur[o[0]] == 0] for s in failed}
        has_aligned = any(len(aligned[s]) < len(self.opts[s]) for s in failed)
        batches: list[tuple[list[int], bool]] = []
        for group in ([failed] if len(failed) > 1 else []) + [[s] for s in failed]:
            if has_aligned:
                batches.append((group, True))
            batches.append((group, False))
        for batch, align in batches:
            batch = [s for s in batch if not sched[s]]
            if not batch:
                continue
            b = M.build(
                c,
                learners=batch,
                fixed=sched,
                mode="feasibility",
                ignore_min=True,
                options={s: (aligned[s] if align else self.opts[s]) for s in batch},
            )
            sv = cp_model.CpSolver()
            _params(
                sv,
                min(10.0, max(1.0, self.left() / (20 if align else 10))),
                self.opt.workers,
                self.opt.seed,
                self.opt.deterministic,
            )
            r = sv.Solve(b.model)
            if r in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = M.extract(b, sv)
                for s in batch:
                    sched[s] = new[s]
        self.say(f"greedy: {c.S - len(failed)} placed greedily, {len(failed)} by CP-SAT")
        return sched

    def mask_learners(self) -> list[int]:
        """Learners with an exact DP ("mask" mode, :func:`lagrange.mask_learners`)."""
        if self.responders is None:
            from .lagrange import mask_learners

            self.responders = mask_learners(self.c, self.opts)
        return self.responders

    def lagrangian(self) -> Any:
        """The engine's own Lagrangian DP (the bound runs in another process), built once for
        the priced start and the best responses."""
        if self.dp is None:
            from .lagrange import Lagrangian

            self.dp = Lagrangian(self.c, self.opts)
        return self.dp

    def mostly_exact(self) -> bool:
        """At least half the learners have an exact DP ("mask" mode): only then are most
        relaxed plans schedules a learner may keep.  On the 24-discipline MSS instances (count
        mode) the priced start fell back to the construction and cost its time (100 s runs:
        I40_24_1 7,034 with it, 7,199 without)."""
        return 2 * len(self.mask_learners()) >= self.c.S

    def priced_start(self, st: State, budget: float) -> State:
        """A start built from prices: the Lagrangian's relaxed plans (each learner's best
        schedule against the multipliers of the staffing limits, :mod:`lagrange`) at its best
        few iterations, each repaired by learner-local moves; the best of them and ``st`` by
        (rules, objective).  Good multipliers spread the learners over the offerings as the
        limits want, so the plans are nearly feasible and score near the bound: on I240_12_1,
        20,062 with 4 violations left after repair, against 18,754 with 28 from the greedy
        construction (best known 19,948).  A plan the relaxation lets break a learner's own
        rules (count mode) is replaced by the learner's schedule in ``st``."""
        c = self.c
        t_end = time.time() + budget
        lg = self.lagrangian()
        target = float(st.score())
        lg.run(0.6 * budget, incumbent=lambda: target, keep_plans=3)
        best = st
        for _L, plans in lg.best_plans:
            if time.time() >= t_end:
                break
            valid = [bool(p) and learner_valid(c, s, p) for s, p in enumerate(plans)]
            sched = [p if ok else st.sched[s] for s, (p, ok) in enumerate(zip(plans, valid, strict=True))]
            cand = State(c, sched)
            v0 = cand.violation()
            if v0 > 0:
                self.local_repair(cand, max(0.5, (t_end - time.time()) / 2))
            self.say(
                f"priced start: {sum(valid)} of {c.S} plans, violation {v0} -> {cand.violation()}, "
                f"score={cand.score()}"
            )
            if self.key(cand) > self.key(best):
                best = cand
                # mostly priced plans (not count-mode learners' fallbacks): a start to keep
                self.priced = 2 * sum(valid) >= c.S
        return best

    def learner_bound(self, budget: float) -> int | None:
        """sum(ub) + min(ub) where ub[s] bounds learner s's SatTot alone (CP-SAT per
        learner; the proven bound of a time-limited solve is still valid)."""
        c = self.c
        ubs = []
        t_end = time.time() + budget
        for i, s in enumerate(range(c.S)):
            remaining = t_end - time.time()
            if remaining <= 0.02 * (c.S - i):  # out of time: trivial bound for the rest
                ubs.append(M.sat_bounds(c, s, self.opts[s])[1])
                continue
            per = remaining / (c.S - i)
            b = M.build(c, learners=[s], mode="mss", ignore_min=True, options={s: self.opts[s]})
            sv = cp_model.CpSolver()
            _params(sv, per, 1, self.opt.seed, False)
            r = sv.Solve(b.model)
            if r == cp_model.INFEASIBLE:
                return None
            if r in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                ubs.append(math.floor(sv.BestObjectiveBound() / 2 + 1e-9))
            else:  # no proof at all: the trivial bound of the learner
                ubs.append(M.sat_bounds(c, s, self.opts[s])[1])
        return sum(ubs) + min(ubs, default=0)

    def local_repair(self, st: State, budget: float, chunk: float = 2.5) -> int:
        """:func:`repair_local` in chunks of ``chunk`` seconds for as long as a chunk still
        removes >= 3 % of the violation (within ``budget``).  Learner-local moves cut the
        violation far faster than the repair LNS while they last: on I80_24_4, 347 -> 46
        in 15 s, where the LNS took 45 s for 352 -> 77."""
        end = time.time() + max(1.0, budget)
        moves = 0
        while st.violation() > 0 and time.time() < end:
            before = st.violation()
            moves += repair_local(self.c, st, self.opts, self.rng, min(end, time.time() + chunk))
            if before - st.violation() < max(1, 0.03 * before):
                break
        return moves

    # -- LNS -------------------------------------------------------------------------
    def lopts(self, st: State, s: int) -> list:
        """Options the LNS offers learner s: all of them, or while repairing with
        ``self.align`` only starts at multiples of the duration (plus the current
        placements) -- a sub-model a quarter the size on duration-4 instances, so the
        repair covers more learners per solve."""
        if not self.align:
            return self.opts[s]
        if self.aligned is None:
            c = self.c
            self.aligned = {x: [o for o in self.opts[x] if o[2] % c.dur[o[0]] == 0] for x in range(c.S)}
        al = self.aligned[s]
        extra = [o for o in st.sched[s] if o[2] % self.c.dur[o[0]] != 0]
        return al + extra if extra else al

    def window_options(
        self, st: State, s: int, a: int, b: int, release: frozenset = frozenset()
    ) -> tuple[list, list]:
        """Options of learner s when only placements inside blocks [a, b] (and placements
        of the ``release`` rotations, which may move into the window) may change."""
        c = self.c
        if a > b:  # release-only neighbourhood: only the released rotations move
            a, b = 0, c.T - 1
            forced = [o for o in st.sched[s] if o[0] not in release]
            fr = {o[0] for o in forced}
            busy = {t for (r, _h, s0) in forced for t in range(s0, s0 + c.dur[r])}
            opts = [
                o
                for o in self.lopts(st, s)
                if o[0] in release
                and o[0] not in fr
                and not any(t in busy for t in range(o[2], o[2] + c.dur[o[0]]))
            ]
            return opts + forced, forced
        forced = [
            o for o in st.sched[s] if not (o[2] >= a and o[2] + c.dur[o[0]] - 1 <= b) and o[0] not in release
        ]
        busy = set()
        fr = set()
        for r, _h, s0 in forced:
            fr.add(r)
            busy.update(range(s0, s0 + c.dur[r]))
        opts = [
            o
            for o in self.lopts(st, s)
            if o[0] not in fr
            and o[2] >= a
            and o[2] + c.dur[o[0]] - 1 <= b
            and not any(t in busy for t in range(o[2], o[2] + c.dur[o[0]]))
        ]
        return opts + forced, forced

    def subsolve(
        self,
        st: State,
        free: list[int],
        limit: float,
        soft: bool,
        window: tuple[int, int] | None = None,
        release: frozenset = frozenset(),
    ) -> tuple[bool, str]:
        c = self.c
        fixed_min = min((st.sat[s] for s in range(c.S) if s not in set(free)), default=None)
        mode = self.opt.mode
        if soft and st.violation() > 0 and self.repair_only:
            mode = "repair"  # staffing first: minimise violations only (much lighter model)
        if window is None:
            options = {s: self.lopts(st, s) for s in free}
            forced = None
        else:
            options, forced = {}, {}
            for s in free:
                options[s], forced[s] = self.window_options(st, s, *window, release)
        b = M.build(
            c,
            learners=free,
            fixed=st.sched,
            mode=mode,
            soft_min=soft,
            soft_max=soft,
            shortfall_weight=10_000,
            fixed_min_sat=fixed_min,
            options=options,
            forced=forced,
            lottery_seed=(self.opt.lottery_seed if mode == "university" else None),
            lottery_scale=(4 if mode == "university" and self.opt.lottery_seed is not None else 0),
        )
        M.add_hint(b, st.sched)
        sv = cp_model.CpSolver()
        # small sub-models: one worker without presolve follows the hint and improves it
        # far faster than the parallel portfolio (measured on I80_12_1)
        # (repair-only models: the 2-worker portfolio without presolve cut violations ~5x
        # faster than one worker on I240_12_1)
        _params(
            sv,
            limit,
            self.opt.workers if mode == "repair" else 1,
            self.rng.randrange(1 << 30),
            self.opt.deterministic,
        )
        sv.parameters.cp_model_presolve = False
        res = sv.Solve(b.model)
        status = sv.StatusName(res)
        if res not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False, status
        new = M.extract(b, sv)
        old = {s: st.sched[s] for s in free}
        before = self.key(st)
        for s in free:
            st.set(s, new[s])
        after = self.key(st)
        if after < before:
            for s in free:
                st.set(s, old[s])
            return False, status
        return after > before, status

    def key(self, st: State) -> tuple:
        if self.opt.mode == "university":
            return university_key(st)
        return (-st.violation(), st.score())

    def pick_neighbourhood(
        self, st: State, n: int, repair: bool, width: int
    ) -> tuple[list[int], tuple[int, int] | None]:
        """Either a set of learners with all their options (window None), or a time window
        [a, b] freeing the placements of up to n learners inside it."""
        c = self.c
        chosen: set[int] = set()
        use_window = width < c.T
        cell = None
        if repair and any(st.local):
            bad = [s for s in range(c.S) if st.local[s]]
            self.rng.shuffle(bad)
            chosen.update(bad[: max(1, n // 2)])
            pool = list(range(c.S))
            self.rng.shuffle(pool)
            for s in pool:
                if len(chosen) >= n:
                    break
                chosen.add(s)
            return sorted(chosen), None
        if repair:
            cells = st.violation_cells()
            if cells:
                cell = self.rng.choice(cells)
        if cell is not None and use_window and self.rng.random() < 0.5:
            # release-only: every learner may move the short rotation (and its
            # predecessors) into their idle blocks; everything else stays
            rel = {cell[1]}
            frontier = [cell[1]]
            while frontier:
                x = frontier.pop()
                for pb, pa in c.prec:
                    if pa == x and pb not in rel:
                        rel.add(pb)
                        frontier.append(pb)
            self.release = frozenset(rel)
            cands = [s for s in range(c.S) if any(o[0] in rel for o in self.opts[s])]
            self.rng.shuffle(cands)
            per = max(1, len(rel) * c.H * c.T // 3)
            return sorted(cands[: max(2, int(self.target / per))]), (1, 0)
        if use_window:
            if cell is not None:
                h, r, t, _amt = cell
                a = max(0, min(c.T - width, t - self.rng.randrange(width)))
            else:
                a = self.rng.randrange(max(1, c.T - width + 1))
            b = min(c.T - 1, a + width - 1)
            cands = [
                s
                for s in range(c.S)
                if any(o[2] + c.dur[o[0]] - 1 >= a and o[2] <= b for o in st.sched[s]) or not st.sched[s]
            ]
            if cell is not None:
                h, r, t, _amt = cell
                pri = [
                    s
                    for s in cands
                    if any(o[0] == r and o[1] == h and o[2] <= t < o[2] + c.dur[r] for o in self.opts[s])
                ]
                self.rng.shuffle(pri)
                chosen.update(pri[: max(1, n // 2)])
            elif self.rng.random() < 0.3:
                chosen.update(sorted(range(c.S), key=lambda s: st.sat[s])[:1])
            self.rng.shuffle(cands)
            for s in cands:
                if len(chosen) >= n:
                    break
                chosen.add(s)
            self.release = frozenset()
            if cell is not None:
                rel = {cell[1]}
                frontier = [cell[1]]
                while frontier:
                    x = frontier.pop()
                    for pb, pa in c.prec:
                        if pa == x and pb not in rel:
                            rel.add(pb)
                            frontier.append(pb)
                self.release = frozenset(rel)
            return sorted(chosen), (a, b)
        if cell is not None:
            h, r, t, _amt = cell
            cands = [
                s
                for s in range(c.S)
                if any(o[0] == r and o[1] == h and o[2] <= t < o[2] + c.dur[r] for o in self.opts[s])
            ]
            self.rng.shuffle(cands)
            chosen.update(cands[: max(1, n // 2)])
            if len(chosen) < n:
                # fill up with learners able to cover another violated cell (not at random)
                if self.hr is None:
                    self.hr = [{(o[1], o[0]) for o in self.opts[x]} for x in range(c.S)]
                viol_cells = [(h2, r2, t2) for h2, r2, t2, _a in st.violation_cells()]
                others = [
                    s
                    for s in range(c.S)
                    if s not in chosen
                    and any((h2, r2) in self.hr[s] and c.avail[s][t2] for h2, r2, t2 in viol_cells)
                ]
                self.rng.shuffle(others)
                chosen.update(others[: n - len(chosen)])
        elif self.rng.random() < 0.5 and c.S:
            chosen.update(sorted(range(c.S), key=lambda s: st.sat[s])[:2])
        pool = list(range(c.S))
        self.rng.shuffle(pool)
        for s in pool:
            if len(chosen) >= n:
                break
            chosen.add(s)
        return sorted(chosen)[: max(n, 1)], None

    def lns(self, st: State, until: float, repair: bool, max_iter: int | None = None) -> None:
        c = self.c
        avg_full = max(1.0, sum(len(v) for v in self.opts.values()) / max(1, c.S))
        target = self.target  # x-variables per sub-model, adapted below
        # repairing an MSS instance with rotations longer than one block: mostly aligned starts
        may_align = repair and self.opt.mode == "mss" and max(c.dur, default=1) > 1
        it = 0
        lr_every = 10
        while time.time() < until:
            if max_iter is not None and it >= max_iter:
                break
            if repair and st.violation() == 0:
                break
            it += 1
            if repair and it % lr_every == 0 and not self.opt.deterministic:
                # the LNS moved several learners at once: local moves may apply again
                # (rarely once they stop paying)
                v = st.violation()
                self.local_repair(st, min(3.0, 0.1 * (until - time.time())), chunk=3.0)
                if st.violation() > 0 and self.opt.mode == "mss":
                    # the repair annealing rarely removes the last broken seats itself, but
                    # it moves the schedule at equal violation, which the LNS then repairs
                    # (I80_24_4 at 100 s: feasible in 3 of 3 runs, seeds 0-2, against 1 of 4 without)
                    self.anneal(st, time.time() + min(3.0, 0.1 * (until - time.time())))
                if st.violation() == 0:
                    break
                lr_every = 10 if st.violation() < v else 30
            self.align = may_align and self.rng.random() < 0.75
            avg_opts = avg_full / max(c.dur) if self.align else avg_full
            limit = 2.0 if self.opt.deterministic else min(until - time.time(), 2.0)
            if limit <= 0.05:
                break
            # all options of a learner fit: learner neighbourhood; else time window
            n_full = int(target / avg_opts)
            if n_full >= 3 or self.rng.random() < 0.15:
                n, width = max(1, min(c.S, n_full)), c.T
            else:
                per_block = avg_opts / c.T
                width = max(2 * max(c.dur), min(c.T, int(math.sqrt(target / per_block * 2))))
                n = max(2, min(c.S, int(target / max(1.0, per_block * width))))
            t1 = time.time()
            self.release = frozenset()
            self.repair_only = repair
            free, window = self.pick_neighbourhood(st, n, repair, width)
            improved, status = self.subsolve(st, free, limit, soft=True, window=window, release=self.release)
            dt = time.time() - t1
            if status == "OPTIMAL" and dt < limit * 0.5:
                target = min(200000.0, target * 1.2)
            elif status != "OPTIMAL":
                target = max(300.0, target * 0.8)
            self.target = target
            if improved or it % 25 == 0:
                self.say(
                    f"lns{'-repair' if repair else ''} it={it} n={len(free)} "
                    f"win={window} viol={st.violation()} score={st.score()} {status} "
                    f"{dt:.2f}s"
                )
            if improved:
                self.publish(st)
            if not repair and it % 20 == 0:
                # the LNS moved learners: single-learner best responses may apply again
                self.respond(st, until, max_sweeps=1)
        self.align = False

    # -- best responses --------------------------------------------------------------
    def respond(self, st: State, until: float, max_sweeps: int = 8) -> None:
        """Sweeps of best responses: each learner in turn (random order) takes their best
        schedule among the seats the others leave free, computed exactly by the Lagrangian
        DP (:meth:`lagrange.Lagrangian.respond`, "mask" learners only); a change is kept unless
        it makes the schedule worse (rules first, then the objective).  A learner keeps the
        cells whose minimum they hold, so no move breaks a staffing rule.  Stops when a sweep
        changes nothing.  Where capacities leave room, as in a university year, this is what
        lifts the construction: on the QUMS-size synthetic year 26,696 -> 29,805 in 10 s where
        two minutes of LNS reached 27,945; on I240_12_1, after the feasibility model, 16,636
        -> 17,474 in 1.7 s."""
        c = self.c
        if st.violation() > 0 or not self.mask_learners():
            return
        learners = self.mask_learners()
        lg = self.lagrangian()
        maxcap = np.array(c.maxcap, dtype=np.int64)
        mincap = np.array(c.mincap, dtype=np.int64)
        occ = np.array(st.occ, dtype=np.int64)

        def place(pls: list, sign: int) -> None:
            for r, h, s0 in pls:
                occ[h, r, s0 : s0 + c.dur[r]] += sign

        for sweep in range(max_sweeps):
            order = list(learners)
            self.rng.shuffle(order)
            changed = 0
            for s in order:
                if not self.opt.deterministic and time.time() >= until:
                    return
                old = st.sched[s]
                place(old, -1)
                # cells the learner must keep: without them a minimum would break
                keep = np.zeros(occ.shape, dtype=bool)
                for r, h, s0 in old:
                    span = slice(s0, s0 + c.dur[r])
                    keep[h, r, span] = occ[h, r, span] < mincap[h, r, span]
                new = lg.respond([s], occ >= maxcap, {s: keep})[s]
                if new and sorted(new) != sorted(old) and learner_valid(c, s, new):
                    before = self.key(st)
                    st.set(s, new)
                    after = self.key(st)
                    if after < before:
                        st.set(s, old)
                    else:
                        changed += after > before
                place(st.sched[s], 1)
            self.say(f"best responses sweep {sweep}: {changed} improved, score={st.score()}")
            if changed:
                self.publish(st)
            else:
                return

    # -- simulated annealing ---------------------------------------------------------
    def anneal(self, st: State, until: float) -> None:
        """:class:`anneal.Annealer` from ``st`` until ``until``; its best schedule replaces
        ``st`` when better by (rules, objective).  From a feasible ``st`` no move may break a
        staffing limit.  From one that breaks some, a broken seat costs ``_REPAIR_WEIGHT``
        points: where the learner-local repair stalls it goes on cutting them (I80_24_4:
        26 -> 14 and 17 -> 10 in 8-10 s; I40_24_4: 1 -> 0), so the repair LNS starts closer."""
        if until - time.time() < 0.5:
            return
        from .anneal import Annealer

        if self.annealer is None:
            self.annealer = Annealer(self.c, self.opts, seed=self.rng.randrange(1 << 30))
        before = self.key(st)
        weight = _REPAIR_WEIGHT if st.violation() > 0 else None
        best, score, broken = self.annealer.run(st.sched, until, weight=weight)
        if (-broken, score) > before:
            for s in range(self.c.S):
                if best[s] != st.sched[s]:
                    st.set(s, best[s])
            self.publish(st)
        self.say(
            f"annealing{' (repair)' * (weight is not None)}: violation {-before[0]} -> {st.violation()}, "
            f"score {before[1]} -> {st.score()} ({self.annealer.iterations} steps)"
        )

    # -- full model ------------------------------------------------------------------
    def full_feasibility(self, st: State, limit: float) -> None:
        """All learners at once, hard rules only, hinted with the repaired start.

        On small instances whose staffing minimums are tight, learner-local moves and the repair
        LNS stall a few violations short (I40_12_4 and I40_24_2 ended every 30-60 s run with
        1-4 left), while CP-SAT finds a feasible schedule of the whole problem in 8-16 s
        (34k and 85k variables). An INFEASIBLE answer is a proof: no schedule exists.

        When the start comes from prices (:meth:`priced_start`) it is worth keeping: the model
        then first maximises the placements of the start it keeps, for a bounded time (about
        12 s of a 60 s run), and falls back to plain feasibility if that finds nothing.
        Without the objective CP-SAT's first schedule drops most of the start (I320_12_1 at
        60 s: 31,761 against 30,453 without the priced start and the kept placements)."""
        c = self.c
        if limit < 1.0:
            return
        t_end = time.time() + limit
        b = M.build(c, mode="feasibility", options=self.opts)
        M.add_hint(b, st.sched)
        # keeping the priced start first (bounded); plain feasibility if that finds nothing
        for keep in [True, False] if self.priced and not self.opt.deterministic else [False]:
            if keep:
                b.model.Maximize(sum(b.x[s][o] for s in range(c.S) for o in st.sched[s] if o in b.x[s]))
                budget = min(t_end - time.time(), max(12.0, 0.1 * self.opt.time_limit))
            else:
                b.model.ClearObjective()
                budget = t_end - time.time()
            if budget < 0.5:
                return
            sv = cp_model.CpSolver()
            _params(sv, budget, self.opt.workers, self.opt.seed, False)
            res = sv.Solve(b.model)
            self.say(f"full feasibility model{' (keep)' * keep} {sv.StatusName(res)} {sv.WallTime():.2f}s")
            if res == cp_model.INFEASIBLE:
                self.full_status = "INFEASIBLE"
                return
            if res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = M.extract(b, sv)
                for s in range(c.S):
                    st.set(s, new[s])
                self.publish(st)
                return

    def full_model(self, st: State, limit: float) -> None:
        c = self.c
        t_end = time.time() + limit
        b = M.build(
            c,
            mode=self.opt.mode,
            options=self.opts,
            lottery_seed=(self.opt.lottery_seed if self.opt.mode == "university" else None),
            lottery_scale=(4 if self.opt.mode == "university" and self.opt.lottery_seed is not None else 0),
        )
        M.add_hint(b, st.sched)
        sv = cp_model.CpSolver()
        limit = t_end - time.time()
        if limit < 1.0:
            return
        if self.opt.deterministic:  # a fixed budget in deterministic time units
            limit = 0.3 * self.opt.time_limit
        _params(sv, limit, self.opt.workers, self.opt.seed, self.opt.deterministic)
        res = sv.Solve(b.model)
        self.full_status = sv.StatusName(res)
        self.say(
            f"full model {self.full_status} obj={sv.ObjectiveValue() if res in (2, 4) else None}"
            f" bound={sv.BestObjectiveBound()}"
        )
        if res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = M.extract(b, sv)
            cand = State(c, [new[s] for s in range(c.S)])
            if self.key(cand) > self.key(st):
                for s in range(c.S):
                    st.set(s, cand.sched[s])
                self.publish(st)
        if self.opt.mode == "mss":
            if res == cp_model.INFEASIBLE:
                self.full_status = "INFEASIBLE"
            elif res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                fb = math.floor(sv.BestObjectiveBound() + 1e-6)
                self.bound = fb if self.bound is None else min(self.bound, fb)

    # -- Lagrangian bound (a separate process on the second core) --------------------
    def start_lagrangian(self) -> None:
        """Start the Lagrangian bound (:mod:`lagrange`) in a forked process that runs until
        :meth:`collect_lagrangian`; the incumbent score is shared for its Polyak steps."""
        import multiprocessing as mp

        self.lag_proc = None
        try:
            ctx = mp.get_context("fork")
        except ValueError:
            return
        self.lag_inc = ctx.Value("d", -math.inf, lock=False)
        self.lag_val = ctx.Value("d", math.inf, lock=False)
        self.lag_stop = ctx.Event()
        proc = ctx.Process(
            target=_lagrangian_child,
            args=(self.c, self.opts, max(1.0, self.left() - 1.0), self.lag_inc, self.lag_val, self.lag_stop),
            daemon=True,
        )
        proc.start()
        self.lag_proc = proc
        self.say("lagrangian bound process started")

    def publish(self, st: State) -> None:
        """``st`` is the best schedule so far: the time of the first feasible one is recorded
        here, whichever phase found it."""
        if st.violation() == 0:
            if self.first_feasible is None:
                self.first_feasible = time.time() - self.t0
                self.say(f"first feasible score={st.score()}")
            if self.lag_proc is not None:
                self.lag_inc.value = max(self.lag_inc.value, float(st.score()))
        self.report(st)

    def report(self, st: State) -> None:
        """Tell `on_progress` about the best schedule: at most once a second, and at once when
        the first schedule meeting every rule is found. A failing callback is dropped, not fatal."""
        callback = self.on_progress
        if callback is None:
            return
        now = time.time()
        if now - self.reported_at < 1.0 and self.reported_clean:
            return
        cells = st.violation_cells()
        shortfall = sum(amount for h, r, t, amount in cells if st.occ[h][r][t] < self.c.mincap[h][r][t])
        broken = sum(amount for _h, _r, _t, amount in cells) - shortfall + sum(st.local)
        first_clean = not broken and not shortfall and not self.reported_clean
        if now - self.reported_at < 1.0 and not first_clean:
            return
        self.reported_at = now
        self.reported_clean = self.reported_clean or first_clean
        progress = Progress(
            seconds=round(now - self.t0, 2),
            phase="repair" if shortfall or broken else "improvement",
            shortfall=shortfall,
            broken=broken,
            worst=min(st.sat) if st.sat else 0,
            total=sum(st.sat),
        )
        try:
            callback(progress)
        except Exception as e:  # the caller's problem: the engine goes on without it
            self.say(f"progress callback failed, no further reports: {e!r}")
            self.on_progress = None

    def collect_lagrangian(self) -> None:
        proc = self.lag_proc
        if proc is None:
            return
        self.lag_stop.set()
        proc.join(timeout=3.0)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=1.0)
        self.lag_proc = None
        v = self.lag_val.value
        if math.isfinite(v):
            self._add_lag_bound(int(v))

    def _add_lag_bound(self, lb: int) -> None:
        self.lag_bound = lb
        self.bound = lb if self.bound is None else min(self.bound, lb)
        self.say(f"lagrangian bound {lb}")

    def lagrangian_inline(self, budget: float, incumbent: int | None) -> bool:
        """Run the Lagrangian bound in this process for ``budget`` seconds (one worker)."""
        from .lagrange import Lagrangian

        try:
            res = Lagrangian(self.c, self.opts).run(budget, incumbent=lambda: incumbent)
        except (MemoryError, RuntimeError) as e:  # pragma: no cover - defensive
            self.say(f"lagrangian bound failed: {e}")
            return False
        if res.bound is None:
            return False
        self._add_lag_bound(res.bound)
        return True

    def run(self) -> tuple[State | None, str]:
        try:
            return self._run()
        finally:
            self.collect_lagrangian()

    def _run(self) -> tuple[State | None, str]:
        c = self.c
        opt = self.opt
        mss_search = opt.mode == "mss" and not opt.deterministic  # the MSS-only heuristics
        if mss_search and opt.workers >= 2:
            self.start_lagrangian()
        nvars = sum(len(v) for v in self.opts.values())
        self.say(f"learners={c.S} rotations={c.R} sites={c.H} blocks={c.T} x-vars={nvars}")
        best_st: State | None = None
        t_restart_end = time.time() + 0.25 * self.left()
        while True:
            sched = self.construct()
            st = State(c, sched)
            v0 = st.violation()
            self.say(f"construction #{self.restarts}: violation={v0} score={st.score()}")
            if st.violation() > 0:
                if opt.deterministic:
                    mv = repair_local(c, st, self.opts, self.rng, time.time() + max(1.0, 0.1 * self.left()))
                else:
                    mv = self.local_repair(st, 0.4 * self.left())
                self.say(f"local repair: {mv} moves, violation={st.violation()} score={st.score()}")
            if best_st is None or self.key(st) > self.key(best_st):
                best_st = st
            self.restarts += 1
            if (
                best_st.violation() <= 3
                # the local repair removed >= 90 %: the LNS finishes faster than a restart
                or (not opt.deterministic and st.violation() <= 0.1 * v0)
                or time.time() > t_restart_end
                or opt.deterministic
                or self.restarts >= 3
            ):
                break
        st = best_st
        if mss_search and st.violation() > 0 and self.mostly_exact():
            st = self.priced_start(st, min(30.0, 0.15 * opt.time_limit))
        self.publish(st)
        det_iters = opt.lns_iterations if opt.deterministic else None
        small = nvars <= opt.full_model_max_vars
        if self.lag_proc is not None:
            # the Lagrangian process provides the bound; the full model is kept only where
            # it can still polish (on I80_12_1 / I160_12_1, 25-52k vars, it ended UNKNOWN
            # without even loading its hint, wasting 30 % of the time)
            small = nvars <= opt.full_model_max_vars // 3
        # (MSS rules only: in university mode minimums are soft, a shortfall is an answer)
        if st.violation() > 0 and mss_search:
            if nvars <= opt.feasibility_max_vars:
                self.full_feasibility(st, 0.5 * self.left())
                if self.full_status == "INFEASIBLE":
                    return st, INFEASIBLE
            else:
                # too big for the whole-problem model: annealing with a price per broken seat
                self.anneal(st, time.time() + min(10.0, 0.1 * self.left()))
        if st.violation() > 0:
            self.lns(st, self.deadline, repair=True, max_iter=det_iters)
        if st.violation() > 0:
            return st, (INFEASIBLE if self.full_status == "INFEASIBLE" else UNKNOWN)
        # improvement: best responses first (cheap, large steps where seats are free), then LNS
        self.respond(st, time.time() + 0.3 * self.left())
        full_share = 0.3 if small else 0.0
        lag_parallel = self.lag_proc is not None
        if mss_search and not lag_parallel:
            bound_share = 0.2  # one worker: the Lagrangian bound gets a share of the time
        elif not mss_search and opt.mode == "mss" and nvars / max(c.S, 1) < 2000:
            bound_share = 0.05
        else:
            bound_share = 0.0
        until = time.time() + self.left() * (1 - full_share - bound_share)
        if mss_search:
            self.anneal(st, time.time() + _ANNEAL_SHARE * (until - time.time()))
        self.lns(st, until, repair=False, max_iter=det_iters)
        if bound_share and not opt.deterministic:
            budget = self.left() * bound_share / (bound_share + full_share)
            if not (mss_search and self.lagrangian_inline(budget, st.score())):
                lb = self.learner_bound(budget)
                if lb is not None:
                    self.bound = lb if self.bound is None else min(self.bound, lb)
                    self.say(f"per-learner bound {lb}")
        if small and self.left() > 1:
            self.full_model(st, self.left())
        self.collect_lagrangian()
        if opt.mode == "mss" and self.bound is not None and st.score() >= self.bound:
            return st, OPTIMAL
        if self.full_status == "OPTIMAL":
            return st, OPTIMAL
        return st, FEASIBLE


def solve(problem: Problem, options: SolveOptions | None = None, **kw: Any) -> Result:
    """Solve a Problem.  Keyword arguments override fields of ``SolveOptions``."""
    from .explain import precheck

    opt = options or SolveOptions()
    for k, v in kw.items():
        if not hasattr(opt, k):
            raise TypeError(f"unknown solve option {k!r}")
        setattr(opt, k, v)
    t0 = time.time()
    c = compile_problem(problem)
    pre = precheck(problem, c, mode=opt.mode)
    fatal = [e for e in pre if e.fatal]
    if fatal:
        return Result(
            {lr.id: [] for lr in problem.learners},
            INFEASIBLE,
            None,
            None,
            None,
            None,
            time.time() - t0,
            explanations=fatal,
        )
    eng = Engine(c, opt)
    st, status = eng.run()
    seconds = time.time() - t0
    soft_ok = (
        opt.mode == "university"
        and st is not None
        and not any(st.local)
        and all(st.occ[h][r][t] <= c.maxcap[h][r][t] for (h, r, t, _a) in st.violation_cells())
    )
    if st is not None and soft_ok and st.violation() > 0:
        # university mode: minimums are soft -> return the schedule with its shortfall
        sched = from_index_schedule(c, st.sched)
        chk = check(c, sched)
        from .explain import Explanation

        short = [
            Explanation("minimum_not_met", v.params, v.message, fatal=False)
            for v in chk.violations
            if v.code == "under_minimum"
        ]
        return Result(
            schedule=sched,
            status=FEASIBLE,
            objective=chk.score,
            bound=None,
            gap=None,
            seconds_to_first_feasible=eng.first_feasible,
            seconds=seconds,
            histogram=histogram(c, st.sched, st.sat),
            explanations=[e for e in pre if not e.fatal] + short,
            scores={
                "mss": chk.score,
                "total": chk.total,
                "worst": chk.worst,
                "shortfall": chk.shortfall,
                "changes": chk.changes,
                "idle": chk.idle,
            },
            log=eng.log,
        )
    if st is None or st.violation() > 0:
        from .explain import Explanation, explain_infeasible

        nvars = sum(len(v) for v in eng.opts.values())
        if nvars <= 150_000:  # the assumption model of huge instances costs GBs
            expl = explain_infeasible(
                problem,
                c,
                time_limit=max(5.0, min(30.0, 0.2 * opt.time_limit)),
                workers=opt.workers,
                run_seconds=opt.time_limit,
            )
        else:
            expl = [
                Explanation(
                    "unknown",
                    {"seconds": opt.time_limit, "violations": st.violation() if st else None},
                    f"No schedule meeting every rule was found within {opt.time_limit:.0f} s; "
                    "the instance is too large for a proof of infeasibility. Try a longer "
                    "time limit.",
                    fatal=False,
                )
            ]
        sched = from_index_schedule(c, st.sched) if st is not None else {}
        proven = any(e.fatal for e in expl) or status == INFEASIBLE
        return Result(
            sched,
            INFEASIBLE if proven else UNKNOWN,
            None,
            eng.bound,
            None,
            None,
            seconds,
            explanations=expl,
            log=eng.log,
        )
    sched = from_index_schedule(c, st.sched)
    chk = check(c, sched)
    score = chk.score
    bound = eng.bound
    if opt.mode == "mss" and bound is not None:
        bound = max(bound, score)
        gap = (bound - score) / abs(score) if score else None
    else:
        gap = None
        bound = None if opt.mode != "mss" else bound
    if chk.violations:  # should never happen: engine and checker disagree
        status = UNKNOWN
    return Result(
        schedule=sched,
        status=status,
        objective=score,
        bound=bound,
        gap=gap,
        seconds_to_first_feasible=eng.first_feasible,
        seconds=seconds,
        histogram=histogram(c, st.sched, st.sat),
        scores={
            "mss": score,
            "total": chk.total,
            "worst": chk.worst,
            "shortfall": chk.shortfall,
            "changes": chk.changes,
            "idle": chk.idle,
            "violations": [v.message for v in chk.violations[:20]],
            "lagrangian_bound": eng.lag_bound,
        },
        log=eng.log,
    )


def _lagrangian_child(c: Compiled, opts: dict, budget: float, inc: Any, val: Any, stop: Any) -> None:
    """Body of the bound process: improve the Lagrangian bound until told to stop and
    publish every improvement in ``val`` (so a killed process still leaves its bound)."""
    from .lagrange import Lagrangian

    def incumbent() -> float | None:
        v = inc.value
        return v if math.isfinite(v) else None

    def report(_it: int, b: int) -> None:
        val.value = min(val.value, float(b))

    with contextlib.suppress(MemoryError, RuntimeError):  # the bound is optional
        Lagrangian(c, opts).run(budget, incumbent=incumbent, report=report, stop=stop.is_set)


# --------------------------------------------------------------------------- greedy
def greedy_learner(
    c: Compiled, s: int, opts: list, occ: list, rng: random.Random, noise: float = 0.0, delay: int = 0
) -> list | None:
    """Sequential greedy for one learner: choose rotations by value (respecting groups and
    precedence), place each at the earliest start, preferring the previous site and
    offerings whose minimum is not met yet.  Returns None if it gets stuck."""
    w1, w2, w3, w4 = c.w[s]
    by_r: dict[int, list] = {}
    for o in opts:
        by_r.setdefault(o[0], []).append(o)
    preds: dict[int, set[int]] = {}
    for b, a in c.prec:
        preds.setdefault(a, set()).add(b)
    chosen: list[int] = []
    for g in range(c.G):
        n = c.need[s][g]
        if n <= 0:
            continue
        rs = [r for r in range(c.R) if c.rgroup[r] == g and r in by_r]
        rs.sort(key=lambda r: -(w1 * c.pref_rot[s][r] + c.school[r] + rng.random() * noise))
        if len(rs) < n:
            return None
        # take the best n whose predecessors are (or will be) taken
        pick: list[int] = []
        for _round in range(3):
            pick = []
            for r in rs:
                if len(pick) >= n:
                    break
                pr = preds.get(r, set())
                if all(b in chosen or b in pick or (c.rgroup[b] == g and b in rs[:n]) for b in pr):
                    pick.append(r)
            if len(pick) < n:
                pick += [r for r in rs if r not in pick][: n - len(pick)]
            bad = [r for r in pick if any(b not in chosen and b not in pick for b in preds.get(r, set()))]
            if not bad:
                break
            rs = [r for r in rs if r not in bad] + bad
        chosen.extend(pick)
    cs = set(chosen)
    for r in list(chosen):
        if preds.get(r, set()) - cs:
            return None
    # time-sequential placement: repeatedly take, among the rotations whose predecessors
    # are placed, the (rotation, site) that can start earliest, preferring offerings whose
    # minimum is still unmet, then satisfaction
    for r in chosen:
        by_r[r].sort(key=lambda o: o[2])
    remaining = set(chosen)
    busy = [False] * c.T
    done_end: dict[int, int] = {}
    site_cnt = [0] * c.H
    prev_h = None
    out: list = []

    def undo() -> None:
        for r0, h0, st0 in out:
            for t in range(st0, st0 + c.dur[r0]):
                occ[h0][r0][t] -= 1

    while remaining:
        ready = [r for r in remaining if not (preds.get(r, set()) & remaining)]
        if not ready:
            undo()
            return None
        first_free = next((t for t in range(c.T) if not busy[t]), c.T)
        cands = []
        e_min = None
        for r in ready:
            lo = max([done_end[b] for b in preds.get(r, set()) if b in done_end] + [first_free])
            d = c.dur[r]
            for _r2, h, st in by_r[r]:
                if st < lo:
                    continue
                if e_min is not None and st > e_min + delay:
                    break
                if site_cnt[h] >= c.k:
                    continue
                if any(busy[t] for t in range(st, st + d)):
                    continue
                if any(occ[h][r][t] >= c.maxcap[h][r][t] for t in range(st, st + d)):
                    continue
                if e_min is None or st < e_min:
                    e_min = st
                cands.append((r, h, st))
        if not cands or e_min is None:
            undo()
            return None
        best = None
        min_rem = min(c.dur[x] for x in remaining)

        def min_rem_after(r: int) -> int:
            return min((c.dur[x] for x in remaining if x != r), default=0)

        for r, h, st in cands:
            if st > e_min + delay:
                continue
            d = c.dur[r]
            bonus = sum(1 for t in range(st, st + d) if occ[h][r][t] < c.mincap[h][r][t])
            # fragmentation: a free run left before/after that no remaining rotation fits
            frag = 0
            gap_before = st - first_free
            if 0 < gap_before < min_rem and all(not busy[t] and c.avail[s][t] for t in range(first_free, st)):
                frag += 1
            t2 = st + d
            run = 0
            while t2 < c.T and not busy[t2] and c.avail[s][t2]:
                run += 1
                t2 += 1
            if 0 < run < min_rem_after(r) and len(remaining) > 1:
                frag += 1
            val = (
                20 * bonus
                - 50 * frag
                + w1 * c.pref_rot[s][r]
                + w2 * c.pref_site[s][h]
                + (w3 if prev_h is not None and h != prev_h else 0)
                - abs(w4) * (st - e_min)
                + rng.random() * noise
            )
            if best is None or val > best[0]:
                best = (val, r, h, st)
        assert best is not None, "no candidate placement"
        _v, r, h, st = best
        for t in range(st, st + c.dur[r]):
            busy[t] = True
            occ[h][r][t] += 1
        done_end[r] = st + c.dur[r]
        site_cnt[h] += 1
        prev_h = h
        out.append((r, h, st))
        remaining.discard(r)
    return out


# --------------------------------------------------------------------------- local repair
def learner_valid(c: Compiled, s: int, pls: list) -> bool:
    """Learner-local hard rules for an index schedule (options already respect
    availability, eligibility and offering-open)."""
    busy = set()
    end: dict[int, int] = {}
    start: dict[int, int] = {}
    site_cnt = [0] * c.H
    for r, h, st in pls:
        if r in end:
            return False
        for t in range(st, st + c.dur[r]):
            if t in busy:
                return False
            busy.add(t)
        end[r] = st + c.dur[r]
        start[r] = st
        site_cnt[h] += 1
    if max(site_cnt, default=0) > c.k:
        return False
    for b, a in c.prec:
        if a in start and (b not in end or end[b] > start[a]):
            return False
    return all(not (ls == s and (r, h, st) not in pls) for ls, r, h, st in c.locks)


def n_rel_cap(c: Compiled) -> int:
    return max(5, min(c.S, 60000 // max(1, c.H * c.T)) // 4)


def _viol(c: Compiled, occ: list, h: int, r: int, t: int, n: int) -> int:
    mn, mx = c.mincap[h][r][t], c.maxcap[h][r][t]
    return (mn - n) if n < mn else (n - mx if n > mx else 0)


def _viol_change(c: Compiled, st: State, old: list, new: list) -> int:
    delta: dict[tuple[int, int, int], int] = {}
    for r, h, s0 in old:
        for t in range(s0, s0 + c.dur[r]):
            delta[(h, r, t)] = delta.get((h, r, t), 0) - 1
    for r, h, s0 in new:
        for t in range(s0, s0 + c.dur[r]):
            delta[(h, r, t)] = delta.get((h, r, t), 0) + 1
    ch = 0
    for (h, r, t), d in delta.items():
        if d:
            n = st.occ[h][r][t]
            ch += _viol(c, st.occ, h, r, t, n + d) - _viol(c, st.occ, h, r, t, n)
    return ch


def repair_local(c: Compiled, st: State, opts: dict, rng: random.Random, deadline: float) -> int:
    """Fill unmet minimums (and relieve over-full offerings) with learner-local moves:
    put the learner into the short offering/block by relocating a rotation they already do,
    or swapping an elective of the same group, and re-seat any placement it overlaps into
    the blocks that were freed.  Moves must reduce the total violation (or keep it, a
    bounded random walk); among those the one costing least satisfaction wins."""
    moves = 0
    by_r: dict[tuple[int, int], list] = {}
    for s in range(c.S):
        for o in opts[s]:
            by_r.setdefault((s, o[0]), []).append(o)
    plateau = 0
    tabu: dict[int, int] = {}
    step = 0
    while time.time() < deadline:
        cells = st.violation_cells()
        if not cells:
            break
        step += 1
        h, r, t, _amt = cells[rng.randrange(len(cells))]
        under = st.occ[h][r][t] < c.mincap[h][r][t]
        best = None
        learners = list(range(c.S))
        rng.shuffle(learners)
        for s in learners:
            if tabu.get(s, -1) >= step:
                continue
            cur = st.sched[s]
            if under:
                news = [o for o in by_r.get((s, r), ()) if o[1] == h and o[2] <= t < o[2] + c.dur[r]]
                if not news:
                    continue
                doing = [p for p in cur if p[0] == r]
                olds = doing or [p for p in cur if c.rgroup[p[0]] == c.rgroup[r]]
            else:
                olds = [p for p in cur if p[0] == r and p[1] == h and p[2] <= t < p[2] + c.dur[r]]
                if not olds:
                    continue
                news = [o for o in by_r.get((s, r), ()) if not (o[1] == h and o[2] <= t < o[2] + c.dur[r])]
            for old in olds:
                base = [p for p in cur if p != old]
                for o in news:
                    rn, _hn, sn = o
                    span = range(sn, sn + c.dur[rn])
                    clash = [p for p in base if any(p[2] <= tt < p[2] + c.dur[p[0]] for tt in span)]
                    variants = []
                    if not clash:
                        variants.append([*base, o])
                    elif len(clash) == 1:
                        p2 = clash[0]
                        rest = [p for p in base if p != p2] + [o]
                        # re-seat p2 where `old` was (any site), or anywhere free
                        for o2 in by_r.get((s, p2[0]), ()):
                            if o2[2] == old[2] or (o2[2] == p2[2] and o2[1] != p2[1]):
                                variants.append([*rest, o2])
                    for cand in variants:
                        if not learner_valid(c, s, cand):
                            continue
                        vc = _viol_change(c, st, cur, cand)
                        if vc > 0:
                            continue
                        delta = learner_sat(c, s, cand) - st.sat[s]
                        key = (-vc, delta + rng.random() * 0.1)
                        if best is None or key > best[0]:
                            best = (key, s, cand)
            if best is not None and best[0][0] > 0 and best[0][1] >= 0:
                break
        if best is None:
            continue
        if best[0][0] == 0:
            plateau += 1
            if plateau > 50 * max(1, len(cells)):
                break
            tabu[best[1]] = step + 5
        st.set(best[1], best[2])
        moves += 1
    return moves
