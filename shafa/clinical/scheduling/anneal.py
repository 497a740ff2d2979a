"""Simulated annealing over complete MSS schedules (plain Python, no CP-SAT, no Django).

The LNS moves a few learners at a time through CP-SAT: on the 24-discipline instances a
learner has ~2,300 options and a sub-model of 3-5 learners takes 0.5-2 s, so a minute buys
about 40 steps.  Most of what separates a schedule from the best known there is *which site*
each learner is at in each block (site changes cost 1-3 points each, site preference 1-5 per
block), and single moves with exact delta evaluation explore that a thousand times faster:

* **swap** two learners' placements that start in the same block and last as long (same
  group): every offering keeps its head count, so no staffing rule can break;
* **move** one placement to another site, block or rotation of the same group (only into
  free blocks, never below a minimum or above a maximum);
* **exchange** the blocks of two of a learner's placements of the same length.

A move is applied if it keeps the learner's own rules (each rotation once, precedence, the
rotations-per-site limit, locks) and the staffing limits, and is accepted by the Metropolis
rule on the MSS score (total satisfaction plus the worst-off learner) at a temperature that
falls geometrically over the run.  The best schedule seen is returned.  Feasible in, feasible
out: without a ``weight`` the staffing violation never grows; with one (a repair), a broken
seat costs that many points and the best schedule is the one with the fewest broken seats.
"""

from __future__ import annotations

import math
import random
import time

from . import model as M
from .problem import Compiled
from .solver import learner_sat

Option = tuple[int, int, int]


