"""Writes on a clinical year: its block calendar and holidays, the preference window, capacities,
and the learners' preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shafa.clinical.block_calendar import block_dates, official_holidays
from shafa.clinical.display import date_label
from shafa.clinical.models import (
    Block,
    BlockPreference,
    ClinicalYear,
    Holiday,
    LearnerEnrollment,
    Offering,
    OfferingBlockCapacity,
    RotationPreference,
    RotationType,
    SiteAgreement,
    SitePreference,
)
from shafa.core.audit import audit_context
from shafa.core.text import normalize_persian
from shafa.institution.models import AcademicYear, Program

MAX_BLOCKS = 60
BLOCK_DAYS_RANGE = (7, 184)


@transaction.atomic
def year_create(
    *,
    program: Program,
    academic_year: AcademicYear,
    first_day: dt.date,
    n_blocks: int,
    block_days: int,
    max_rotations_per_site: int | None = None,
    official: bool = True,
    actor: Any = None,
) -> ClinicalYear:
    """A clinical year with its calendar: `n_blocks` back-to-back blocks of `block_days` days from
    `first_day`, all inside the academic year; with `official`, the solar official holidays."""
    errors: dict[str, str] = {}
    if not 1 <= n_blocks <= MAX_BLOCKS:
        errors["n_blocks"] = _("A year has between 1 and %(most)s blocks.") % {"most": MAX_BLOCKS}
    low, high = BLOCK_DAYS_RANGE
    if not low <= block_days <= high:
        errors["block_days"] = _("A block lasts between %(low)s and %(high)s days.") % {
            "low": low,
            "high": high,
        }
    if max_rotations_per_site is not None and max_rotations_per_site < 1:
        errors["max_rotations_per_site"] = _("Allow at least one rotation at a site, or leave it empty.")
    taken = _("This program already has a clinical year in %(year)s.") % {"year": academic_year.code}
    if ClinicalYear.objects.filter(program=program, academic_year=academic_year).exists():
        errors["academic_year"] = taken
    if errors:
        raise ValidationError(errors)
    dates = block_dates(first_day, n_blocks, block_days)
    last_day = dates[-1][1]
    if first_day < academic_year.start_date or last_day > academic_year.end_date:
        raise ValidationError(
            {
                "first_day": _(
                    "The blocks run from %(first)s to %(last)s, outside the academic year "
                    "(%(start)s to %(end)s). Start later, or use fewer or shorter blocks."
                )
                % {
                    "first": date_label(first_day),
                    "last": date_label(last_day),
                    "start": date_label(academic_year.start_date),
                    "end": date_label(academic_year.end_date),
                }
            }
        )
    try:
        with audit_context(actor=actor, reason=_("Clinical year created")), transaction.atomic():
            year = ClinicalYear.objects.create(
                program=program,
                academic_year=academic_year,
                max_rotations_per_site=max_rotations_per_site,
            )
            for number, (first, last) in enumerate(dates, start=1):
                Block.objects.create(year=year, number=number, start_date=first, end_date=last)
            if official:
                for date, fa, en in official_holidays(first_day, last_day):
                    Holiday.objects.create(year=year, date=date, name_fa=fa, name_en=en)
    except IntegrityError as exc:  # a concurrent create of the same year won
        raise ValidationError({"academic_year": taken}) from exc
    return year


@transaction.atomic
def holiday_add(
    *, year: ClinicalYear, date: dt.date, name_fa: str, name_en: str = "", actor: Any = None
) -> Holiday:
    """Mark a day of the year's calendar as a holiday (the lunar ones move every year)."""
    blocks = Block.objects.filter(year=year)
    if not blocks.filter(start_date__lte=date, end_date__gte=date).exists():
        raise ValidationError(
            {"date": _("%(date)s is not in any block of this year.") % {"date": date_label(date)}}
        )
    name_fa = normalize_persian(name_fa).strip()
    if not name_fa:
        raise ValidationError({"name_fa": _("Name the holiday.")})
    taken = ValidationError({"date": _("%(date)s is already a holiday.") % {"date": date_label(date)}})
    if Holiday.objects.filter(year=year, date=date).exists():
        raise taken
    try:
        with audit_context(actor=actor, reason=_("Holiday added")), transaction.atomic():
            return Holiday.objects.create(
                year=year, date=date, name_fa=name_fa[:200], name_en=name_en.strip()[:200]
            )
    except IntegrityError as exc:
        raise taken from exc


@transaction.atomic
def holiday_remove(*, holiday: Holiday, actor: Any = None) -> None:
    with audit_context(actor=actor, reason=_("Holiday removed")):
        holiday.delete()


