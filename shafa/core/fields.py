"""Model building blocks: bilingual names and normalised Persian text."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import normalize_persian


class PersianTextField(models.CharField):
    """A CharField whose value is normalised Persian (ی/ک unified, spaces collapsed, ZWNJ kept)."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return normalize_persian(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_persian(value)
            setattr(model_instance, self.attname, value)
        return value


class BilingualNameMixin(models.Model):
    """`name_fa` (required) and `name_en` (optional); `name` follows the active language."""

    name_fa = PersianTextField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "fa").startswith("en") and self.name_en:
            return self.name_en
        return self.name_fa

    def __str__(self) -> str:
        return self.name
