"""CP-SAT formulation.

Variables ``x[s,r,h,st]`` (learner s does rotation r at site h over blocks st..st+dur-1) exist
only where the rotation is allowed, the site is eligible, the learner is available and the
offering has a positive maximum in every block of the window (and the learner's group needs
the rotation).  The model can be built over a *subset* of learners, the others being fixed
(their occupancy is subtracted from capacities) — that is what the LNS uses.

Satisfaction (SatTot) of a learner, exactly as MSS defines it:
  sum over placements of (w1*pref_rot + school + w2*pref_site + block prefs)
  + w3 * changes + w4 * idle-before-last.
* idle = last_end+1 - attended blocks, with ``lastp1`` >= end+1 of every placement (exact at
  the optimum because w4 <= 0; an equality is posted when w4 > 0).
* changes use a "last attended site" state L[s,t,h] (exactly defined by 4 linear constraints)
  and change[s,t] >= z[s,t,h] + sum_{h'!=h} L[s,t-1,h'] - 1.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .problem import Compiled, IndexSchedule

Option = tuple[int, int, int]  # (r, h, start)


def learner_options(c: Compiled, s: int) -> list[Option]:
    """All feasible (r, h, start) for learner s ignoring other learners."""
    opts: list[Option] = []
    T = c.T
    av = c.avail[s]
    locked = {(r, h, st) for (ls, r, h, st) in c.locks if ls == s}
    locked_r = {r for (r, _h, _st) in locked}
    for r in range(c.R):
        if not c.allowed[s][r] or c.need[s][c.rgroup[r]] <= 0:
            continue
        d = c.dur[r]
        for h in range(c.H):
            if not c.able[s][h][r]:
                continue
            mc = c.maxcap[h][r]
            for st in range(T - d + 1):
                if r in locked_r and (r, h, st) not in locked:
                    continue
                ok = True
                for t in range(st, st + d):
                    if not av[t] or mc[t] <= 0:
                        ok = False
                        break
                if ok:
                    opts.append((r, h, st))
    return _prune_precedence(c, s, opts)


def _prune_precedence(c: Compiled, s: int, opts: list[Option]) -> list[Option]:
    """Drop starts that precedence makes impossible: a rotation cannot start before its
    predecessors can have finished, and a predecessor of a rotation the learner must do
    has to finish before that rotation's latest start."""
    if not c.prec or not opts:
        return opts
    mandatory = set()
    for r in range(c.R):
        g = c.rgroup[r]
        n_in = sum(1 for x in range(c.R) if c.rgroup[x] == g and c.allowed[s][x])
        if c.need[s][g] > 0 and c.need[s][g] >= n_in:
            mandatory.add(r)
    for _ in range(3):
        est: dict[int, int] = {}
        lst: dict[int, int] = {}
        for r, _h, st in opts:
            est[r] = min(est.get(r, st), st)
            lst[r] = max(lst.get(r, st), st)
        keep = []
        for o in opts:
            r, _h, st = o
            okk = True
            for b, a in c.prec:
                if a == r and (b not in est or est[b] + c.dur[b] > st):
                    okk = False
                    break
                if b == r and a in mandatory and a in lst and st + c.dur[r] > lst[a]:
                    okk = False
                    break
                if b == r and a in mandatory and a not in lst:
                    pass
            if okk:
                keep.append(o)
        if len(keep) == len(opts):
            break
        opts = keep
    return opts


def option_value(c: Compiled, s: int, o: Option) -> int:
    r, h, st = o
    w1, w2, _w3, _w4 = c.w[s]
    v = w1 * c.pref_rot[s][r] + c.school[r] + w2 * c.pref_site[s][h]
    pb = c.pref_block[s]
    for t in range(st, st + c.dur[r]):
        v += pb[t]
    return v


