"""Academic standing from finalised grades: GPA, probation, passed courses, duration, graduation, gates.

Registration calls `is_on_probation`, `passed_course_ids` and `passed_credits` through this module
(tests may monkeypatch them). Passed courses are those with a passing finalised grade plus
`PassedCourse` rows (transferred or exempted courses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum

from shafa.academics.models import (
    Course,
    CurriculumItem,
    GateExamKind,
    GateExamResult,
    Grade,
    GradeSheet,
    GradeSheetStatus,
    PassedCourse,
    Registration,
    RegistrationStatus,
)
from shafa.academics.selectors.grades import grading_policy_for
from shafa.academics.services import standing as arithmetic
from shafa.academics.services.standing import Attempt
from shafa.core.sql import as_decimal, fetch_rows, table
from shafa.institution.models import PhaseKind, Term

# Which gate exam a phase needs (the MD rules: comprehensive basic-sciences exam before
# physiopathology, pre-internship exam before internship).
PHASE_GATES = {
    PhaseKind.PHYSIOPATHOLOGY: GateExamKind.BASIC_SCIENCES,
    PhaseKind.INTERNSHIP: GateExamKind.PRE_INTERNSHIP,
}


def grade_attempts(student: Any, *, finalised_only: bool = True) -> list[Attempt]:
    """The student's graded attempts (finalised sheets only, unless asked otherwise)."""
    # A grade whose registration was later withdrawn (حذف اضطراری) or dropped does not count.
    grades = Grade.objects.filter(student=student, registration__status=RegistrationStatus.REGISTERED)
    if finalised_only:
        grades = grades.filter(sheet__status=GradeSheetStatus.FINALISED)
    rows = grades.values_list(
        "registration__course_id", "registration__credits", "registration__term__code", "value", "is_pass"
    )
    return [
        Attempt(course_id=c, credits=Decimal(cr), term_code=t, value=v, is_pass=p) for c, cr, t, v, p in rows
    ]


def _pass_mark(student: Any) -> Decimal:
    return grading_policy_for(program=student.program_id).pass_mark


def is_on_probation(student: Any, term: Any) -> bool:
    """Whether `student` registers for `term` on probation: their last counted term's GPA was low."""
    attempts = [a for a in grade_attempts(student) if a.term_code < term.code]
    if not attempts:
        return False
    for code in sorted({a.term_code for a in attempts}, reverse=True):
        policy = grading_policy_for(program=student.program_id, term=Term.objects.filter(code=code).first())
        if code % 10 == arithmetic.SUMMER and not policy.summer_counts_for_probation:
            continue
        return arithmetic.is_probation_term(
            attempts, code, policy.probation_below, summer_counts=policy.summer_counts_for_probation
        )
    return False


def passed_course_ids(student: Any) -> set[int]:
    """Ids of the courses `student` has passed (finalised grades and transferred courses).

    Registration asks this for every request, so it is one fixed statement (see `shafa.core.sql`),
    plus the pass mark only when there are numeric grades to compare with it."""
    rows = fetch_rows(
        f"SELECT r.course_id, g.value, g.is_pass FROM {table(Grade)} g"
        f" JOIN {table(Registration)} r ON r.id = g.registration_id"
        f" JOIN {table(GradeSheet)} s ON s.id = g.sheet_id"
        " WHERE g.student_id = %s AND r.status = %s AND s.status = %s"
        f" UNION ALL SELECT course_id, NULL, %s FROM {table(PassedCourse)} WHERE student_id = %s",
        [student.pk, RegistrationStatus.REGISTERED, GradeSheetStatus.FINALISED, True, student.pk],
    )
    pass_mark = _pass_mark(student) if any(value is not None for _c, value, _p in rows) else Decimal(0)
    return {
        course_id
        for course_id, value, is_pass in rows
        if (bool(is_pass) if value is None else as_decimal(value) >= pass_mark)
    }


def passed_credits(student: Any) -> Decimal:
    """Credits of the courses `student` has passed, each course once."""
    ids = passed_course_ids(student)
    if not ids:
        return Decimal(0)
    total = Course.objects.filter(pk__in=ids).aggregate(
        total=Sum(
            F("theoretical_credits")
            + F("practical_credits")
            + F("clinical_credits")
            + F("internship_credits")
        )
    )["total"]
    return Decimal(total or 0)


