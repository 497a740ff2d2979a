"""A short solve of a small benchmark instance is feasible per the checker."""

from __future__ import annotations

from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.mss import load_instance, to_problem
from shafa.clinical.scheduling.solver import solve

from .helpers import MSS_DIR, needs_mss


@needs_mss
def test_short_solve_I40_12_1() -> None:
    p = to_problem(load_instance(MSS_DIR / "generated" / "I40_12_1.dzn"))
    res = solve(p, time_limit=15, workers=2, seed=1)
    assert res.status in ("FEASIBLE", "OPTIMAL")
    chk = check(p, res.schedule)
    assert chk.feasible
    assert res.objective == chk.score
    assert chk.score > 3500  # best known 4127
    assert res.bound is not None and res.bound >= chk.score


@needs_mss
def test_priced_start_beats_the_greedy_construction_I240_12_1() -> None:
    """The greedy construction of I240_12_1 breaks 372 staffing limits; the Lagrangian's
    priced plans, repaired, break fewer and are kept only if better (rules first)."""
    from shafa.clinical.scheduling.problem import compile_problem
    from shafa.clinical.scheduling.solver import Engine, SolveOptions, State

    c = compile_problem(to_problem(load_instance(MSS_DIR / "generated" / "I240_12_1.dzn")))
    eng = Engine(c, SolveOptions(time_limit=60, workers=1, seed=0))
    st = State(c, eng.construct())
    assert st.violation() > 0
    eng.local_repair(st, 2.0)
    before = eng.key(st)
    start = eng.priced_start(st, 8.0)
    assert eng.key(start) > before
    assert eng.priced  # mostly the relaxed plans, not the construction
    assert any(line.split("] ", 1)[1].startswith("priced start:") for line in eng.log)
    # every learner's own rules hold (only staffing limits may be left to repair)
    assert not any(start.local)
