"""Forms of the people pages: list filters, admitting a student, changing a student's status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shafa.core.forms import JalaliDateField
from shafa.institution.selectors import program_list, term_list

from .models import FacultyRank, Sex, StudentStatus
from .selectors.staff import faculty_list_visible_to


def _styled(form: forms.Form, small: bool = False) -> None:
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select" + size)
        else:
            widget.attrs.setdefault("class", "form-control" + (" form-control-sm" if small else ""))


def _all(choices: Any) -> list[tuple[Any, Any]]:
    return [("", _("All")), *choices]


class StudentFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or student number"), required=False, max_length=100)
    program = forms.TypedChoiceField(label=_("Program"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all(StudentStatus.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = _all((p.pk, p.name) for p in program_list())  # type: ignore[attr-defined]
        _styled(self, small=True)


class FacultyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or employee number"), required=False, max_length=100)
    department = forms.IntegerField(required=False, widget=forms.HiddenInput)
    rank = forms.ChoiceField(label=_("Rank"), required=False, choices=_all(FacultyRank.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self, small=True)


class PreceptorFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or site"), required=False, max_length=100)
    site = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self, small=True)


class StudentAdmitForm(forms.Form):
    """A new student: the person, the student record and optionally an account."""

    student_number = forms.CharField(
        label=_("Student number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    national_code = forms.CharField(
        label=_("National code"),
        max_length=14,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    first_name_fa = forms.CharField(label=_("First name (Persian)"), max_length=100)
    last_name_fa = forms.CharField(label=_("Last name (Persian)"), max_length=100)
    first_name_en = forms.CharField(
        label=_("First name (English)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    last_name_en = forms.CharField(
        label=_("Last name (English)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = JalaliDateField(
        label=_("Birth date (Jalali)"), help_text=_("Year/month/day, e.g. 1382/02/11")
    )
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"}))
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=15,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    # Querysets are set per request in __init__ (through the selectors).
    program: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Program"), queryset=None)
    entry_term: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Entry term"), queryset=None)
    advisor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Advisor"), queryset=None, required=False
    )
    native_quota = forms.BooleanField(label=_("Native quota (بومی)"), required=False)
    username = forms.CharField(
        label=_("Username for a new account (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = program_list(active_only=True)  # type: ignore[attr-defined]
        self.fields["entry_term"].queryset = term_list()  # type: ignore[attr-defined]
        advisors = faculty_list_visible_to(user).filter(is_active=True)
        self.fields["advisor"].queryset = advisors  # type: ignore[attr-defined]
        _styled(self)


class StudentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=StudentStatus.choices)
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why this record is being changed."))
        return reason
