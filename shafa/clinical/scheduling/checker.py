"""Independent checker: validates every hard rule and computes the scores.

The MSS score is computed exactly as the benchmark defines it (see README of the benchmark):
SatTot(s) = discipline + hospital + change + waiting + school terms, score = sum + min.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .problem import Compiled, Problem, Schedule, compile_problem


@dataclass
class Violation:
    code: str
    params: dict[str, Any]
    message: str


@dataclass
class CheckResult:
    violations: list[Violation]
    sat: dict[Any, int]  # learner id -> SatTot
    score: int  # MSS score: sum + min
    total: int
    worst: int
    worst_learner: Any
    shortfall: int  # total seats below minimums (0 when feasible)
    changes: int = 0
    idle: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return not self.violations


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // b
    return q if a >= 0 else -q


def check(problem: Problem | Compiled, schedule: Schedule, max_violations: int = 1000) -> CheckResult:
    c = problem if isinstance(problem, Compiled) else compile_problem(problem)
    V: list[Violation] = []

    def bad(code: str, msg: str, **params: Any) -> None:
        if len(V) < max_violations:
            V.append(Violation(code, params, msg))

    T = c.T
    occ = [[[0] * T for _ in range(c.R)] for _ in range(c.H)]  # [h][r][t]
    sat: dict[Any, int] = {}
    tot_changes = tot_idle = 0
    uniform = len(set(c.dur)) == 1
    for s in range(c.S):
        L = c.lid[s]
        pls = schedule.get(L, [])
        at: list[int | None] = [None] * T  # site index per block
        done: dict[int, tuple[int, int, int]] = {}
        site_count = [0] * c.H
        for pl in pls:
            if pl.rotation not in c.ridx or pl.site not in c.hidx:
                bad("unknown_id", f"learner {L}: unknown rotation/site in {pl}", learner=L)
                continue
            r, h = c.ridx[pl.rotation], c.hidx[pl.site]
            a, b = pl.start, pl.end
            if a < 0 or b >= T or a > b:
                bad(
                    "out_of_horizon",
                    f"learner {L}: {pl.rotation} at blocks {a}-{b} is outside the calendar",
                    learner=L,
                    rotation=pl.rotation,
                )
                continue
            if b - a + 1 != c.dur[r]:
                bad(
                    "wrong_duration",
                    f"learner {L}: rotation {pl.rotation} lasts {b - a + 1} "
                    f"blocks at site {pl.site}, must be {c.dur[r]} consecutive blocks",
                    learner=L,
                    rotation=pl.rotation,
                    site=pl.site,
                    blocks=b - a + 1,
                    duration=c.dur[r],
                )
            if r in done:
                bad(
                    "repeated_rotation",
                    f"learner {L}: rotation {pl.rotation} done more than once",
                    learner=L,
                    rotation=pl.rotation,
                )
            else:
                done[r] = (h, a, b)
            site_count[h] += 1
            if not c.allowed[s][r]:
                bad(
                    "not_allowed",
                    f"learner {L} is not allowed rotation {pl.rotation}",
                    learner=L,
                    rotation=pl.rotation,
                )
            if not c.able[s][h][r]:
                bad(
                    "not_eligible",
                    f"learner {L} is not eligible for rotation {pl.rotation} at site {pl.site}",
                    learner=L,
                    rotation=pl.rotation,
                    site=pl.site,
                )
            for t in range(a, b + 1):
                if at[t] is not None:
                    bad("double_booked", f"learner {L} is in two places in block {t}", learner=L, block=t)
                at[t] = h
                occ[h][r][t] += 1
                if not c.avail[s][t]:
                    bad(
                        "unavailable",
                        f"learner {L} is placed in block {t} while on leave",
                        learner=L,
                        block=t,
                    )
        # groups
        cnt = [0] * c.G
        for r in done:
            cnt[c.rgroup[r]] += 1
        for g in range(c.G):
            if cnt[g] != c.need[s][g]:
                group_id = c.gid[g]
                gname = group_id[1] if isinstance(group_id, tuple) else group_id
                bad(
                    "group_count",
                    f"learner {L} does {cnt[g]} rotation(s) of group {gname}, must do {c.need[s][g]}",
                    learner=L,
                    group=gname,
                    done=cnt[g],
                    required=c.need[s][g],
                )
        # precedence
        for rb, ra in c.prec:
            if ra in done and (rb not in done or done[rb][2] >= done[ra][1]):
                bad(
                    "precedence",
                    f"learner {L} does {c.rid[ra]} without completing {c.rid[rb]} before it",
                    learner=L,
                    before=c.rid[rb],
                    after=c.rid[ra],
                )
        for h in range(c.H):
            if site_count[h] > c.k:
                bad(
                    "max_per_site",
                    f"learner {L} has {site_count[h]} rotations at site {c.hid[h]} (max {c.k})",
                    learner=L,
                    site=c.hid[h],
                    count=site_count[h],
                    max=c.k,
                )
        # satisfaction
        w1, w2, w3, w4 = c.w[s]
        sat_disc = sum(w1 * c.pref_rot[s][r] + c.school[r] for r in done)
        if uniform:
            hosp_sum = sum(c.pref_site[s][h] for h in at if h is not None)
            sat_hosp = _trunc_div(w2 * hosp_sum, c.dur[0])
        else:
            sat_hosp = sum(w2 * c.pref_site[s][h] for (h, _a, _b) in done.values())
        changes = 0
        prev = None
        last = -1
        for t in range(T):
            if at[t] is not None:
                if prev is not None and at[t] != prev:
                    changes += 1
                prev = at[t]
                last = t
        idle = sum(1 for t in range(last + 1) if at[t] is None)
        block = sum(c.pref_block[s][t] for t in range(T) if at[t] is not None)
        sat[L] = sat_disc + sat_hosp + w3 * changes + w4 * idle + block
        tot_changes += changes
        tot_idle += idle
    # locks
    for s, r, h, st in c.locks:
        L = c.lid[s]
        if not any(
            c.ridx.get(p.rotation) == r and c.hidx.get(p.site) == h and p.start == st
            for p in schedule.get(L, [])
        ):
            bad(
                "lock",
                f"learner {L} must do {c.rid[r]} at {c.hid[h]} from block {st}",
                learner=L,
                rotation=c.rid[r],
                site=c.hid[h],
                block=st,
            )
    shortfall = 0
    for h in range(c.H):
        for r in range(c.R):
            for t in range(T):
                n = occ[h][r][t]
                if n > c.maxcap[h][r][t]:
                    bad(
                        "over_capacity",
                        f"rotation {c.rid[r]} at site {c.hid[h]} has {n} "
                        f"learners in block {t}, max {c.maxcap[h][r][t]}",
                        rotation=c.rid[r],
                        site=c.hid[h],
                        block=t,
                        count=n,
                        max=c.maxcap[h][r][t],
                    )
                if n < c.mincap[h][r][t]:
                    shortfall += c.mincap[h][r][t] - n
                    bad(
                        "under_minimum",
                        f"rotation {c.rid[r]} at site {c.hid[h]} has {n} "
                        f"learners in block {t}, min {c.mincap[h][r][t]}",
                        rotation=c.rid[r],
                        site=c.hid[h],
                        block=t,
                        count=n,
                        min=c.mincap[h][r][t],
                        short=c.mincap[h][r][t] - n,
                    )
    total = sum(sat.values())
    if sat:
        worst_learner = min(sat, key=lambda k: sat[k])
        worst = sat[worst_learner]
    else:
        worst_learner, worst = None, 0
    return CheckResult(V, sat, total + worst, total, worst, worst_learner, shortfall, tot_changes, tot_idle)
