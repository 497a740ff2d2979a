"""`shafa schedule mss INSTANCE.dzn --time-limit S [--workers N] [--seed K] --out SOL.dzn`.

Solves a Medical Student Scheduling benchmark instance with the rotation engine and prints one
JSON line (score, bound, status, seconds_to_first_feasible, seconds). The engine's own command
line does the work; this only makes it a `shafa` command.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shafa.clinical.scheduling.cli import main as engine_main


class Command(BaseCommand):
    help = "Rotation scheduling from the command line: `schedule mss INSTANCE.dzn --out SOL.dzn ...`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv: list[str]) -> None:
        # argv = [prog, "schedule", ...]: hand everything after the command name to the engine,
        # which prints its one JSON line (or a one-line error) and sets the exit code.
        sys.exit(engine_main(["schedule", *argv[2:]]))

    def handle(self, *args: Any, **options: Any) -> None:  # call_command("schedule", "mss", ...)
        code = engine_main(["schedule", *args])
        if code:
            raise SystemExit(code)
