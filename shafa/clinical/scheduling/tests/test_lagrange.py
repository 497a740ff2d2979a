"""The Lagrangian bound: exact per-learner DP, valid and tighter than per-learner bounds."""

from __future__ import annotations

import random

import numpy as np
import pytest
from ortools.sat.python import cp_model

from shafa.clinical.scheduling import lagrange
from shafa.clinical.scheduling import model as M
from shafa.clinical.scheduling.lagrange import Lagrangian, lagrangian_bound
from shafa.clinical.scheduling.mss import load_instance, to_problem
from shafa.clinical.scheduling.problem import (
    Learner,
    Offering,
    Problem,
    Rotation,
    Site,
    Weights,
    compile_problem,
)
from shafa.clinical.scheduling.solver import learner_sat

from .helpers import MSS_DIR, needs_mss, small_problem


def _optimum(p: Problem) -> int:
    c = compile_problem(p)
    b = M.build(c, mode="mss")
    sv = cp_model.CpSolver()
    sv.parameters.num_workers = 2
    assert sv.Solve(b.model) == cp_model.OPTIMAL
    return round(sv.ObjectiveValue())


def _priced_learner_opt(c, s: int, price: np.ndarray, nu: np.ndarray, scale: int) -> int:
    """CP-SAT optimum of scale*SatTot(s) - prices of the occupied cells - nu per site."""
    b = M.build(c, learners=[s], mode="mss", ignore_min=True)
    terms = []
    for (r, h, st), v in b.x[s].items():
        cost = int(sum(price[h, r, t] for t in range(st, st + c.dur[r]))) + int(nu[s, h])
        terms.append(cost * v)
    b.model.Maximize(scale * b.sat[s] - sum(terms))
    sv = cp_model.CpSolver()
    sv.parameters.num_workers = 1
    assert sv.Solve(b.model) == cp_model.OPTIMAL
    return round(sv.ObjectiveValue())


def _dp_values(lg: Lagrangian, price: np.ndarray, nu: np.ndarray, j: int | None) -> dict[int, float]:
    c = lg.c
    scale = np.ones(c.S)
    if j is not None:
        scale[j] = 2.0
    G = scale[:, None, None, None] * lg.V
    cs = np.concatenate([np.zeros((c.H, c.R, 1)), np.cumsum(price, axis=2)], axis=2)
    for r in range(c.R):
        d = c.dur[r]
        for st in range(c.T - d + 1):
            G[:, r, :, st] -= (cs[:, r, st + d] - cs[:, r, st])[None, :]
    G -= nu[:, None, :, None]
    out = {}
    for b in lg.batches:
        vals, plans = lg._solve_batch(b, G, scale)
        for s, v, plan in zip(b.learners, vals, plans, strict=True):
            out[s] = float(v)
            # the returned plan attains the value
            cost = sum(price[h, r, t] for r, h, st in plan for t in range(st, st + c.dur[r]))
            cost += sum(nu[s, h] for _r, h, _st in plan)
            assert scale[s] * learner_sat(c, s, plan) - cost == pytest.approx(v)
    return out


def test_dp_is_exact_against_cpsat_with_prices() -> None:
    p = small_problem(n_learners=4, cap=2)
    c = compile_problem(p)
    lg = Lagrangian(c)
    assert set(lg.mode_of) == {"mask"}
    rng = random.Random(3)
    for j in (None, 2):
        price = np.array([[[rng.randint(-1, 3) for _ in range(c.T)] for _ in range(c.R)] for _ in range(c.H)])
        nu = np.array([[rng.randint(0, 2) for _ in range(c.H)] for _ in range(c.S)])
        got = _dp_values(lg, price.astype(float), nu.astype(float), j)
        for s in range(c.S):
            assert got[s] == _priced_learner_opt(c, s, price, nu, 2 if s == j else 1)


