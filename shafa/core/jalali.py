"""The Jalali (Solar Hijri) calendar at the edges: parsing, formatting and validation.

Dates are stored Gregorian; Jalali lives in forms, templates, PDFs, exports and API display
fields. jdatetime does the calendar arithmetic; the tests check these helpers against it across
leap years.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime

from .text import digits_to_ascii, digits_to_persian

JALALI_MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
JALALI_MONTHS_EN = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)  # fmt: skip
_DATE_RE = re.compile(r"^\s*(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$")


class InvalidJalaliDate(ValueError):
    """A Jalali date that does not exist (e.g. 1404/12/30) or cannot be read."""


def is_leap(year: int) -> bool:
    return bool(jdatetime.date(year, 1, 1).isleap())


def month_length(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise InvalidJalaliDate(f"month {month} is not 1–12")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Jalali (year, month, day) → Gregorian date; raises InvalidJalaliDate if it does not exist."""
    if year < 1 or not 1 <= month <= 12 or not 1 <= day <= month_length(year, month):
        raise InvalidJalaliDate(f"{year}/{month:02d}/{day:02d} is not a date")
    return jdatetime.date(year, month, day).togregorian()


def from_gregorian(value: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=value)


def parse(text: str) -> dt.date:
    """Parse 'YYYY/MM/DD' in Jalali (any digit script, / - or . separators) to a Gregorian date."""
    match = _DATE_RE.match(digits_to_ascii(text or ""))
    if not match:
        raise InvalidJalaliDate(f"{text!r} is not in the form YYYY/MM/DD")
    year, month, day = (int(part) for part in match.groups())
    return to_gregorian(year, month, day)


def format_date(value: dt.date | dt.datetime | None, lang: str = "fa", long: bool = False) -> str:
    """A date as the user reads it: Jalali with Persian digits in Persian, ISO Gregorian in English."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if lang != "fa":
        return value.strftime("%d %b %Y") if long else value.isoformat()
    j = from_gregorian(value)
    text = (
        f"{j.day} {JALALI_MONTHS_FA[j.month - 1]} {j.year}"
        if long
        else (f"{j.year:04d}/{j.month:02d}/{j.day:02d}")
    )
    return digits_to_persian(text)


def format_jalali_iso(value: dt.date | None) -> str:
    """The Jalali date with ASCII digits (API display fields, exports): '1404/07/01'."""
    if value is None:
        return ""
    j = from_gregorian(value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def jalali_year_of(value: dt.date) -> int:
    return from_gregorian(value).year
