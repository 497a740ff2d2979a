"""Reads of the institution: the university, its history, schools, programs, terms and sites."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from shafa.core.text import digits_to_ascii, digits_to_persian, normalize_persian

from .models import (
    ClinicalSite,
    County,
    Department,
    Milestone,
    Program,
    School,
    SiteKind,
    Term,
    University,
)


def _name_matches(search: str) -> Q:
    """A bilingual name or code containing `search`, whichever digit script either side uses."""
    text = normalize_persian(search)
    condition = Q(code__icontains=digits_to_ascii(search.strip())) | Q(
        name_en__icontains=digits_to_ascii(text)
    )
    for variant in {text, digits_to_ascii(text), digits_to_persian(digits_to_ascii(text))}:
        condition |= Q(name_fa__icontains=variant)
    return condition


def university_current() -> University | None:
    """The university these pages belong to (one per deployment)."""
    return University.objects.order_by("id").first()


def milestone_list(university: University | None) -> QuerySet[Milestone]:
    """The university's history, oldest first."""
    if university is None:
        return Milestone.objects.none()
    return Milestone.objects.filter(university=university).order_by("jalali_year", "id")


def institution_counts() -> dict[str, int]:
    """How many schools, active programs and active clinical sites there are (one query each)."""
    return {
        "schools": School.objects.count(),
        "programs": Program.objects.filter(is_active=True).count(),
        "sites": ClinicalSite.objects.filter(is_active=True).count(),
    }


def site_counts_by_kind() -> list[dict[str, Any]]:
    """Active clinical sites per kind, in the order of SiteKind, with the kind's label."""
    counts = dict(
        ClinicalSite.objects.filter(is_active=True)
        .values_list("kind")
        .annotate(total=Count("id"))
        .values_list("kind", "total")
    )
    return [
        {"kind": kind.value, "label": kind.label, "count": counts[kind.value]}
        for kind in SiteKind
        if counts.get(kind.value)
    ]


def site_counts_by_county_and_kind() -> list[SimpleNamespace]:
    """Active clinical sites per county and kind (the coordinator's overview)."""
    labels = dict(SiteKind.choices)
    rows = (
        ClinicalSite.objects.filter(is_active=True)
        .values("county_id", "county__name_fa", "county__name_en", "kind")
        .annotate(total=Count("id"))
        .order_by("county__name_fa", "kind")
    )
    counties: dict[int, dict[str, Any]] = {}
    for row in rows:
        county = counties.setdefault(
            row["county_id"],
            {"name_fa": row["county__name_fa"], "name_en": row["county__name_en"], "kinds": [], "total": 0},
        )
        county["kinds"].append(
            {"kind": row["kind"], "label": labels.get(row["kind"], row["kind"]), "count": row["total"]}
        )
        county["total"] += row["total"]
    # Objects, not dicts, so the templates' `bi` filter can pick the name in the active language.
    return [SimpleNamespace(**county) for county in counties.values()]


def county_list_with_sites() -> QuerySet[County]:
    """Counties that have clinical sites, each with its active sites prefetched."""
    sites = ClinicalSite.objects.filter(is_active=True).order_by("kind", "name_fa")
    return (
        County.objects.filter(clinical_sites__is_active=True)
        .distinct()
        .prefetch_related(Prefetch("clinical_sites", queryset=sites, to_attr="active_sites"))
        .order_by("name_fa")
    )


def county_list() -> QuerySet[County]:
    return County.objects.order_by("name_fa")


def school_list(*, search: str = "") -> QuerySet[School]:
    """Schools with their counts of departments and programs."""
    qs = School.objects.annotate(
        department_count=Count("departments", distinct=True),
        program_count=Count("programs", distinct=True),
    )
    if search:
        qs = qs.filter(_name_matches(search))
    return qs.order_by("founded_jalali_year", "code")


def school_get(pk: int) -> School | None:
    """A school with its departments and their programs."""
    departments = Department.objects.order_by("name_fa").prefetch_related(
        Prefetch("programs", queryset=Program.objects.order_by("code"))
    )
    return (
        School.objects.prefetch_related(
            Prefetch("departments", queryset=departments),
            Prefetch(
                "programs",
                queryset=Program.objects.filter(department__isnull=True).order_by("code"),
                to_attr="programs_without_department",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def department_get(pk: int) -> Department | None:
    return (
        Department.objects.select_related("school")
        .prefetch_related(Prefetch("programs", queryset=Program.objects.order_by("code")))
        .filter(pk=pk)
        .first()
    )


def program_list(
    *, search: str = "", school_id: int | None = None, degree_level: str = "", active_only: bool = False
) -> QuerySet[Program]:
    qs = Program.objects.select_related("school", "department")
    if search:
        qs = qs.filter(_name_matches(search))
    if school_id:
        qs = qs.filter(school_id=school_id)
    if degree_level:
        qs = qs.filter(degree_level=degree_level)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("school__founded_jalali_year", "school__code", "code")


def program_get(pk: int) -> Program | None:
    """A program with its school, department and phases."""
    return (
        Program.objects.select_related("school", "department")
        .prefetch_related("phases")
        .filter(pk=pk)
        .first()
    )


def term_list() -> QuerySet[Term]:
    return Term.objects.select_related("academic_year").order_by("-code")


def term_current(today: Any) -> Term | None:
    """The term whose dates contain `today`, if any."""
    return Term.objects.filter(start_date__lte=today, end_date__gte=today).order_by("-code").first()


def clinical_site_list(
    *,
    search: str = "",
    county_id: int | None = None,
    kind: str = "",
    governance: str = "",
    active_only: bool = False,
) -> QuerySet[ClinicalSite]:
    qs = ClinicalSite.objects.select_related("county")
    if search:
        qs = qs.filter(_name_matches(search))
    if county_id:
        qs = qs.filter(county_id=county_id)
    if kind:
        qs = qs.filter(kind=kind)
    if governance:
        qs = qs.filter(governance=governance)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("county__name_fa", "kind", "name_fa")


def clinical_site_get(pk: int) -> ClinicalSite | None:
    return ClinicalSite.objects.select_related("county", "university").filter(pk=pk).first()


def clinical_sites_by_ids(ids: list[int]) -> QuerySet[ClinicalSite]:
    return ClinicalSite.objects.select_related("county").filter(pk__in=ids).order_by("name_fa")
