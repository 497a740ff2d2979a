"""Command line: ``schedule mss INSTANCE.dzn --time-limit S [--workers N] [--seed K]
--out SOL.dzn`` — solves, writes the benchmark-format solution, prints one JSON line.

Exit codes: 0 solved (a feasible schedule written), 1 no feasible schedule found,
2 bad input (one-line error on stderr, no traceback)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

from .checker import check
from .mss import InstanceError, load_instance, to_problem, write_solution
from .solver import solve


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit code 2
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    except (ImportError, OSError):
        return 0.0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = _Parser(prog="shafa-schedule")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sch = sub.add_parser("schedule")
    sub2 = sch.add_subparsers(dest="fmt", required=True)
    m = sub2.add_parser("mss")
    m.add_argument("instance")
    m.add_argument("--time-limit", type=float, default=60.0)
    m.add_argument("--workers", type=int, default=2)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--out", required=True)
    m.add_argument("--verbose", action="store_true")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        inst = load_instance(args.instance)
        problem = to_problem(inst)
    except InstanceError as e:
        print(f"error: bad instance {args.instance}: {e}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, IndexError) as e:
        print(f"error: bad instance {args.instance}: {e}", file=sys.stderr)
        return 2
    res = solve(
        problem, time_limit=args.time_limit, workers=args.workers, seed=args.seed, verbose=args.verbose
    )
    score = None
    if res.objective is not None:
        chk = check(problem, res.schedule)
        score = chk.score if chk.feasible else None
        try:
            write_solution(
                args.out,
                problem,
                res.schedule,
                [
                    f"The real score reached is {chk.total}",
                    f"The worst score reached is {chk.worst}",
                    f"The score maximizes is {chk.score}",
                ],
            )
        except OSError as e:
            print(f"error: cannot write {args.out}: {e}", file=sys.stderr)
            return 2
    out: dict[str, Any] = {
        "score": score,
        "bound": res.bound,
        "lagrangian_bound": res.scores.get("lagrangian_bound"),
        "status": res.status,
        "seconds_to_first_feasible": (
            round(res.seconds_to_first_feasible, 3) if res.seconds_to_first_feasible is not None else None
        ),
        "seconds": round(res.seconds, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
    if res.objective is None and res.explanations:
        out["explanations"] = [
            {"code": e.code, "params": e.params, "message": e.message} for e in res.explanations[:10]
        ]
    print(json.dumps(out, default=str))
    return 0 if score is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
