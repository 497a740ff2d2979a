"""Template helpers for a Persian-first UI: Jalali dates, Persian digits, bilingual fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import get_language

from shafa.core import jalali
from shafa.core.text import digits_to_persian

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "fa").startswith("en") else "fa"


@register.filter
def jdate(value: dt.date | dt.datetime | None, style: str = "") -> str:
    """Jalali with Persian digits in Persian, Gregorian in English. `|jdate:"long"` spells the month."""
    return jalali.format_date(value, _lang(), long=style == "long")


@register.filter
def jdatetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    text = f"{jalali.format_date(local, _lang())} {local:%H:%M}"
    return digits_to_persian(text) if _lang() == "fa" else text


@register.filter
def pdigits(value: Any) -> str:
    """Persian digits when the page is Persian."""
    if value is None:
        return ""
    return digits_to_persian(value) if _lang() == "fa" else str(value)


@register.filter
def bi(obj: Any, field: str) -> str:
    """The `field_fa`/`field_en` pair of an object, in the active language (falls back to Persian)."""
    if _lang() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, f"{field}_fa", ""))
