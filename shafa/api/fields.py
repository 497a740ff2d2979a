"""Moved to `shafa.core.api.fields` (apps below `shafa.api` may not import it); kept for old imports."""

from shafa.core.api.fields import (
    JalaliDateField,
    JalaliDateTimeDisplayField,
    JalaliDisplayField,
    date_from_iso_or_jalali,
)

__all__ = ["JalaliDateField", "JalaliDateTimeDisplayField", "JalaliDisplayField", "date_from_iso_or_jalali"]
