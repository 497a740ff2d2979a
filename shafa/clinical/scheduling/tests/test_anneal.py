"""Simulated annealing: its moves keep every rule they must, its scores are the checker's."""

from __future__ import annotations

import time

from shafa.clinical.scheduling.anneal import Annealer
from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.problem import Lock, Offering, compile_problem, from_index_schedule
from shafa.clinical.scheduling.solver import Engine, SolveOptions, State, learner_valid

from .helpers import small_problem


def _problem():
    # 12 learners, 6 blocks: room to move; A at H1 needs a learner in blocks 0-4; A before B
    p = small_problem(n_learners=12, cap=3, n_blocks=6)
    i = next(k for k, o in enumerate(p.offerings) if (o.rotation, o.site) == ("A", "H1"))
    p.offerings[i] = Offering("A", "H1", 3, (1, 1, 1, 1, 1, 0))  # B must follow A
    p.locks.append(Lock("L3", "A", "H2", 2))
    return p


def _feasible_start(c, seed: int = 0) -> tuple[Engine, State]:
    eng = Engine(c, SolveOptions(time_limit=30, workers=1, seed=seed))
    st = State(c, eng.construct())
    if st.violation():
        eng.full_feasibility(st, 10.0)
    assert st.violation() == 0
    return eng, st


def test_annealing_keeps_every_rule_and_scores_as_the_checker() -> None:
    p = _problem()
    c = compile_problem(p)
    eng, st = _feasible_start(c)
    start = st.score()
    an = Annealer(c, eng.opts, seed=5)
    best, score, broken = an.run(st.sched, until=0.0, steps=30_000)
    assert broken == 0
    assert score >= start
    chk = check(p, from_index_schedule(c, best))
    assert not chk.violations, chk.violations
    assert chk.score == score
    assert all(learner_valid(c, s, best[s]) for s in range(c.S))  # precedence, each once, k
    lock = next(iter(c.locks))
    assert (lock[1], lock[2], lock[3]) in best[lock[0]]
    # every kind of move was tried and some applied
    assert all(tried > 0 and applied > 0 for tried, applied in an.moves.values()), an.moves


def test_annealing_is_reproducible_for_a_seed() -> None:
    c = compile_problem(_problem())
    eng, st = _feasible_start(c)
    runs = []
    for _ in range(2):
        runs.append(Annealer(c, eng.opts, seed=11).run(st.sched, until=0.0, steps=5_000))
    assert runs[0] == runs[1]


def test_penalised_annealing_repairs_broken_staffing_limits() -> None:
    """With a price per broken seat the moves may change head counts freely: from everyone in
    the same seats (over maximums, under minimums) it ends with fewer broken seats, and the
    count it reports is the state's own."""
    p = _problem()
    c = compile_problem(p)
    eng = Engine(c, SolveOptions(time_limit=30, workers=1, seed=0))
    built = eng.construct()
    # everyone in learner 0's seats but L3, who holds a lock
    st = State(c, [list(built[0]) if eng.opts[s] == eng.opts[0] else built[s] for s in range(c.S)])
    before = st.violation()
    assert before > 0
    best, score, broken = Annealer(c, eng.opts, seed=2).run(st.sched, until=0.0, weight=20, steps=60_000)
    after = State(c, best)
    assert broken == after.violation() < before
    assert score == after.score()
    assert not any(after.local)


def test_engine_annealing_keeps_its_state_exact() -> None:
    c = compile_problem(_problem())
    eng, st = _feasible_start(c, seed=4)
    before = st.score()
    eng.anneal(st, time.time() + 1.0)
    assert st.violation() == 0 and st.score() >= before
    fresh = State(c, st.sched)
    assert fresh.occ == st.occ and fresh.sat == st.sat
    assert any(line.split("] ", 1)[1].startswith("annealing:") for line in eng.log)


def test_the_first_feasible_time_is_when_a_phase_publishes_a_feasible_schedule() -> None:
    """Whichever phase repairs the schedule (here: the repair annealing, which runs after the
    feasibility model's place in the pipeline), publishing it records the first feasible time."""
    c = compile_problem(_problem())
    _eng, st = _feasible_start(c)
    fresh = Engine(c, SolveOptions(time_limit=30, workers=1))
    broken = State(
        c, [list(st.sched[0]) if fresh.opts[s] == fresh.opts[0] else st.sched[s] for s in range(c.S)]
    )
    assert broken.violation() > 0
    fresh.publish(broken)
    assert fresh.first_feasible is None
    fresh.publish(st)
    first = fresh.first_feasible
    assert first is not None
    fresh.publish(st)
    assert fresh.first_feasible == first
