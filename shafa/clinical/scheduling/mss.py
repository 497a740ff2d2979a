"""Medical Student Scheduling (MSS) benchmark I/O: MiniZinc ``.dzn`` instances and solutions.

* :func:`parse_dzn` — a small parser for the dzn subset the benchmark uses (scalars, ``[..]``,
  ``[| .. | .. |]``, ``arrayNd(ranges, [..])``, ``%`` comments).
* :func:`load_instance` — dzn file -> :class:`MSSInstance` (validated) -> :class:`Problem`.
* :func:`write_solution` / :func:`read_solution` — ``schedule = array4d(...)`` (plain or .gz).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problem import (
    Learner,
    Offering,
    Precedence,
    Problem,
    Rotation,
    Site,
    Weights,
)


class InstanceError(ValueError):
    """A malformed or inconsistent instance / solution file (message is user-facing)."""


# --------------------------------------------------------------------------- dzn parser
_TOKEN = re.compile(r"\s*(\[\||\|\]|\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+|[\[\](),|=;])")


def _read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        if p.suffix == ".gz":
            with gzip.open(p, "rt", encoding="utf-8") as f:
                return f.read()
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InstanceError(f"file not found: {p}") from None
    except (OSError, UnicodeDecodeError, EOFError) as e:
        raise InstanceError(f"cannot read {p}: {e}") from None


def _strip_comments(text: str) -> str:
    return re.sub(r"%[^\n]*", "", text)


def _tokenize(stmt: str) -> list[str]:
    toks = []
    pos = 0
    n = len(stmt)
    while pos < n:
        m = _TOKEN.match(stmt, pos)
        if not m:
            rest = stmt[pos:].strip()
            if not rest:
                break
            raise InstanceError(f"unexpected text {rest[:20]!r}")
        toks.append(m.group(1))
        pos = m.end()
    return toks


def _fast_int_list(body: str, name: str = "array") -> list[int]:
    body = body.replace("|", ",")
    parts = [x for x in (y.strip() for y in body.split(",")) if x]
    try:
        return [int(x) for x in parts]
    except ValueError:
        bad = next(x for x in parts if not re.fullmatch(r"-?\d+", x))
        raise InstanceError(f"{name}: non-integer value {bad[:20]!r}") from None


def parse_dzn(text: str, env: dict[str, int] | None = None) -> dict[str, Any]:
    """Return {name: int | Array} where Array = (dims tuple, flat list).

    ``env`` supplies scalars used in index ranges but defined elsewhere (solution files)."""
    text = _strip_comments(text)
    out: dict[str, Any] = dict(env or {})
    for raw in text.split(";"):
        stmt = raw.strip()
        if not stmt:
            continue
        if "=" not in stmt:
            raise InstanceError(f"statement without '=': {stmt[:40]!r}")
        name, expr = stmt.split("=", 1)
        name = name.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InstanceError(f"bad name {name[:40]!r}")
        out[name] = _parse_expr(name, expr.strip(), out)
    return out


def _parse_expr(name: str, expr: str, env: dict[str, Any]) -> Any:
    if re.fullmatch(r"-?\d+", expr):
        return int(expr)
    m = re.fullmatch(r"array(\d)d\s*\((.*)\)", expr, re.S)
    if m:
        nd = int(m.group(1))
        inner = m.group(2)
        lb = inner.find("[")
        if lb < 0 or not inner.rstrip().endswith("]"):
            raise InstanceError(f"{name}: malformed array{nd}d(...)")
        ranges = [x.strip() for x in inner[:lb].split(",") if x.strip()]
        if len(ranges) != nd:
            raise InstanceError(f"{name}: array{nd}d needs {nd} index ranges, got {len(ranges)}")
        dims = []
        for rg in ranges:
            if ".." not in rg:
                raise InstanceError(f"{name}: bad index range {rg!r}")
            lo, hi = (_eval_scalar(name, x.strip(), env) for x in rg.split("..", 1))
            dims.append(hi - lo + 1)
        body = inner[lb + 1 : inner.rstrip().rfind("]")]
        vals = _fast_int_list(body, name)
        size = 1
        for d in dims:
            size *= d
        if len(vals) != size:
            raise InstanceError(
                f"{name}: array{nd}d declares {size} cells ({'x'.join(map(str, dims))}) "
                f"but has {len(vals)} values"
            )
        return (tuple(dims), vals)
    if expr.startswith("[|"):
        if not expr.endswith("|]"):
            raise InstanceError(f"{name}: 2-d array not closed with '|]'")
        body = expr[2:-2]
        rows = [r for r in body.split("|")]
        if rows and not rows[-1].strip():
            rows = rows[:-1]
        parsed = [_fast_int_list(r, name) for r in rows]
        if not parsed:
            return ((0, 0), [])
        ncol = len(parsed[0])
        for i, r in enumerate(parsed):
            if len(r) != ncol:
                raise InstanceError(f"{name}: row {i + 1} has {len(r)} values, expected {ncol}")
        return ((len(parsed), ncol), [v for r in parsed for v in r])
    if expr.startswith("["):
        if not expr.endswith("]"):
            raise InstanceError(f"{name}: array not closed with ']'")
        vals = _fast_int_list(expr[1:-1], name)
        return ((len(vals),), vals)
    raise InstanceError(f"{name}: cannot parse value {expr[:40]!r}")


def _eval_scalar(name: str, tok: str, env: dict[str, Any]) -> int:
    if re.fullmatch(r"-?\d+", tok):
        return int(tok)
    v = env.get(tok)
    if not isinstance(v, int):
        raise InstanceError(f"{name}: index range refers to unknown scalar {tok!r}")
    return v


# --------------------------------------------------------------------------- instance
SCALARS = ["Students", "Disciplines", "Hospitals", "Duration", "Horizon", "Groups", "MaxDiscPerHosp"]


@dataclass
class MSSInstance:
    name: str
    S: int
    D: int
    H: int
    duration: int
    T: int
    G: int
    max_disc_per_hosp: int
    disc_group: list[int]  # [d] 1-based group
    stud_disc_group: list[list[int]]  # [s][g]
    allowed: list[list[int]]  # [s][d]
    precededby: list[list[int]]  # [d][d1]
    availability: list[list[int]]  # [s][t]
    ability: list[list[list[int]]]  # [s][h][d]
    max_pos: list[list[list[int]]]  # [h][d][t]
    min_pos: list[list[list[int]]]
    weight_pref: list[list[int]]  # [s][4]
    pref_disc: list[list[int]]  # [s][d]
    pref_hosp: list[list[int]]  # [s][h]
    man_pref: list[int]  # [d]


def _shape(flat: list[int], dims: tuple[int, ...]) -> Any:
    if len(dims) == 1:
        return list(flat)
    step = 1
    for d in dims[1:]:
        step *= d
    return [_shape(flat[i * step : (i + 1) * step], dims[1:]) for i in range(dims[0])]


def instance_from_dzn(data: dict[str, Any], name: str = "") -> MSSInstance:
    for k in SCALARS:
        if k not in data:
            raise InstanceError(f"missing key {k}")
        if not isinstance(data[k], int):
            raise InstanceError(f"{k} must be an integer")
        if data[k] < (0 if k == "MaxDiscPerHosp" else 1):
            raise InstanceError(f"{k} must be positive, got {data[k]}")
    S, D, H = data["Students"], data["Disciplines"], data["Hospitals"]
    T, G = data["Horizon"], data["Groups"]

    def arr(key: str, dims: tuple[int, ...]) -> Any:
        if key not in data:
            raise InstanceError(f"missing key {key}")
        v = data[key]
        if isinstance(v, int):
            raise InstanceError(f"{key} must be an array")
        got_dims, flat = v
        size = 1
        for d in dims:
            size *= d
        if len(flat) != size:
            raise InstanceError(f"{key} has {len(flat)} values, expected {size} ({'x'.join(map(str, dims))})")
        if len(got_dims) > 1 and tuple(got_dims) != tuple(dims):
            raise InstanceError(
                f"{key} has shape {'x'.join(map(str, got_dims))}, expected {'x'.join(map(str, dims))}"
            )
        return _shape(flat, dims)

    inst = MSSInstance(
        name=name,
        S=S,
        D=D,
        H=H,
        duration=data["Duration"],
        T=T,
        G=G,
        max_disc_per_hosp=data["MaxDiscPerHosp"],
        disc_group=arr("DiscGroup", (D,)),
        stud_disc_group=arr("StudDiscGroup", (S, G)),
        allowed=arr("AllowedDisc", (S, D)),
        precededby=arr("Precededby", (D, D)),
        availability=arr("Availability", (S, T)),
        ability=arr("Ability", (S, H, D)),
        max_pos=arr("MaxPosHosp", (H, D, T)),
        min_pos=arr("MinPosHosp", (H, D, T)),
        weight_pref=arr("WeightPref", (S, 4)),
        pref_disc=arr("PrefStudDisc", (S, D)),
        pref_hosp=arr("PrefStudHosp", (S, H)),
        man_pref=arr("ManPref", (D,)),
    )
    for d, g in enumerate(inst.disc_group):
        if not 1 <= g <= G:
            raise InstanceError(f"DiscGroup[{d + 1}] = {g} is not a group in 1..{G}")
    return inst


def load_instance(path: str | Path) -> MSSInstance:
    p = Path(path)
    name = p.name.split(".")[0]
    return instance_from_dzn(parse_dzn(_read_text(p)), name=name)


def to_problem(inst: MSSInstance) -> Problem:
    """Map an MSS instance 1:1 onto the domain model (ids are the 1-based MSS indices,
    blocks are 0-based: period t -> block t-1)."""
    D, H, T = inst.D, inst.H, inst.T
    rotations = [
        Rotation(
            id=d + 1,
            duration=inst.duration,
            group=inst.disc_group[d],
            school_pref=inst.man_pref[d],
            name=f"D{d + 1}",
        )
        for d in range(D)
    ]
    sites = [Site(id=h + 1, name=f"H{h + 1}") for h in range(H)]
    learners = []
    for s in range(inst.S):
        learners.append(
            Learner(
                id=s + 1,
                name=f"S{s + 1}",
                group_counts={g + 1: inst.stud_disc_group[s][g] for g in range(inst.G)},
                allowed_rotations=frozenset(d + 1 for d in range(D) if inst.allowed[s][d]),
                unable=frozenset(
                    (d + 1, h + 1) for h in range(H) for d in range(D) if not inst.ability[s][h][d]
                ),
                unavailable_blocks=frozenset(t for t in range(T) if not inst.availability[s][t]),
                rotation_pref={d + 1: inst.pref_disc[s][d] for d in range(D)},
                site_pref={h + 1: inst.pref_hosp[s][h] for h in range(H)},
                weights=Weights(*inst.weight_pref[s]),
            )
        )
    offerings = [
        Offering(d + 1, h + 1, tuple(inst.max_pos[h][d]), tuple(inst.min_pos[h][d]))
        for h in range(H)
        for d in range(D)
    ]
    precedences = [
        Precedence(before=d1 + 1, after=d + 1) for d in range(D) for d1 in range(D) if inst.precededby[d][d1]
    ]
    return Problem(
        n_blocks=T,
        rotations=rotations,
        sites=sites,
        learners=learners,
        offerings=offerings,
        precedences=precedences,
        max_rotations_per_site=inst.max_disc_per_hosp,
        name=inst.name,
    )


# --------------------------------------------------------------------------- solutions
def write_solution(path: str | Path, problem: Problem, schedule: dict, comments: Sequence[str] = ()) -> None:
    """Write ``schedule = array4d(1..Students,1..Horizon,1..Hospitals,1..Disciplines,[..]);``
    (ids must be the MSS 1-based indices, as produced by :func:`to_problem`)."""
    S, T, H, D = len(problem.learners), problem.n_blocks, len(problem.sites), len(problem.rotations)
    cells = bytearray(b"0" * (S * T * H * D))
    for s_id, pls in schedule.items():
        s = int(s_id) - 1
        for pl in pls:
            for t in range(pl.start, pl.end + 1):
                idx = ((s * T + t) * H + (int(pl.site) - 1)) * D + (int(pl.rotation) - 1)
                cells[idx] = ord("1")
    body = ",".join(cells.decode())
    text = (
        "schedule= array4d(1..Students,1..Horizon, 1..Hospitals,1..Disciplines,["
        + body
        + "]);\n"
        + "".join(f" %{c}\n" for c in comments)
    )
    p = Path(path)
    if p.suffix == ".gz":
        with gzip.open(p, "wt", encoding="utf-8") as f:
            f.write(text)
    else:
        p.write_text(text, encoding="utf-8")


def read_solution_cells(path: str | Path, inst: MSSInstance) -> list[tuple[int, int, int, int]]:
    """Return the list of 1-cells as 0-based (s, t, h, d)."""
    env = {"Students": inst.S, "Horizon": inst.T, "Hospitals": inst.H, "Disciplines": inst.D}
    data = parse_dzn(_read_text(path), env)
    if "schedule" not in data or isinstance(data["schedule"], int):
        raise InstanceError("solution has no 'schedule' array")
    _dims, flat = data["schedule"]
    exp = (inst.S, inst.T, inst.H, inst.D)
    if len(flat) != inst.S * inst.T * inst.H * inst.D:
        raise InstanceError(f"schedule has {len(flat)} cells, expected {'x'.join(map(str, exp))}")
    out = []
    T, H, D = inst.T, inst.H, inst.D
    for i, v in enumerate(flat):
        if v:
            if v != 1:
                raise InstanceError(f"schedule cell {i} is {v}, expected 0/1")
            d = i % D
            h = (i // D) % H
            t = (i // (D * H)) % T
            s = i // (D * H * T)
            out.append((s, t, h, d))
    return out


def read_solution(path: str | Path, inst: MSSInstance) -> dict:
    """Read a solution into a domain schedule {student_id: [Placement]}.

    Consecutive periods of the same (discipline, hospital) are merged into one placement;
    a discipline split into several runs yields several placements (the checker flags it)."""
    from .problem import Placement

    cells = read_solution_cells(path, inst)
    per: dict[int, dict[tuple[int, int], list[int]]] = {}
    for s, t, h, d in cells:
        per.setdefault(s, {}).setdefault((d, h), []).append(t)
    sched: dict = {s + 1: [] for s in range(inst.S)}
    for s, m in per.items():
        for (d, h), ts in m.items():
            ts.sort()
            run_start = ts[0]
            prev = ts[0]
            nexts: list[int | None] = [*ts[1:], None]
            for nxt in nexts:
                if nxt is not None and nxt == prev + 1:
                    prev = nxt
                    continue
                sched[s + 1].append(Placement(d + 1, h + 1, run_start, prev))
                if nxt is not None:
                    run_start = prev = nxt
        sched[s + 1].sort(key=lambda p: p.start)
    return sched


def solution_comment_score(path: str | Path) -> int | None:
    m = re.search(r"The score maximizes is\s*(-?\d+)", _read_text(path))
    return int(m.group(1)) if m else None
