"""Persian text normalisation, applied at every boundary (forms, API, imports).

Arabic Yeh/Kaf become Persian ی/ک; Persian and Arabic-Indic digits become ASCII where a number
is expected; ZWNJ (U+200C, نیم‌فاصله) is kept because it is part of correct Persian spelling.
"""

from __future__ import annotations

import re

_CHAR_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC LETTER YEH → FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA → FARSI YEH
        "\u0643": "\u06a9",  # ARABIC LETTER KAF → KEHEH
        "\u0629": "\u0647",  # TEH MARBUTA → HEH
    }
)
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
_SPACES = re.compile(r"[ \t\u00a0]+")
ZWNJ = "\u200c"


def digits_to_ascii(value: str) -> str:
    """Persian and Arabic-Indic digits → ASCII digits."""
    return value.translate(_TO_ASCII)


def digits_to_persian(value: object) -> str:
    """ASCII digits → Persian digits (for display in Persian)."""
    return str(value).translate(_TO_PERSIAN)


def normalize_persian(value: str) -> str:
    """Normalise free Persian text: letters unified, runs of spaces collapsed, ZWNJ kept."""
    if not value:
        return value
    text = value.translate(_CHAR_MAP)
    # A ZWNJ next to a space is a typing slip; a ZWNJ between letters is spelling.
    text = re.sub(rf" ?{ZWNJ}+ ?", lambda m: ZWNJ if m.group(0) == ZWNJ else " ", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def normalize_number(value: str) -> str:
    """Normalise a numeric code typed in any script: digits to ASCII, separators removed."""
    return re.sub(r"[\s\-_/\u200c]", "", digits_to_ascii(value or ""))
