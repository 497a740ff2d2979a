"""Seeded synthetic instances shaped like a QUMS clinical year (default: 250 learners,
14 rotation types of 1-2 blocks, 25 sites, 13 blocks).  Same seed -> same Problem.

Layout: 6 required rotations (4 of 2 blocks, 2 of 1 block = 10 blocks) and two elective
groups (choose 1 of 4 one-block rotations; choose 1 of 4 rotations of 1-2 blocks), i.e. 11-12
blocks of rotations in 13; each rotation is offered at 3-5 of the 25 sites with capacity
~1.6x the average demand and small minimums at teaching hospitals; a few learners have one
block of leave; two precedences; at most 4 rotations at one site.
"""

from __future__ import annotations

import math
import random
from typing import Any

from .problem import Learner, Offering, Precedence, Problem, Rotation, Site, Weights


def qums_year(
    seed: int = 0, n_learners: int = 250, n_sites: int = 25, n_blocks: int = 13, slack: float = 1.6
) -> Problem:
    rng = random.Random(seed)
    rotations: list[Rotation] = []
    # required
    for i, d in enumerate([2, 2, 2, 2, 1, 1]):
        rotations.append(
            Rotation(
                id=f"R{i + 1}", duration=d, group=None, school_pref=rng.randint(0, 3), name=f"Core {i + 1}"
            )
        )
    for i in range(4):
        rotations.append(
            Rotation(
                id=f"E{i + 1}",
                duration=1,
                group="elective-A",
                school_pref=rng.randint(0, 2),
                name=f"Elective A{i + 1}",
            )
        )
    for i, d in enumerate([1, 2, 1, 2]):
        rotations.append(
            Rotation(
                id=f"F{i + 1}",
                duration=d,
                group="elective-B",
                school_pref=rng.randint(0, 2),
                name=f"Elective B{i + 1}",
            )
        )
    sites = [Site(id=f"S{j + 1}", name=f"Site {j + 1}") for j in range(n_sites)]
    group_sizes: dict[Any, int] = {"elective-A": 4, "elective-B": 4}
    offerings: list[Offering] = []
    for r in rotations:
        k = rng.randint(3, 5)
        chosen = rng.sample(sites, k)
        share = 1.0 / float(group_sizes.get(r.group, 1) if r.group else 1)
        demand_per_block = n_learners * share * r.duration / n_blocks
        if r.group:
            demand_per_block *= 1.6  # electives are popular unevenly
        per_site = max(2, math.ceil(slack * demand_per_block / k))
        for j, site in enumerate(chosen):
            mx = [per_site + rng.randint(-1, 2) for _ in range(n_blocks)]
            mx = [max(1, v) for v in mx]
            mn = [0] * n_blocks
            if r.group is None and j == 0 and r.id in ("R3", "R4"):
                # teaching hospital needs a minimum
                mn = [min(2, v) for v in mx]
            offerings.append(Offering(r.id, site.id, tuple(mx), tuple(mn)))
    learners: list[Learner] = []
    for i in range(n_learners):
        leave = frozenset({rng.randrange(n_blocks)}) if rng.random() < 0.08 else frozenset()
        unable = frozenset((o.rotation, o.site) for o in offerings if rng.random() < 0.03)
        learners.append(
            Learner(
                id=f"L{i + 1:03d}",
                name=f"Learner {i + 1}",
                group_counts={"elective-A": 1, "elective-B": 1},
                unable=unable,
                unavailable_blocks=leave,
                rotation_pref={r.id: rng.randint(0, 5) for r in rotations},
                site_pref={s.id: rng.randint(0, 5) for s in sites},
                weights=Weights(rng.randint(1, 3), rng.randint(1, 3), -rng.randint(1, 3), -rng.randint(1, 2)),
            )
        )
    precedences = [Precedence(before="R1", after="R5"), Precedence(before="R2", after="R6")]
    return Problem(
        n_blocks=n_blocks,
        rotations=rotations,
        sites=sites,
        learners=learners,
        offerings=offerings,
        precedences=precedences,
        max_rotations_per_site=4,
        name=f"qums-synthetic-{seed}",
    )
