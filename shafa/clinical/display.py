"""How clinical things are named on screen (blocks with their Jalali dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shafa.core.jalali import format_date
from shafa.core.text import digits_to_persian


def _lang() -> str:
    return "en" if (get_language() or "fa").startswith("en") else "fa"


def date_label(date: dt.date) -> str:
    """A date as the user reads it: Jalali with Persian digits, or Gregorian in English."""
    return format_date(date, _lang())


def number_label(number: int) -> str:
    return digits_label(str(number))


def list_label(items: list[str]) -> str:
    """Items joined with the language's comma, digits as the language writes them."""
    return digits_label(("، " if _lang() == "fa" else ", ").join(items))


def digits_label(text: str) -> str:
    """`text` with Persian digits in Persian (student numbers, counts), as written in English."""
    return digits_to_persian(text) if _lang() == "fa" else text


def block_label(block: Any) -> str:
    return _("Block %(number)s — %(date)s") % {
        "number": number_label(block.number),
        "date": date_label(block.start_date),
    }
