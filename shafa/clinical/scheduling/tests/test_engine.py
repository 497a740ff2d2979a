"""Solver, explanations, lottery, re-plan and swaps on small hand-made cases."""

from __future__ import annotations

import dataclasses
import itertools

from shafa.clinical.scheduling.checker import check
from shafa.clinical.scheduling.explain import (
    CAPACITY_BELOW_DEMAND,
    LOCK_UNAVAILABLE,
    MIN_ABOVE_MAX,
    PRECEDENCE_CYCLE,
    explain_infeasible,
    precheck,
)
from shafa.clinical.scheduling.problem import (
    Learner,
    Lock,
    Offering,
    Placement,
    Precedence,
    Problem,
    Rotation,
    Site,
    compile_problem,
)
from shafa.clinical.scheduling.replan import CapacityDrop, Leave, replan
from shafa.clinical.scheduling.solver import Engine, Progress, SolveOptions, State, solve
from shafa.clinical.scheduling.swaps import SwapRequest, Want, apply_swaps, find_swaps

from .helpers import small_problem


def test_solver_respects_every_rule_on_small_problem() -> None:
    p = small_problem(n_learners=6, cap=3)
    p.offerings[0] = Offering("A", "H1", 3, (1, 1, 1, 0))  # A can't be in block 3 (B after)
    p.locks.append(Lock("L1", "A", "H2", 0))
    res = solve(p, time_limit=10, workers=1)
    assert res.status in ("OPTIMAL", "FEASIBLE")
    chk = check(p, res.schedule)
    assert chk.feasible, chk.violations
    assert Placement("A", "H2", 0, 1) in res.schedule["L1"]
    assert res.objective == chk.score
    assert res.bound is None or res.bound >= res.objective
    assert "worst_learner" in res.histogram and res.histogram["rotation_choice_rank"]


def test_capacity_below_demand_is_explained() -> None:
    # one block, 5 learners must all do A, the two sites offer 3 seats in total
    p = Problem(
        n_blocks=1,
        rotations=[Rotation("A")],
        sites=[Site("H1"), Site("H2")],
        learners=[Learner(f"L{i}") for i in range(5)],
        offerings=[Offering("A", "H1", 2), Offering("A", "H2", 1)],
    )
    res = solve(p, time_limit=5, workers=1)
    assert res.status == "INFEASIBLE"
    e = next(x for x in res.explanations if x.code == CAPACITY_BELOW_DEMAND)
    assert e.params["rotation"] == "A" and e.params["block"] == 0 and e.params["short"] == 2
    assert "A" in e.message and "2 seat" in e.message


def test_prechecks_name_the_rule() -> None:
    p = small_problem()
    p.offerings[0] = Offering("A", "H1", 1, 3)
    assert any(e.code == MIN_ABOVE_MAX for e in precheck(p))
    p = small_problem()
    p.precedences.append(Precedence("B", "A"))
    assert any(e.code == PRECEDENCE_CYCLE for e in precheck(p))
    p = small_problem()
    p.learners[0] = dataclasses.replace(p.learners[0], unavailable_blocks=frozenset({0}))
    p.locks.append(Lock("L0", "A", "H1", 0))
    assert any(e.code == LOCK_UNAVAILABLE and e.params["learner"] == "L0" for e in precheck(p))


def conflicting_minimum_problem() -> Problem:
    """Two learners, both must do A and B (1 block each) in 2 blocks.  A's minimum of 2 in
    block 0 puts both in A first, so both need B in block 1 where B takes only 1.  Every
    cheap check passes (B has 2 seats over the two blocks); only CP-SAT finds the conflict."""
    return Problem(
        n_blocks=2,
        rotations=[Rotation("A"), Rotation("B")],
        sites=[Site("H1")],
        learners=[Learner("L0"), Learner("L1")],
        offerings=[Offering("A", "H1", 2, (2, 0)), Offering("B", "H1", 1, 0)],
    )


def test_cp_sat_core_names_the_offering_and_block() -> None:
    p = conflicting_minimum_problem()
    assert precheck(p) == []
    ex = explain_infeasible(p, time_limit=5)
    assert ex, "expected an explanation"
    named = {(e.code, e.params.get("rotation"), e.params.get("block")) for e in ex}
    assert ("conflict_min", "A", 0) in named or ("conflict_max", "B", 1) in named
    res = solve(p, time_limit=5, workers=1)
    assert res.status == "INFEASIBLE" and res.explanations


def test_lottery_seed_reproduces() -> None:
    p = small_problem(n_learners=6, cap=3)
    runs = [
        solve(
            p,
            mode="university",
            lottery_seed=seed,
            time_limit=8,
            workers=1,
            deterministic=True,
            lns_iterations=5,
        )
        for seed in (11, 11, 12)
    ]
    assert runs[0].schedule == runs[1].schedule
    for r in runs:
        assert check(p, r.schedule).feasible


