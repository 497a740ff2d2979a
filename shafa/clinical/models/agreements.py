"""Agreements with clinical sites: validity, rotations offered, default capacity per block."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import ClinicalSite


class SiteAgreement(AuditedModel):
    site = models.ForeignKey(ClinicalSite, on_delete=models.PROTECT, related_name="agreements")
    reference = models.CharField(_("reference number"), max_length=40)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))
    rotations = models.ManyToManyField(
        "clinical.RotationType", blank=True, related_name="agreements", verbose_name=_("rotations offered")
    )
    default_capacity = models.PositiveSmallIntegerField(_("default capacity per block"), default=4)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("site agreement")
        verbose_name_plural = _("site agreements")
        ordering = ["ends_on", "site"]
        constraints = [
            models.UniqueConstraint(fields=["site", "reference"], name="clinical_agreement_reference_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="clinical_agreement_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.site}"


def agreement_rotations() -> type[models.Model]:
    """The through model of agreement ↔ rotation (for bulk loads)."""
    return SiteAgreement.rotations.through
