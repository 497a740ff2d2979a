"""Demo data for grading: the default policy, a bilingual teacher-evaluation questionnaire and the
MD gate-exam results of the cohorts that have passed them.

Called by the demo loader as `load_grading(university, rng, scale)` after `load_curricula`.
Idempotent: a second call finds what it made and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from shafa.core.audit import audit_record
from shafa.core.jalali import to_gregorian
from shafa.people.models import Student

from .models import EvaluationQuestion, EvaluationQuestionnaire, GateExamKind, GateExamResult, GradingPolicy

QUESTIONS = [
    ("استاد در زمان مقرر در کلاس حاضر می‌شد.", "The teacher came to class on time."),
    ("اهداف و طرح درس در آغاز نیم‌سال روشن شد.", "The course plan and goals were made clear at the start."),
    ("مطالب با بیانی روشن و منظم ارائه می‌شد.", "The material was presented clearly and in order."),
    ("استاد به پرسش‌های دانشجویان با حوصله پاسخ می‌داد.", "The teacher answered questions patiently."),
    ("ارزشیابی دانشجویان منصفانه و مطابق طرح درس بود.", "Assessment was fair and followed the course plan."),
    ("در مجموع از این درس راضی هستم.", "Overall, I am satisfied with this course."),
]

# MD students take the basic-sciences comprehensive exam after their 5th term and the
# pre-internship exam after their 10th (the demo's cohorts are placed by entry term).
GATE_AFTER_TERMS = {GateExamKind.BASIC_SCIENCES: 5, GateExamKind.PRE_INTERNSHIP: 10}
CURRENT_TERM = 14041


def _terms_between(entry_code: int, current: int) -> int:
    """Regular terms from an entry term code (14011) up to, not including, the current one."""
    return (current // 10 - entry_code // 10) * 2 + (current % 10 - entry_code % 10)


@transaction.atomic
def load_grading(university: Any, rng: random.Random, scale: Any = None) -> dict[str, int]:
    counts = {"questionnaires": 0, "gate_exam_results": 0}
    GradingPolicy.objects.get_or_create(program=None, term=None)
    questionnaire, created = EvaluationQuestionnaire.objects.get_or_create(
        code="teacher-evaluation",
        defaults={"title_fa": "پرسشنامه ارزشیابی استاد", "title_en": "Teacher evaluation questionnaire"},
    )
    if created:
        counts["questionnaires"] = 1
        for order, (fa, en) in enumerate(QUESTIONS, start=1):
            EvaluationQuestion.objects.create(
                questionnaire=questionnaire, order=order, text_fa=fa, text_en=en
            )
    if GateExamResult.objects.exists():
        return counts
    from django.contrib.auth import get_user_model

    recorder = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
    if recorder is None:
        return counts
    rows = []
    students = Student.objects.filter(program__code="md", status="active").select_related("entry_term")
    for student in students.iterator():
        done = _terms_between(student.entry_term.code, CURRENT_TERM)
        for kind, after in GATE_AFTER_TERMS.items():
            if done < after:
                continue
            year = student.entry_term.code // 10 + (after + 1) // 2
            held_on = to_gregorian(year, 4 if after % 2 else 11, 15)
            passed = rng.random() > 0.08
            rows.append(
                GateExamResult(
                    student=student,
                    kind=kind,
                    held_on=held_on,
                    passed=passed,
                    score=None,
                    recorded_by=recorder,
                )
            )
            if not passed:  # passed at the next sitting, six months later
                rows.append(
                    GateExamResult(
                        student=student,
                        kind=kind,
                        held_on=held_on + dt.timedelta(days=182),
                        passed=True,
                        recorded_by=recorder,
                    )
                )
    GateExamResult.objects.bulk_create(rows, batch_size=2000)
    counts["gate_exam_results"] = len(rows)
    audit_record(
        action="create",
        model_label="academics.GateExamResult",
        object_repr="demo gate exam results",
        changes={"rows": [None, len(rows)]},
        reason="demo data",
    )
    return counts


# Grade history -----------------------------------------------------------------------------------
# The persona student and a sample of her MD cohort get every past regular term since entry:
# sections (created as needed), registrations, finalised grade sheets with grades, and the
# teacher-evaluation receipts (with anonymous responses) that make those grades visible to them.
HISTORY_LAST_TERM = 14033
HISTORY_SAMPLE = {"small": 10, "qums": 200, "large": 500}
SECTION_SEATS = 60
FAIL_RATE = 0.03


def _history_terms(entry_code: int) -> list[int]:
    """Past regular terms from the entry term up to HISTORY_LAST_TERM (summer terms skipped)."""
    codes = []
    year, number = entry_code // 10, entry_code % 10
    while year * 10 + number <= min(HISTORY_LAST_TERM, CURRENT_TERM - 1):
        if number != 3:
            codes.append(year * 10 + number)
        year, number = (year, number + 1) if number < 3 else (year + 1, 1)
    return codes


def _quarter(value: float) -> Decimal:
    value = min(max(value, 0.0), 20.0)
    return Decimal(round(value * 4)) / 4


def _passing_grade(rng: random.Random, ability: float) -> Decimal:
    """A passing mark (10–20): centred on the student's ability, mostly 12–19."""
    return _quarter(max(10.0, min(20.0, rng.gauss(ability, 1.8))))


