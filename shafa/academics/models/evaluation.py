"""Teacher evaluation (ارزشیابی استاد): a bilingual Likert questionnaire answered once per section.

Anonymity is structural: an `EvaluationResponse` carries no student and no time, and it and its
answers have random (UUID) keys, so neither their order nor their date can be matched with the
`EvaluationReceipt` that stops a second answer (which carries the student but no link).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import PersianTextField
from shafa.people.models import Student

from .sections import Section

__all__ = [
    "LIKERT_MAX",
    "LIKERT_MIN",
    "EvaluationAnswer",
    "EvaluationQuestion",
    "EvaluationQuestionnaire",
    "EvaluationReceipt",
    "EvaluationResponse",
]

LIKERT_MIN = 1
LIKERT_MAX = 5


class EvaluationQuestionnaire(AuditedModel):
    """A questionnaire; the active one is used for every section that has none of its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_fa = PersianTextField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sections = models.ManyToManyField(
        Section, blank=True, related_name="evaluation_questionnaires", verbose_name=_("sections")
    )

    class Meta:
        verbose_name = _("evaluation questionnaire")
        verbose_name_plural = _("evaluation questionnaires")

    def __str__(self) -> str:
        return self.title_fa


class EvaluationQuestion(models.Model):
    questionnaire = models.ForeignKey(
        EvaluationQuestionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text_fa = PersianTextField(_("question (Persian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="academics_evalq_order_unique")
        ]

    @property
    def text(self) -> str:
        if (get_language() or "fa").startswith("en") and self.text_en:
            return self.text_en
        return self.text_fa

    def __str__(self) -> str:
        return self.text_fa


class EvaluationResponse(models.Model):
    """One anonymous set of answers about one section (no student, no time, a random key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="evaluation_responses")
    questionnaire = models.ForeignKey(EvaluationQuestionnaire, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [models.Index(fields=["section"], name="academics_evalresp_section_idx")]

    def __str__(self) -> str:
        return f"evaluation of section {self.section_id}"


class EvaluationAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(EvaluationResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(EvaluationQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="academics_evalanswer_once"),
            models.CheckConstraint(
                condition=Q(score__gte=LIKERT_MIN) & Q(score__lte=LIKERT_MAX),
                name="academics_evalanswer_likert_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"


class EvaluationReceipt(models.Model):
    """That a student has evaluated a section (and so may not again, and may see the grade)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="evaluation_receipts")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="evaluation_receipts")
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("evaluation receipt")
        verbose_name_plural = _("evaluation receipts")
        constraints = [
            models.UniqueConstraint(fields=["student", "section"], name="academics_evalreceipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} evaluated {self.section_id}"
