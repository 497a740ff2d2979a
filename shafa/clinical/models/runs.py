"""Solver runs (drafts, variants, re-plans) and the assignments they produce."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import ClinicalSite

from .learners import LearnerEnrollment
from .rotations import RotationType
from .years import ClinicalYear


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    OPTIMAL = "optimal", _("Optimal")
    FEASIBLE = "feasible", _("Feasible (best found)")
    INFEASIBLE = "infeasible", _("No schedule exists")
    UNKNOWN = "unknown", _("No schedule found in time")
    FAILED = "failed", _("Failed")


FINISHED_STATUSES = (
    RunStatus.OPTIMAL,
    RunStatus.FEASIBLE,
    RunStatus.INFEASIBLE,
    RunStatus.UNKNOWN,
    RunStatus.FAILED,
)
SCHEDULED_STATUSES = (RunStatus.OPTIMAL, RunStatus.FEASIBLE)


class RunKind(models.TextChoices):
    SOLVE = "solve", _("Draft")
    REPLAN = "replan", _("Re-plan")


class SolverRun(AuditedModel):
    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices, default=RunKind.SOLVE)
    variant_label = models.CharField(_("variant"), max_length=80)
    seed = models.PositiveIntegerField(_("lottery seed"), default=0)
    time_limit_seconds = models.PositiveIntegerField(_("time limit (s)"), default=60)
    status = models.CharField(_("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    bound = models.IntegerField(_("bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    shortfall = models.IntegerField(_("staffing shortfall"), null=True, blank=True)
    worst_satisfaction = models.IntegerField(_("worst-off learner"), null=True, blank=True)
    total_satisfaction = models.IntegerField(_("total satisfaction"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    histogram = models.JSONField(_("satisfaction histogram"), default=dict, blank=True)
    explanations = models.JSONField(_("explanations"), default=list, blank=True)
    moved = models.JSONField(_("who moved"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("re-plan of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("solver run")
        verbose_name_plural = _("solver runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="clinical_run_progress_range"),
            models.CheckConstraint(
                condition=Q(published=False) | Q(status__in=[RunStatus.OPTIMAL, RunStatus.FEASIBLE]),
                name="clinical_run_published_has_schedule",
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(published=True), name="clinical_run_one_published_per_year"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="clinical_run_not_own_parent"),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def has_schedule(self) -> bool:
        return self.status in SCHEDULED_STATUSES

    def __str__(self) -> str:
        return f"{self.year} — {self.variant_label}"


class Assignment(AuditedModel):
    """A learner's rotation at a site over blocks `start`..`end` (1-based, inclusive)."""

    run = models.ForeignKey(SolverRun, on_delete=models.CASCADE, related_name="assignments")
    enrollment = models.ForeignKey(LearnerEnrollment, on_delete=models.CASCADE, related_name="assignments")
    rotation = models.ForeignKey(RotationType, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(ClinicalSite, on_delete=models.PROTECT, related_name="clinical_assignments")
    start = models.PositiveSmallIntegerField(_("first block"))
    end = models.PositiveSmallIntegerField(_("last block"))
    is_manual = models.BooleanField(_("edited by hand"), default=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["run", "enrollment", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "enrollment", "rotation"], name="clinical_assignment_once"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")) & Q(start__gte=1), name="clinical_assignment_blocks"
            ),
        ]
        indexes = [models.Index(fields=["run", "site"])]

    def __str__(self) -> str:
        return f"{self.enrollment}: {self.rotation} @ {self.site} ({self.start}–{self.end})"