@needs_mss
def test_dp_is_exact_on_benchmark_learners() -> None:
    c = compile_problem(to_problem(load_instance(MSS_DIR / "generated" / "I40_12_1.dzn")))
    lg = Lagrangian(c)
    rng = random.Random(5)
    price = np.array([[[rng.randint(0, 4) for _ in range(c.T)] for _ in range(c.R)] for _ in range(c.H)])
    nu = np.zeros((c.S, c.H))
    got = _dp_values(lg, price.astype(float), nu, None)
    for s in (0, 7, 19, 33):
        assert got[s] == _priced_learner_opt(c, s, price, nu.astype(int), 1)


def test_bound_is_valid_and_tighter_on_small_problems() -> None:
    for cap, n, blocks in ((1, 3, 5), (2, 5, 5), (1, 4, 6)):
        p = small_problem(n_learners=n, cap=cap, n_blocks=blocks)
        opt = _optimum(p)
        c = compile_problem(p)
        first = lagrangian_bound(c, max_iter=1).bound  # zero multipliers: per-learner bound
        res = lagrangian_bound(c, max_iter=200, time_limit=60)
        assert res.bound is not None and first is not None
        assert opt <= res.bound <= first


def test_count_mode_is_still_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    p = small_problem(n_learners=4, cap=1, n_blocks=5)
    opt = _optimum(p)
    monkeypatch.setattr(lagrange, "MASK_STATES", 0)
    c = compile_problem(p)
    lg = Lagrangian(c)
    assert set(lg.mode_of) == {"count"}
    res = lg.run(60, max_iter=200)
    assert res.bound is not None and res.bound >= opt


def test_hand_case_two_learners_one_seat() -> None:
    """Two learners, one 1-block rotation, one seat per block, waiting costs 1.
    Per-learner bound: both in block 0 -> 3p.  Optimum: p + (p-1) + min = 3p-2.  With a
    price >= 1 on block 0 the Lagrangian (worst-off term on one learner) gives exactly 3p-1."""
    pref = 5
    p = Problem(
        n_blocks=2,
        rotations=[Rotation("A", duration=1)],
        sites=[Site("H")],
        learners=[
            Learner(f"L{i}", rotation_pref={"A": pref}, weights=Weights(1, 0, 0, -1)) for i in range(2)
        ],
        offerings=[Offering("A", "H", 1, 0)],
    )
    assert _optimum(p) == 3 * pref - 2
    c = compile_problem(p)
    assert lagrangian_bound(c, max_iter=1).bound == 3 * pref
    assert lagrangian_bound(c, max_iter=100).bound == 3 * pref - 1


