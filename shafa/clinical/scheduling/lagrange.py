"""Lagrangian upper bound for the MSS objective (plain Python + numpy, no CP-SAT).

The learners interact only through the staffing limits of the offerings and through the
worst-off term of the score.  Relaxing those couplings (and two per-learner rules, see
below) with non-negative multipliers decomposes the problem into one small problem per
learner; for *any* multipliers the relaxed optimum is an upper bound of the MSS score.

Precisely, with occ_s[h,r,t] = 1 if learner s is at site h in rotation r in block t,
cnt_s[h] = rotations of s at site h, use_s[r] = times s does rotation r, and multipliers
lam[h,r,t] >= 0 (maximum), mu[h,r,t] >= 0 (minimum), nu[s,h] >= 0 (rotations per site),
rho[s,r] >= 0 (each rotation at most once, only for learners solved in "count" mode) and a
vertex j of the simplex for  m <= SatTot(s)  (the worst-off term):

    L = sum_s max_{x_s in X_s} [ (1 + [s == j]) * SatTot_s(x_s)
                                 - sum_{h,r,t} (lam - mu)[h,r,t] * occ_s[h,r,t]
                                 - sum_h nu[s,h] * cnt_s[h] - sum_r rho[s,r] * use_s[r] ]
        + sum lam * Max - sum mu * Min + sum_{s,h} nu[s,h] * k + sum_{s,r} rho[s,r]

Every feasible schedule x gives score(x) = sum_s SatTot_s + min_s SatTot_s <= sum_s SatTot_s
+ SatTot_j and each relaxed term is >= 0 at x, so score(x) <= L.  X_s is a *superset* of the
learner's feasible schedules, and each learner's maximum over X_s is computed *exactly* by
a dynamic programme over blocks (no time limit, no heuristic), so L is a valid bound:

* "mask" mode (at most ``MASK_STATES`` sets of rotations that the group counts allow, e.g.
  6 required rotations and two electives chosen 1 of 4: 2**6 * 5 * 5 = 1,600 sets of 14
  rotations): state = (block, set of rotations done, last attended site); it enforces
  the group counts, each rotation once, precedence (all predecessors in the done-set),
  availability/eligibility/open windows (the option list of :func:`model.learner_options`)
  and scores site changes and waiting exactly; only the rotations-per-site limit is
  relaxed (``nu``).  The same DP gives a learner's best response to the others' seats
  (:meth:`Lagrangian.respond`).
* "count" mode (more sets, e.g. 12 of 24 rotations in two groups): state = (block,
  rotations done per group, last site); additionally relaxes "each rotation once"
  (``rho``) and drops precedence and locks (a superset: still an upper bound, a weaker one).

The multipliers are rounded to multiples of 2**-16 so the DP arithmetic is exact in binary
floating point; the reported bound is ``floor(L + 1e-6)``.  They are improved by projected
subgradient steps (Polyak step towards the incumbent score, step factor halved when the
bound stalls); the bound is the minimum L over all iterations.  At zero multipliers L is
the per-learner bound (sum of each learner's best + the smallest), so it is never worse.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import model as M
from .problem import Compiled

MASK_STATES = 8192  # sets of rotations above which a learner is solved in "count" mode
NEG = -np.inf
_KEEP = float(1 << 30)  # bonus of a cell to keep in a best response (exact in float64)
Q = float(1 << 16)  # multipliers are multiples of 1/Q (exact float arithmetic)
_F_CELLS = 3_000_000  # DP table cells per batch (memory: 8 bytes each)


def _dyadic(a: np.ndarray) -> np.ndarray:
    return np.round(a * Q) / Q


@dataclass
class _Batch:
    """Learners sharing one state space (same mode and rotation/group structure)."""

    learners: list[int]
    mode: str
    n_states: int
    start: int
    complete: np.ndarray  # state indices that meet every group count
    # transition labels: (label, dur, src states, dst states); label = rotation (mask)
    # or group index (count)
    trans: list[tuple[int, int, np.ndarray, np.ndarray]]
    into: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # dst -> [(k, src)]


@dataclass
class LagrangeResult:
    bound: int | None
    value: float | None  # best L (unfloored)
    iterations: int
    seconds: float
    history: list[float]
    modes: dict[str, int]


def _space_key(c: Compiled, s: int, opts: list[M.Option]) -> tuple:
    """The DP state space of learner s: ("mask", rotations, need) when the group counts allow
    at most ``MASK_STATES`` sets of rotations (exact), else ("count", need)."""
    rel = tuple(sorted({o[0] for o in opts}))
    need = tuple(c.need[s])
    return ("mask", rel, need) if _group_mask_count(c, rel, need) <= MASK_STATES else ("count", need)


def mask_learners(c: Compiled, opts: dict[int, list[M.Option]]) -> list[int]:
    """Learners whose DP is exact ("mask" mode), i.e. whose best response :meth:`Lagrangian.respond`
    computes exactly (but for the rotations-per-site limit)."""
    return [s for s in range(c.S) if _space_key(c, s, opts[s])[0] == "mask"]


class Lagrangian:
    def __init__(self, c: Compiled, opts: dict[int, list[M.Option]] | None = None):
        self.c = c
        S, R, H, T = c.S, c.R, c.H, c.T
        self.opts = opts if opts is not None else {s: M.learner_options(c, s) for s in range(S)}
        self.dur = np.array(c.dur, dtype=np.int64)
        self.maxcap = np.array(c.maxcap, dtype=np.float64).reshape(H, R, T)
        self.mincap = np.array(c.mincap, dtype=np.float64).reshape(H, R, T)
        # option values V[s, r, h, st] (-inf where there is no option)
        V = np.full((S, R, H, T), NEG)
        for s in range(S):
            for o in self.opts[s]:
                r, h, st = o
                V[s, r, h, st] = M.option_value(c, s, o)
        self.V = V
        self.w3 = np.array([w[2] for w in c.w], dtype=np.float64)
        self.w4 = np.array([w[3] for w in c.w], dtype=np.float64)
        self.n_rot = [sum(c.need[s]) for s in range(S)]
        self.k_binds = np.array([self.n_rot[s] > c.k for s in range(S)])
        self.batches: list[_Batch] = []
        self.mode_of: list[str] = [""] * S
        self.batch_of: dict[int, _Batch] = {}
        self.plans: list[list[M.Option]] = [[] for _ in range(S)]  # of the last evaluation
        # the relaxed plans of the ``keep_plans`` lowest L seen by :meth:`run`, lowest first:
        # priced by good multipliers, they make a start that is nearly feasible
        self.best_plans: list[tuple[float, list[list[M.Option]]]] = []
        self._build_batches()

    # ---------------------------------------------------------------- state spaces
    def _build_batches(self) -> None:
        c = self.c
        groups: dict[tuple, list[int]] = {}
        for s in range(c.S):
            key = _space_key(c, s, self.opts[s])
            self.mode_of[s] = key[0]
            groups.setdefault(key, []).append(s)
        for key, learners in groups.items():
            spec = self._mask_space(key[1], key[2]) if key[0] == "mask" else self._count_space(key[1])
            n_states, start, complete, trans = spec
            into: dict[int, list[tuple[int, int]]] = {}
            for k, (_lab, _d, src, dst) in enumerate(trans):
                for a, z in zip(src.tolist(), dst.tolist(), strict=True):
                    into.setdefault(z, []).append((k, a))
            per = max(1, (c.T + 1) * n_states * (c.H + 1))
            chunk = max(1, _F_CELLS // per)
            for i in range(0, len(learners), chunk):
                b = _Batch(learners[i : i + chunk], key[0], n_states, start, complete, trans, into)
                self.batches.append(b)
                for s in b.learners:
                    self.batch_of[s] = b

    def _mask_space(self, rel: tuple[int, ...], need: tuple[int, ...]) -> tuple:
        c = self.c
        m = len(rel)
        bit = {r: i for i, r in enumerate(rel)}
        preds: dict[int, int] = {}
        impossible = 0
        for b, a in c.prec:
            if a in bit:
                if b in bit:
                    preds[a] = preds.get(a, 0) | (1 << bit[b])
                else:
                    impossible |= 1 << bit[a]
        allm = _group_masks(c, rel, need)  # every set within the group counts
        ok = (allm & impossible) == 0
        cnt_g = np.zeros((c.G, len(allm)), dtype=np.int64)
        for r, i in bit.items():
            cnt_g[c.rgroup[r]] += (allm >> i) & 1
        for a, pm in preds.items():
            has_a = ((allm >> bit[a]) & 1) == 1
            ok &= ~has_a | ((allm & pm) == pm)
        masks = allm[ok]
        idx = np.full(1 << m, -1, dtype=np.int64)
        idx[masks] = np.arange(len(masks))
        comp = np.ones(len(masks), dtype=bool)
        for g in range(c.G):
            comp &= cnt_g[g][ok] == need[g]
        trans = []
        for r, i in bit.items():
            src_m = masks[((masks >> i) & 1) == 0]
            pm = preds.get(r, 0)
            src_m = src_m[(src_m & pm) == pm]
            dst_m = src_m | (1 << i)
            keep = idx[dst_m] >= 0
            src_m, dst_m = src_m[keep], dst_m[keep]
            if len(src_m):
                trans.append((r, c.dur[r], idx[src_m], idx[dst_m]))
        return len(masks), int(idx[0]), np.nonzero(comp)[0], trans

    def _count_space(self, need: tuple[int, ...]) -> tuple:
        c = self.c
        radix = [n + 1 for n in need]
        n_states = int(np.prod(radix)) if radix else 1
        codes = np.arange(n_states, dtype=np.int64)
        digits = []
        mult = []
        m = 1
        for g in range(c.G):
            digits.append((codes // m) % radix[g])
            mult.append(m)
            m *= radix[g]
        comp = np.ones(n_states, dtype=bool)
        for g in range(c.G):
            comp &= digits[g] == need[g]
        trans = []
        durs = sorted({c.dur[r] for r in range(c.R)})
        for g in range(c.G):
            if need[g] <= 0:
                continue
            src = codes[digits[g] < need[g]]
            for d in durs:
                if any(c.rgroup[r] == g and c.dur[r] == d for r in range(c.R)):
                    # label encodes (group, duration)
                    trans.append((g * 1000 + d, d, src, src + mult[g]))
        return n_states, 0, np.nonzero(comp)[0], trans

    # ---------------------------------------------------------------- evaluation
    def evaluate(
        self,
        lam: np.ndarray,
        mu: np.ndarray,
        nu: np.ndarray,
        rho: np.ndarray,
        j: int | None,
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """L at the given multipliers (see module docstring); also the subgradient data:
        occupancy [h,r,t], rotations per site [s,h], uses per rotation [s,r] and the SatTot
        of each learner's relaxed optimum."""
        c = self.c
        S, R, H, T = c.S, c.R, c.H, c.T
        pw = self._window_sum(lam - mu)  # price of a window starting at st
        scale = np.ones(S)
        if j is not None:
            scale[j] = 2.0
        # gains G[s, r, h, st]
        G = scale[:, None, None, None] * self.V - pw.transpose(1, 0, 2)[None] - nu[:, None, :, None]
        G -= rho[:, :, None, None]
        total = float(np.sum(lam * self.maxcap) - np.sum(mu * self.mincap) + np.sum(nu) * c.k + np.sum(rho))
        occ = np.zeros((H, R, T))
        cnt = np.zeros((S, H))
        use = np.zeros((S, R))
        sat = np.zeros(S)
        for b in self.batches:
            vals, plans = self._solve_batch(b, G, scale)
            total += float(np.sum(vals))
            for s, plan in zip(b.learners, plans, strict=True):
                self.plans[s] = plan
                for r, h, st in plan:
                    occ[h, r, st : st + c.dur[r]] += 1
                    cnt[s, h] += 1
                    use[s, r] += 1
                sat[s] = _sat(c, s, plan)
        return total, occ, cnt, use, sat

    def _solve_batch(
        self, b: _Batch, G: np.ndarray, scale: np.ndarray, rows: bool = False
    ) -> tuple[np.ndarray, list]:
        """Solve the batch's DP; ``G`` holds the gains of every learner, or with ``rows`` of
        the batch's learners only (in their order)."""
        c = self.c
        H, T = c.H, c.T
        L = np.array(b.learners)
        B = len(L)
        GL = G if rows else G[L]
        w3 = (scale[L] * self.w3[L])[:, None, None]
        w4 = (scale[L] * self.w4[L])[:, None, None]
        # per-label gains g[k][B, H, T] (count mode: best rotation of the group)
        gains: list[np.ndarray] = []
        argr: list[np.ndarray | None] = []
        for lab, d, _src, _dst in b.trans:
            if b.mode == "mask":
                gains.append(GL[:, lab])
                argr.append(None)
            else:
                g = lab // 1000
                rs = [r for r in range(c.R) if c.rgroup[r] == g and c.dur[r] == d]
                sub = GL[:, rs]  # [B, |rs|, H, T]
                gains.append(sub.max(axis=1))
                argr.append(np.array(rs)[sub.argmax(axis=1)])
        live = [np.isfinite(g).any(axis=(0, 1)) for g in gains]  # [T] per label
        F = np.full((T + 1, B, b.n_states, H + 1), NEG)
        F[0, :, b.start, H] = 0.0
        best = np.full(B, NEG)
        best_at: list[tuple[int, int, int]] = [(-1, -1, -1)] * B
        comp = b.complete
        hs = np.arange(H)
        for t in range(T + 1):
            cur = F[t]
            if len(comp):
                sub = cur[:, comp, :].reshape(B, -1)
                am = sub.argmax(axis=1)
                v = sub[np.arange(B), am]
                better = v > best
                if better.any():
                    for i in np.nonzero(better)[0].tolist():
                        best[i] = v[i]
                        best_at[i] = (t, int(comp[am[i] // (H + 1)]), int(am[i] % (H + 1)))
            if t == T:
                break
            np.maximum(F[t + 1], cur + w4, out=F[t + 1])
            X = cur[:, :, :H]
            if H > 1:
                a1 = X.argmax(axis=2)
                top1 = np.take_along_axis(X, a1[:, :, None], axis=2)
                X2 = X.copy()
                np.put_along_axis(X2, a1[:, :, None], NEG, axis=2)
                top2 = X2.max(axis=2, keepdims=True)
                excl = np.where(hs[None, None, :] == a1[:, :, None], top2, top1)
                A = np.maximum(np.maximum(X, cur[:, :, H:]), excl + w3)
            else:
                A = np.maximum(X, cur[:, :, H:])
            for k, (_lab, d, src, dst) in enumerate(b.trans):
                if t + d > T or not live[k][t]:
                    continue
                cand = A[:, src, :] + gains[k][:, None, :, t]
                tgt = F[t + d]
                cur_dst = tgt[:, dst, :H]
                np.maximum(cur_dst, cand, out=cur_dst)
                tgt[:, dst, :H] = cur_dst
        plans = []
        for i in range(B):
            plans.append(
                self._backtrack(b, F, i, best_at[i], gains, argr, float(w3[i, 0, 0]), float(w4[i, 0, 0]))
            )
        return best, plans

    def _backtrack(
        self,
        b: _Batch,
        F: np.ndarray,
        i: int,
        at: tuple[int, int, int],
        gains: list,
        argr: list,
        w3: float,
        w4: float,
    ) -> list[M.Option]:
        H = self.c.H
        t, pos, h = at
        if t < 0:
            return []
        plan: list[M.Option] = []
        tol = 1e-6
        while t > 0:
            val = F[t, i, pos, h]
            if abs(F[t - 1, i, pos, h] + w4 - val) <= tol:
                t -= 1
                continue
            found = False
            if h < H:
                for k, src in b.into.get(pos, ()):
                    _lab, d, _s, _d = b.trans[k]
                    t0 = t - d
                    if t0 < 0:
                        continue
                    g = gains[k][i, h, t0]
                    if not math.isfinite(g):
                        continue
                    prev = F[t0, i, src]
                    cands = [(prev[h], h), (prev[H], H)] + [(prev[h2] + w3, h2) for h2 in range(H) if h2 != h]
                    for pv, ph in cands:
                        if math.isfinite(pv) and abs(pv + g - val) <= tol:
                            r = b.trans[k][0] if argr[k] is None else int(argr[k][i, h, t0])
                            plan.append((r, h, t0))
                            t, pos, h = t0, src, ph
                            found = True
                            break
                    if found:
                        break
            if not found:
                raise RuntimeError("Lagrangian DP backtrack failed")
        return plan

    def respond(
        self, learners: list[int], closed: np.ndarray, keep: dict[int, np.ndarray] | None = None
    ) -> dict[int, list[M.Option]]:
        """Each learner's best schedule (by SatTot, exactly in "mask" mode) among the options
        that touch no ``closed[h, r, t]`` cell, the others' placements being fixed: a best
        response.  ``keep[s]`` marks cells learner s must go on covering (where leaving would
        break a minimum): those get a bonus larger than any satisfaction, so the best plan
        covers them all.  Precedence, each rotation once and the group counts hold in "mask"
        mode; the rotations-per-site limit does not (check the plan).  Learners without any
        schedule get an empty list."""
        c = self.c
        hit = self._window_sum(closed.astype(np.float64)) > 0
        by_batch: dict[int, list[int]] = {}
        for s in learners:
            by_batch.setdefault(id(self.batch_of[s]), []).append(s)
        out: dict[int, list[M.Option]] = {}
        for group in by_batch.values():
            b0 = self.batch_of[group[0]]
            b = _Batch(group, b0.mode, b0.n_states, b0.start, b0.complete, b0.trans, b0.into)
            rows = np.where(hit.transpose(1, 0, 2)[None], NEG, self.V[group])
            for i, s in enumerate(group):
                if keep is not None and s in keep and keep[s].any():
                    rows[i] += _KEEP * self._window_sum(keep[s].astype(np.float64)).transpose(1, 0, 2)
            vals, plans = self._solve_batch(b, rows, np.ones(c.S), rows=True)
            for s, v, plan in zip(group, vals.tolist(), plans, strict=True):
                out[s] = plan if math.isfinite(v) else []
        return out

    def _window_sum(self, a: np.ndarray) -> np.ndarray:
        """[h, r, st] -> sum of ``a[h, r, t]`` over the blocks of rotation r started at st."""
        c = self.c
        cs = np.concatenate([np.zeros((c.H, c.R, 1)), np.cumsum(a, axis=2)], axis=2)
        out = np.zeros((c.H, c.R, c.T))
        for r in range(c.R):
            d = c.dur[r]
            n = c.T - d + 1
            if n > 0:
                out[:, r, :n] = cs[:, r, d : d + n] - cs[:, r, :n]
        return out

    # ---------------------------------------------------------------- subgradient
    def run(
        self,
        time_limit: float,
        incumbent: Callable[[], float | None] | None = None,
        max_iter: int | None = None,
        report: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        theta0: float = 1.0,
        patience: int = 8,
        keep_plans: int = 0,
    ) -> LagrangeResult:
        c = self.c
        S, R, H, T = c.S, c.R, c.H, c.T
        t0 = time.time()
        deadline = t0 + time_limit
        lam = np.zeros((H, R, T))
        mu = np.zeros((H, R, T))
        nu = np.zeros((S, H))
        rho = np.zeros((S, R))
        min_on = self.mincap > 0
        nu_on = self.k_binds[:, None] & np.ones((S, H), dtype=bool)
        rho_on = np.array([m == "count" for m in self.mode_of])[:, None] & np.ones((S, R), dtype=bool)
        best_L = math.inf
        hist: list[float] = []
        theta = theta0
        stall = 0
        # the worst-off term needs a learner j (a simplex vertex) in every evaluation:
        # start with the learner whose unpriced optimum is poorest
        j = 0
        if S:
            *_rest, sat0 = self.evaluate(lam, mu, nu, rho, None)
            j = int(np.argmin(sat0))
        it = 0
        while S:
            if max_iter is not None and it >= max_iter:
                break
            if it > 0 and (time.time() >= deadline or (stop is not None and stop())):
                break
            it += 1
            L, occ, cnt, use, sat = self.evaluate(lam, mu, nu, rho, j)
            hist.append(L)
            if keep_plans and (len(self.best_plans) < keep_plans or self.best_plans[-1][0] > L):
                self.best_plans.append((L, list(self.plans)))
                self.best_plans.sort(key=lambda lp: lp[0])
                del self.best_plans[keep_plans:]
            improved = best_L - L
            if improved > 1e-9:
                if improved > 0.5:
                    stall = 0
                best_L = L
                if report is not None:
                    report(it, math.floor(best_L + 1e-6))
            else:
                stall += 1
            if stall >= patience:
                theta /= 2
                stall = 0
            inc = incumbent() if incumbent is not None else None
            if inc is not None and math.floor(best_L + 1e-6) <= inc:
                break  # proven optimal: nothing left to tighten
            target = inc if inc is not None else best_L - 0.05 * abs(best_L)
            # directions (minus the gradient of L), projected at zero multipliers
            dl = occ - self.maxcap
            dl[(lam <= 0) & (dl < 0)] = 0
            dm = np.where(min_on, self.mincap - occ, 0.0)
            dm[(mu <= 0) & (dm < 0)] = 0
            dn = np.where(nu_on, cnt - c.k, 0.0)
            dn[(nu <= 0) & (dn < 0)] = 0
            dr = np.where(rho_on, use - 1, 0.0)
            dr[(rho <= 0) & (dr < 0)] = 0
            norm = float(np.sum(dl * dl) + np.sum(dm * dm) + np.sum(dn * dn) + np.sum(dr * dr))
            if norm == 0:
                break  # the relaxed optimum is feasible for the relaxed rules: L is tight
            step = theta * max(L - target, 1e-3 * abs(L) + 1e-6) / norm
            lam = _dyadic(np.maximum(0.0, lam + step * dl))
            mu = _dyadic(np.maximum(0.0, mu + step * dm))
            nu = _dyadic(np.maximum(0.0, nu + step * dn))
            rho = _dyadic(np.maximum(0.0, rho + step * dr))
            # worst-off term: weight the learner whose relaxed optimum is the poorest
            j = int(np.argmin(sat))
            if theta < 1e-4:
                break
        modes = {m: self.mode_of.count(m) for m in set(self.mode_of)}
        return LagrangeResult(
            bound=None if not math.isfinite(best_L) else math.floor(best_L + 1e-6),
            value=None if not math.isfinite(best_L) else best_L,
            iterations=it,
            seconds=time.time() - t0,
            history=hist,
            modes=modes,
        )


def _group_mask_count(c: Compiled, rel: tuple[int, ...], need: tuple[int, ...]) -> int:
    """How many sets :func:`_group_masks` would list (without listing them)."""
    n = 1
    for g in range(c.G):
        m = sum(1 for r in rel if c.rgroup[r] == g)
        n *= sum(math.comb(m, k) for k in range(min(need[g], m) + 1))
    return n


def _group_masks(c: Compiled, rel: tuple[int, ...], need: tuple[int, ...]) -> np.ndarray:
    """Bit sets over ``rel`` (bit i = rel[i]) holding at most ``need[g]`` rotations of each
    group g: the product of each group's subsets of those sizes, without enumerating 2**len."""
    masks = np.zeros(1, dtype=np.int64)
    for g in range(c.G):
        bits = [1 << i for i, r in enumerate(rel) if c.rgroup[r] == g]
        subs = [0]
        for k in range(1, min(need[g], len(bits)) + 1):
            subs.extend(sum(combo) for combo in itertools.combinations(bits, k))
        masks = (masks[:, None] | np.array(subs, dtype=np.int64)[None, :]).ravel()
    return np.sort(masks)


def _sat(c: Compiled, s: int, plan: list[M.Option]) -> int:
    from .solver import learner_sat  # local import: solver imports this module

    return learner_sat(c, s, plan)


def lagrangian_bound(
    c: Compiled,
    time_limit: float = 30.0,
    max_iter: int | None = None,
    incumbent: float | None = None,
    opts: dict[int, list[M.Option]] | None = None,
) -> LagrangeResult:
    """Convenience wrapper: run the subgradient method and return its bound."""
    lg = Lagrangian(c, opts)
    return lg.run(time_limit, incumbent=(lambda: incumbent), max_iter=max_iter)
