"""Learners enrolled in a clinical year: eligibility, leave, ranked preferences, manual locks."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import ClinicalSite, PhaseKind
from shafa.people.models import Student

from .rotations import RotationType
from .years import Block, ClinicalYear


class LearnerEnrollment(AuditedModel):
    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="enrollments")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="clinical_enrollments")
    phase = models.CharField(_("phase"), max_length=30, choices=PhaseKind.choices)
    # Until the registrar's exam records land, eligibility is a stored flag with its reason.
    is_eligible = models.BooleanField(_("eligible"), default=True)
    eligibility_reason = models.CharField(_("eligibility note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enrolled learner")
        verbose_name_plural = _("enrolled learners")
        ordering = ["year", "student__student_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "student"], name="clinical_enrollment_unique"),
            models.CheckConstraint(
                condition=Q(is_eligible=True) | ~Q(eligibility_reason=""),
                name="clinical_enrollment_ineligible_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.student)


class LearnerLeave(AuditedModel):
    enrollment = models.ForeignKey(LearnerEnrollment, on_delete=models.CASCADE, related_name="leaves")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="leaves")
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        constraints = [models.UniqueConstraint(fields=["enrollment", "block"], name="clinical_leave_unique")]


class _Ranked(AuditedModel):
    rank = models.PositiveSmallIntegerField(_("choice number"))

    class Meta:
        abstract = True
        ordering = ["enrollment", "rank"]


class RotationPreference(_Ranked):
    enrollment = models.ForeignKey(
        LearnerEnrollment, on_delete=models.CASCADE, related_name="rotation_preferences"
    )
    rotation = models.ForeignKey(RotationType, on_delete=models.CASCADE, related_name="+")

    class Meta(_Ranked.Meta):
        verbose_name = _("rotation preference")
        verbose_name_plural = _("rotation preferences")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "rotation"], name="clinical_rotation_pref_unique"),
            models.UniqueConstraint(fields=["enrollment", "rank"], name="clinical_rotation_pref_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="clinical_rotation_pref_rank_positive"),
        ]


class SitePreference(_Ranked):
    enrollment = models.ForeignKey(
        LearnerEnrollment, on_delete=models.CASCADE, related_name="site_preferences"
    )
    site = models.ForeignKey(ClinicalSite, on_delete=models.CASCADE, related_name="+")

    class Meta(_Ranked.Meta):
        verbose_name = _("site preference")
        verbose_name_plural = _("site preferences")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "site"], name="clinical_site_pref_unique"),
            models.UniqueConstraint(fields=["enrollment", "rank"], name="clinical_site_pref_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="clinical_site_pref_rank_positive"),
        ]


class BlockPreference(_Ranked):
    enrollment = models.ForeignKey(
        LearnerEnrollment, on_delete=models.CASCADE, related_name="block_preferences"
    )
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")

    class Meta(_Ranked.Meta):
        verbose_name = _("block preference")
        verbose_name_plural = _("block preferences")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "block"], name="clinical_block_pref_unique"),
            models.UniqueConstraint(fields=["enrollment", "rank"], name="clinical_block_pref_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="clinical_block_pref_rank_positive"),
        ]


class ManualLock(AuditedModel):
    """The coordinator fixes a learner's rotation at a site from a block (the engine must keep it)."""

    enrollment = models.ForeignKey(LearnerEnrollment, on_delete=models.CASCADE, related_name="locks")
    rotation = models.ForeignKey(RotationType, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(ClinicalSite, on_delete=models.CASCADE, related_name="+")
    start_block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("manual lock")
        verbose_name_plural = _("manual locks")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "rotation"], name="clinical_lock_unique")
        ]