@needs_mss
def test_benchmark_bound_between_best_known_and_per_learner_bound() -> None:
    """I40_12_1: published best 4127 <= Lagrangian <= exact per-learner bound (CP-SAT
    solves every learner alone to optimality, k enforced) and <= CPLEX's 1-hour bound."""
    c = compile_problem(to_problem(load_instance(MSS_DIR / "generated" / "I40_12_1.dzn")))
    ubs = []
    for s in range(c.S):
        b = M.build(c, learners=[s], mode="mss", ignore_min=True)
        sv = cp_model.CpSolver()
        sv.parameters.num_workers = 2
        assert sv.Solve(b.model) == cp_model.OPTIMAL
        ubs.append(round(sv.ObjectiveValue()) // 2)
    per_learner = sum(ubs) + min(ubs)
    res = lagrangian_bound(c, max_iter=40, time_limit=600, incumbent=4127)
    assert res.bound is not None
    assert 4127 <= res.bound <= per_learner
    assert res.bound <= 4235


def test_mask_mode_counts_only_the_sets_the_groups_allow() -> None:
    """14 rotations (6 required, two electives chosen 1 of 4) are 2**6 * 5 * 5 = 1,600 sets,
    not 2**14: the synthetic year's learners are solved exactly."""
    from shafa.clinical.scheduling.synthetic import qums_year

    c = compile_problem(qums_year(seed=0, n_learners=12))
    opts = {s: M.learner_options(c, s) for s in range(c.S)}
    rel = tuple(sorted({o[0] for o in opts[0]}))
    assert len(rel) == 14
    masks = lagrange._group_masks(c, rel, tuple(c.need[0]))
    assert len(masks) == 64 * 5 * 5 == len(set(masks.tolist()))
    assert lagrange._group_mask_count(c, rel, tuple(c.need[0])) == len(masks)
    assert lagrange.mask_learners(c, opts) == list(range(c.S))
    assert set(Lagrangian(c, opts).mode_of) == {"mask"}


def _best_alone(c, s: int, fixed: list) -> int:
    """CP-SAT optimum of SatTot(s) with every other learner fixed (maximums hard)."""
    b = M.build(c, learners=[s], fixed=fixed, mode="mss", ignore_min=True)
    b.model.Maximize(b.sat[s])
    sv = cp_model.CpSolver()
    sv.parameters.num_workers = 1
    assert sv.Solve(b.model) == cp_model.OPTIMAL
    return round(sv.ObjectiveValue())


def test_best_response_is_the_learners_optimum_among_free_seats() -> None:
    p = small_problem(n_learners=4, cap=1, n_blocks=6)
    c = compile_problem(p)
    lg = Lagrangian(c)
    # the others hold seats: a schedule of learners 1..4 meeting every rule
    b = M.build(c, learners=list(range(1, c.S)), mode="mss", ignore_min=True)
    sv = cp_model.CpSolver()
    sv.parameters.num_workers = 1
    assert sv.Solve(b.model) == cp_model.OPTIMAL
    sched = [[], *(M.extract(b, sv)[s] for s in range(1, c.S))]
    occ = np.zeros((c.H, c.R, c.T), dtype=int)
    for pls in sched:
        for r, h, st in pls:
            occ[h, r, st : st + c.dur[r]] += 1
    maxcap = np.array(c.maxcap)
    assert (occ >= maxcap).any()  # some seats are gone
    plan = lg.respond([0], occ >= maxcap)[0]
    # it uses free seats only and is as good as CP-SAT's best for the learner
    for r, h, st in plan:
        assert all(occ[h, r, t] < maxcap[h, r, t] for t in range(st, st + c.dur[r]))
    assert learner_sat(c, 0, plan) == _best_alone(c, 0, sched)
    # with every seat taken there is no schedule
    assert lg.respond([0], np.ones_like(occ, dtype=bool))[0] == []


def test_best_response_keeps_the_cells_it_is_told_to_keep() -> None:
    """A learner whose leaving would break a minimum keeps that cell, and is otherwise as
    well off as CP-SAT can make them with the cell forced."""
    c = compile_problem(small_problem(n_learners=1, cap=1, n_blocks=6))
    lg = Lagrangian(c)
    free = np.zeros((c.H, c.R, c.T), dtype=bool)
    best = lg.respond([0], free)[0]
    # a cell the free best response does not use: rotation B at the other site, in block 5
    rb = c.rid.index("B")
    used_h = next(h for r, h, _st in best if r == rb)
    h = 1 - used_h
    keep = np.zeros_like(free)
    keep[h, rb, 5] = True
    plan = lg.respond([0], free, {0: keep})[0]
    assert (rb, h, 5) in plan
    b = M.build(c, learners=[0], mode="mss", ignore_min=True)
    b.model.Add(b.x[0][(rb, h, 5)] == 1)
    b.model.Maximize(b.sat[0])
    sv = cp_model.CpSolver()
    sv.parameters.num_workers = 1
    assert sv.Solve(b.model) == cp_model.OPTIMAL
    assert learner_sat(c, 0, plan) == round(sv.ObjectiveValue()) < learner_sat(c, 0, best)


def test_run_keeps_the_relaxed_plans_of_its_best_iterations() -> None:
    c = compile_problem(small_problem(n_learners=5, cap=1, n_blocks=6))
    lg = Lagrangian(c)
    res = lg.run(30, max_iter=40, keep_plans=2)
    assert 1 <= len(lg.best_plans) <= 2
    values = [v for v, _plans in lg.best_plans]
    assert values == sorted(values) and values[0] == pytest.approx(min(res.history))
    for _v, plans in lg.best_plans:
        assert len(plans) == c.S and all(plans)  # a plan per learner
