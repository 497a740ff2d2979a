"""Serializer fields the whole API shares: Jalali dates in and out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shafa.core import jalali
from shafa.core.text import digits_to_ascii, digits_to_persian

_JALALI_SHAPE = re.compile(r"^\s*\d{3,4}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{1,2}\s*$")

JALALI_DATE_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}/\d{2}/\d{2}$",
    "example": "1404/07/01",
    "description": "The same date in the Jalali (Solar Hijri) calendar, ASCII digits, for display.",
}


@extend_schema_field(
    {
        "type": "string",
        "example": "1382/02/11",
        "description": "A Jalali date YYYY/MM/DD in any digit script (ASCII, Persian or "
        "Arabic-Indic); '/', '-' or '.' separate the parts.",
    }
)
class JalaliDateField(serializers.Field):
    """Reads a Jalali date typed by a person ('۱۳۸۲/۰۲/۱۱', '1382-2-11') into a Gregorian date."""

    default_error_messages = {
        "invalid": _("Enter a Jalali date in the form YYYY/MM/DD, for example 1382/02/11."),
        "no_such_date": _("{value} is not a date in the Jalali calendar."),
    }

    def to_internal_value(self, data: Any) -> dt.date:
        if not isinstance(data, str):
            self.fail("invalid")
        text = digits_to_ascii(data)
        if not _JALALI_SHAPE.match(text):
            self.fail("invalid")
        try:
            return jalali.parse(text)
        except jalali.InvalidJalaliDate:
            shown = re.sub(r"\s+", "", text).replace("-", "/").replace(".", "/")
            if _is_persian():
                shown = digits_to_persian(shown)
            self.fail("no_such_date", value=shown)
        raise AssertionError("unreachable")  # pragma: no cover

    def to_representation(self, value: dt.date) -> str:
        return jalali.format_jalali_iso(value)


def _is_persian() -> bool:
    return (get_language() or "fa").startswith("fa")


@extend_schema_field({**JALALI_DATE_SCHEMA, "nullable": True})
class JalaliDisplayField(serializers.ReadOnlyField):
    """The Jalali twin of a Gregorian date: `JalaliDisplayField(source="birth_date")`."""

    def to_representation(self, value: dt.date | dt.datetime | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return jalali.format_jalali_iso(value)


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}$",
        "example": "1404/07/01 14:30",
        "description": "The same moment in Tehran time, Jalali calendar, for display.",
    }
)
class JalaliDateTimeDisplayField(serializers.ReadOnlyField):
    def to_representation(self, value: dt.datetime) -> str:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{jalali.format_jalali_iso(local.date())} {local:%H:%M}"


def date_from_iso_or_jalali(attrs: dict[str, Any], name: str, *, required: bool = True) -> dict[str, Any]:
    """Fold `<name>` (ISO) and `<name>_jalali` into `<name>`: exactly one of them, when required."""
    iso = attrs.pop(name, None)
    jalali_value = attrs.pop(f"{name}_jalali", None)
    if iso is not None and jalali_value is not None and iso != jalali_value:
        raise serializers.ValidationError(
            {f"{name}_jalali": [_("Give the date once: either in the Jalali or in the Gregorian calendar.")]}
        )
    value = iso if iso is not None else jalali_value
    if value is None and required:
        raise serializers.ValidationError(
            {
                f"{name}_jalali": [
                    _("This field is required (or give the Gregorian date in “{name}”).").format(name=name)
                ]
            }
        )
    if value is not None:
        attrs[name] = value
    return attrs
