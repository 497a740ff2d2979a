"""A clinical year (program × academic year) and its block calendar."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import BilingualNameMixin
from shafa.institution.models import AcademicYear, Program


class ClinicalYear(AuditedModel):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="clinical_years")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="clinical_years")
    max_rotations_per_site = models.PositiveSmallIntegerField(
        _("most rotations at one site per learner"), null=True, blank=True
    )
    preference_opens_at = models.DateTimeField(_("preferences open"), null=True, blank=True)
    preference_closes_at = models.DateTimeField(_("preferences close"), null=True, blank=True)

    class Meta:
        verbose_name = _("clinical year")
        verbose_name_plural = _("clinical years")
        ordering = ["-academic_year__start_year", "program"]
        constraints = [
            models.UniqueConstraint(fields=["program", "academic_year"], name="clinical_year_unique"),
            models.CheckConstraint(
                condition=Q(preference_opens_at__isnull=True)
                | Q(preference_closes_at__isnull=True)
                | Q(preference_closes_at__gt=F("preference_opens_at")),
                name="clinical_year_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(max_rotations_per_site__isnull=True) | Q(max_rotations_per_site__gte=1),
                name="clinical_year_max_per_site_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.academic_year}"


class Block(AuditedModel):
    """One block of the calendar; `number` is 1-based and contiguous within the year."""

    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="blocks")
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="clinical_block_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="clinical_block_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="clinical_block_number_positive"),
        ]

    @property
    def index(self) -> int:
        """The engine's 0-based block index."""
        return self.number - 1

    def __str__(self) -> str:
        return f"{self.year} — {self.number}"


class Holiday(BilingualNameMixin, AuditedModel):
    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["year", "date"], name="clinical_holiday_unique")]
