"""Reads for teacher evaluation: the questionnaire of a section and its aggregate (≥ 5 answers)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count

from shafa.academics.models import (
    EvaluationAnswer,
    EvaluationQuestionnaire,
    EvaluationReceipt,
    EvaluationResponse,
    Registration,
    RegistrationStatus,
    Section,
)


def min_answers() -> int:
    """Aggregates are shown only from this many answers (anonymity); 5 unless configured."""
    return int(getattr(settings, "SHAFA_EVALUATION_MIN_ANSWERS", 5))


def questionnaire_for(section: Section) -> EvaluationQuestionnaire | None:
    """The section's own active questionnaire, else the university's active general one."""
    own = EvaluationQuestionnaire.objects.filter(sections=section, is_active=True).order_by("pk").first()
    if own is not None:
        return own
    return (
        EvaluationQuestionnaire.objects.filter(is_active=True, sections__isnull=True).order_by("pk").first()
    )


def has_evaluated(student: Any, section: Section) -> bool:
    return EvaluationReceipt.objects.filter(student=student, section=section).exists()


def sections_to_evaluate(student: Any) -> list[Section]:
    """Registered sections the student has not evaluated yet."""
    done = EvaluationReceipt.objects.filter(student=student).values("section_id")
    return [
        r.section
        for r in Registration.objects.filter(student=student, status=RegistrationStatus.REGISTERED)
        .exclude(section_id__in=done)
        .select_related("section__course", "section__term")
        .order_by("-term__code", "course__code")
    ]


@dataclass
class QuestionSummary:
    question: Any
    mean: Decimal
    answers: int


@dataclass
class EvaluationSummary:
    section: Section
    responses: int
    shown: bool
    questions: list[QuestionSummary]
    overall: Decimal | None
    comments: list[str]


def evaluation_summary(section: Section) -> EvaluationSummary:
    """Per-question means, only when at least `min_answers()` students answered (else nothing)."""
    count = EvaluationResponse.objects.filter(section=section).count()
    if count < min_answers():
        return EvaluationSummary(section, count, False, [], None, [])
    questionnaire = questionnaire_for(section)
    rows = (
        EvaluationAnswer.objects.filter(response__section=section)
        .values("question_id")
        .annotate(mean=Avg("score"), n=Count("id"))
    )
    stats = {row["question_id"]: row for row in rows}
    questions = []
    if questionnaire is not None:
        for question in questionnaire.questions.all():
            row = stats.get(question.pk)
            if row is None:
                continue
            mean = Decimal(str(row["mean"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            questions.append(QuestionSummary(question, mean, row["n"]))
    overall = None
    if questions:
        overall = (sum((q.mean for q in questions), Decimal(0)) / len(questions)).quantize(Decimal("0.01"))
    comments = list(
        EvaluationResponse.objects.filter(section=section)
        .exclude(comment="")
        .order_by("?")
        .values_list("comment", flat=True)
    )
    return EvaluationSummary(section, count, True, questions, overall, comments)
