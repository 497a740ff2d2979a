"""Form fields for a Persian-first UI: dates are typed and shown in the Jalali calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import jalali
from .text import digits_to_ascii, digits_to_persian

_SHAPE = jalali._DATE_RE


class JalaliDateInput(forms.TextInput):
    """A text input that shows a stored (Gregorian) date as Jalali YYYY/MM/DD."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "۱۴۰۳/۱۲/۳۰", "inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            text = jalali.format_jalali_iso(value)
            return digits_to_persian(text) if (get_language() or "fa").startswith("fa") else text
        return super().format_value(value)


class JalaliDateField(forms.Field):
    """A date typed as Jalali 'YYYY/MM/DD' in any digit script; cleaned to a Gregorian date."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a Jalali date as year/month/day, for example 1403/12/30."),
        "impossible": _("%(value)s is not a date in the Jalali calendar (that month has no such day)."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not _SHAPE.match(digits_to_ascii(text)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return jalali.parse(text)
        except jalali.InvalidJalaliDate as exc:
            shown = digits_to_ascii(text)
            if (get_language() or "fa").startswith("fa"):
                shown = digits_to_persian(shown)
            raise ValidationError(
                self.error_messages["impossible"], code="impossible", params={"value": shown}
            ) from exc


class AuditFilterForm(forms.Form):
    """Filters of the audit log: record type, actor's username, a range of (Jalali) dates."""

    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    date_from = JalaliDateField(label=_("From"), required=False)
    date_to = JalaliDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, record_types: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        choices = [("", _("All")), *((label, label) for label in record_types)]
        self.fields["record_type"].choices = choices  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