@dataclass
class Built:
    model: cp_model.CpModel
    learners: list[int]
    x: dict[int, dict[Option, cp_model.IntVar]]
    sat: dict[int, cp_model.IntVar]
    shortfall: list[tuple[tuple[int, int, int], cp_model.IntVar]]
    m: cp_model.IntVar | None
    assumptions: dict[str, cp_model.IntVar] = field(default_factory=dict)
    assumption_info: dict[str, dict] = field(default_factory=dict)
    n_vars: int = 0
    aux: dict[int, Any] = field(default_factory=dict)
    soft_info: Any = None
    fixed_min_sat: Any = None
    c: Compiled | None = None


def sat_bounds(c: Compiled, s: int, opts: list[Option]) -> tuple[int, int]:
    vals = sorted((option_value(c, s, o) for o in opts), reverse=True)
    n = sum(c.need[s])
    w3, w4 = c.w[s][2], c.w[s][3]
    hi = sum(v for v in vals[: max(n, 0)] if v > 0) + max(0, w3) * c.T + max(0, w4) * c.T
    lo = sum(v for v in vals[-n:] if v < 0) if n else 0
    lo += min(0, w3) * c.T + min(0, w4) * c.T
    return lo - 1, hi + 1


def build(
    c: Compiled,
    learners: list[int] | None = None,
    fixed: IndexSchedule | None = None,
    mode: str = "mss",
    soft_min: bool = False,
    soft_max: bool = False,
    ignore_min: bool = False,
    shortfall_weight: int = 1000,
    fixed_min_sat: int | None = None,
    lottery_seed: int | None = None,
    lottery_scale: int = 0,
    assumptions: bool = False,
    move_penalty: dict[int, set[Option]] | None = None,
    move_weight: int = 0,
    options: dict[int, list[Option]] | None = None,
    forced: dict[int, list[Option]] | None = None,
    per_learner_objective: bool = True,
) -> Built:
    """Build the CP-SAT model over ``learners`` (default: all).  Learners not in the list but
    present in ``fixed`` consume capacity.  ``mode``: "mss" (sum + min) or "university"
    (-shortfall*BIG, worst-off, total, lottery); "feasibility" builds no objective."""
    S_all = list(range(c.S))
    free = S_all if learners is None else list(learners)
    free_set = set(free)
    model = cp_model.CpModel()
    T, H, R = c.T, c.H, c.R
    # residual capacities
    used = [[[0] * T for _ in range(R)] for _ in range(H)]
    if fixed is not None:
        for s in S_all:
            if s in free_set:
                continue
            for r, h, st in fixed[s]:
                for t in range(st, st + c.dur[r]):
                    used[h][r][t] += 1
    A: dict[str, cp_model.IntVar] = {}
    Ainfo: dict[str, dict] = {}

    def assume(key: str, info: dict) -> cp_model.IntVar | None:
        if not assumptions:
            return None
        if key not in A:
            A[key] = model.NewBoolVar(key)
            Ainfo[key] = info
        return A[key]

    x: dict[int, dict[Option, cp_model.IntVar]] = {}
    cover: dict[tuple[int, int, int], list] = defaultdict(list)  # (h,r,t) -> vars
    sat: dict[int, cp_model.IntVar] = {}
    aux: dict[int, dict] = {}
    soft_info: list = []
    sbounds: dict[int, tuple[int, int]] = {}
    nvars = 0
    rng = random.Random(lottery_seed) if lottery_seed is not None else None
    lottery_terms = []
    move_terms = []
    for s in free:
        opts = options[s] if options is not None and s in options else learner_options(c, s)
        xs = {o: model.NewBoolVar("") for o in opts}
        nvars += len(xs)
        x[s] = xs
        by_r: dict[int, list] = defaultdict(list)
        by_t: dict[int, list] = defaultdict(list)
        by_h: dict[int, list] = defaultdict(list)
        by_rst: dict[tuple[int, int], list] = defaultdict(list)
        z: dict[tuple[int, int], list] = defaultdict(list)
        ends = defaultdict(list)
        for o, v in xs.items():
            r, h, st = o
            d = c.dur[r]
            by_r[r].append(v)
            by_h[h].append(v)
            by_rst[(r, st)].append(v)
            ends[r].append((st + d, v))
            for t in range(st, st + d):
                by_t[t].append(v)
                z[(t, h)].append(v)
                cover[(h, r, t)].append(v)
        # one place at a time
        for vs in by_t.values():
            if len(vs) > 1:
                model.AddAtMostOne(vs)
        # redundant: with no slack every available block must be covered
        if len(set(c.dur)) == 1 and xs:
            req = sum(c.need[s]) * c.dur[0]
            if req == sum(c.avail[s]):
                for t in range(T):
                    if c.avail[s][t]:
                        model.AddExactlyOne(by_t.get(t, []))
        # each rotation at most once
        for vs in by_r.values():
            if len(vs) > 1:
                model.AddAtMostOne(vs)
        # group counts
        for g in range(c.G):
            rs = [r for r in range(R) if c.rgroup[r] == g]
            vs = [v for r in rs for v in by_r.get(r, [])]
            a = assume(f"group:{s}:{g}", {"rule": "group", "s": s, "g": g})
            ct = model.Add(sum(vs) == c.need[s][g])
            if a is not None:
                ct.OnlyEnforceIf(a)
        # max rotations per site
        if c.k < R:
            for h, vs in by_h.items():
                if len(vs) > c.k:
                    a = assume(f"maxsite:{s}:{h}", {"rule": "max_per_site", "s": s, "h": h})
                    ct = model.Add(sum(vs) <= c.k)
                    if a is not None:
                        ct.OnlyEnforceIf(a)
        # precedence: an option of `after` starting at st needs `before` ending before st
        for rb, ra in c.prec:
            if ra not in by_r:
                continue
            a = assume(f"prec:{rb}:{ra}", {"rule": "precedence", "before": rb, "after": ra})
            db = c.dur[rb]
            starts = sorted({st for (r, st) in by_rst if r == ra})
            # options of `before` sorted by end: the ones ending by st are a prefix
            ends_b = [(st2 + db, v) for (r2, st2), vs in by_rst.items() if r2 == rb for v in vs]
            ends_b.sort(key=lambda ev: ev[0])  # stable: ties keep the options' order
            b_vars = [v for _e, v in ends_b]
            b_ends = [e for e, _v in ends_b]
            for st in starts:
                lhs = by_rst[(ra, st)]
                rhs = b_vars[: bisect.bisect_right(b_ends, st)]
                ct = model.Add(sum(lhs) == 0) if not rhs else model.Add(sum(lhs) <= sum(rhs))
                if a is not None:
                    ct.OnlyEnforceIf(a)
        if forced and s in forced:
            for o in forced[s]:
                model.Add(xs[o] == 1)
        # locks
        for ls, r, h, st in c.locks:
            if ls != s:
                continue
            a = assume(f"lock:{s}:{r}:{h}:{st}", {"rule": "lock", "s": s, "r": r, "h": h, "st": st})
            v = xs.get((r, h, st))
            # a lock without a matching option is impossible (empty clause)
            ct = model.AddBoolOr([]) if v is None else model.Add(v == 1)
            if a is not None:
                ct.OnlyEnforceIf(a)
        if mode in ("feasibility", "repair"):
            continue
        # satisfaction
        aux_s: dict = {}
        aux[s] = aux_s
        _w1, _w2, w3, w4 = c.w[s]
        lo, hi = sat_bounds(c, s, opts)
        terms = [option_value(c, s, o) * v for o, v in xs.items()]
        tmin = min((o[2] for o in xs), default=0)
        tmax = max((o[2] + c.dur[o[0]] for o in xs), default=0)  # exclusive
        if w4 < 0 and xs:
            # e[t] = 1 while the learner has not finished (t <= last attended block)
            e_prev = None
            e_vars = []
            for t in range(tmax - 1, tmin - 1, -1):
                et = model.NewBoolVar("")
                nvars += 1
                occ = by_t.get(t, [])
                if occ:
                    model.Add(et >= sum(occ))
                if e_prev is not None:
                    model.AddImplication(e_prev, et)
                e_prev = et
                e_vars.append(et)
                aux_s.setdefault("e", []).append((t, et))
            attended = sum(c.dur[o[0]] * v for o, v in xs.items())
            # idle before tmin counts too when the learner attends anything
            terms.append(w4 * (sum(e_vars) - attended))
            if tmin > 0:
                # periods before the first possible start are idle iff learner attends any
                att = model.NewBoolVar("")
                model.AddMaxEquality(att, list(xs.values()))
                aux_s["att"] = att
                terms.append(w4 * tmin * att)
        if w3 < 0 and H > 1 and xs:
            # site label u[t,h] per block (idle blocks take a neighbour's label);
            # changes = number of label switches, minimised by the solver
            prev = None
            for t in range(tmin, tmax):
                ut = [model.NewBoolVar("") for _ in range(H)]
                nvars += H
                aux_s.setdefault("u", []).append((t, ut))
                model.AddExactlyOne(ut)
                for h in range(H):
                    zh = z.get((t, h), [])
                    for v in zh:
                        model.AddImplication(v, ut[h])
                if prev is not None:
                    ch = model.NewBoolVar("")
                    nvars += 1
                    aux_s.setdefault("ch", []).append((t, ch))
                    for h in range(H):
                        model.Add(ch >= ut[h] - prev[h])
                    terms.append(w3 * ch)
                prev = ut
        sv = model.NewIntVar(lo, hi, f"sat{s}")
        sbounds[s] = (lo, hi)
        model.Add(sv == sum(terms))
        sat[s] = sv
        if rng is not None and lottery_scale > 0:
            for v in xs.values():
                lottery_terms.append(rng.randrange(lottery_scale) * v)
        if move_penalty is not None and s in move_penalty:
            for o in move_penalty[s]:
                v = xs.get(o)
                if v is not None:
                    move_terms.append(1 - v)
                else:
                    move_terms.append(1)
    # capacities
    shortfall = []
    keys = set(cover)
    for h in range(H):
        for r in range(R):
            for t in range(T):
                if c.mincap[h][r][t] - used[h][r][t] > 0:
                    keys.add((h, r, t))
    for key in sorted(keys):
        h, r, t = key
        vs = cover.get(key, [])
        mx = c.maxcap[h][r][t] - used[h][r][t]
        mn = c.mincap[h][r][t] - used[h][r][t]
        if len(vs) > mx:
            if soft_max:
                ov = model.NewIntVar(0, len(vs) + abs(mx), "")
                model.Add(sum(vs) - ov <= mx)
                soft_info.append((ov, key, "max", mx))
                shortfall.append((key, ov))
            else:
                a = assume(f"max:{h}:{r}:{t}", {"rule": "max", "h": h, "r": r, "t": t})
                ct = model.Add(sum(vs) <= max(mx, 0))
                if a is not None:
                    ct.OnlyEnforceIf(a)
        if mn > 0 and not ignore_min:
            if soft_min:
                sh = model.NewIntVar(0, mn, "")
                model.Add(sum(vs) + sh >= mn)
                soft_info.append((sh, key, "min", mn))
                shortfall.append((key, sh))
            else:
                a = assume(f"min:{h}:{r}:{t}", {"rule": "min", "h": h, "r": r, "t": t})
                ct = model.Add(sum(vs) >= mn)
                if a is not None:
                    ct.OnlyEnforceIf(a)
    m = None
    if mode in ("mss", "university") and sat:
        lo = min(b[0] for b in sbounds.values())
        hi = max(b[1] for b in sbounds.values())
        if fixed_min_sat is not None:
            hi = min(hi, fixed_min_sat)
            lo = min(lo, fixed_min_sat)
        m = model.NewIntVar(lo, hi, "min_sat")
        for v in sat.values():
            model.Add(m <= v)
        total = sum(sat.values())
        short = sum(v for _k, v in shortfall)
        if mode == "mss":
            obj = total + m
            if shortfall:
                obj = obj - shortfall_weight * short
            if move_terms:
                obj = obj - move_weight * sum(move_terms)
            model.Maximize(obj)
        else:
            # lexicographic by weights: shortfall >> moves >> worst-off >> total >> lottery
            K = 1 + (lottery_scale - 1) * sum(sum(c.need[s]) for s in free) if lottery_terms else 1
            span_total = sum(b[1] - b[0] for b in sbounds.values())
            B2 = K * (span_total + 1)
            B_move = B2 * (hi - lo + 1)
            B1 = B_move * (len(move_terms) + 1)
            obj = K * total + B2 * m + sum(lottery_terms)
            if move_terms:
                obj = obj - B_move * sum(move_terms)
            if shortfall:
                obj = obj - B1 * short
            model.Maximize(obj)
    elif mode in ("mss", "repair") and shortfall:
        model.Minimize(sum(v for _k, v in shortfall))
    if assumptions:
        model.AddAssumptions(list(A.values()))
    bt = Built(model, free, x, sat, shortfall, m, A, Ainfo, nvars)
    bt.aux = aux
    bt.soft_info = soft_info
    bt.fixed_min_sat = fixed_min_sat
    bt.c = c
    return bt


