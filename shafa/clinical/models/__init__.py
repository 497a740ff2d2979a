"""Clinical training: wards, agreements, rotations, clinical years, offerings, learners, runs."""

from .agreements import SiteAgreement, agreement_rotations
from .learners import (
    BlockPreference,
    LearnerEnrollment,
    LearnerLeave,
    ManualLock,
    RotationPreference,
    SitePreference,
)
from .offerings import Offering, OfferingBlockCapacity
from .replans import ReplanEvent, ReplanKind
from .rotations import RotationGroup, RotationPrecedence, RotationType
from .runs import Assignment, RunKind, RunStatus, SolverRun
from .swaps import Swap, SwapRequest, SwapStatus
from .wards import Ward
from .years import Block, ClinicalYear, Holiday

__all__ = [
    "Assignment",
    "Block",
    "BlockPreference",
    "ClinicalYear",
    "Holiday",
    "LearnerEnrollment",
    "LearnerLeave",
    "ManualLock",
    "Offering",
    "OfferingBlockCapacity",
    "ReplanEvent",
    "ReplanKind",
    "RotationGroup",
    "RotationPrecedence",
    "RotationPreference",
    "RotationType",
    "RunKind",
    "RunStatus",
    "SiteAgreement",
    "SitePreference",
    "SolverRun",
    "Swap",
    "SwapRequest",
    "SwapStatus",
    "Ward",
    "agreement_rotations",
]
