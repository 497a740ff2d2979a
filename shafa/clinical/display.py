"""How clinical things are named on screen (blocks with their Jalali dates)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shafa.core.jalali import format_date
from shafa.core.text import digits_to_persian


def block_label(block: Any) -> str:
    lang = "en" if (get_language() or "fa").startswith("en") else "fa"
    number = digits_to_persian(block.number) if lang == "fa" else str(block.number)
    return _("Block %(number)s — %(date)s") % {"number": number, "date": format_date(block.start_date, lang)}
