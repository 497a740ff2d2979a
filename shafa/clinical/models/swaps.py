"""Swap requests from learners and the swaps the coordinator approves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import ClinicalSite

from .learners import LearnerEnrollment
from .runs import Assignment, SolverRun


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class SwapRequest(AuditedModel):
    """A learner asks to move one placement: to another block, another site, or either."""

    run = models.ForeignKey(SolverRun, on_delete=models.CASCADE, related_name="swap_requests")
    enrollment = models.ForeignKey(LearnerEnrollment, on_delete=models.CASCADE, related_name="swap_requests")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="swap_requests")
    wanted_start = models.PositiveSmallIntegerField(_("wanted first block"), null=True, blank=True)
    wanted_site = models.ForeignKey(
        ClinicalSite, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    proposals = models.JSONField(_("compatible swaps"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wanted_start__isnull=False) | Q(wanted_site__isnull=False),
                name="clinical_swap_request_wants_something",
            ),
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="clinical_swap_request_one_pending"
            ),
        ]


class Swap(AuditedModel):
    """An approved exchange (two learners or a cycle) and the moves it made."""

    run = models.ForeignKey(SolverRun, on_delete=models.CASCADE, related_name="swaps")
    request = models.ForeignKey(
        SwapRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="swaps"
    )
    moves = models.JSONField(_("moves"), default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")
        ordering = ["-approved_at"]
