"""Benchmark of the rotation engine on the public MSS benchmark (and a QUMS-size synthetic).

    python bench/scheduling.py                       # 30 generated instances, 300 s each
    python bench/scheduling.py --instances I40_12_1,I80_24_4 --time-limit 60
    python bench/scheduling.py --set am              # 100 Akbarzadeh-Maenhout, 60 s each
    python bench/scheduling.py --synthetic           # QUMS-size synthetic year + re-plan

Each instance runs in its own subprocess (the CLI), so peak RSS is per instance
(``os.wait4``).  Results: bench/results/scheduling.json (+ a Markdown table on stdout).
The benchmark data is read from ``../shared/bench/mss`` next to the repo, or
``$SHAFA_SHARED_DIR/bench/mss``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    env = os.environ.get("SHAFA_SHARED_DIR")
    return Path(env) if env else (ROOT / ".." / "shared").resolve()


def run_child(cmd: list[str], timeout: float) -> tuple[str, str, int, float, float]:
    t0 = time.time()
    p = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    # communicate() already reaped the child; RUSAGE_CHILDREN is cumulative, so we take the
    # max-RSS from /proc-less getrusage diff: ru_maxrss of children is a running max.
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return out, err, p.returncode, time.time() - t0, peak_kb / 1024.0


def machine() -> dict:
    info = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        import ortools

        info["ortools"] = ortools.__version__
    except ImportError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["mem"] = f.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    return info


def bench_mss(args: argparse.Namespace) -> dict:
    base = shared_dir() / "bench" / "mss"
    if not base.is_dir():
        sys.exit(f"benchmark data not found at {base} (set SHAFA_SHARED_DIR)")
    best: dict[str, dict] = {}
    with open(base / "best_known.csv") as f:
        for row in csv.DictReader(f):
            best[row["instance"]] = row
    if args.set == "am":
        folder = base / "akbarzadeh-maenhout"

        def key(n: str) -> tuple[int, int]:
            tail = n.split("_", 1)[1]
            return (1 if tail.startswith("L") else 0, int(tail.lstrip("L") or 0))

        names = sorted((p.stem for p in folder.glob("*.dzn")), key=key)
        limit = args.time_limit or 60.0
    else:
        folder = base / "generated"
        names = sorted(p.stem for p in folder.glob("*.dzn"))
        limit = args.time_limit or 300.0
    if args.instances:
        want = args.instances.split(",")
        names = [n for n in names if n in want]
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="shafa-bench-"))
    for name in names:
        sol = tmp / f"{name}-sol.dzn"
        cmd = [
            sys.executable,
            "-m",
            "shafa.clinical.scheduling.cli",
            "schedule",
            "mss",
            str(folder / f"{name}.dzn"),
            "--time-limit",
            str(limit),
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
            "--out",
            str(sol),
        ]
        out, err, rc, wall, _rss = run_child(cmd, timeout=limit * 3 + 120)
        try:
            res = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            res = {
                "score": None,
                "bound": None,
                "status": f"ERROR rc={rc}: {err[-200:]}",
                "seconds_to_first_feasible": None,
                "seconds": wall,
            }
        b = best.get(name, {})
        bk = int(b["best_known_score"]) if b.get("best_known_score") else None
        cb = int(b["cplex_1h_upper_bound"]) if b.get("cplex_1h_upper_bound") else None
        score = res.get("score")
        gap = (100.0 * (bk - score) / bk) if (bk and score is not None) else None
        bound = res.get("bound")
        row = {
            "instance": name,
            "score": score,
            "best_known": bk,
            "bound": bound,
            "lagrangian_bound": res.get("lagrangian_bound"),
            "cplex_bound": cb,
            "gap_to_best_known_pct": None if gap is None else round(gap, 3),
            "bound_le_cplex": (bound <= cb) if (bound is not None and cb is not None) else None,
            "status": res.get("status"),
            "seconds_to_first_feasible": res.get("seconds_to_first_feasible"),
            "seconds": res.get("seconds"),
            "peak_rss_mb": res.get("peak_rss_mb"),
            "duration": int(b["duration"]) if b.get("duration") else None,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    feas = [r for r in rows if r["score"] is not None]
    gaps = [r["gap_to_best_known_pct"] for r in rows if r["gap_to_best_known_pct"] is not None]
    gaps1 = [
        r["gap_to_best_known_pct"]
        for r in rows
        if r["gap_to_best_known_pct"] is not None and r["duration"] == 1
    ]
    summary = {
        "set": args.set,
        "time_limit": limit,
        "workers": args.workers,
        "instances": len(rows),
        "feasible": len(feas),
        "mean_gap_pct": round(sum(gaps) / len(gaps), 3) if gaps else None,
        "mean_gap_duration1_pct": round(sum(gaps1) / len(gaps1), 3) if gaps1 else None,
        "bounds_le_cplex": sum(1 for r in rows if r["bound_le_cplex"]),
        "with_cplex_bound": sum(1 for r in rows if r["cplex_bound"] is not None),
        "optimal": sum(1 for r in rows if r["status"] == "OPTIMAL"),
        "machine": machine(),
    }
    return {"summary": summary, "instances": rows}


SYNTH_CHILD = r"""
import json, sys, time
from shafa.clinical.scheduling.synthetic import qums_year
from shafa.clinical.scheduling.solver import solve
from shafa.clinical.scheduling.replan import replan, CapacityDrop, Leave
from shafa.clinical.scheduling.checker import check
tl = float(sys.argv[1]); workers = int(sys.argv[2]); seed = int(sys.argv[3])
p = qums_year(seed=seed)
r = solve(p, mode="mss", time_limit=tl, workers=workers, seed=seed)
chk = check(p, r.schedule)
out = {"solve": {"status": r.status, "seconds_to_first_feasible": r.seconds_to_first_feasible,
       "seconds": r.seconds, "feasible": chk.feasible, "total_sat": chk.total,
       "worst_sat": chk.worst, "mss_score": chk.score, "bound": r.bound, "gap": r.gap}}
