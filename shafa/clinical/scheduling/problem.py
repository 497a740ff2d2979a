"""Domain model of the rotation-scheduling problem (plain dataclasses, no Django).

Blocks are 0-based indices ``0 .. n_blocks-1``.  Every other entity is referred to by a
hashable id chosen by the caller (the Django layer uses primary keys, the MSS loader uses
1-based integers).

A :class:`Problem` is *compiled* (:func:`compile_problem`) into index arrays that the checker
and the solver share; the compiled form is an implementation detail.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

Id = Hashable


@dataclass(frozen=True)
class Rotation:
    """A rotation type (MSS: discipline).

    ``group`` None means *required*: the rotation is its own group with count 1 (unless a
    learner's ``group_counts`` says otherwise).  Rotations sharing a group are electives of
    that group; each learner does ``group_counts[group]`` of them.
    """

    id: Id
    duration: int = 1
    group: Id | None = None
    school_pref: int = 0  # MSS ManPref: added to SatTot when the rotation is attended
    name: str = ""


@dataclass(frozen=True)
class Site:
    id: Id
    name: str = ""


@dataclass(frozen=True)
class Weights:
    """Per-learner weights (MSS WeightPref): rotation pref, site pref, site change, waiting.

    ``change`` and ``wait`` are normally <= 0 (penalties)."""

    rotation: int = 1
    site: int = 1
    change: int = 0
    wait: int = 0


@dataclass
class Learner:
    id: Id
    name: str = ""
    # group id -> number of rotations of that group this learner must do (overrides defaults)
    group_counts: dict[Id, int] = field(default_factory=dict)
    allowed_rotations: frozenset[Id] | None = None  # None = every rotation
    unable: frozenset[tuple[Id, Id]] = frozenset()  # (rotation, site) pairs not allowed
    unavailable_blocks: frozenset[int] = frozenset()  # leave
    rotation_pref: dict[Id, int] = field(default_factory=dict)
    site_pref: dict[Id, int] = field(default_factory=dict)
    block_pref: dict[int, int] = field(default_factory=dict)  # university mode only
    weights: Weights = Weights()


@dataclass(frozen=True)
class Offering:
    """Rotation x site.  ``max_learners``/``min_learners``: an int (every block) or a sequence
    with one value per block.  A (rotation, site) with no offering has capacity 0."""

    rotation: Id
    site: Id
    max_learners: int | Sequence[int] = 0
    min_learners: int | Sequence[int] = 0


@dataclass(frozen=True)
class Precedence:
    """``before`` must be completed before ``after`` starts (if the learner does ``after``,
    they must have done ``before`` earlier)."""

    before: Id
    after: Id


@dataclass(frozen=True)
class Lock:
    """Manual lock: learner must do rotation at site starting at block ``start``."""

    learner: Id
    rotation: Id
    site: Id
    start: int


@dataclass
class Problem:
    n_blocks: int
    rotations: list[Rotation]
    sites: list[Site]
    learners: list[Learner]
    offerings: list[Offering]
    precedences: list[Precedence] = field(default_factory=list)
    locks: list[Lock] = field(default_factory=list)
    default_group_counts: dict[Id, int] = field(default_factory=dict)
    max_rotations_per_site: int | None = None  # MSS MaxDiscPerHosp
    block_labels: list[str] | None = None
    name: str = ""


@dataclass(frozen=True)
class Placement:
    rotation: Id
    site: Id
    start: int
    end: int  # inclusive


Schedule = dict[Id, list[Placement]]


# --------------------------------------------------------------------------- compiled form
@dataclass
class Compiled:
    """Index arrays derived from a Problem (learner s, rotation r, site h, block t)."""

    problem: Problem
    S: int
    R: int
    H: int
    T: int
    lid: list[Id]
    rid: list[Id]
    hid: list[Id]
    lidx: dict[Id, int]
    ridx: dict[Id, int]
    hidx: dict[Id, int]
    dur: list[int]
    rgroup: list[int]  # group index of each rotation
    G: int
    gid: list[Id]
    need: list[list[int]]  # [s][g]
    allowed: list[list[bool]]  # [s][r]
    able: list[list[list[bool]]]  # [s][h][r]
    avail: list[list[bool]]  # [s][t]
    maxcap: list[list[list[int]]]  # [h][r][t]
    mincap: list[list[list[int]]]  # [h][r][t]
    prec: list[tuple[int, int]]  # (before, after)
    w: list[tuple[int, int, int, int]]
    pref_rot: list[list[int]]
    pref_site: list[list[int]]
    pref_block: list[list[int]]
    school: list[int]
    k: int
    locks: list[tuple[int, int, int, int]]  # (s, r, h, start)


def _per_block(value: Any, T: int) -> list[int]:
    if isinstance(value, int):
        return [value] * T
    vals = list(value)
    if len(vals) != T:
        raise ValueError(f"per-block list has {len(vals)} values, expected {T}")
    return [int(v) for v in vals]


def compile_problem(p: Problem) -> Compiled:
    T = p.n_blocks
    lid = [lr.id for lr in p.learners]
    rid = [r.id for r in p.rotations]
    hid = [h.id for h in p.sites]
    lidx = {x: i for i, x in enumerate(lid)}
    ridx = {x: i for i, x in enumerate(rid)}
    hidx = {x: i for i, x in enumerate(hid)}
    if len(lidx) != len(lid) or len(ridx) != len(rid) or len(hidx) != len(hid):
        raise ValueError("duplicate learner, rotation or site id")
    S, R, H = len(lid), len(rid), len(hid)
    gid: list[Id] = []
    gpos: dict[Any, int] = {}
    rgroup = []
    implicit: set[int] = set()
    for rot in p.rotations:
        key = ("__required__", rot.id) if rot.group is None else rot.group
        if key not in gpos:
            gpos[key] = len(gid)
            gid.append(key)
            if rot.group is None:
                implicit.add(gpos[key])
        rgroup.append(gpos[key])
    G = len(gid)
    need = []
    for lr in p.learners:
        row = []
        for g, key in enumerate(gid):
            if g in implicit:
                rot_id = key[1]  # type: ignore[index]  # implicit groups are ("__required__", id)
                row.append(int(lr.group_counts.get(rot_id, lr.group_counts.get(key, 1))))
            else:
                row.append(int(lr.group_counts.get(key, p.default_group_counts.get(key, 0))))
        need.append(row)
    allowed = [[lr.allowed_rotations is None or r in lr.allowed_rotations for r in rid] for lr in p.learners]
    able = [[[(r, h) not in lr.unable for r in rid] for h in hid] for lr in p.learners]
    for lr in p.learners:
        for b in lr.unavailable_blocks:
            if not 0 <= b < T:
                raise ValueError(f"learner {lr.id}: unavailable block {b} out of range")
    avail = [[t not in lr.unavailable_blocks for t in range(T)] for lr in p.learners]
    maxcap = [[[0] * T for _ in range(R)] for _ in range(H)]
    mincap = [[[0] * T for _ in range(R)] for _ in range(H)]
    for o in p.offerings:
        r = ridx[o.rotation]
        h = hidx[o.site]
        maxcap[h][r] = _per_block(o.max_learners, T)
        mincap[h][r] = _per_block(o.min_learners, T)
    prec = [(ridx[pc.before], ridx[pc.after]) for pc in p.precedences]
    w = [(lr.weights.rotation, lr.weights.site, lr.weights.change, lr.weights.wait) for lr in p.learners]
    pref_rot = [[int(lr.rotation_pref.get(r, 0)) for r in rid] for lr in p.learners]
    pref_site = [[int(lr.site_pref.get(h, 0)) for h in hid] for lr in p.learners]
    pref_block = [[int(lr.block_pref.get(t, 0)) for t in range(T)] for lr in p.learners]
    school = [int(r.school_pref) for r in p.rotations]
    k = p.max_rotations_per_site if p.max_rotations_per_site is not None else R
    locks = [(lidx[lk.learner], ridx[lk.rotation], hidx[lk.site], lk.start) for lk in p.locks]
    return Compiled(
        problem=p,
        S=S,
        R=R,
        H=H,
        T=T,
        lid=lid,
        rid=rid,
        hid=hid,
        lidx=lidx,
        ridx=ridx,
        hidx=hidx,
        dur=[r.duration for r in p.rotations],
        rgroup=rgroup,
        G=G,
        gid=gid,
        need=need,
        allowed=allowed,
        able=able,
        avail=avail,
        maxcap=maxcap,
        mincap=mincap,
        prec=prec,
        w=w,
        pref_rot=pref_rot,
        pref_site=pref_site,
        pref_block=pref_block,
        school=school,
        k=k,
        locks=locks,
    )


# Index-form schedule: per learner list of (r, h, start)
IndexSchedule = list[list[tuple[int, int, int]]]


def to_index_schedule(c: Compiled, sched: Schedule) -> IndexSchedule:
    out: IndexSchedule = [[] for _ in range(c.S)]
    for l_id, pls in sched.items():
        s = c.lidx[l_id]
        for pl in pls:
            out[s].append((c.ridx[pl.rotation], c.hidx[pl.site], pl.start))
    return out


def from_index_schedule(c: Compiled, isched: IndexSchedule) -> Schedule:
    out: Schedule = {}
    for s in range(c.S):
        out[c.lid[s]] = [
            Placement(c.rid[r], c.hid[h], st, st + c.dur[r] - 1)
            for (r, h, st) in sorted(isched[s], key=lambda x: x[2])
        ]
    return out