class Annealer:
    def __init__(self, c: Compiled, opts: dict[int, list[Option]], seed: int = 0):
        self.c = c
        self.rng = random.Random(seed)
        S = c.S
        self.val = [{o: M.option_value(c, s, o) for o in opts[s]} for s in range(S)]
        self.by_rot: list[dict[int, list[Option]]] = []
        self.group_rots: list[dict[int, list[int]]] = []
        for s in range(S):
            br: dict[int, list[Option]] = {}
            for o in opts[s]:
                br.setdefault(o[0], []).append(o)
            self.by_rot.append(br)
            gr: dict[int, list[int]] = {}
            for r in br:
                gr.setdefault(c.rgroup[r], []).append(r)
            self.group_rots.append(gr)
        self.locked = {(ls, r, h, st) for ls, r, h, st in c.locks}
        self.prec_of: dict[int, list[tuple[int, int]]] = {}
        for b, a in c.prec:
            self.prec_of.setdefault(a, []).append((b, a))
            self.prec_of.setdefault(b, []).append((b, a))
        self.moves = {"swap": [0, 0], "move": [0, 0], "exchange": [0, 0]}  # tried, applied

    def _rules_ok(self, s: int, plan: list[Option], touched: tuple[int, ...], site_in: int) -> bool:
        """Learner-local rules a move can break: the rotations-per-site limit at ``site_in``
        and precedence for the ``touched`` rotations (overlaps and each-once are checked by
        the move itself)."""
        c = self.c
        if site_in >= 0 and sum(1 for o in plan if o[1] == site_in) > c.k:
            return False
        if not self.prec_of:
            return True
        pairs = [p for r in touched for p in self.prec_of.get(r, ())]
        if not pairs:
            return True
        start = {o[0]: o[2] for o in plan}
        return all(not (a in start and (b not in start or start[b] + c.dur[b] > start[a])) for b, a in pairs)

    # ---------------------------------------------------------------- search
    def run(
        self,
        sched: list[list[Option]],
        until: float,
        temp0: float = 4.0,
        temp1: float = 0.3,
        weight: float | None = None,
        steps: int | None = None,
    ) -> tuple[list[list[Option]], int, int]:
        """Anneal from ``sched`` until ``until``.  ``weight`` None: no move may break a staffing limit
        (``sched`` should keep them all); else a seat below a minimum or above a maximum
        costs ``weight`` points, so a repair can pass through schedules that break a few.
        With ``steps`` the run is that many steps instead (reproducible for a seed).
        Returns the best schedule seen (fewest broken seats, then score), its score and its
        broken seats."""
        c = self.c
        rng = self.rng
        S = c.S
        dur = c.dur
        mincap, maxcap = c.mincap, c.maxcap
        hard = weight is None
        W = 0.0 if weight is None else float(weight)
        cur = [list(p) for p in sched]
        sat = [learner_sat(c, s, cur[s], self.val[s]) for s in range(S)]
        total = sum(sat)
        worst = min(sat, default=0)
        score = total + worst
        occ = [[[0] * c.T for _ in range(c.R)] for _ in range(c.H)]  # learners per seat
        for plan in cur:
            for r, h, t in plan:
                for x in range(t, t + dur[r]):
                    occ[h][r][x] += 1
        viol = 0
        for h in range(c.H):
            for r in range(c.R):
                oc, mn, mx = occ[h][r], mincap[h][r], maxcap[h][r]
                for t in range(c.T):
                    viol += mn[t] - oc[t] if oc[t] < mn[t] else (oc[t] - mx[t] if oc[t] > mx[t] else 0)
        best, best_score, best_viol = [list(p) for p in cur], score, viol
        t_begin = time.time()
        span = max(1e-3, until - t_begin)
        temp = temp0
        ratio = temp1 / temp0
        it = 0
        self.iterations = 0
        learners = [s for s in range(S) if cur[s]]
        if not learners:
            return best, best_score, best_viol
        locked = self.locked
        optval = self.val
        by_rot = self.by_rot
        group_rots = self.group_rots
        rgroup = c.rgroup
        moves = self.moves
        n_learners = len(learners)
        while True:
            it += 1
            if it & 255 == 0:
                if steps is not None:
                    if it > steps:
                        break
                    temp = temp0 * ratio ** (it / steps)
                else:
                    now = time.time()
                    if now >= until:
                        break
                    temp = temp0 * ratio ** ((now - t_begin) / span)
            s = learners[rng.randrange(n_learners)]
            plan = cur[s]
            i = rng.randrange(len(plan))
            p = plan[i]
            if locked and (s, *p) in locked:
                continue
            r, h, t = p
            d = dur[r]
            u = rng.random()
            dv = 0
            net: dict[tuple[int, int, int], int] = {}
            s2 = -1
            new2: list[Option] = []
            if u < 0.45:
                # ---- swap with another learner at the same start and length: no head
                # count changes
                kind = "swap"
                s2 = learners[rng.randrange(n_learners)]
                if s2 == s:
                    continue
                plan2 = cur[s2]
                j = -1
                for k, o in enumerate(plan2):
                    if o[2] == t:
                        j = k
                        break
                if j < 0:
                    continue
                q = plan2[j]
                r2, h2, _t2 = q
                if q == p or dur[r2] != d or rgroup[r2] != rgroup[r]:
                    continue
                if locked and (s2, *q) in locked:
                    continue
                if q not in optval[s] or p not in optval[s2]:
                    continue
                if r2 != r and (any(o[0] == r2 for o in plan) or any(o[0] == r for o in plan2)):
                    continue
                moves[kind][0] += 1
                new1 = [*plan[:i], q, *plan[i + 1 :]]
                new2 = [*plan2[:j], p, *plan2[j + 1 :]]
                touched = (r, r2) if r != r2 else ()
                if not self._rules_ok(s, new1, touched, h2 if h2 != h else -1):
                    continue
                if not self._rules_ok(s2, new2, touched, h if h2 != h else -1):
                    continue
            elif u < 0.85:
                # ---- move one placement (another site / block / rotation of the group)
                kind = "move"
                if rng.random() < 0.5:
                    r2 = r
                else:
                    rs = group_rots[s][rgroup[r]]
                    r2 = rs[rng.randrange(len(rs))]
                    if r2 != r and any(o[0] == r2 for o in plan):
                        continue
                cands = by_rot[s].get(r2)
                if not cands:
                    continue
                q = cands[rng.randrange(len(cands))]
                if q == p:
                    continue
                r2, h2, t2 = q
                d2 = dur[r2]
                ok = True
                for k, o in enumerate(plan):
                    if k != i and o[2] < t2 + d2 and t2 < o[2] + dur[o[0]]:
                        ok = False
                        break
                if not ok:
                    continue
                for x in range(t, t + d):
                    net[(h, r, x)] = -1
                for x in range(t2, t2 + d2):
                    net[(h2, r2, x)] = net.get((h2, r2, x), 0) + 1
                moves[kind][0] += 1
                new1 = [*plan[:i], q, *plan[i + 1 :]]
                touched = (r, r2) if (r2 != r or t2 != t) else ()
                if not self._rules_ok(s, new1, touched, h2 if h2 != h else -1):
                    continue
            else:
                # ---- exchange the blocks of two of the learner's placements
                kind = "exchange"
                if len(plan) < 2:
                    continue
                j = rng.randrange(len(plan))
                if j == i:
                    continue
                q = plan[j]
                r2, h2, t2 = q
                if dur[r2] != d:
                    continue
                if locked and (s, *q) in locked:
                    continue
                a, b = (r, h, t2), (r2, h2, t)
                if a not in optval[s] or b not in optval[s]:
                    continue
                for x in range(t, t + d):
                    net[(h, r, x)] = net.get((h, r, x), 0) - 1
                    net[(h2, r2, x)] = net.get((h2, r2, x), 0) + 1
                for x in range(t2, t2 + d):
                    net[(h2, r2, x)] = net.get((h2, r2, x), 0) - 1
                    net[(h, r, x)] = net.get((h, r, x), 0) + 1
                moves[kind][0] += 1
                new1 = list(plan)
                new1[i], new1[j] = a, b
                if not self._rules_ok(s, new1, (r, r2), -1):
                    continue
            # staffing: change of the broken seats (hard mode: none may be added)
            if net:
                for (hh, rr, x), nd in net.items():
                    if nd == 0:
                        continue
                    n0 = occ[hh][rr][x]
                    lo = mincap[hh][rr][x]
                    hi = maxcap[hh][rr][x]
                    n1 = n0 + nd
                    dv += (lo - n1 if n1 < lo else (n1 - hi if n1 > hi else 0)) - (
                        lo - n0 if n0 < lo else (n0 - hi if n0 > hi else 0)
                    )
                    if hard and dv > 0:
                        break
                if hard and dv > 0:
                    continue
            n1s = learner_sat(c, s, new1, optval[s])
            o1 = sat[s]
            if s2 >= 0:
                n2s = learner_sat(c, s2, new2, optval[s2])
                o2 = sat[s2]
                nt = total - o1 - o2 + n1s + n2s
                if worst in (o1, o2) or n1s < worst or n2s < worst:
                    sat[s], sat[s2] = n1s, n2s
                    nw = min(sat)
                    sat[s], sat[s2] = o1, o2
                else:
                    nw = worst
            else:
                nt = total - o1 + n1s
                if o1 == worst or n1s < worst:
                    sat[s] = n1s
                    nw = min(sat)
                    sat[s] = o1
                else:
                    nw = worst
            delta = nt + nw - score - W * dv
            if delta >= 0 or rng.random() < math.exp(delta / temp):
                for (hh, rr, x), nd in net.items():
                    occ[hh][rr][x] += nd
                cur[s] = new1
                sat[s] = n1s
                if s2 >= 0:
                    cur[s2] = new2
                    sat[s2] = n2s
                total, worst, score = nt, nw, nt + nw
                viol += dv
                moves[kind][1] += 1
                if viol < best_viol or (viol == best_viol and score > best_score):
                    best_score, best_viol = score, viol
                    best = [list(x) for x in cur]
        self.iterations = it
        return best, best_score, best_viol
