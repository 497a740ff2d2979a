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
