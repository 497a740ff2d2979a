"""Infeasibility explanations in the coordinator's words.

Every finding is an :class:`Explanation` with a stable ``code``, a ``params`` dict (ids of
rotations/sites/learners, 0-based block numbers, numbers) and an English ``message``; the
Django layer translates by ``code``.

* :func:`precheck` — cheap necessary conditions, run before any search.
* :func:`explain_infeasible` — CP-SAT with one assumption literal per rule instance
  (per offering/block minimum and maximum, per learner group requirement, per precedence,
  per lock, per learner/site limit); ``SufficientAssumptionsForInfeasibility`` names a
  conflicting subset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from . import model as M
from .problem import Compiled, Problem, compile_problem

# stable codes
MIN_ABOVE_MAX = "min_above_max"
LEARNER_OVERLOADED = "learner_overloaded"
GROUP_UNREACHABLE = "group_unreachable"
PRECEDENCE_CYCLE = "precedence_cycle"
LOCK_OUTSIDE_CALENDAR = "lock_outside_calendar"
LOCK_UNAVAILABLE = "lock_unavailable"
LOCK_NOT_ELIGIBLE = "lock_not_eligible"
LOCK_NO_CAPACITY = "lock_no_capacity"
LOCKS_OVER_CAPACITY = "locks_over_capacity"
CAPACITY_BELOW_DEMAND = "capacity_below_demand"
MINIMUM_UNREACHABLE = "minimum_unreachable"
MINIMUMS_EXCEED_LEARNERS = "minimums_exceed_learners"
CONFLICT = "conflict"  # prefix of CP-SAT core explanations: conflict_<rule>


@dataclass
class Explanation:
    code: str
    params: dict[str, Any]
    message: str
    fatal: bool = True
    related: list[dict[str, Any]] = field(default_factory=list)


def _gname(c: Compiled, g: int) -> Any:
    k = c.gid[g]
    return k[1] if isinstance(k, tuple) and len(k) == 2 and k[0] == "__required__" else k


SOFT_IN_UNIVERSITY = {MIN_ABOVE_MAX, MINIMUM_UNREACHABLE, MINIMUMS_EXCEED_LEARNERS}


def precheck(problem: Problem, c: Compiled | None = None, mode: str = "mss") -> list[Explanation]:
    """Cheap necessary conditions.  In "university" mode minimums are soft, so findings about
    minimums are reported with ``fatal=False``."""
    out = _precheck(problem, c)
    if mode == "university":
        for e in out:
            if e.code in SOFT_IN_UNIVERSITY:
                e.fatal = False
    return out


def _precheck(problem: Problem, c: Compiled | None = None) -> list[Explanation]:
    c = c or compile_problem(problem)
    out: list[Explanation] = []
    T = c.T
    # min > max
    for h in range(c.H):
        for r in range(c.R):
            for t in range(T):
                if c.mincap[h][r][t] > c.maxcap[h][r][t]:
                    out.append(
                        Explanation(
                            MIN_ABOVE_MAX,
                            {
                                "rotation": c.rid[r],
                                "site": c.hid[h],
                                "block": t,
                                "min": c.mincap[h][r][t],
                                "max": c.maxcap[h][r][t],
                            },
                            f"Rotation {c.rid[r]} at site {c.hid[h]} in block {t} needs at least "
                            f"{c.mincap[h][r][t]} learners but takes at most {c.maxcap[h][r][t]}.",
                        )
                    )
    # precedence cycle
    succ: dict[int, list[int]] = {}
    for b, a in c.prec:
        succ.setdefault(b, []).append(a)
    color = [0] * c.R
    cycle: list[int] = []

    def dfs(u: int, path: list[int]) -> bool:
        color[u] = 1
        path.append(u)
        for v in succ.get(u, []):
            if color[v] == 1:
                cycle.extend([*path[path.index(v) :], v])
                return True
            if color[v] == 0 and dfs(v, path):
                return True
        path.pop()
        color[u] = 2
        return False

    for r in range(c.R):
        if color[r] == 0 and dfs(r, []):
            break
    if cycle:
        names = [c.rid[r] for r in cycle]
        out.append(
            Explanation(
                PRECEDENCE_CYCLE,
                {"rotations": names},
                "The precedence rules form a cycle: "
                + " before ".join(map(str, names))
                + "; no learner can take these rotations.",
            )
        )
    # per learner
    opts = {s: M.learner_options(c, s) for s in range(c.S)}
    for s in range(c.S):
        L = c.lid[s]
        avail = sum(c.avail[s])
        need_blocks = 0
        for g in range(c.G):
            n = c.need[s][g]
            if n <= 0:
                continue
            rs = [r for r in range(c.R) if c.rgroup[r] == g]
            durs = sorted(c.dur[r] for r in rs)
            need_blocks += sum(durs[:n])
            reachable = [r for r in rs if any(o[0] == r for o in opts[s])]
            if len(reachable) < n:
                out.append(
                    Explanation(
                        GROUP_UNREACHABLE,
                        {
                            "learner": L,
                            "group": _gname(c, g),
                            "required": n,
                            "possible": len(reachable),
                            "rotations": [c.rid[r] for r in rs if r not in reachable],
                        },
                        f"Learner {L} must do {n} rotation(s) of {_gname(c, g)} but only "
                        f"{len(reachable)} can be placed (eligibility, leave or closed offerings).",
                    )
                )
        if need_blocks > avail:
            out.append(
                Explanation(
                    LEARNER_OVERLOADED,
                    {"learner": L, "required_blocks": need_blocks, "available_blocks": avail},
                    f"Learner {L} needs {need_blocks} blocks of rotations but is available in "
                    f"only {avail} blocks.",
                )
            )
    # locks
    lock_use: dict[tuple[int, int, int], list[int]] = {}
    for s, r, h, st in c.locks:
        L, R_, H_ = c.lid[s], c.rid[r], c.hid[h]
        p = {"learner": L, "rotation": R_, "site": H_, "block": st}
        end = st + c.dur[r] - 1
        if st < 0 or end >= T:
            out.append(
                Explanation(
                    LOCK_OUTSIDE_CALENDAR,
                    p,
                    f"Lock of learner {L} on {R_} at {H_} from block {st} runs outside the calendar.",
                )
            )
            continue
        bad_t = [t for t in range(st, end + 1) if not c.avail[s][t]]
        if bad_t:
            out.append(
                Explanation(
                    LOCK_UNAVAILABLE,
                    {**p, "blocks": bad_t},
                    f"Learner {L} is locked to {R_} at {H_} from block {st} but "
                    f"is on leave in block(s) {', '.join(map(str, bad_t))}.",
                )
            )
        if not c.allowed[s][r] or not c.able[s][h][r]:
            out.append(
                Explanation(
                    LOCK_NOT_ELIGIBLE, p, f"Learner {L} is locked to {R_} at {H_} but is not eligible for it."
                )
            )
        closed = [t for t in range(st, end + 1) if c.maxcap[h][r][t] <= 0]
        if closed:
            out.append(
                Explanation(
                    LOCK_NO_CAPACITY,
                    {**p, "blocks": closed},
                    f"Learner {L} is locked to {R_} at {H_} from block {st} but "
                    f"the offering has no places in block(s) "
                    f"{', '.join(map(str, closed))}.",
                )
            )
        for t in range(st, end + 1):
            lock_use.setdefault((h, r, t), []).append(s)
    for (h, r, t), ss in lock_use.items():
        if len(ss) > c.maxcap[h][r][t] > 0:
            out.append(
                Explanation(
                    LOCKS_OVER_CAPACITY,
                    {
                        "rotation": c.rid[r],
                        "site": c.hid[h],
                        "block": t,
                        "locked": len(ss),
                        "max": c.maxcap[h][r][t],
                        "learners": [c.lid[s] for s in ss],
                    },
                    f"{len(ss)} learners are locked to {c.rid[r]} at {c.hid[h]} in block {t} "
                    f"but it takes at most {c.maxcap[h][r][t]}.",
                )
            )
    # minimum reachable: enough learners who could possibly be there
    can = [[[0] * T for _ in range(c.R)] for _ in range(c.H)]
    for s in range(c.S):
        seen = set()
        for r, h, st in opts[s]:
            for t in range(st, st + c.dur[r]):
                seen.add((h, r, t))
        for h, r, t in seen:
            can[h][r][t] += 1
    for h in range(c.H):
        for r in range(c.R):
            for t in range(T):
                mn = c.mincap[h][r][t]
                if mn > can[h][r][t] and mn <= c.maxcap[h][r][t]:
                    out.append(
                        Explanation(
                            MINIMUM_UNREACHABLE,
                            {
                                "rotation": c.rid[r],
                                "site": c.hid[h],
                                "block": t,
                                "min": mn,
                                "possible": can[h][r][t],
                                "short": mn - can[h][r][t],
                            },
                            f"Rotation {c.rid[r]} at site {c.hid[h]} needs {mn} learners in block "
                            f"{t} but only {can[h][r][t]} learners could be there; "
                            f"{mn - can[h][r][t]} seat(s) short.",
                        )
                    )
    for t in range(T):
        need = sum(c.mincap[h][r][t] for h in range(c.H) for r in range(c.R))
        avail = sum(1 for s in range(c.S) if c.avail[s][t])
        if need > avail:
            out.append(
                Explanation(
                    MINIMUMS_EXCEED_LEARNERS,
                    {"block": t, "min_total": need, "available": avail, "short": need - avail},
                    f"Block {t} needs {need} learners across all minimums but only {avail} are "
                    f"available; {need - avail} short.",
                )
            )
    # demand vs capacity of each mandatory rotation over windows
    for r in range(c.R):
        d = c.dur[r]
        g = c.rgroup[r]
        rs_in_g = [x for x in range(c.R) if c.rgroup[x] == g]
        windows = []
        for s in range(c.S):
            if c.need[s][g] >= len(rs_in_g) and c.need[s][g] > 0:  # mandatory for s
                starts = [o[2] for o in opts[s] if o[0] == r]
                if starts:
                    windows.append((min(starts), max(starts) + d - 1))
        if not windows:
            continue
        cap_t = [sum(max(0, c.maxcap[h][r][t]) for h in range(c.H)) for t in range(T)]
        pre = [0]
        for v in cap_t:
            pre.append(pre[-1] + v)
        a_vals = sorted({w[0] for w in windows})
        b_vals = sorted({w[1] for w in windows})
        if len(a_vals) * len(b_vals) > 4000:
            a_vals, b_vals = [min(a_vals)], [max(b_vals)]
        worst = None
        for a in a_vals:
            for b in b_vals:
                if b < a:
                    continue
                n = sum(1 for (x, y) in windows if a <= x and y <= b)
                short = n * d - (pre[b + 1] - pre[a])
                if short > 0 and (worst is None or short > worst[0]):
                    worst = (short, a, b, n)
        if worst:
            short, a, b, n = worst
            blocks = list(range(a, b + 1))
            out.append(
                Explanation(
                    CAPACITY_BELOW_DEMAND,
                    {
                        "rotation": c.rid[r],
                        "first_block": a,
                        "last_block": b,
                        "block": a if a == b else None,
                        "blocks": blocks,
                        "learners": n,
                        "demand": n * d,
                        "capacity": n * d - short,
                        "short": short,
                    },
                    f"Rotation {c.rid[r]} in block{'s' if a != b else ''} "
                    f"{a if a == b else f'{a}-{b}'}: {n} learner(s) must take it there "
                    f"({n * d} learner-blocks) but all sites together offer {n * d - short}; "
                    f"{short} seat(s) short.",
                )
            )
    return out


_RULE_TEXT = {
    "min": "minimum staffing",
    "max": "maximum capacity",
    "group": "rotation requirement",
    "precedence": "precedence",
    "lock": "manual lock",
    "max_per_site": "rotations-per-site limit",
}


def explain_infeasible(
    problem: Problem,
    c: Compiled | None = None,
    time_limit: float = 20.0,
    workers: int = 2,
    run_seconds: float | None = None,
) -> list[Explanation]:
    """Prechecks first; if none is fatal, a CP-SAT core over rule instances (within
    ``time_limit``; ``run_seconds``, the solve's own limit, is what an inconclusive answer cites)."""
    c = c or compile_problem(problem)
    pre = precheck(problem, c)
    if pre:
        return pre
    b = M.build(c, mode="feasibility", assumptions=True)
    sv = cp_model.CpSolver()
    sv.parameters.max_time_in_seconds = time_limit
    sv.parameters.num_workers = 1  # core extraction is reliable single-threaded
    res = sv.Solve(b.model)
    if res != cp_model.INFEASIBLE:
        if res in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return []
        # the coordinator's figure is the run's own limit, not this search's share of it
        shown = run_seconds if run_seconds is not None else time_limit
        return [
            Explanation(
                "unknown",
                {"seconds": round(shown)},
                f"No schedule was found within {shown:.0f} s and no "
                "contradiction was proven; try a longer time limit.",
                fatal=False,
            )
        ]
    idx_to_key = {v.Index(): k for k, v in b.assumptions.items()}
    core = [idx_to_key[i] for i in sv.SufficientAssumptionsForInfeasibility() if i in idx_to_key]
    related = []
    for key in core:
        info = b.assumption_info[key]
        rule = info["rule"]
        p: dict[str, Any] = {"rule": rule}
        if "h" in info:
            p["site"] = c.hid[info["h"]]
        if "r" in info:
            p["rotation"] = c.rid[info["r"]]
        if "t" in info:
            p["block"] = info["t"]
            if rule == "min":
                p["min"] = c.mincap[info["h"]][info["r"]][info["t"]]
            if rule == "max":
                p["max"] = c.maxcap[info["h"]][info["r"]][info["t"]]
        if "s" in info:
            p["learner"] = c.lid[info["s"]]
        if "g" in info:
            p["group"] = _gname(c, info["g"])
        if "before" in info:
            p["before"], p["after"] = c.rid[info["before"]], c.rid[info["after"]]
        if "st" in info:
            p["block"] = info["st"]
        related.append(p)
    out = []
    for p in related:
        rule = p["rule"]
        where = ", ".join(f"{k} {v}" for k, v in p.items() if k != "rule")
        out.append(
            Explanation(
                f"{CONFLICT}_{rule}",
                p,
                f"The {_RULE_TEXT.get(rule, rule)} rule ({where}) cannot be "
                "met together with the other rules listed.",
            )
        )
    if not out:
        out.append(
            Explanation(
                f"{CONFLICT}_structure",
                {},
                "The rules about one place at a time and consecutive blocks cannot be met for some learner.",
            )
        )
    for e in out:
        e.related = related
    return out