def test_replan_keeps_unaffected_learners() -> None:
    p = small_problem(n_learners=6, cap=3, n_blocks=5)
    base = solve(p, time_limit=8, workers=1)
    assert base.status in ("OPTIMAL", "FEASIBLE")
    # L0 takes leave in the block of its last rotation
    last = max(base.schedule["L0"], key=lambda x: x.end)
    res = replan(p, base.schedule, Leave("L0", frozenset({last.end})), time_limit=10, workers=1)
    assert res.status in ("OPTIMAL", "FEASIBLE")
    moved = {m[0] for m in res.moved}
    assert "L0" in moved
    assert len(moved) <= 2
    for lid, pls in base.schedule.items():
        if lid not in moved:
            assert res.schedule[lid] == pls
    # capacity drop: the offering/block of some placement now takes one learner less
    pl = base.schedule["L2"][0]
    load = sum(
        1
        for pls in base.schedule.values()
        for q in pls
        if q.rotation == pl.rotation and q.site == pl.site and q.start <= pl.start <= q.end
    )
    res2 = replan(
        p, base.schedule, CapacityDrop(pl.rotation, pl.site, pl.start, load - 1), time_limit=10, workers=1
    )
    assert res2.status in ("OPTIMAL", "FEASIBLE")
    assert 1 <= len(res2.moved) <= 2


def _swap_problem() -> tuple[Problem, dict]:
    rot = [Rotation("X"), Rotation("Y"), Rotation("Z")]
    sites = [Site("H1"), Site("H2"), Site("H3")]
    learners = [Learner(f"L{i}") for i in range(4)]
    offerings = [Offering(r.id, s.id, 2) for r in rot for s in sites]
    p = Problem(n_blocks=3, rotations=rot, sites=sites, learners=learners, offerings=offerings)
    sched = {
        "L0": [Placement("X", "H1", 0, 0), Placement("Y", "H1", 1, 1), Placement("Z", "H1", 2, 2)],
        "L1": [Placement("X", "H2", 0, 0), Placement("Y", "H2", 1, 1), Placement("Z", "H2", 2, 2)],
        "L2": [Placement("X", "H3", 0, 0), Placement("Y", "H3", 1, 1), Placement("Z", "H3", 2, 2)],
        "L3": [Placement("Y", "H1", 0, 0), Placement("X", "H2", 1, 1), Placement("Z", "H3", 2, 2)],
    }
    return p, sched


def test_swap_finder_pair_and_three_cycle() -> None:
    p, sched = _swap_problem()
    assert check(p, sched).feasible
    # pair: L0 wants X at H2 (L1 has it), L1 wants X at H1
    reqs = [
        SwapRequest("L0", Placement("X", "H1", 0, 0), (Want("X", "H2", 0),)),
        SwapRequest("L1", Placement("X", "H2", 0, 0), (Want("X", "H1", 0),)),
    ]
    sw = find_swaps(p, sched, reqs)
    assert len(sw) == 1 and sw[0].kind == "pair"
    assert check(p, apply_swaps(sched, sw)).feasible
    # 3-cycle on Z: L0 wants H2's, L1 wants H3's, L2 wants H1's
    reqs = [
        SwapRequest("L0", Placement("Z", "H1", 2, 2), (Want("Z", "H2"),)),
        SwapRequest("L1", Placement("Z", "H2", 2, 2), (Want("Z", "H3"),)),
        SwapRequest("L2", Placement("Z", "H3", 2, 2), (Want("Z", "H1"),)),
    ]
    sw = find_swaps(p, sched, reqs)
    assert len(sw) == 1 and sw[0].kind == "cycle-3"
    after = apply_swaps(sched, sw)
    assert Placement("Z", "H2", 2, 2) in after["L0"]
    assert check(p, after).feasible
    # a swap breaking a rule is refused: L0 wants L3's X at block 1 (clashes with Y)
    reqs = [
        SwapRequest("L0", Placement("X", "H1", 0, 0), (Want("X", "H2", 1),)),
        SwapRequest("L3", Placement("X", "H2", 1, 1), (Want("X", "H1"),)),
    ]
    assert find_swaps(p, sched, reqs) == []


def test_university_mode_makes_minimums_soft(monkeypatch) -> None:
    from shafa.clinical.scheduling.solver import Engine

    p = small_problem(n_learners=2, cap=3)
    p.offerings[0] = Offering("A", "H1", 3, (3, 3, 0, 0))  # 3 needed, only 2 learners
    assert solve(p, time_limit=5, workers=1).status == "INFEASIBLE"

    def hard_minimums(*args, **kwargs):  # the MSS-only phase that holds minimums hard
        raise AssertionError("a hard-minimum feasibility model in university mode")

    monkeypatch.setattr(Engine, "full_feasibility", hard_minimums)
    res = solve(p, mode="university", time_limit=5, workers=1, lottery_seed=1)
    assert res.status == "FEASIBLE"
    assert res.scores["shortfall"] > 0
    assert any(e.code == "minimum_not_met" and e.params["rotation"] == "A" for e in res.explanations)
    v = {x.code for x in check(p, res.schedule).violations}
    assert v == {"under_minimum"}


