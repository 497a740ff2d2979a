"""Standing arithmetic: GPA (معدل), probation (مشروطی), passing — pure functions over attempts.

No database here: selectors build `Attempt`s from finalised grades and call these, so the
arithmetic is tested alone (property-based tests in tests/test_standing_properties.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

REPEAT_LATEST_REPLACES = "latest_replaces"
REPEAT_ALL_ATTEMPTS = "all_attempts"
SUMMER = 3
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Attempt:
    """One finalised grade: a course taken in a term (`term_code` orders terms, e.g. 14041)."""

    course_id: int
    credits: Decimal
    term_code: int
    value: Decimal | None = None  # None for a pass/fail course
    is_pass: bool | None = None

    @property
    def is_graded(self) -> bool:
        return self.value is not None

    @property
    def term_number(self) -> int:
        return self.term_code % 10


def attempt_passed(attempt: Attempt, pass_mark: Decimal) -> bool:
    if attempt.value is None:
        return bool(attempt.is_pass)
    return attempt.value >= pass_mark


def counted_attempts(attempts: Iterable[Attempt], repeat_policy: str) -> list[Attempt]:
    """The graded attempts that count in a cumulative GPA under `repeat_policy`."""
    graded = [a for a in attempts if a.is_graded and a.credits > 0]
    if repeat_policy == REPEAT_ALL_ATTEMPTS:
        return graded
    latest: dict[int, Attempt] = {}
    for attempt in graded:
        held = latest.get(attempt.course_id)
        # ties (two attempts in one term) keep the better grade, so the result is order-free
        if (
            held is None
            or attempt.term_code > held.term_code
            or (attempt.term_code == held.term_code and (attempt.value or 0) > (held.value or 0))
        ):
            latest[attempt.course_id] = attempt
    return list(latest.values())


def weighted_mean(attempts: Iterable[Attempt]) -> Decimal | None:
    """Credit-weighted mean of graded attempts, rounded to two places; None without graded credits."""
    total_credits = Decimal(0)
    total_points = Decimal(0)
    for attempt in attempts:
        if attempt.value is None or attempt.credits <= 0:
            continue
        total_credits += attempt.credits
        total_points += attempt.credits * attempt.value
    if total_credits == 0:
        return None
    return (total_points / total_credits).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def cumulative_gpa(attempts: Iterable[Attempt], repeat_policy: str) -> Decimal | None:
    return weighted_mean(counted_attempts(attempts, repeat_policy))


def term_gpa(attempts: Iterable[Attempt], term_code: int) -> Decimal | None:
    """A term's GPA: every graded attempt of that term counts (repeats included)."""
    return weighted_mean(a for a in attempts if a.term_code == term_code)


def is_probation_term(
    attempts: Iterable[Attempt], term_code: int, threshold: Decimal, *, summer_counts: bool = False
) -> bool:
    """Probation for a term: its GPA is below `threshold` (a summer term only if it counts)."""
    if term_code % 10 == SUMMER and not summer_counts:
        return False
    gpa = term_gpa(attempts, term_code)
    return gpa is not None and gpa < threshold


def passed_course_ids(attempts: Iterable[Attempt], pass_mark: Decimal) -> set[int]:
    return {a.course_id for a in attempts if attempt_passed(a, pass_mark)}


def passed_credits(attempts: Iterable[Attempt], pass_mark: Decimal) -> Decimal:
    """Credits of passed courses, each course counted once."""
    credits: dict[int, Decimal] = {}
    for attempt in attempts:
        if attempt_passed(attempt, pass_mark):
            credits[attempt.course_id] = attempt.credits
    return sum(credits.values(), Decimal(0))


def gate_exam_record(
    *, actor: object, student: object, kind: str, held_on: object, passed: bool, score: object = None
) -> object:
    """Record a student's result in a comprehensive (gate) exam; registrar only, audited."""
    from django.db import transaction

    from shafa.academics.models import GateExamResult
    from shafa.academics.services.grades import GradingRefused, is_registrar_office
    from shafa.core.audit import audit_context

    if not is_registrar_office(actor):
        raise GradingRefused("forbidden")
    with transaction.atomic(), audit_context(actor=actor):
        result, _created = GateExamResult.objects.update_or_create(
            student=student,
            kind=kind,
            held_on=held_on,
            defaults={"passed": passed, "score": score, "recorded_by": actor},
        )
    return result
