"""Reads of clinical years, offerings and agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from shafa.clinical.access import site_scope
from shafa.clinical.models import (
    ClinicalYear,
    LearnerEnrollment,
    LearnerLeave,
    Offering,
    OfferingBlockCapacity,
    SiteAgreement,
)
from shafa.institution.models import ClinicalSite
from shafa.people.selectors.students import student_search


def year_list() -> QuerySet[ClinicalYear]:
    return (
        ClinicalYear.objects.select_related("program", "academic_year")
        .annotate(
            learner_count=Count("enrollments", distinct=True),
            block_count=Count("blocks", distinct=True),
            run_count=Count("runs", distinct=True),
        )
        .order_by("-academic_year__start_year", "program__code")
    )


def year_get(pk: int) -> ClinicalYear | None:
    return ClinicalYear.objects.select_related("program", "academic_year").filter(pk=pk).first()


def offerings_of_year(year: ClinicalYear) -> QuerySet[Offering]:
    return (
        Offering.objects.filter(year=year)
        .select_related("rotation", "site", "ward", "agreement")
        .prefetch_related(
            Prefetch(
                "block_capacities",
                queryset=OfferingBlockCapacity.objects.select_related("block").order_by("block__number"),
            )
        )
        .order_by("rotation__phase", "rotation__code", "site__name_fa")
    )


def learners_of_year(year: ClinicalYear, *, search: str = "") -> QuerySet[LearnerEnrollment]:
    """The year's enrolled learners (optionally matching `search`) with their leave."""
    qs = LearnerEnrollment.objects.filter(year=year)
    if search:
        qs = qs.filter(student_search(search, prefix="student__"))
    return (
        qs.select_related("student__person")
        .prefetch_related(
            Prefetch(
                "leaves", queryset=LearnerLeave.objects.select_related("block").order_by("block__number")
            )
        )
        .order_by("student__student_number")
    )


def agreements_expiring(days: int = 90, *, today: dt.date | None = None) -> QuerySet[SiteAgreement]:
    """Agreements that end within `days` (or have ended in the last 30) — shown as warnings."""
    today = today or timezone.localdate()
    return (
        SiteAgreement.objects.filter(
            ends_on__lte=today + dt.timedelta(days=days), ends_on__gte=today - dt.timedelta(days=30)
        )
        .select_related("site")
        .order_by("ends_on")
    )


def sites_visible_to(user: Any) -> QuerySet[ClinicalSite]:
    """Sites whose incoming learners `user` may see: their own as a preceptor, all for the coordinator."""
    qs = ClinicalSite.objects.filter(offerings__isnull=False)
    scope = site_scope(user)
    if scope is not None:
        qs = ClinicalSite.objects.filter(scope)
    return qs.select_related("county").distinct().order_by("name_fa")


def sites_of_year(year: ClinicalYear, *, phase: str = "") -> QuerySet[ClinicalSite]:
    """The sites where the year's rotations (of `phase`, when given) are offered."""
    qs = ClinicalSite.objects.filter(offerings__year=year)
    if phase:
        qs = qs.filter(offerings__rotation__phase=phase)
    return qs.distinct().order_by("name_fa")


def year_summary(year: ClinicalYear) -> dict[str, Any]:
    counts = ClinicalYear.objects.filter(pk=year.pk).aggregate(
        learners=Count("enrollments", distinct=True),
        eligible=Count("enrollments", filter=Q(enrollments__is_eligible=True), distinct=True),
        offerings=Count("offerings", distinct=True),
        blocks=Count("blocks", distinct=True),
    )
    return counts


def _agreements() -> QuerySet[SiteAgreement]:
    return (
        SiteAgreement.objects.select_related("site")
        .prefetch_related("rotations")
        .annotate(offering_count=Count("offerings"))
        .order_by("ends_on", "site__name_fa", "reference")
    )


def agreement_list(*, warn_days: int = 90, today: dt.date | None = None) -> list[SiteAgreement]:
    """Every agreement, the ones ending soonest first, each with `state` — "future", "active",
    "ending" (within `warn_days`) or "ended" — and the number of offerings that rely on it."""
    today = today or timezone.localdate()
    agreements = list(_agreements())
    for agreement in agreements:
        agreement.state = agreement_state(agreement, warn_days=warn_days, today=today)  # type: ignore[attr-defined]
    return agreements


def agreement_get(pk: int, *, warn_days: int = 90, today: dt.date | None = None) -> SiteAgreement | None:
    """One agreement as `agreement_list` gives it (state, offering count, rotations)."""
    agreement = _agreements().filter(pk=pk).first()
    if agreement is not None:
        agreement.state = agreement_state(agreement, warn_days=warn_days, today=today)  # type: ignore[attr-defined]
    return agreement


def agreement_state(agreement: SiteAgreement, *, warn_days: int = 90, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if agreement.starts_on > today:
        return "future"
    if agreement.ends_on < today:
        return "ended"
    if agreement.ends_on <= today + dt.timedelta(days=warn_days):
        return "ending"
    return "active"
