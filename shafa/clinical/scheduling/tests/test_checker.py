"""The checker: reproduces every published MSS score; catches each hard rule's violation."""

from __future__ import annotations

import dataclasses

import pytest

from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.mss import (
    load_instance,
    read_solution,
    solution_comment_score,
    to_problem,
)
from shafa.clinical.scheduling.problem import Lock, Placement

from .helpers import MSS_DIR, small_problem

SOLUTIONS = sorted((MSS_DIR / "generated" / "solutions").glob("*-sol.dzn.gz")) if MSS_DIR.is_dir() else []


@pytest.mark.skipif(not SOLUTIONS, reason="MSS benchmark not available")
@pytest.mark.parametrize("sol", SOLUTIONS, ids=lambda p: p.name.split("-")[0])
def test_checker_reproduces_published_score(sol) -> None:
    name = sol.name.split("-")[0]
    inst = load_instance(MSS_DIR / "generated" / f"{name}.dzn")
    res = check(to_problem(inst), read_solution(sol, inst))
    assert res.feasible, res.violations[:3]
    assert res.score == solution_comment_score(sol)


def P(r, s, a, b=None):
    return Placement(r, s, a, a if b is None else b)


def base_schedule():
    sched = {}
    for i in range(4):
        site = "H1" if i < 2 else "H2"
        el = "C" if i % 2 == 0 else "D"
        sched[f"L{i}"] = [P("A", site, 0, 1), P("B", site, 2), P(el, site, 3)]
    return sched


def codes(problem, sched):
    return {v.code for v in check(problem, sched).violations}


def test_base_schedule_is_valid() -> None:
    res = check(small_problem(), base_schedule())
    assert res.feasible, res.violations
    # SatTot by hand for L0: A(1)+B(2)+C(0) rot prefs, site H2 pref 2... L0 is at H1 (pref 0)
    assert res.sat["L0"] == 1 + 2 + 0 + 0


def test_one_place_at_a_time() -> None:
    s = base_schedule()
    s["L0"] = [P("A", "H1", 0, 1), P("C", "H1", 1), P("B", "H1", 2)]
    assert "double_booked" in codes(small_problem(), s)


def test_availability() -> None:
    p = small_problem()
    p.learners[0] = dataclasses.replace(p.learners[0], unavailable_blocks=frozenset({3}))
    assert "unavailable" in codes(p, base_schedule())


def test_eligibility_site_and_rotation() -> None:
    p = small_problem()
    p.learners[0] = dataclasses.replace(p.learners[0], unable=frozenset({("C", "H1")}))
    assert "not_eligible" in codes(p, base_schedule())
    p = small_problem()
    p.learners[0] = dataclasses.replace(p.learners[0], allowed_rotations=frozenset({"A", "B", "D"}))
    assert "not_allowed" in codes(p, base_schedule())


def test_required_rotation_once_consecutive_one_site() -> None:
    p = small_problem()
    s = base_schedule()
    s["L0"] = [P("A", "H1", 0, 1), P("C", "H1", 3)]  # B missing
    assert "group_count" in codes(p, s)
    s["L0"] = [P("A", "H1", 0, 0), P("A", "H2", 1, 1), P("B", "H1", 2), P("C", "H1", 3)]
    c = codes(p, s)
    assert "wrong_duration" in c and "repeated_rotation" in c


def test_elective_count() -> None:
    s = base_schedule()
    s["L0"] = [P("A", "H1", 0, 1), P("C", "H1", 2), P("D", "H1", 3)]
    v = check(small_problem(), s).violations
    assert any(x.code == "group_count" and x.params["group"] == "el" for x in v)


def test_min_and_max_per_offering_block() -> None:
    assert "over_capacity" in codes(small_problem(cap=1), base_schedule())
    v = check(small_problem(mins=3), base_schedule()).violations
    under = [x for x in v if x.code == "under_minimum"]
    assert under and under[0].params["rotation"] == "A" and under[0].params["short"] == 1


def test_precedence() -> None:
    s = base_schedule()
    s["L0"] = [P("B", "H1", 0), P("A", "H1", 1, 2), P("C", "H1", 3)]
    assert "precedence" in codes(small_problem(), s)


def test_lock() -> None:
    p = small_problem()
    p.locks.append(Lock("L0", "A", "H2", 0))
    assert "lock" in codes(p, base_schedule())


def test_max_rotations_per_site() -> None:
    p = small_problem()
    p.max_rotations_per_site = 2
    assert "max_per_site" in codes(p, base_schedule())
