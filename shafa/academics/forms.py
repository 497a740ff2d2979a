"""Forms of the registrar pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shafa.core.text import digits_to_ascii

from .models import OverrideKind, RegistrationWindow


class WindowForm(forms.ModelForm):
    class Meta:
        model = RegistrationWindow
        fields = ["phase", "entry_year", "program", "opens_at", "closes_at", "uses_time_slots"]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("A window must close after it opens."))
        return data


class OverrideForm(forms.Form):
    student_number = forms.CharField(label=_("Student number"), max_length=20)
    kind = forms.ChoiceField(label=_("Rule"), choices=OverrideKind.choices)
    section = forms.IntegerField(label=_("Section id (optional)"), required=False)
    max_credits = forms.DecimalField(
        label=_("New credit limit"), required=False, max_digits=5, decimal_places=1
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def clean_student_number(self) -> str:
        return digits_to_ascii(self.cleaned_data["student_number"]).strip()
