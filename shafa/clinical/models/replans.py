"""Events that force a re-plan of a published schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel

from .learners import LearnerEnrollment
from .offerings import Offering
from .runs import SolverRun
from .years import Block, ClinicalYear


class ReplanKind(models.TextChoices):
    CAPACITY = "capacity", _("A site loses capacity in a block")
    LEAVE = "leave", _("A learner takes leave")


class ReplanEvent(AuditedModel):
    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="replan_events")
    kind = models.CharField(_("event"), max_length=10, choices=ReplanKind.choices)
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    new_capacity = models.PositiveSmallIntegerField(_("new capacity"), null=True, blank=True)
    enrollment = models.ForeignKey(
        LearnerEnrollment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    base_run = models.ForeignKey(SolverRun, on_delete=models.CASCADE, related_name="replan_events")
    result_run = models.ForeignKey(
        SolverRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="replan_sources"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("re-plan event")
        verbose_name_plural = _("re-plan events")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="capacity") & Q(offering__isnull=False) & Q(new_capacity__isnull=False))
                | (Q(kind="leave") & Q(enrollment__isnull=False)),
                name="clinical_replan_event_complete",
            ),
        ]