def extract(b: Built, solver: cp_model.CpSolver) -> dict[int, list[Option]]:
    out = {}
    for s, xs in b.x.items():
        out[s] = [o for o, v in xs.items() if solver.BooleanValue(v)]
    return out


def add_hint(b: Built, sched: IndexSchedule) -> None:
    """Hint every variable (x, site labels, finish chain, changes, sat, soft slacks, min)
    from an index schedule, so CP-SAT starts from a complete solution."""
    c = b.c
    assert c is not None
    from .solver import learner_sat  # local import: solver imports model

    cnt: dict[tuple[int, int, int], int] = {}
    sats = []
    for s, xs in b.x.items():
        chosen = set(sched[s])
        for o, v in xs.items():
            b.model.AddHint(v, 1 if o in chosen else 0)
        for r, h, st in chosen:
            for t in range(st, st + c.dur[r]):
                cnt[(h, r, t)] = cnt.get((h, r, t), 0) + 1
        aux = getattr(b, "aux", {}).get(s)
        if aux is None:
            continue
        at: dict[int, int] = {}
        for r, h, st in chosen:
            for t in range(st, st + c.dur[r]):
                at[t] = h
        last = max((st + c.dur[r] for (r, _h, st) in chosen), default=0)
        for t, v in aux.get("e", []):
            b.model.AddHint(v, 1 if (chosen and t < last) else 0)
        if "att" in aux:
            b.model.AddHint(aux["att"], 1 if chosen else 0)
        if "u" in aux:
            ts = sorted(at)
            label: dict[int, int] = {}
            cur = at[ts[0]] if ts else 0
            for t, _ut in aux["u"]:
                if t in at:
                    cur = at[t]
                label[t] = cur
            for t, ut in aux["u"]:
                for h, v in enumerate(ut):
                    b.model.AddHint(v, 1 if label[t] == h else 0)
            for t, v in aux.get("ch", []):
                b.model.AddHint(v, 1 if label.get(t) != label.get(t - 1, label.get(t)) else 0)
        if s in b.sat:
            val = learner_sat(c, s, list(chosen))
            b.model.AddHint(b.sat[s], val)
            sats.append(val)
    for var, key, kind, bound in getattr(b, "soft_info", []):
        n = cnt.get(key, 0)
        b.model.AddHint(var, max(0, bound - n) if kind == "min" else max(0, n - bound))
    if b.m is not None and sats:
        fm = getattr(b, "fixed_min_sat", None)
        b.model.AddHint(b.m, min(sats + ([fm] if fm is not None else [])))
