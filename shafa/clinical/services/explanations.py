# ruff: noqa: E501  (each sentence stays whole, as translators see it)
"""The engine's findings (infeasibility explanations, rule violations) in the coordinator's words.

The engine reports a stable `code` and `params` (ids and 0-based block numbers); here each code
has a translatable sentence and the ids become names in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from shafa.core.jalali import format_date
from shafa.core.text import digits_to_persian

TEXTS = {
    # infeasibility (scheduling.explain)
    "min_above_max": gettext_lazy(
        "%(rotation)s at %(site)s in %(block)s needs at least %(min)s learners but takes at most %(max)s."
    ),
    "learner_overloaded": gettext_lazy(
        "%(learner)s needs %(required_blocks)s blocks of rotations but is available in only %(available_blocks)s."
    ),
    "group_unreachable": gettext_lazy(
        "%(learner)s must take %(required)s rotation(s) of %(group)s but only %(possible)s can be placed "
        "(eligibility, leave or closed offerings)."
    ),
    "precedence_cycle": gettext_lazy(
        "The precedence rules form a cycle (%(rotations)s); no learner can take them."
    ),
    "lock_outside_calendar": gettext_lazy(
        "The lock of %(learner)s on %(rotation)s at %(site)s from %(block)s runs past the end of the calendar."
    ),
    "lock_unavailable": gettext_lazy(
        "%(learner)s is locked to %(rotation)s at %(site)s from %(block)s but is on leave in %(blocks)s."
    ),
    "lock_not_eligible": gettext_lazy(
        "%(learner)s is locked to %(rotation)s at %(site)s but is not eligible for it."
    ),
    "lock_no_capacity": gettext_lazy(
        "%(learner)s is locked to %(rotation)s at %(site)s from %(block)s but the site has no places in %(blocks)s."
    ),
    "locks_over_capacity": gettext_lazy(
        "%(locked)s learners are locked to %(rotation)s at %(site)s in %(block)s but it takes at most %(max)s."
    ),
    "capacity_below_demand": gettext_lazy(
        "%(rotation)s in %(blocks)s: %(learners)s learner(s) must take it there (%(demand)s learner-blocks) "
        "but all sites together offer %(capacity)s; %(short)s seat(s) short."
    ),
    "minimum_unreachable": gettext_lazy(
        "%(rotation)s at %(site)s needs %(min)s learners in %(block)s but only %(possible)s could be there; "
        "%(short)s seat(s) short."
    ),
    "minimums_exceed_learners": gettext_lazy(
        "%(block)s needs %(min_total)s learners across all minimums but only %(available)s are available; "
        "%(short)s short."
    ),
    "conflict_min": gettext_lazy(
        "The minimum of %(min)s learners for %(rotation)s at %(site)s in %(block)s cannot be met with the other "
        "rules listed."
    ),
    "conflict_max": gettext_lazy(
        "The capacity of %(max)s learners for %(rotation)s at %(site)s in %(block)s is too small for the other "
        "rules listed."
    ),
    "conflict_group": gettext_lazy("%(learner)s cannot take the rotations of %(group)s required of them."),
    "conflict_precedence": gettext_lazy(
        "%(learner)s cannot take %(before)s before %(after)s together with the other rules listed."
    ),
    "conflict_lock": gettext_lazy("The lock of %(learner)s on %(rotation)s at %(site)s cannot be kept."),
    "conflict_max_per_site": gettext_lazy(
        "The limit on rotations at one site cannot be kept for %(learner)s at %(site)s."
    ),
    "conflict_structure": gettext_lazy(
        "The rules “one place at a time” and “consecutive blocks at one site” cannot be met for some learner."
    ),
    "unknown": gettext_lazy(
        "No schedule was found within %(seconds)s seconds and none was proven impossible; try a longer time limit."
    ),
    # rule violations (scheduling.checker)
    "out_of_horizon": gettext_lazy("%(learner)s: %(rotation)s would run outside the calendar."),
    "wrong_duration": gettext_lazy("%(learner)s: %(rotation)s must last %(duration)s consecutive blocks."),
    "repeated_rotation": gettext_lazy("%(learner)s would take %(rotation)s twice."),
    "not_allowed": gettext_lazy("%(learner)s may not take %(rotation)s (another phase)."),
    "not_eligible": gettext_lazy("%(learner)s is not eligible for %(rotation)s at %(site)s."),
    "double_booked": gettext_lazy("%(learner)s would be in two places in %(block)s."),
    "unavailable": gettext_lazy("%(learner)s is on leave in %(block)s."),
    "group_count": gettext_lazy(
        "%(learner)s takes %(done)s rotation(s) of %(group)s; %(required)s are required."
    ),
    "precedence": gettext_lazy("%(learner)s would take %(after)s without finishing %(before)s first."),
    "max_per_site": gettext_lazy("%(learner)s would have %(count)s rotations at %(site)s (at most %(max)s)."),
    "lock": gettext_lazy("%(learner)s is locked to %(rotation)s at %(site)s from %(block)s."),
    "over_capacity": gettext_lazy(
        "%(rotation)s at %(site)s would have %(count)s learners in %(block)s; it takes at most %(max)s."
    ),
    "under_minimum": gettext_lazy(
        "%(rotation)s at %(site)s would have %(count)s learners in %(block)s; it needs at least %(min)s."
    ),
    "unknown_id": gettext_lazy("%(learner)s: unknown rotation or site."),
}

# Rule violations the coordinator may accept with a warning; every other one is refused.
SOFT_CODES = frozenset({"under_minimum", "group_count"})


@dataclass
class NameBook:
    """Names for the ids the engine reports (rotations, sites, learners, groups, blocks)."""

    rotations: dict[Any, Any] = field(default_factory=dict)
    sites: dict[Any, Any] = field(default_factory=dict)
    learners: dict[Any, Any] = field(default_factory=dict)
    groups: dict[Any, Any] = field(default_factory=dict)
    blocks: list[Any] = field(default_factory=list)

    def _lang(self) -> str:
        return "en" if (get_language() or "fa").startswith("en") else "fa"

    def num(self, value: Any) -> str:
        return digits_to_persian(value) if self._lang() == "fa" else str(value)

    def block(self, index: Any) -> str:
        if index is None:
            return ""
        try:
            block = self.blocks[int(index)]
        except (IndexError, TypeError, ValueError):
            return _("block %(number)s") % {"number": self.num(int(index) + 1)}
        return _("block %(number)s (%(date)s)") % {
            "number": self.num(block.number),
            "date": format_date(block.start_date, self._lang()),
        }

    def name_of(self, table: dict[Any, Any], key: Any) -> str:
        obj = table.get(key)
        if obj is None:
            return self.num(key)
        if hasattr(obj, "student"):
            return obj.student.person.full_name
        return str(obj)


def _join(book: NameBook, items: Any) -> str:
    return ("، " if book._lang() == "fa" else ", ").join(items)


def _param(book: NameBook, key: str, value: Any) -> str:
    if key in ("rotation", "before", "after"):
        return book.name_of(book.rotations, value)
    if key == "rotations":
        return " → ".join(book.name_of(book.rotations, v) for v in value)
    if key == "site":
        return book.name_of(book.sites, value)
    if key == "learner":
        return book.name_of(book.learners, value)
    if key == "learners" and isinstance(value, list):
        return _join(book, (book.name_of(book.learners, v) for v in value))
    if key == "group":
        if value in book.groups:
            return book.name_of(book.groups, value)
        return book.name_of(book.rotations, value)
    if key == "block":
        return book.block(value)
    if key == "blocks" and isinstance(value, list):
        if len(value) > 2 and value == list(range(value[0], value[-1] + 1)):
            return _("blocks %(first)s to %(last)s") % {
                "first": book.num(value[0] + 1),
                "last": book.num(value[-1] + 1),
            }
        return _join(book, (book.block(v) for v in value))
    return book.num(value)


def explain(code: str, params: dict[str, Any], book: NameBook, fallback: str = "") -> str:
    """One finding as a sentence in the active language."""
    template = TEXTS.get(code)
    if template is None:
        return fallback or code
    values = {key: _param(book, key, value) for key, value in params.items()}
    if code == "capacity_below_demand" and "blocks" not in values:
        values["blocks"] = book.block(params.get("first_block"))

    class _Missing(dict):
        def __missing__(self, key: str) -> str:
            return "—"

    return str(template) % _Missing(values)


def explanation_dict(code: str, params: dict[str, Any], message: str, **extra: Any) -> dict[str, Any]:
    """How a finding is stored (JSON): the stable code, its params and the engine's English text."""
    return {"code": code, "params": _jsonable(params), "message": message, **extra}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
