"""Teacher evaluation: a student answers a section's questionnaire once, anonymously."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shafa.academics.models import (
    LIKERT_MAX,
    LIKERT_MIN,
    EvaluationAnswer,
    EvaluationReceipt,
    EvaluationResponse,
    Registration,
    RegistrationStatus,
    Section,
)
from shafa.academics.selectors.evaluation import questionnaire_for
from shafa.academics.services.grades import MESSAGES, GradingRefused

MESSAGES.update(
    {
        "not_in_section": _("You can evaluate only the sections you are registered in."),
        "already_evaluated": _("You have already evaluated this section."),
        "no_questionnaire": _("There is no evaluation questionnaire for this section."),
        "answers_incomplete": _("Answer every question with a score from 1 to 5."),
    }
)


def evaluation_submit(*, student: Any, section: Section, answers: dict[int, Any], comment: str = "") -> None:
    """Store one anonymous response and the student's receipt, together or not at all."""
    if not Registration.objects.filter(
        student=student, section=section, status=RegistrationStatus.REGISTERED
    ).exists():
        raise GradingRefused("not_in_section")
    questionnaire = questionnaire_for(section)
    if questionnaire is None:
        raise GradingRefused("no_questionnaire")
    questions = list(questionnaire.questions.all())
    scores: dict[int, int] = {}
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))  # type: ignore[call-overload]
        try:
            score = int(str(raw))
        except (TypeError, ValueError):
            raise GradingRefused("answers_incomplete") from None
        if not LIKERT_MIN <= score <= LIKERT_MAX:
            raise GradingRefused("answers_incomplete")
        scores[question.pk] = score
    today = timezone.localdate()
    try:
        with transaction.atomic():
            # The receipt first: its UNIQUE(student, section) stops a second answer, even in parallel.
            EvaluationReceipt.objects.create(student=student, section=section, submitted_on=today)
            response = EvaluationResponse.objects.create(
                section=section,
                questionnaire=questionnaire,
                comment=(comment or "").strip(),
            )
            EvaluationAnswer.objects.bulk_create(
                [
                    EvaluationAnswer(response=response, question_id=pk, score=score)
                    for pk, score in scores.items()
                ]
            )
    except IntegrityError:
        raise GradingRefused("already_evaluated") from None
