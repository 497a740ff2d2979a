"""Wards and clinical departments at a site (a hospital's internal medicine ward, a clinic's unit)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import BilingualNameMixin
from shafa.institution.models import ClinicalSite, Department


class Ward(BilingualNameMixin, AuditedModel):
    site = models.ForeignKey(ClinicalSite, on_delete=models.CASCADE, related_name="wards")
    code = models.SlugField(_("code"), max_length=30)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("academic department"),
    )
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["site", "name_fa"]
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="clinical_ward_code_unique")]
