"""Solver: per-learner construction + CP-SAT large-neighbourhood search (+ full-model polish).

Pipeline (see docs/adr/0100-rotation-engine.md):

1. cheap necessary-condition checks (:mod:`explain`); fatal findings -> INFEASIBLE with
   explanations, no search.
2. *Construction*: every learner's own best schedule, ignoring the other learners (a small
   CP-SAT per learner).  Its optimum ``ub[s]`` bounds SatTot(s), so
   ``sum(ub) + min(ub)`` is a valid upper bound of the MSS score (the "per-learner bound").
3. *Repair*: LNS with minimums/maximums soft (penalised) until no staffing violation is left.
4. *Improve*: LNS on the true objective (sub-model over a few learners, everyone else fixed,
   capacities residual), neighbourhood size adapted to the sub-solve's speed.
5. *Polish/prove*: if the full model is small enough, one CP-SAT run on it hinted with the
   incumbent (its bound tightens the proven bound).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from . import model as M
from .checker import check
from .problem import Compiled, IndexSchedule, Problem, Schedule, compile_problem, \
    from_index_schedule

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 0
    mode: str = "mss"  # "mss" | "university"
    lottery_seed: int | None = None  # university mode: published seed for the tie-break
    deterministic: bool = False  # fixed iteration counts + deterministic time limits
    full_model_max_vars: int = 200_000
    verbose: bool = False
    lns_iterations: int | None = None  # deterministic mode: number of LNS iterations


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
def learner_sat(c: Compiled, s: int, opts: list[tuple[int, int, int]]) -> int:
    """Exact SatTot of one learner (index form), same rules as the checker."""
    if not opts:
        return 0
    w1, w2, w3, w4 = c.w[s]
    v = sum(M.option_value(c, s, o) for o in opts)
    seq = sorted(opts, key=lambda o: o[2])
    changes = sum(1 for a, b in zip(seq, seq[1:], strict=False) if a[1] != b[1])
    last = max(st + c.dur[r] for r, _h, st in opts)
    attended = sum(c.dur[r] for r, _h, _st in opts)
    return v + w3 * changes + w4 * (last - attended)


class State:
    def __init__(self, c: Compiled, sched: IndexSchedule):
        self.c = c
        self.sched = [list(x) for x in sched]
        self.occ = [[[0] * c.T for _ in range(c.R)] for _ in range(c.H)]
        for s in range(c.S):
            self._add(s, 1)
        self.sat = [learner_sat(c, s, self.sched[s]) for s in range(c.S)]

    def _add(self, s: int, sign: int) -> None:
        for (r, h, st) in self.sched[s]:
            for t in range(st, st + self.c.dur[r]):
                self.occ[h][r][t] += sign

    def set(self, s: int, opts: list) -> None:
        self._add(s, -1)
        self.sched[s] = list(opts)
        self._add(s, 1)
        self.sat[s] = learner_sat(self.c, s, self.sched[s])

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
        return sum(v[3] for v in self.violation_cells())

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
        for (r, h, _st) in sched[s]:
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
        self.full_status: str | None = None

    def left(self) -> float:
        return self.deadline - time.time()

    def say(self, msg: str) -> None:
        line = f"[{time.time() - self.t0:7.2f}s] {msg}"
        self.log.append(line)
        if self.opt.verbose:
            print(line, flush=True)

    # -- construction ----------------------------------------------------------------
    def construct(self, budget: float) -> tuple[IndexSchedule, list[int] | None]:
        c = self.c
        sched: IndexSchedule = [[] for _ in range(c.S)]
        ubs: list[int | None] = [None] * c.S
        order = list(range(c.S))
        t_end = time.time() + budget
        for i, s in enumerate(order):
            remaining = t_end - time.time()
            per = max(0.05, remaining / max(1, c.S - i))
            b = M.build(c, learners=[s], mode="mss", ignore_min=True, soft_max=False,
                        options={s: self.opts[s]},
                        lottery_seed=None)
            sv = cp_model.CpSolver()
            _params(sv, min(per * 2, 5.0), 1, self.opt.seed, self.opt.deterministic)
            st = sv.Solve(b.model)
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                sched[s] = M.extract(b, sv)[s]
                # objective = sat + m with m <= sat -> 2*sat at optimum
                ubs[s] = math.floor(sv.BestObjectiveBound() / 2 + 1e-9)
            else:
                ubs[s] = None
        ok = all(u is not None for u in ubs)
        return sched, ([int(u) for u in ubs] if ok else None)  # type: ignore[arg-type]

    # -- LNS -------------------------------------------------------------------------
    def subsolve(self, st: State, free: list[int], limit: float, soft: bool) -> tuple[bool, str]:
        c = self.c
        fixed_min = min((st.sat[s] for s in range(c.S) if s not in set(free)), default=None)
        mode = self.opt.mode
        b = M.build(
            c, learners=free, fixed=st.sched, mode=mode, soft_min=soft, soft_max=soft,
            shortfall_weight=10_000, fixed_min_sat=fixed_min,
            options={s: self.opts[s] for s in free},
            lottery_seed=(self.opt.lottery_seed if mode == "university" else None),
            lottery_scale=(4 if mode == "university" and self.opt.lottery_seed is not None
                           else 0),
        )
        M.add_hint(b, st.sched)
        sv = cp_model.CpSolver()
        _params(sv, limit, self.opt.workers, self.rng.randrange(1 << 30),
                self.opt.deterministic)
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

    def pick_neighbourhood(self, st: State, n: int, repair: bool) -> list[int]:
        c = self.c
        chosen: set[int] = set()
        if repair:
            cells = st.violation_cells()
            self.rng.shuffle(cells)
            for (h, r, t, _amt) in cells[:3]:
                cands = [s for s in range(c.S)
                         if any(o[0] == r and o[1] == h and o[2] <= t < o[2] + c.dur[r]
                                for o in self.opts[s])]
                self.rng.shuffle(cands)
                for s in cands[: max(2, n // 3)]:
                    chosen.add(s)
        else:
            if self.rng.random() < 0.5 and c.S:
                worst = sorted(range(c.S), key=lambda s: st.sat[s])[:2]
                chosen.update(worst)
            if self.rng.random() < 0.5:
                # learners sharing a random offering/period: related neighbourhood
                s0 = self.rng.randrange(c.S)
                if st.sched[s0]:
                    r, h, stt = self.rng.choice(st.sched[s0])
                    rel = [s for s in range(c.S) if any(o[0] == r and o[1] == h and
                           abs(o[2] - stt) < c.dur[r] for o in st.sched[s])]
                    self.rng.shuffle(rel)
                    chosen.update(rel[: n // 2])
        pool = list(range(c.S))
        self.rng.shuffle(pool)
        for s in pool:
            if len(chosen) >= n:
                break
            chosen.add(s)
        return sorted(chosen)[: max(n, 1)] if len(chosen) > n else sorted(chosen)

    def lns(self, st: State, until: float, repair: bool, max_iter: int | None = None) -> None:
        c = self.c
        avg_opts = max(1.0, sum(len(v) for v in self.opts.values()) / max(1, c.S))
        n = max(2, min(c.S, int(12000 / avg_opts)))
        it = 0
        stall = 0
        while time.time() < until:
            if max_iter is not None and it >= max_iter:
                break
            if repair and st.violation() == 0:
                break
            it += 1
            limit = min(until - time.time(), 3.0 if not repair else 5.0)
            if limit <= 0.05:
                break
            free = self.pick_neighbourhood(st, n, repair)
            t1 = time.time()
            improved, status = self.subsolve(st, free, limit, soft=True)
            dt = time.time() - t1
            if status == "OPTIMAL" and dt < limit * 0.5:
                n = min(c.S, int(n * 1.25) + 1)
            elif status != "OPTIMAL":
                n = max(2, int(n * 0.8))
            stall = 0 if improved else stall + 1
            if improved or it % 20 == 0:
                self.say(f"lns{'-repair' if repair else ''} it={it} n={n} "
                         f"viol={st.violation()} score={st.score()} {status} {dt:.2f}s")
            if st.violation() == 0 and self.first_feasible is None:
                self.first_feasible = time.time() - self.t0
                self.say(f"first feasible score={st.score()}")

    # -- full model ------------------------------------------------------------------
    def full_model(self, st: State, limit: float) -> None:
        c = self.c
        b = M.build(c, mode=self.opt.mode, options=self.opts,
                    lottery_seed=(self.opt.lottery_seed if self.opt.mode == "university"
                                  else None),
                    lottery_scale=(4 if self.opt.mode == "university" and
                                   self.opt.lottery_seed is not None else 0))
        M.add_hint(b, st.sched)
        sv = cp_model.CpSolver()
        _params(sv, limit, self.opt.workers, self.opt.seed, self.opt.deterministic)
        res = sv.Solve(b.model)
        self.full_status = sv.StatusName(res)
        self.say(f"full model {self.full_status} obj={sv.ObjectiveValue() if res in (2, 4) else None}"
                 f" bound={sv.BestObjectiveBound()}")
        if res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            new = M.extract(b, sv)
            cand = State(c, [new[s] for s in range(c.S)])
            if self.key(cand) > self.key(st):
                for s in range(c.S):
                    st.set(s, cand.sched[s])
                if self.first_feasible is None and st.violation() == 0:
                    self.first_feasible = time.time() - self.t0
        if self.opt.mode == "mss":
            if res == cp_model.INFEASIBLE:
                self.full_status = "INFEASIBLE"
            elif res != cp_model.UNKNOWN or sv.BestObjectiveBound() < 1e17:
                fb = math.floor(sv.BestObjectiveBound() + 1e-6)
                self.bound = fb if self.bound is None else min(self.bound, fb)

    def run(self) -> tuple[State | None, str]:
        c = self.c
        opt = self.opt
        nvars = sum(len(v) for v in self.opts.values())
        self.say(f"learners={c.S} rotations={c.R} sites={c.H} blocks={c.T} x-vars={nvars}")
        sched, ubs = self.construct(budget=min(opt.time_limit * 0.25, 0.15 * c.S + 2))
        if ubs is not None and opt.mode == "mss":
            self.bound = sum(ubs) + min(ubs, default=0)
            self.say(f"per-learner bound {self.bound}")
        st = State(c, sched)
        self.say(f"construction: violation={st.violation()} score={st.score()}")
        if st.violation() == 0:
            self.first_feasible = time.time() - self.t0
        det_iters = opt.lns_iterations if opt.deterministic else None
        small = nvars <= opt.full_model_max_vars
        if st.violation() > 0:
            until = self.deadline - (0.3 * self.left() if small else 0)
            self.lns(st, until, repair=True, max_iter=det_iters)
        if st.violation() > 0 and small and self.left() > 1:
            # last resort: full model with soft minimums is not needed; try the exact one
            self.full_model(st, self.left())
        if st.violation() > 0:
            return st, (INFEASIBLE if self.full_status == "INFEASIBLE" else UNKNOWN)
        if self.bound is not None and st.score() >= self.bound and opt.mode == "mss":
            return st, OPTIMAL
        # improvement
        full_share = 0.5 if small else 0.0
        until = time.time() + self.left() * (1 - full_share)
        self.lns(st, until, repair=False, max_iter=det_iters)
        if small and self.left() > 1:
            self.full_model(st, self.left())
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
        setattr(opt, k, v)
    t0 = time.time()
    c = compile_problem(problem)
    fatal = [e for e in precheck(problem, c) if e.fatal]
    if fatal:
        return Result({lr.id: [] for lr in problem.learners}, INFEASIBLE, None, None, None,
                      None, time.time() - t0, explanations=fatal)
    eng = Engine(c, opt)
    st, status = eng.run()
    seconds = time.time() - t0
    if st is None or st.violation() > 0:
        from .explain import explain_infeasible

        expl = explain_infeasible(problem, c, time_limit=max(5.0, min(30.0, opt.time_limit)))
        sched = from_index_schedule(c, st.sched) if st is not None else {}
        return Result(sched, status if expl == [] else INFEASIBLE, None, eng.bound, None,
                      None, seconds, explanations=expl, log=eng.log)
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
        schedule=sched, status=status, objective=score, bound=bound, gap=gap,
        seconds_to_first_feasible=eng.first_feasible, seconds=seconds,
        histogram=histogram(c, st.sched, st.sat),
        scores={"mss": score, "total": chk.total, "worst": chk.worst,
                "shortfall": chk.shortfall, "changes": chk.changes, "idle": chk.idle,
                "violations": [v.message for v in chk.violations[:20]]},
        log=eng.log,
    )
