"""Writes on a clinical year: the preference window, capacities, and the learners' preferences."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shafa.clinical.models import (
    Block,
    BlockPreference,
    ClinicalYear,
    LearnerEnrollment,
    Offering,
    OfferingBlockCapacity,
    RotationPreference,
    RotationType,
    SiteAgreement,
    SitePreference,
)
from shafa.core.audit import audit_context


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
