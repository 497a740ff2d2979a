"""Shared fixtures: small hand-made problems and the location of the MSS benchmark."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shafa.clinical.scheduling.problem import (
    Learner,
    Offering,
    Precedence,
    Problem,
    Rotation,
    Site,
    Weights,
)


def shared_dir() -> Path:
    env = os.environ.get("SHAFA_SHARED_DIR")
    if env:
        return Path(env)
    # tests/ -> scheduling -> clinical -> shafa -> repo root; shared is a sibling of the repo
    return (Path(__file__).resolve().parents[4] / ".." / "shared").resolve()


MSS_DIR = shared_dir() / "bench" / "mss"
needs_mss = pytest.mark.skipif(not MSS_DIR.is_dir(), reason=f"MSS benchmark not at {MSS_DIR}")


def small_problem(n_learners: int = 4, cap: int = 2, mins: int = 0, n_blocks: int = 4) -> Problem:
    """4 blocks, 2 sites, rotations A (2 blocks, required), B (1 block, required),
    electives C/D (1 block, choose 1).  Plenty of room unless cap/mins say otherwise."""
    rotations = [
        Rotation("A", duration=2),
        Rotation("B", duration=1),
        Rotation("C", duration=1, group="el"),
        Rotation("D", duration=1, group="el"),
    ]
    sites = [Site("H1"), Site("H2")]
    learners = [
        Learner(
            f"L{i}",
            group_counts={"el": 1},
            rotation_pref={"A": 1, "B": 2, "C": i % 3, "D": 2 - i % 3},
            site_pref={"H1": 2 if i % 2 else 0, "H2": 0 if i % 2 else 2},
            weights=Weights(1, 1, -1, -1),
        )
        for i in range(n_learners)
    ]
    offerings = [
        Offering(r.id, s.id, cap, mins if (r.id == "A" and s.id == "H1") else 0)
        for r in rotations
        for s in sites
    ]
    return Problem(
        n_blocks=n_blocks,
        rotations=rotations,
        sites=sites,
        learners=learners,
        offerings=offerings,
        precedences=[Precedence("A", "B")],
        max_rotations_per_site=3,
    )
