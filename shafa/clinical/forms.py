"""Forms of the clinical pages: parse and normalise input; the rules stay in services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shafa.core.forms import JalaliDateField
from shafa.core.text import digits_to_ascii, normalize_persian
from shafa.institution.models import AcademicYear, ClinicalSite, PhaseKind, Program

from .display import block_label, digits_label
from .models import ReplanKind, RotationGroup, RotationType, SiteAgreement


def _choices(field: forms.Field, choices: list[Any]) -> None:
    field.choices = choices  # type: ignore[attr-defined]


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class RunStartForm(_Styled):
    variant_label = forms.CharField(label=_("Variant name"), max_length=80)
    seed = forms.IntegerField(label=_("Lottery seed (published)"), min_value=0, initial=0)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=3600, initial=60
    )

    def clean_variant_label(self) -> str:
        return normalize_persian(self.cleaned_data["variant_label"])


class PreferenceWindowForm(_Styled):
    opens_on = JalaliDateField(label=_("Opens on"), required=False)
    closes_on = JalaliDateField(label=_("Closes on (inclusive)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if bool(opens) != bool(closes):
            raise forms.ValidationError(_("Give both dates, or neither to close the window."))
        if opens and closes and closes < opens:
            raise forms.ValidationError(_("The window must close after it opens."))
        return data

    def window(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        opens, closes = self.cleaned_data.get("opens_on"), self.cleaned_data.get("closes_on")
        if not opens or not closes:
            return None, None
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(opens, dt.time.min, tzinfo=tz),
            dt.datetime.combine(closes + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )


class MoveForm(_Styled):
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    start = forms.TypedChoiceField(label=_("First block"), coerce=int)

    def __init__(self, *args: Any, sites: list[Any], blocks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["site"], [(s.pk, str(s)) for s in sites])
        _choices(self.fields["start"], [(b.number, block_label(b)) for b in blocks])


class PreferencesForm(forms.Form):
    """Ranks typed or chosen per item: `rotation_rank_<id>` = 1 for the first choice, and so on."""

    KINDS = ("rotation", "site", "block")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in self.KINDS:
            ranked: list[tuple[int, int]] = []
            prefix = f"{kind}_rank_"
            for key, value in self.data.items():
                if not key.startswith(prefix):
                    continue
                number, item = digits_to_ascii(str(value)).strip(), key[len(prefix) :]
                if not number:
                    continue
                if not number.isdigit() or not item.isdigit():
                    raise forms.ValidationError(_("Enter numbers only."))
                ranked.append((int(number), int(item)))
            ranks = [rank for rank, _item in ranked]
            if len(set(ranks)) != len(ranks):
                raise forms.ValidationError(_("Give each choice a different rank."))
            data[f"{kind}s"] = [item for _rank, item in sorted(ranked)]
        return data


class SwapRequestForm(_Styled):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    wanted_start = forms.TypedChoiceField(
        label=_("Wanted block"), coerce=int, required=False, empty_value=None
    )
    wanted_site = forms.TypedChoiceField(label=_("Wanted site"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, sites: Sequence[Any] = (), blocks: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["wanted_start"], [("", "—")] + [(b.number, block_label(b)) for b in blocks])
        _choices(self.fields["wanted_site"], [("", "—")] + [(s.pk, str(s)) for s in sites])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wanted_start") is None and data.get("wanted_site") is None:
            raise forms.ValidationError(_("Say which block or which site you want."))
        return data


class ReplanForm(_Styled):
    kind = forms.ChoiceField(label=_("Event"), choices=ReplanKind.choices)
    block = forms.TypedChoiceField(label=_("Block"), coerce=int)
    offering = forms.TypedChoiceField(
        label=_("Offering (site loses capacity)"), coerce=int, required=False, empty_value=None
    )
    new_capacity = forms.IntegerField(label=_("New capacity"), min_value=0, required=False)
    enrollment = forms.TypedChoiceField(
        label=_("Learner (takes leave)"), coerce=int, required=False, empty_value=None
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=3600, initial=30
    )

    def __init__(
        self, *args: Any, blocks: list[Any], offerings: list[Any], enrollments: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["block"], [(b.pk, block_label(b)) for b in blocks])
        _choices(self.fields["offering"], [("", "—")] + [(o.pk, str(o)) for o in offerings])
        _choices(self.fields["enrollment"], [("", "—")] + [(e.pk, str(e)) for e in enrollments])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ReplanKind.CAPACITY and (
            data.get("offering") is None or data.get("new_capacity") is None
        ):
            raise forms.ValidationError(_("Choose the offering and its new capacity."))
        if data.get("kind") == ReplanKind.LEAVE and data.get("enrollment") is None:
            raise forms.ValidationError(_("Choose the learner who takes leave."))
        return data


class CapacityForm(_Styled):
    offering = forms.TypedChoiceField(label=_("Offering"), coerce=int)
    min_learners = forms.IntegerField(label=_("Minimum"), min_value=0)
    max_learners = forms.IntegerField(label=_("Maximum"), min_value=0)
    block = forms.TypedChoiceField(label=_("Only in block"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(
        self, *args: Any, blocks: Sequence[Any] = (), offerings: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["offering"], [(o.pk, str(o)) for o in offerings])
        _choices(
            self.fields["block"], [("", _("Every block"))] + [(b.number, block_label(b)) for b in blocks]
        )


class AgreementForm(_Styled):
    """An agreement with a clinical site (the rules — dates ordered, one reference per site — are
    in services/agreements.py)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=ClinicalSite.objects.none())
    reference = forms.CharField(label=_("Reference number"), max_length=40)
    starts_on = JalaliDateField(label=_("Valid from"))
    ends_on = JalaliDateField(label=_("Valid until"))
    rotations = forms.ModelMultipleChoiceField(
        label=_("Rotations offered"),
        queryset=RotationType.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    default_capacity = forms.IntegerField(
        label=_("Default capacity per block"), min_value=1, max_value=500, initial=4
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, sites: Any, rotations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["rotations"].queryset = rotations  # type: ignore[attr-defined]
        self.fields["rotations"].widget.attrs["class"] = "form-select"
        # rotations of every program are listed: name the program too
        self.fields["rotations"].label_from_instance = lambda r: f"{r.program} — {r}"  # type: ignore[attr-defined]


class OfferingForm(_Styled):
    """A rotation offered at a site for the year (the rules are in services/years.py)."""

    rotation = forms.ModelChoiceField(label=_("Rotation"), queryset=RotationType.objects.none())
    site = forms.ModelChoiceField(label=_("Site"), queryset=ClinicalSite.objects.none())
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=SiteAgreement.objects.none(),
        required=False,
        empty_label=_("The site's agreement in force (if any)"),
    )
    min_learners = forms.IntegerField(label=_("Minimum"), min_value=0, initial=0)
    max_learners = forms.IntegerField(label=_("Maximum"), min_value=0, initial=2)

    def __init__(self, *args: Any, rotations: Any, sites: Any, agreements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rotation"].queryset = rotations  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]


class YearCreateForm(_Styled):
    """A new clinical year and its block calendar (the rules are in services/years.py)."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    academic_year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    first_day = JalaliDateField(label=_("First day of block 1"))
    n_blocks = forms.IntegerField(label=_("Number of blocks"), min_value=1, max_value=60, initial=13)
    block_days = forms.IntegerField(label=_("Days in a block"), min_value=7, max_value=184, initial=28)
    max_rotations_per_site = forms.IntegerField(
        label=_("Most rotations at one site per learner"),
        min_value=1,
        required=False,
        help_text=_("Empty: no limit."),
    )
    official_holidays = forms.BooleanField(
        label=_("Mark the official solar holidays (Nowruz, 22 Bahman, ...)"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["academic_year"].queryset = AcademicYear.objects.order_by("-start_year")  # type: ignore[attr-defined]
        self.fields["official_holidays"].widget.attrs["class"] = "form-check-input"


class HolidayForm(_Styled):
    date = JalaliDateField(label=_("Date"))
    name_fa = forms.CharField(label=_("Name (Persian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)


class EnrolForm(_Styled):
    """Student numbers pasted one per line (or separated by spaces or commas), in any digits."""

    student_numbers = forms.CharField(
        label=_("Student numbers"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
        help_text=_("One per line, or separated by spaces or commas."),
    )
    phase = forms.ChoiceField(label=_("Phase"))

    def __init__(self, *args: Any, phases: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(PhaseKind.choices)
        _choices(self.fields["phase"], [(p, labels.get(p, p)) for p in phases])

    def clean_student_numbers(self) -> list[str]:
        text = digits_to_ascii(self.cleaned_data["student_numbers"])
        return [n for n in re.split(r"[\s,،;]+", text) if n]


class EligibilityForm(_Styled):
    is_eligible = forms.TypedChoiceField(
        label=_("Eligible"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class LeaveForm(_Styled):
    enrollment = forms.TypedChoiceField(label=_("Learner"), coerce=int)
    block = forms.TypedChoiceField(label=_("Block"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(
        self, *args: Any, enrollments: Iterable[Any] = (), blocks: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["enrollment"],
            [(e.pk, digits_label(str(e))) for e in enrollments],
        )
        _choices(self.fields["block"], [(b.pk, block_label(b)) for b in blocks])


class _ProgramItemForm(_Styled):
    """What a program's rotation types and elective groups both have (rules: services/rotations.py)."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name_fa = forms.CharField(label=_("Name (Persian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=PhaseKind.choices)


class RotationForm(_ProgramItemForm):
    """A rotation type of a program; `rotation` names the one being changed."""

    rotation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    duration_blocks = forms.IntegerField(label=_("Duration (blocks)"), min_value=1, max_value=26, initial=1)
    group = forms.ModelChoiceField(
        label=_("Elective group"),
        queryset=RotationGroup.objects.none(),
        required=False,
        empty_label=_("None: required of every learner of the phase"),
    )
    school_preference = forms.IntegerField(
        label=_("School's preference"),
        min_value=-100,
        max_value=100,
        initial=0,
        help_text=_("Added to a learner's satisfaction when taken."),
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class GroupForm(_ProgramItemForm):
    """An elective group of a program; `group` names the one being changed."""

    group = forms.IntegerField(widget=forms.HiddenInput, required=False)
    required_count = forms.IntegerField(label=_("Rotations to take"), min_value=1, max_value=26, initial=1)


class PrecedenceForm(_Styled):
    before = forms.ModelChoiceField(label=_("Completed first"), queryset=RotationType.objects.none())
    after = forms.ModelChoiceField(label=_("Then"), queryset=RotationType.objects.none())

    def __init__(self, *args: Any, rotations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["before"].queryset = rotations  # type: ignore[attr-defined]
        self.fields["after"].queryset = rotations  # type: ignore[attr-defined]