def test_local_repair_and_aligned_options_keep_the_state_exact():
    """The chunked local repair never raises the violation and leaves State's incremental
    occupancy/satisfaction equal to a recomputation; aligned LNS options are starts at
    multiples of the duration plus the learner's current placements."""
    from shafa.clinical.scheduling.problem import compile_problem
    from shafa.clinical.scheduling.solver import Engine, SolveOptions, State, learner_sat

    c = compile_problem(small_problem(n_learners=6, cap=3, mins=1))
    eng = Engine(c, SolveOptions(time_limit=5, seed=3))
    # everyone in the same blocks: over-full / under-staffed cells to repair
    sched = [list(eng.opts[s][:1]) for s in range(c.S)]
    st = State(c, sched)
    before = st.violation()
    eng.local_repair(st, 1.0, chunk=0.5)
    assert st.violation() <= before
    fresh = State(c, st.sched)
    assert fresh.occ == st.occ
    assert st.sat == [learner_sat(c, s, st.sched[s]) for s in range(c.S)]
    eng.align = True
    for s in range(c.S):
        opts = eng.lopts(st, s)
        assert all(o in eng.opts[s] for o in opts)
        assert all(o[2] % c.dur[o[0]] == 0 or o in st.sched[s] for o in opts)
        assert {o for o in eng.opts[s] if o[2] % c.dur[o[0]] == 0} <= set(opts)


def test_full_feasibility_model_repairs_the_whole_schedule_or_proves_none_exists() -> None:
    """The whole-problem feasibility phase turns a violating schedule into one the checker
    accepts (keeping State exact), and on an impossible case records the proof."""
    from shafa.clinical.scheduling.problem import compile_problem, from_index_schedule
    from shafa.clinical.scheduling.solver import Engine, SolveOptions, State

    p = small_problem(n_learners=6, cap=3)
    c = compile_problem(p)
    eng = Engine(c, SolveOptions(time_limit=10, seed=3, workers=1))
    # everyone in the same place, and nobody's requirements met
    st = State(c, [list(eng.opts[s][:1]) for s in range(c.S)])
    assert st.violation() > 0
    eng.full_feasibility(st, 5.0)
    assert st.violation() == 0 and eng.first_feasible is not None
    assert State(c, st.sched).occ == st.occ
    assert check(p, from_index_schedule(c, st.sched)).feasible

    c2 = compile_problem(conflicting_minimum_problem())
    eng2 = Engine(c2, SolveOptions(time_limit=10, workers=1))
    st2 = State(c2, [[] for _ in range(c2.S)])
    eng2.full_feasibility(st2, 5.0)
    assert eng2.full_status == "INFEASIBLE"


def test_progress_reports_the_best_schedule_as_it_improves() -> None:
    reports: list[Progress] = []
    res = solve(small_problem(n_learners=6, cap=3), time_limit=3, workers=1, on_progress=reports.append)
    assert res.status in ("OPTIMAL", "FEASIBLE") and reports
    clean = [p for p in reports if p.phase == "improvement"]
    assert clean and all(p.shortfall == 0 and p.broken == 0 for p in clean)
    scores = [p.total + p.worst for p in clean]
    assert scores == sorted(scores)  # the best so far never gets worse
    assert res.scores["total"] + res.scores["worst"] >= scores[-1]
    assert all(b.seconds >= a.seconds for a, b in itertools.pairwise(reports))


def test_progress_counts_the_shortfall_and_the_rules_still_broken() -> None:
    p = small_problem(n_learners=3, cap=3, mins=2)
    c = compile_problem(p)
    reports: list[Progress] = []
    engine = Engine(c, SolveOptions(on_progress=reports.append))
    engine.report(State(c, [[] for _ in range(c.S)]))  # nobody placed yet
    (progress,) = reports
    # A at H1 needs 2 learners in each of the 4 blocks; each learner misses A, B and one elective
    assert progress.phase == "repair"
    assert progress.shortfall == 2 * p.n_blocks
    assert progress.broken == 3 * 3 and progress.total == 0


def test_a_failing_progress_callback_is_dropped_and_the_run_goes_on() -> None:
    calls: list[Progress] = []

    def broken_callback(progress: Progress) -> None:
        calls.append(progress)
        raise RuntimeError("the database went away")

    res = solve(small_problem(n_learners=4), time_limit=2, workers=1, on_progress=broken_callback)
    assert res.status in ("OPTIMAL", "FEASIBLE")
    assert len(calls) == 1
    assert any("progress callback failed" in line for line in res.log)


def test_best_responses_lift_a_construction_without_breaking_a_rule() -> None:
    from shafa.clinical.scheduling.problem import from_index_schedule
    from shafa.clinical.scheduling.synthetic import qums_year

    c = compile_problem(qums_year(seed=1, n_learners=60))
    eng = Engine(c, SolveOptions(time_limit=60, workers=1, seed=0, deterministic=True))
    st = State(c, eng.construct())
    assert st.violation() == 0
    before = st.score()
    eng.respond(st, until=0.0)  # deterministic: sweeps until one changes nothing
    assert st.violation() == 0
    assert st.score() > before
    chk = check(c, from_index_schedule(c, st.sched))
    assert not chk.violations and chk.score == st.score()
    assert any("best responses sweep" in line and " 0 improved" in line for line in eng.log)
