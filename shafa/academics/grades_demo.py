"""Demo data for grading: the default policy, a bilingual teacher-evaluation questionnaire and the
MD gate-exam results of the cohorts that have passed them.

Called by the demo loader as `load_grading(university, rng, scale)` after `load_curricula`.
Idempotent: a second call finds what it made and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
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