def _failing_grade(rng: random.Random) -> Decimal:
    return _quarter(rng.uniform(5.0, 9.75))


def _aware(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _history_bulk(model: Any, rows: list[Any], counts: dict[str, int], key: str) -> list[Any]:
    created = model._default_manager.bulk_create(rows, batch_size=2000)
    counts[key] = len(created)
    if created:
        audit_record(
            action="bulk_load",
            model_label=model._meta.label,
            object_repr=f"demo grade history: {len(created)} {model._meta.verbose_name_plural}",
            changes={"count": len(created)},
            reason="demo data",
        )
    return created


@transaction.atomic
def load_grade_history(university: Any, rng: random.Random, scale: Any = None) -> dict[str, int]:
    """Past terms' registrations, finalised grades and evaluation receipts for the persona's cohort."""
    import uuid

    from django.contrib.auth import get_user_model

    from shafa.institution.models import Term
    from shafa.people.models import FacultyMember

    from .models import (
        CurriculumItem,
        EvaluationAnswer,
        EvaluationReceipt,
        EvaluationResponse,
        Grade,
        GradeSheet,
        GradeSheetStatus,
        GradingMode,
        Registration,
        RegistrationLedger,
        RegistrationPhase,
        RegistrationStatus,
        Section,
    )

    counts: dict[str, int] = {}
    persona = (
        Student.objects.filter(
            person__user__username="student", program__school__university=university, status="active"
        )
        .select_related("entry_term", "program")
        .first()
    )
    if persona is None or persona.program.code != "md":
        return counts
    terms = {t.code: t for t in Term.objects.filter(code__in=_history_terms(persona.entry_term.code))}
    codes = [code for code in _history_terms(persona.entry_term.code) if code in terms]
    if not codes:
        return counts
    # Idempotent: the persona's history is the marker (made together with everyone else's).
    if Registration.objects.filter(student=persona, term__code__lt=CURRENT_TERM).exists():
        return counts
    items = list(
        CurriculumItem.objects.filter(curriculum__program=persona.program, curriculum__is_active=True)
        .select_related("course")
        .order_by("recommended_term", "course__code")
    )
    questionnaire = EvaluationQuestionnaire.objects.filter(code="teacher-evaluation").first()
    staff = list(
        FacultyMember.objects.filter(
            department__school=persona.program.school_id, is_active=True
        ).select_related("person")
    ) or list(FacultyMember.objects.filter(department__school__university=university, is_active=True))
    User = get_user_model()
    registrar = (
        User.objects.filter(username="registrar").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if not items or questionnaire is None or not staff or registrar is None:
        return counts
    question_ids = list(questionnaire.questions.order_by("order").values_list("pk", flat=True))

    # The cohort: the persona first, then a deterministic sample of her classmates.
    others = list(
        Student.objects.filter(program=persona.program, entry_term=persona.entry_term, status="active")
        .exclude(pk=persona.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    wanted = HISTORY_SAMPLE.get(str(scale), getattr(scale, "history_students", 10))
    cohort = [persona.pk, *sorted(rng.sample(others, min(int(wanted), len(others))))]

    # Plans: (term code, course, mark) per student; a failed course is retaken the next term.
    by_term_number: dict[int, list[Any]] = {}
    for item in items:
        by_term_number.setdefault(item.recommended_term, []).append(item.course)
    plans: dict[tuple[int, int], list[tuple[int, Decimal | None, bool | None]]] = {}
    courses = {item.course_id: item.course for item in items}
    for student_id in cohort:
        ability = rng.uniform(13.0, 18.5) if student_id != persona.pk else 16.25
        retakes: list[int] = []
        for index, code in enumerate(codes):
            todo = [c.pk for c in by_term_number.get(index + 1, [])] + retakes
            retakes = []
            last = index == len(codes) - 1
            for course_id in todo:
                if courses[course_id].grading == GradingMode.PASS_FAIL:
                    mark: tuple[Decimal | None, bool | None] = (None, True)
                elif not last and student_id != persona.pk and rng.random() < FAIL_RATE:
                    mark = (_failing_grade(rng), None)
                    retakes.append(course_id)
                else:
                    mark = (_passing_grade(rng, ability), None)
                plans.setdefault((code, course_id), []).append((student_id, *mark))
    # The persona failed one course of her second term and passed it the term after (she is
    # planned first, so her row leads each list she is in).
    second = [c for c in by_term_number.get(2, []) if c.grading == GradingMode.GRADED]
    if len(codes) >= 3 and second:
        course = second[-1]
        rows = plans[(codes[1], course.pk)]
        assert rows[0][0] == persona.pk
        rows[0] = (persona.pk, Decimal("8.75"), None)
        plans.setdefault((codes[2], course.pk), []).insert(0, (persona.pk, Decimal("14.5"), None))

    # Sections: as many per (term, course) as the seats need, each with one instructor.
    existing = {
        (s.term_id, s.course_id, s.number)
        for s in Section.objects.filter(term__code__in=codes, course_id__in=courses)
    }
    new_sections: list[Section] = []
    placement: list[tuple[Section, list[tuple[int, Decimal | None, bool | None]]]] = []
    for (code, course_id), rows in sorted(plans.items()):
        term = terms[code]
        groups = [rows[i : i + SECTION_SEATS] for i in range(0, len(rows), SECTION_SEATS)]
        number = 0
        for group in groups:
            number += 1
            while (term.pk, course_id, number) in existing:
                number += 1
            exam_day = term.end_date - dt.timedelta(days=rng.randint(5, 20))
            section = Section(
                term=term,
                course_id=course_id,
                number=number,
                capacity=SECTION_SEATS + rng.choice((0, 5, 10)),
                seats_taken=len(group),
                exam_at=_aware(exam_day, 9),
                is_open=False,
            )
            new_sections.append(section)
            placement.append((section, group))
    _history_bulk(Section, new_sections, counts, "sections")
    teachers = {section.pk: rng.choice(staff) for section in new_sections}
    through = Section.instructors.through
    through.objects.bulk_create(
        [through(section_id=pk, facultymember_id=member.pk) for pk, member in teachers.items()],
        batch_size=2000,
    )

    # Registrations (term, course and credits copied from the section), one ledger per term.
    registrations: list[Registration] = []
    marks: list[tuple[Registration, Section, Decimal | None, bool | None]] = []
    ledger: dict[tuple[int, int], Decimal] = {}
    for section, group in placement:
        course = courses[section.course_id]
        for student_id, value, is_pass in group:
            registration = Registration(
                student_id=student_id,
                section=section,
                term=section.term,
                course_id=section.course_id,
                status=RegistrationStatus.REGISTERED,
                phase=RegistrationPhase.MAIN,
                credits=course.credits,
                registered_at=_aware(section.term.start_date - dt.timedelta(days=7), 10),
            )
            registrations.append(registration)
            marks.append((registration, section, value, is_pass))
            key = (student_id, section.term_id)
            ledger[key] = ledger.get(key, Decimal(0)) + course.credits
    _history_bulk(Registration, registrations, counts, "registrations")
    _history_bulk(
        RegistrationLedger,
        [
            RegistrationLedger(
                student_id=student_id, term_id=term_id, credits=total, max_credits=max(Decimal(20), total)
            )
            for (student_id, term_id), total in ledger.items()
        ],
        counts,
        "registration_ledgers",
    )

    # Grade sheets: submitted a week after the exam, appeals for three days, then finalised.
    sheets: dict[int, GradeSheet] = {}
    for section in new_sections:
        exam_at = section.exam_at
        assert exam_at is not None  # every demo section has an exam
        submitted = exam_at + dt.timedelta(days=rng.randint(3, 9), hours=rng.randint(1, 8))
        appeal_deadline = submitted + dt.timedelta(days=3)
        teacher_user = teachers[section.pk].person.user_id
        sheets[section.pk] = GradeSheet(
            section=section,
            status=GradeSheetStatus.FINALISED,
            entry_deadline=exam_at + dt.timedelta(days=10),
            submitted_at=submitted,
            submitted_by_id=teacher_user or registrar.pk,
            appeal_deadline=appeal_deadline,
            finalised_at=appeal_deadline + dt.timedelta(days=rng.randint(1, 5)),
            finalised_by=registrar,
        )
    _history_bulk(GradeSheet, list(sheets.values()), counts, "grade_sheets")
    _history_bulk(
        Grade,
        [
            Grade(
                registration=registration,
                sheet=sheets[section.pk],
                student_id=registration.student_id,
                value=value,
                is_pass=is_pass,
                entered_by_id=teachers[section.pk].person.user_id or registrar.pk,
            )
            for registration, section, value, is_pass in marks
        ],
        counts,
        "grades",
    )

    # Teacher evaluations: a receipt per student and section (before the exam), and as many
    # anonymous responses, shuffled and keyed by random UUIDs so they cannot be matched.
    receipts: list[EvaluationReceipt] = []
    responses: list[EvaluationResponse] = []
    answers: list[EvaluationAnswer] = []
    for section, group in placement:
        assert section.exam_at is not None
        day = section.exam_at.date() - dt.timedelta(days=rng.randint(1, 10))
        receipts += [
            EvaluationReceipt(student_id=student_id, section=section, submitted_on=day)
            for student_id, _v, _p in group
        ]
        batch = []
        for _ in group:
            response = EvaluationResponse(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                section=section,
                questionnaire=questionnaire,
            )
            batch.append(response)
            mood = rng.choice((3, 4, 4, 5, 5))
            answers += [
                EvaluationAnswer(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    response=response,
                    question_id=question_id,
                    score=max(1, min(5, mood + rng.choice((-1, 0, 0, 0, 1)))),
                )
                for question_id in question_ids
            ]
        rng.shuffle(batch)
        responses += batch
    rng.shuffle(responses)
    rng.shuffle(receipts)
    _history_bulk(EvaluationReceipt, receipts, counts, "evaluation_receipts")
    _history_bulk(EvaluationResponse, responses, counts, "evaluation_responses")
    rng.shuffle(answers)
    _history_bulk(EvaluationAnswer, answers, counts, "evaluation_answers")
    return counts