@dataclass
class TermStanding:
    term_code: int
    credits_taken: Decimal
    gpa: Decimal | None
    on_probation: bool


@dataclass
class GraduationAudit:
    eligible: bool
    missing_courses: list[Course] = field(default_factory=list)
    credits_passed: Decimal = Decimal(0)
    credits_required: int = 0
    gpa: Decimal | None = None
    gpa_required: Decimal = Decimal(0)
    has_curriculum: bool = True


@dataclass
class Standing:
    terms: list[TermStanding]
    gpa: Decimal | None
    credits_passed: Decimal
    probation_terms: int
    terms_used: int
    max_terms: int
    over_max_duration: bool
    repeat_policy: str
    graduation: GraduationAudit
    gates: dict[str, bool]


def terms_used(student: Any) -> int:
    """Regular (non-summer) terms in which the student held a registered course."""
    codes = set(
        Registration.objects.filter(
            student=student, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WITHDRAWN]
        ).values_list("term__code", flat=True)
    )
    return len([code for code in codes if code % 10 != arithmetic.SUMMER])


def gate_exams_passed(student: Any) -> dict[str, bool]:
    passed = set(GateExamResult.objects.filter(student=student, passed=True).values_list("kind", flat=True))
    return {kind.value: kind.value in passed for kind in GateExamKind}


def phase_gate_missing(student: Any, phase: str) -> str | None:
    """The gate exam `student` still has to pass to enter `phase`, or None."""
    kind = PHASE_GATES.get(phase)  # type: ignore[call-overload]
    if kind is None:
        return None
    if GateExamResult.objects.filter(student=student, kind=kind, passed=True).exists():
        return None
    return str(kind.value)


def graduation_audit(
    student: Any, *, gpa: Decimal | None = None, passed: set[int] | None = None
) -> GraduationAudit:
    """Required curriculum courses passed, credits ≥ the program's, cumulative GPA ≥ the minimum."""
    program = student.program
    policy = grading_policy_for(program=program.pk)
    passed = passed if passed is not None else passed_course_ids(student)
    if gpa is None:
        gpa = arithmetic.cumulative_gpa(grade_attempts(student), policy.repeat_policy)
    items = list(
        CurriculumItem.objects.filter(
            curriculum__program=program, curriculum__is_active=True, is_mandatory=True
        )
        .select_related("course")
        .order_by("recommended_term", "course__code")
    )
    missing = [item.course for item in items if item.course_id not in passed]
    credits = passed_credits(student)
    eligible = (
        bool(items)
        and not missing
        and credits >= program.credits_required
        and gpa is not None
        and gpa >= policy.graduation_min_gpa
    )
    return GraduationAudit(
        eligible=eligible,
        missing_courses=missing,
        credits_passed=credits,
        credits_required=program.credits_required,
        gpa=gpa,
        gpa_required=policy.graduation_min_gpa,
        has_curriculum=bool(items),
    )


def student_standing(student: Any) -> Standing:
    """Everything the standing page shows, from finalised grades."""
    policy = grading_policy_for(program=student.program_id)
    attempts = grade_attempts(student)
    codes = sorted({a.term_code for a in attempts})
    terms = []
    for code in codes:
        in_term = [a for a in attempts if a.term_code == code]
        terms.append(
            TermStanding(
                term_code=code,
                credits_taken=sum((a.credits for a in in_term), Decimal(0)),
                gpa=arithmetic.term_gpa(attempts, code),
                on_probation=arithmetic.is_probation_term(
                    attempts, code, policy.probation_below, summer_counts=policy.summer_counts_for_probation
                ),
            )
        )
    gpa = arithmetic.cumulative_gpa(attempts, policy.repeat_policy)
    passed = arithmetic.passed_course_ids(attempts, policy.pass_mark) | set(
        PassedCourse.objects.filter(student=student).values_list("course_id", flat=True)
    )
    used = terms_used(student)
    max_terms = student.program.max_duration_terms
    return Standing(
        terms=terms,
        gpa=gpa,
        credits_passed=passed_credits(student),
        probation_terms=sum(1 for t in terms if t.on_probation),
        terms_used=used,
        max_terms=max_terms,
        over_max_duration=used > max_terms,
        repeat_policy=policy.repeat_policy,
        graduation=graduation_audit(student, gpa=gpa, passed=passed),
        gates=gate_exams_passed(student),
    )
