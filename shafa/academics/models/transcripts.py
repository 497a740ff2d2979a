"""Official transcripts (کارنامه) with a verification code, and batches that generate them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.institution.models import Program, Term
from shafa.people.models import Student

__all__ = [
    "BatchStatus",
    "Transcript",
    "TranscriptBatch",
    "TranscriptLanguage",
]


class TranscriptLanguage(models.TextChoices):
    PERSIAN = "fa", _("Persian")
    ENGLISH = "en", _("English")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TranscriptBatch(models.Model):
    """Transcripts for many students, generated in the background with progress."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=2, choices=TranscriptLanguage.choices)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    student_ids = models.JSONField(_("students"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default="queued")
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("transcript batch")
        verbose_name_plural = _("transcript batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="academics_batch_done_le_total"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in BatchStatus]),
                name="academics_batch_status_known",
            ),
        ]

    @property
    def progress(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    def __str__(self) -> str:
        return f"batch {self.pk}: {self.done}/{self.total} ({self.status})"


class Transcript(models.Model):
    """An issued transcript: its PDF, the data it shows and that data's hash, under a public code."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="transcripts")
    language = models.CharField(_("language"), max_length=2, choices=TranscriptLanguage.choices)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    upto_term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="transcripts/%Y/%m/", blank=True)
    batch = models.ForeignKey(
        TranscriptBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="transcripts"
    )

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="academics_transcript_has_code"),
            models.CheckConstraint(
                condition=Q(language__in=[choice.value for choice in TranscriptLanguage]),
                name="academics_transcript_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"transcript {self.code} of {self.student_id}"
