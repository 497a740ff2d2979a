"""Swap finder: learners ask to trade one of their placements for something else.

Graph: an edge A -> B when B offers a placement A wants.  Every simple cycle of length
<= ``max_cycle`` is a candidate exchange (length 2 = pairwise swap): each learner on the
cycle gives their offered placement and receives the next one's.  A candidate is kept only
if the whole schedule still satisfies every hard rule (checked with :func:`checker.check`).
Disjoint cycles are chosen greedily, shortest first.  Pure function, no side effects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checker import check
from .problem import Id, Placement, Problem, Schedule, compile_problem


@dataclass(frozen=True)
class Want:
    """What the learner would accept (None = any)."""

    rotation: Id | None = None
    site: Id | None = None
    start: int | None = None

    def matches(self, p: Placement) -> bool:
        return (
            (self.rotation is None or self.rotation == p.rotation)
            and (self.site is None or self.site == p.site)
            and (self.start is None or self.start == p.start)
        )


@dataclass(frozen=True)
class SwapRequest:
    learner: Id
    give: Placement
    wants: tuple[Want, ...]


@dataclass
class ProposedSwap:
    learners: list[Id]  # the cycle, in order: learners[i] receives from learners[i+1]
    moves: list[tuple[Id, Placement, Placement]] = field(default_factory=list)  # (who, gives,
    # receives)

    @property
    def kind(self) -> str:
        return "pair" if len(self.learners) == 2 else f"cycle-{len(self.learners)}"


def _apply(schedule: Schedule, moves: list[tuple[Id, Placement, Placement]]) -> Schedule:
    out = {k: list(v) for k, v in schedule.items()}
    for who, gives, receives in moves:
        lst = out[who]
        lst.remove(gives)
        lst.append(receives)
        lst.sort(key=lambda p: p.start)
    return out


def _vkeys(c, sched: Schedule) -> set:
    return {
        (v.code, tuple(sorted((k, str(x)) for k, x in v.params.items()))) for v in check(c, sched).violations
    }


def _no_new_violation(c, before: Schedule, after: Schedule) -> bool:
    """Every hard rule that held before still holds (normally: `after` is feasible)."""
    va = _vkeys(c, after)
    return not va or va <= _vkeys(c, before)


def find_swaps(
    problem: Problem, schedule: Schedule, requests: list[SwapRequest], max_cycle: int = 4
) -> list[ProposedSwap]:
    c = compile_problem(problem)
    reqs = [q for q in requests if q.give in schedule.get(q.learner, [])]
    n = len(reqs)
    adj: list[list[int]] = [[] for _ in range(n)]
    for i, a in enumerate(reqs):
        for j, b in enumerate(reqs):
            if i != j and a.learner != b.learner and any(w.matches(b.give) for w in a.wants):
                adj[i].append(j)
    cycles: list[list[int]] = []

    def dfs(start: int, node: int, path: list[int], seen: set[int]) -> None:
        for nxt in adj[node]:
            if nxt == start and len(path) >= 2:
                cycles.append(list(path))
            elif nxt > start and nxt not in seen and len(path) < max_cycle:
                learners_on = {reqs[k].learner for k in path}
                if reqs[nxt].learner in learners_on:
                    continue
                seen.add(nxt)
                path.append(nxt)
                dfs(start, nxt, path, seen)
                path.pop()
                seen.discard(nxt)

    for i in range(n):
        dfs(i, i, [i], {i})
    cycles.sort(key=len)
    current = schedule
    used: set[int] = set()
    used_learners: set = set()
    out: list[ProposedSwap] = []
    for cyc in cycles:
        if any(k in used for k in cyc) or any(reqs[k].learner in used_learners for k in cyc):
            continue
        moves = []
        for idx, k in enumerate(cyc):
            nxt = cyc[(idx + 1) % len(cyc)]
            moves.append((reqs[k].learner, reqs[k].give, reqs[nxt].give))
        trial = _apply(current, moves)
        if not _no_new_violation(c, current, trial):
            continue
        current = trial
        used.update(cyc)
        used_learners.update(reqs[k].learner for k in cyc)
        out.append(ProposedSwap([reqs[k].learner for k in cyc], moves))
    return out


def apply_swaps(schedule: Schedule, swaps: list[ProposedSwap]) -> Schedule:
    out = schedule
    for sw in swaps:
        out = _apply(out, sw.moves)
    return out
