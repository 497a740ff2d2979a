"""Rotation-scheduling engine (plain Python + OR-Tools CP-SAT, no Django).

Public API::

    from shafa.clinical.scheduling import (
        Problem, Rotation, Site, Learner, Weights, Offering, Precedence, Lock, Placement,
        solve, SolveOptions, Result, check, precheck, explain_infeasible, Explanation,
        replan, CapacityDrop, Leave, find_swaps, SwapRequest, Want, ProposedSwap,
    )

See docs/adr/0100-rotation-engine.md.
"""

from .checker import CheckResult, Violation, check
from .explain import Explanation, explain_infeasible, precheck
from .problem import (
    Learner,
    Lock,
    Offering,
    Placement,
    Precedence,
    Problem,
    Rotation,
    Schedule,
    Site,
    Weights,
)
from .replan import CapacityDrop, Leave, apply_events, replan
from .solver import Result, SolveOptions, solve
from .swaps import ProposedSwap, SwapRequest, Want, apply_swaps, find_swaps

__all__ = [
    "CapacityDrop",
    "CheckResult",
    "Explanation",
    "Learner",
    "Leave",
    "Lock",
    "Offering",
    "Placement",
    "Precedence",
    "Problem",
    "ProposedSwap",
    "Result",
    "Rotation",
    "Schedule",
    "Site",
    "SolveOptions",
    "SwapRequest",
    "Violation",
    "Want",
    "Weights",
    "apply_events",
    "apply_swaps",
    "check",
    "explain_infeasible",
    "find_swaps",
    "precheck",
    "replan",
    "solve",
]
