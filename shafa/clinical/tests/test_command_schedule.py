"""`shafa schedule mss …`: the benchmark adapter as an operator command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shafa.clinical.scheduling.mss import load_instance, read_solution, to_problem
from shafa.clinical.scheduling.tests.helpers import MSS_DIR

ROOT = Path(__file__).resolve().parents[3]


def _shafa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not (MSS_DIR / "generated").is_dir(), reason="../shared/bench/mss is not beside the repo")
def test_schedule_mss_writes_a_checked_solution_and_one_json_line(tmp_path: Path) -> None:
    instance = MSS_DIR / "generated" / "I40_12_1.dzn"
    out = tmp_path / "sol.dzn"
    done = _shafa("schedule", "mss", str(instance), "--time-limit", "3", "--workers", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"score", "bound", "status", "seconds_to_first_feasible", "seconds"} <= report.keys()
    assert report["status"] in {"FEASIBLE", "OPTIMAL"}
    inst = load_instance(instance)
    from shafa.clinical.scheduling.checker import check

    result = check(to_problem(inst), read_solution(out, inst))
    assert result.feasible and result.score == report["score"]


def test_a_malformed_instance_is_one_clear_line_and_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dzn"
    bad.write_text("Students=2;\nDisciplines=oops;\n", encoding="utf-8")
    done = _shafa("schedule", "mss", str(bad), "--out", str(tmp_path / "x.dzn"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "bad instance" in done.stderr
    assert "Traceback" not in done.stderr
