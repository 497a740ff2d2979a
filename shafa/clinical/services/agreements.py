"""Agreements with clinical sites: what a site offers, from when until when, and how many learners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shafa.clinical.models import RotationType, SiteAgreement
from shafa.core.audit import audit_context, audit_record
from shafa.core.text import digits_to_ascii, normalize_persian
from shafa.institution.models import ClinicalSite


@transaction.atomic
def agreement_save(
    *,
    agreement: SiteAgreement | None,
    site: ClinicalSite,
    reference: str,
    starts_on: dt.date,
    ends_on: dt.date,
    rotations: Iterable[RotationType],
    default_capacity: int,
    notes: str = "",
    actor: Any = None,
) -> SiteAgreement:
    """Create an agreement (`agreement` None) or change one; audited, the rotations included.

    A renewal is a new agreement with its own reference and dates: the old one stays as the
    record of what was agreed then (offerings of past years point to it).
    """
    reference = digits_to_ascii(normalize_persian(reference)).strip()
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = _("Give the agreement's reference number.")
    if ends_on <= starts_on:
        errors["ends_on"] = _("An agreement must end after it starts.")
    if default_capacity < 1:
        errors["default_capacity"] = _("The capacity per block must be at least one learner.")
    taken = SiteAgreement.objects.filter(site=site, reference=reference)
    if agreement is not None:
        taken = taken.exclude(pk=agreement.pk)
    if reference and taken.exists():
        errors["reference"] = _("This site already has an agreement with this reference number.")
    if errors:
        raise ValidationError(errors)
    wanted = {rotation.pk for rotation in rotations}
    with audit_context(actor=actor, reason=_("Site agreement saved")):
        target = agreement or SiteAgreement()
        before = set(target.rotations.values_list("pk", flat=True)) if target.pk else set()
        target.site, target.reference = site, reference
        target.starts_on, target.ends_on = starts_on, ends_on
        target.default_capacity, target.notes = default_capacity, notes.strip()
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError as exc:  # a concurrent save took the reference first
            raise ValidationError(
                {"reference": _("This site already has an agreement with this reference number.")}
            ) from exc
        if wanted != before:
            target.rotations.set(wanted)
            audit_record(
                action="update",
                instance=target,
                changes={"rotations": [sorted(before), sorted(wanted)]},
                reason=_("Rotations offered changed"),
            )
    return target
