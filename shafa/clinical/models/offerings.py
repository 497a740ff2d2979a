"""Offerings: a rotation at a site in a clinical year, with learners per block."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import ClinicalSite

from .agreements import SiteAgreement
from .rotations import RotationType
from .wards import Ward
from .years import Block, ClinicalYear


class Offering(AuditedModel):
    year = models.ForeignKey(ClinicalYear, on_delete=models.CASCADE, related_name="offerings")
    rotation = models.ForeignKey(RotationType, on_delete=models.PROTECT, related_name="offerings")
    site = models.ForeignKey(ClinicalSite, on_delete=models.PROTECT, related_name="offerings")
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True, related_name="offerings")
    agreement = models.ForeignKey(
        SiteAgreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="offerings"
    )
    min_learners = models.PositiveSmallIntegerField(_("minimum learners per block"), default=0)
    max_learners = models.PositiveSmallIntegerField(_("maximum learners per block"))

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["year", "rotation", "site"]
        constraints = [
            models.UniqueConstraint(fields=["year", "rotation", "site"], name="clinical_offering_unique"),
            models.CheckConstraint(
                condition=Q(max_learners__gte=F("min_learners")), name="clinical_offering_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation} @ {self.site}"


class OfferingBlockCapacity(AuditedModel):
    """A per-block override of an offering's minimum and maximum (a ward closed, a site short)."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="block_capacities")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="capacities")
    min_learners = models.PositiveSmallIntegerField(_("minimum learners"), default=0)
    max_learners = models.PositiveSmallIntegerField(_("maximum learners"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("capacity in a block")
        verbose_name_plural = _("capacities in blocks")
        constraints = [
            models.UniqueConstraint(fields=["offering", "block"], name="clinical_block_capacity_unique"),
            models.CheckConstraint(
                condition=Q(max_learners__gte=F("min_learners")), name="clinical_block_capacity_min_le_max"
            ),
        ]