# event 1: a site's capacity drops by 3 seats in a block (the busiest offering/block);
# event 2: a learner with a free block takes one block of leave where they were placed
load = {}
for pls in r.schedule.values():
    for pl in pls:
        for t in range(pl.start, pl.end + 1):
            load[(pl.rotation, pl.site, t)] = load.get((pl.rotation, pl.site, t), 0) + 1
busiest = max(load, key=load.get)
lid, blk = None, None
for lr in p.learners:
    pls = r.schedule[lr.id]
    used = sum(pl.end - pl.start + 1 for pl in pls)
    if used < p.n_blocks - len(lr.unavailable_blocks) and pls:
        lid, blk = lr.id, pls[len(pls) // 2].start
        break
for name, ev in [("capacity_drop", CapacityDrop(rotation=busiest[0], site=busiest[1],
                                                block=busiest[2],
                                                new_max=max(0, load[busiest] - 3))),
                 ("leave", Leave(learner=lid, blocks=frozenset({blk})))]:
    t0 = time.time()
    rr = replan(p, r.schedule, ev, time_limit=15, workers=workers, seed=seed)
    out[name] = {"status": rr.status, "seconds": time.time() - t0,
                 "moved_learners": len({m[0] for m in rr.moved}),
                 "directly_affected": rr.scores.get("directly_affected"),
                 "released": rr.scores.get("released"),
                 "limit_affected_plus_5pct": rr.scores.get("directly_affected", 0)
                     + 0.05 * len(p.learners),
                 "feasible": rr.status in ("OPTIMAL", "FEASIBLE")}
print(json.dumps(out, default=str))
"""


def bench_synthetic(args: argparse.Namespace) -> dict:
    limit = args.time_limit or 120.0
    cmd = [sys.executable, "-c", SYNTH_CHILD, str(limit), str(args.workers), str(args.seed)]
    out, err, rc, _wall, rss = run_child(cmd, timeout=limit * 3 + 200)
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res = {"error": f"rc={rc}: {err[-500:]}"}
    res["peak_rss_mb_running_max"] = round(rss, 1)
    res["machine"] = machine()
    print(json.dumps(res, default=str))
    return res


def markdown(result: dict) -> str:
    lines = [
        "| instance | score | best known | gap % | bound | Lagrangian bound | CPLEX bound "
        "| bound<=CPLEX | status | first feas. s | s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["instances"]:
        lines.append(
            f"| {r['instance']} | {r['score']} | {r['best_known']} | "
            f"{r['gap_to_best_known_pct']} | {r['bound']} | {r.get('lagrangian_bound')} | "
            f"{r['cplex_bound']} | "
            f"{r['bound_le_cplex']} | {r['status']} | {r['seconds_to_first_feasible']} | "
            f"{r['seconds']} | {r['peak_rss_mb']} |"
        )
    s = result["summary"]
    lines.append("")
    lines.append(
        f"feasible {s['feasible']}/{s['instances']}, mean gap {s['mean_gap_pct']} %, "
        f"mean gap (duration 1) {s['mean_gap_duration1_pct']} %, bounds <= CPLEX "
        f"{s['bounds_le_cplex']}/{s['with_cplex_bound']}, optimal {s['optimal']}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["generated", "am"], default="generated")
    ap.add_argument("--instances", default="")
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "scheduling.json"))
    args = ap.parse_args(argv)
    outp = Path(args.out)
    outp.parent.mkdir(parents=True, exist_ok=True)
    existing = {}
    if outp.exists():
        try:
            existing = json.loads(outp.read_text())
        except ValueError:
            existing = {}
    if args.synthetic:
        existing["synthetic"] = bench_synthetic(args)
    else:
        res = bench_mss(args)
        existing[args.set] = res
        print(markdown(res))
    outp.write_text(json.dumps(existing, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
