"""dzn parsing, solution I/O and the CLI's handling of bad input."""

from __future__ import annotations

import json

import pytest

from shafa.clinical.scheduling import cli
from shafa.clinical.scheduling.mss import (
    InstanceError,
    instance_from_dzn,
    load_instance,
    parse_dzn,
    read_solution,
    to_problem,
    write_solution,
)

from .helpers import MSS_DIR, needs_mss

TINY = """
% a comment
Students=2; Disciplines=2; Hospitals=1; Duration=1; Horizon=3; Groups=1;
MaxDiscPerHosp=2;
DiscGroup = [1,1];
StudDiscGroup =[| 2 | 1 |];   % trailing comment
AllowedDisc =[| 1, 1 | 1, 1 |];
Precededby =[| 0, 0 | 1, 0 |];
Availability =[| 1,1,1 | 1,1,0 |];
Ability = array3d(1..Students,1..Hospitals,1..Disciplines,[1,1, 1,1]);
MaxPosHosp = array3d(1..Hospitals, 1..Disciplines, 1..Horizon,[2,2,2, 2,2,2]);
MinPosHosp = array3d(1..Hospitals, 1..Disciplines, 1..Horizon,[0,0,0, 0,0,0]);
WeightPref=[| 1,1,-1,-1 | 2,1,-1,-1 |];
PrefStudDisc =[| 1, 2 | 3, 0 |];
PrefStudHosp =[| 1 | 2 |];
ManPref=[1,0];
"""


def test_parse_tiny_instance() -> None:
    data = parse_dzn(TINY)
    assert data["Students"] == 2
    assert data["Ability"][0] == (2, 1, 2)
    inst = instance_from_dzn(data)
    assert inst.precededby == [[0, 0], [1, 0]]
    p = to_problem(inst)
    assert [pc.before for pc in p.precedences] == [1] and p.precedences[0].after == 2
    assert p.learners[1].unavailable_blocks == frozenset({2})


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda t: t.replace("Groups=1;", ""), "missing key Groups"),
        (lambda t: t.replace("[1,1, 1,1]", "[1,1, 1]"), "Ability"),
        (lambda t: t.replace("[| 1, 1 | 1, 1 |]", "[| 1, 1 | 1 |]"), "AllowedDisc"),
        (lambda t: t.replace("ManPref=[1,0]", "ManPref=[1,x]"), "ManPref"),
        (lambda t: t.replace("DiscGroup = [1,1]", "DiscGroup = [1,1,1]"), "DiscGroup"),
        (lambda t: t.replace("[| 2 | 1 |]", "[| 2 | 1 "), "StudDiscGroup"),
    ],
)
def test_malformed_instance_names_the_cause(mutate, needle) -> None:
    with pytest.raises(InstanceError) as ei:
        instance_from_dzn(parse_dzn(mutate(TINY)))
    assert needle in str(ei.value) or needle.lower() in str(ei.value).lower()


def test_cli_bad_instance_exit_2_one_line(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.dzn"
    bad.write_text(TINY.replace("[1,1, 1,1]", "[1,1,1]"))
    rc = cli.main(["schedule", "mss", str(bad), "--time-limit", "1", "--out", str(tmp_path / "o.dzn")])
    err = capsys.readouterr().err
    assert rc == 2
    assert "Ability" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    rc = cli.main(
        [
            "schedule",
            "mss",
            str(tmp_path / "missing.dzn"),
            "--time-limit",
            "1",
            "--out",
            str(tmp_path / "o.dzn"),
        ]
    )
    assert rc == 2


def test_cli_solves_tiny(tmp_path, capsys) -> None:
    f = tmp_path / "tiny.dzn"
    f.write_text(TINY)
    out = tmp_path / "sol.dzn"
    rc = cli.main(["schedule", "mss", str(f), "--time-limit", "5", "--workers", "1", "--out", str(out)])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    res = json.loads(line)
    assert rc == 0
    assert {"score", "bound", "status", "seconds_to_first_feasible", "seconds"} <= set(res)
    inst = load_instance(f)
    sched = read_solution(out, inst)
    from shafa.clinical.scheduling.checker import check

    chk = check(to_problem(inst), sched)
    assert chk.feasible and chk.score == res["score"]


@needs_mss
def test_solution_roundtrip(tmp_path) -> None:
    inst = load_instance(MSS_DIR / "generated" / "I40_12_1.dzn")
    p = to_problem(inst)
    sol = MSS_DIR / "generated" / "solutions" / "I40_12_1-sol.dzn.gz"
    sched = read_solution(sol, inst)
    for suffix in (".dzn", ".dzn.gz"):
        out = tmp_path / f"x{suffix}"
        write_solution(out, p, sched, ["The score maximizes is 1"])
        assert read_solution(out, inst) == sched
