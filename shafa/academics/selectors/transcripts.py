"""Reads for transcripts: the content a transcript shows (from finalised grades), issued transcripts."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from shafa.academics.models import (
    Grade,
    GradeSheetStatus,
    Registration,
    RegistrationStatus,
    Transcript,
    TranscriptBatch,
)
from shafa.academics.selectors.grades import grading_policy_for
from shafa.academics.services import standing as arithmetic
from shafa.academics.services.standing import Attempt


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def transcript_content(student: Any, *, issued_on: Any = None) -> dict[str, Any]:
    """What a transcript shows, as plain JSON-able data (its hash is what verification checks)."""
    program = student.program
    university = program.school.university
    policy = grading_policy_for(program=program.pk)
    grades = list(
        Grade.objects.filter(
            student=student,
            sheet__status=GradeSheetStatus.FINALISED,
            registration__status=RegistrationStatus.REGISTERED,
        )
        .select_related("registration__course", "registration__term")
        .order_by("registration__term__code", "registration__course__code")
    )
    attempts = [
        Attempt(
            course_id=g.registration.course_id,
            credits=Decimal(g.registration.credits),
            term_code=g.registration.term.code,
            value=g.value,
            is_pass=g.is_pass,
        )
        for g in grades
    ]
    terms: list[dict[str, Any]] = []
    for grade, attempt in zip(grades, attempts, strict=True):
        code = attempt.term_code
        if not terms or terms[-1]["code"] != code:
            terms.append({"code": code, "rows": []})
        course = grade.registration.course
        terms[-1]["rows"].append(
            {
                "code": course.code,
                "title_fa": course.title_fa,
                "title_en": course.title_en,
                "credits": f"{attempt.credits:.1f}",
                "grade": _fmt(grade.value),
                "pass": grade.is_pass,
                "passed": arithmetic.attempt_passed(attempt, policy.pass_mark),
            }
        )
    for term in terms:
        in_term = [a for a in attempts if a.term_code == term["code"]]
        term["gpa"] = _fmt(arithmetic.term_gpa(attempts, term["code"]))
        term["credits"] = f"{sum((a.credits for a in in_term), Decimal(0)):.1f}"
    person = student.person
    return {
        "university": {"name_fa": university.name_fa, "name_en": university.name_en},
        "student": {
            "number": student.student_number,
            "name_fa": f"{person.first_name_fa} {person.last_name_fa}".strip(),
            "name_en": f"{person.first_name_en} {person.last_name_en}".strip(),
            "program_fa": program.name_fa,
            "program_en": program.name_en,
        },
        "terms": terms,
        "gpa": _fmt(arithmetic.cumulative_gpa(attempts, policy.repeat_policy)),
        "credits_passed": f"{arithmetic.passed_credits(attempts, policy.pass_mark):.1f}",
        "repeat_policy": policy.repeat_policy,
        "issued_on": (issued_on or timezone.localdate()).isoformat(),
    }


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the content in a canonical JSON form."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def transcript_get_by_code(code: str) -> Transcript | None:
    from shafa.core.text import digits_to_ascii

    cleaned = digits_to_ascii(code or "").replace("-", "").replace(" ", "").upper()
    return (
        Transcript.objects.select_related("student__person", "student__program").filter(code=cleaned).first()
    )


def transcripts_for_student(student: Any) -> QuerySet[Transcript]:
    return Transcript.objects.filter(student=student).order_by("-issued_at")


def recent_transcripts(*, limit: int = 20) -> QuerySet[Transcript]:
    return Transcript.objects.select_related("student__person").order_by("-issued_at")[:limit]


def transcript_batches(*, limit: int = 20) -> QuerySet[TranscriptBatch]:
    return TranscriptBatch.objects.select_related("requested_by", "program").order_by("-created_at")[:limit]


def roster_rows(section: Any) -> list[dict[str, Any]]:
    """Rows of a section's roster and grade sheet, for Excel and CSV exports."""
    rows = []
    registrations = (
        Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED)
        .select_related("student__person", "student__program", "grade")
        .order_by("student__person__last_name_fa", "student__student_number")
    )
    for registration in registrations:
        person = registration.student.person
        try:
            grade = registration.grade  # type: ignore[attr-defined]
        except Grade.DoesNotExist:
            grade = None
        rows.append(
            {
                "student_number": registration.student.student_number,
                "name_fa": f"{person.first_name_fa} {person.last_name_fa}",
                "name_en": f"{person.first_name_en} {person.last_name_en}".strip(),
                "program": registration.student.program.name_fa,
                "credits": registration.credits,
                "grade": grade.value if grade is not None else None,
                "pass": grade.is_pass if grade is not None else None,
            }
        )
    return rows
