"""Filters of the institution's lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DegreeLevel, SiteGovernance, SiteKind
from .selectors import county_list, school_list


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field, forms.ChoiceField)
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class ProgramFilterForm(SearchForm):
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int, empty_value=None)
    degree_level = forms.ChoiceField(
        label=_("Degree level"), required=False, choices=_all(DegreeLevel.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = _all((s.pk, s.name) for s in school_list())  # type: ignore[attr-defined]


class SiteFilterForm(SearchForm):
    county = forms.TypedChoiceField(label=_("County"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_all(SiteKind.choices))
    governance = forms.ChoiceField(
        label=_("Governance"), required=False, choices=_all(SiteGovernance.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _all((c.pk, c.name) for c in county_list())  # type: ignore[attr-defined]
