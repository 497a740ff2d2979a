"""Academics models, one module per aggregate (grades and transcripts live in their own modules)."""

from .courses import (
    CREDIT_FIELDS,
    Course,
    CourseCorequisite,
    CoursePrerequisite,
    CourseType,
    Curriculum,
    CurriculumItem,
    GradingMode,
)
from .registration import (
    ACTIVE_STATUSES,
    IdempotencyKey,
    OverrideKind,
    PassedCourse,
    PreliminaryChoice,
    RegistrarOverride,
    Registration,
    RegistrationLedger,
    RegistrationPhase,
    RegistrationPolicy,
    RegistrationStatus,
    RegistrationWindow,
    StudentTimeSlot,
)
from .sections import Meeting, Section, Weekday, WeekParity

__all__ = [
    "ACTIVE_STATUSES",
    "CREDIT_FIELDS",
    "Course",
    "CourseCorequisite",
    "CoursePrerequisite",
    "CourseType",
    "Curriculum",
    "CurriculumItem",
    "GradingMode",
    "IdempotencyKey",
    "Meeting",
    "OverrideKind",
    "PassedCourse",
    "PreliminaryChoice",
    "RegistrarOverride",
    "Registration",
    "RegistrationLedger",
    "RegistrationPhase",
    "RegistrationPolicy",
    "RegistrationStatus",
    "RegistrationWindow",
    "Section",
    "StudentTimeSlot",
    "WeekParity",
    "Weekday",
]
from .evaluation import *  # noqa: F403  (grades engineer)
from .grades import *  # noqa: F403  (grades engineer)
from .transcripts import *  # noqa: F403  (grades engineer)