@transaction.atomic
def year_set_preference_window(
    *, year: ClinicalYear, opens_at: dt.datetime | None, closes_at: dt.datetime | None, actor: Any = None
) -> ClinicalYear:
    """Open (or close) the window in which learners rank rotations, sites and blocks."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The window must close after it opens.")})
    with audit_context(actor=actor, reason=_("Preference window set")):
        year.preference_opens_at, year.preference_closes_at = opens_at, closes_at
        year.save()
    return year


def preference_window_open(year: ClinicalYear, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return bool(
        year.preference_opens_at
        and year.preference_closes_at
        and year.preference_opens_at <= now < year.preference_closes_at
    )


@transaction.atomic
def offering_set_capacity(
    *,
    offering: Offering,
    min_learners: int,
    max_learners: int,
    block: Block | None = None,
    reason: str = "",
    actor: Any = None,
) -> Offering:
    """Set an offering's learners per block, for every block or (with `block`) as an override."""
    if min_learners < 0 or max_learners < min_learners:
        raise ValidationError(_("The minimum must be between zero and the maximum."))
    with audit_context(actor=actor, reason=reason or _("Capacity changed")):
        if block is None:
            offering.min_learners, offering.max_learners = min_learners, max_learners
            offering.save()
        else:
            if block.year_id != offering.year_id:
                raise ValidationError(_("The block is not in the offering's year."))
            cap = OfferingBlockCapacity.objects.filter(
                offering=offering, block=block
            ).first() or OfferingBlockCapacity(offering=offering, block=block)
            cap.min_learners, cap.max_learners, cap.reason = min_learners, max_learners, reason[:200]
            cap.save()
    return offering


@transaction.atomic
def offering_add(
    *,
    year: ClinicalYear,
    rotation: RotationType,
    site: Any,
    min_learners: int,
    max_learners: int,
    agreement: SiteAgreement | None = None,
    actor: Any = None,
) -> Offering:
    """Offer a rotation at a site for the year; the site's agreement in force at the year's start
    that offers the rotation is linked when none is given."""
    errors: dict[str, str] = {}
    if rotation.program_id != year.program_id:
        errors["rotation"] = _("The rotation belongs to another program.")
    if min_learners < 0 or max_learners < min_learners:
        errors["max_learners"] = _("The minimum must be between zero and the maximum.")
    if Offering.objects.filter(year=year, rotation=rotation, site=site).exists():
        errors["site"] = _("This rotation is already offered at this site in this year.")
    if agreement is not None and agreement.site_id != site.pk:
        errors["agreement"] = _("The agreement is with another site.")
    elif (
        agreement is not None
        and agreement.rotations.exists()
        and not agreement.rotations.filter(pk=rotation.pk).exists()
    ):
        errors["agreement"] = _("The agreement does not offer this rotation.")
    if errors:
        raise ValidationError(errors)
    if agreement is None:
        first = (
            Block.objects.filter(year=year).order_by("number").values_list("start_date", flat=True).first()
        )
        on = first or timezone.localdate()
        agreement = (
            SiteAgreement.objects.filter(site=site, starts_on__lte=on, ends_on__gte=on)
            .filter(Q(rotations=rotation) | Q(rotations__isnull=True))
            .order_by("-ends_on")
            .first()
        )
    try:
        with audit_context(actor=actor, reason=_("Offering added")), transaction.atomic():
            return Offering.objects.create(
                year=year,
                rotation=rotation,
                site=site,
                agreement=agreement,
                min_learners=min_learners,
                max_learners=max_learners,
            )
    except IntegrityError as exc:  # a concurrent add of the same offering won
        raise ValidationError(
            {"site": _("This rotation is already offered at this site in this year.")}
        ) from exc


@transaction.atomic
def preferences_submit(
    *,
    enrollment: LearnerEnrollment,
    rotation_ids: list[int],
    site_ids: list[int],
    block_ids: list[int],
    actor: Any = None,
    now: dt.datetime | None = None,
) -> None:
    """Replace a learner's ranked preferences (first = most wanted); only while the window is open."""
    year = enrollment.year
    if not preference_window_open(year, now):
        raise ValidationError(_("The preference window is closed."))
    rotation_ids, site_ids, block_ids = (
        list(dict.fromkeys(ids)) for ids in (rotation_ids, site_ids, block_ids)
    )
    allowed_rotations = set(
        RotationType.objects.filter(program_id=year.program_id, phase=enrollment.phase).values_list(
            "pk", flat=True
        )
    )
    allowed_sites = set(Offering.objects.filter(year=year).values_list("site_id", flat=True))
    allowed_blocks = set(Block.objects.filter(year=year).values_list("pk", flat=True))
    if not set(rotation_ids) <= allowed_rotations or not set(site_ids) <= allowed_sites:
        raise ValidationError(_("Rank only rotations and sites offered to you."))
    if not set(block_ids) <= allowed_blocks:
        raise ValidationError(_("Rank only blocks of this clinical year."))
    with audit_context(actor=actor, reason=_("Preferences submitted")):
        for model in (RotationPreference, SitePreference, BlockPreference):
            for old in model.objects.filter(enrollment=enrollment):
                old.delete()
        for rank, pk in enumerate(rotation_ids, start=1):
            RotationPreference(enrollment=enrollment, rotation_id=pk, rank=rank).save()
        for rank, pk in enumerate(site_ids, start=1):
            SitePreference(enrollment=enrollment, site_id=pk, rank=rank).save()
        for rank, pk in enumerate(block_ids, start=1):
            BlockPreference(enrollment=enrollment, block_id=pk, rank=rank).save()
