"""Reads of solver runs: lists, comparisons, findings in words, and schedules as grids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from shafa.clinical.access import assignment_scope
from shafa.clinical.models import (
    Assignment,
    Block,
    ClinicalYear,
    LearnerEnrollment,
    RotationGroup,
    RotationType,
    SolverRun,
    SwapRequest,
    SwapStatus,
)
from shafa.clinical.services.explanations import NameBook, explain
from shafa.institution.models import ClinicalSite


def run_list_for_year(year: ClinicalYear) -> QuerySet[SolverRun]:
    """The year's runs, newest first, with their assignment counts."""
    return (
        SolverRun.objects.filter(year=year)
        .select_related("created_by", "parent")
        .annotate(assignment_count=Count("assignments"))
        .order_by("-created_at", "-id")
    )


def run_get(pk: int) -> SolverRun | None:
    return (
        SolverRun.objects.select_related("year__program", "year__academic_year", "parent")
        .filter(pk=pk)
        .first()
    )


def published_run(year: ClinicalYear) -> SolverRun | None:
    return SolverRun.objects.filter(year=year, published=True).first()


def name_book(year: ClinicalYear, *, learner_ids: Any = None) -> NameBook:
    """Names for the engine's ids in one year (four queries)."""
    enrollments = LearnerEnrollment.objects.filter(year=year).select_related("student__person")
    if learner_ids is not None:
        enrollments = enrollments.filter(pk__in=list(learner_ids))
    return NameBook(
        rotations={r.pk: r for r in RotationType.objects.filter(program_id=year.program_id)},
        sites={s.pk: s for s in ClinicalSite.objects.filter(offerings__year=year).distinct()},
        learners={e.pk: e for e in enrollments},
        groups={f"g{g.pk}": g for g in RotationGroup.objects.filter(program_id=year.program_id)},
        blocks=list(Block.objects.filter(year=year).order_by("number")),
    )


EXTRA_TEXTS = {
    "empty_calendar": gettext_noop("The clinical year has no blocks; add its block calendar first."),
    "calendar_gap": gettext_noop("The block calendar has a gap at %(block)s."),
    "calendar_overlap": gettext_noop("%(block)s starts before the previous block ends."),
    "no_learners": gettext_noop("No eligible learner is enrolled in this clinical year."),
    "no_offerings": gettext_noop("This clinical year has no offerings."),
    "learner_ineligible": gettext_noop("%(learner)s is not eligible and was left out: %(reason)s"),
}


def findings_in_words(findings: list[dict[str, Any]], book: NameBook) -> list[dict[str, Any]]:
    out = []
    for item in findings:
        code, params = item.get("code", ""), item.get("params", {}) or {}
        if code in EXTRA_TEXTS:
            values = {
                k: (
                    book.block(v) if k == "block" else book.name_of(book.learners, v) if k == "learner" else v
                )
                for k, v in params.items()
            }
            text = _(EXTRA_TEXTS[code]) % values if values else _(EXTRA_TEXTS[code])
        else:
            text = explain(code, params, book, fallback=item.get("message", ""))
        out.append({**item, "text": text})
    return out


def run_explanations(run: SolverRun, book: NameBook | None = None) -> list[dict[str, Any]]:
    """The run's findings (why no schedule, who was left out) in the active language."""
    return findings_in_words(run.explanations or [], book or name_book(run.year))


def run_moves(run: SolverRun, book: NameBook | None = None) -> list[dict[str, Any]]:
    """Who moved in a re-plan, with names."""
    book = book or name_book(run.year)
    return [
        {
            **move,
            "learner_name": book.name_of(book.learners, move["learner"]),
            "rotation_name": book.name_of(book.rotations, move["rotation"]),
            "from_site_name": book.name_of(book.sites, move["from_site"]) if move.get("from_site") else "—",
            "to_site_name": book.name_of(book.sites, move["to_site"]),
        }
        for move in run.moved or []
    ]


def run_compare(runs: list[SolverRun]) -> list[dict[str, Any]]:
    """Variants side by side: objective, gap, shortfall, worst-off, total, choices histogram."""
    rows = []
    for run in runs:
        hist = run.histogram or {}
        rotation_ranks = hist.get("rotation_choice_rank", {}) or {}
        site_ranks = hist.get("site_choice_rank", {}) or {}
        rows.append(
            {
                "run": run,
                "objective": run.objective,
                "bound": run.bound,
                "gap": run.gap,
                "shortfall": run.shortfall,
                "worst": run.worst_satisfaction,
                "total": run.total_satisfaction,
                "rotation_ranks": sorted(
                    ((int(k), v) for k, v in rotation_ranks.items()), key=lambda kv: kv[0]
                ),
                "site_ranks": sorted(((int(k), v) for k, v in site_ranks.items()), key=lambda kv: kv[0]),
                "first_choice_rotations": rotation_ranks.get("1", 0),
                "learners": sum(rotation_ranks.values()),
                "first_choice_sites": site_ranks.get("1", 0),
            }
        )
    most = max((n for row in rows for _rank, n in row["rotation_ranks"]), default=0) or 1
    for row in rows:
        row["rotation_bars"] = [(rank, n, round(100 * n / most)) for rank, n in row["rotation_ranks"]]
    return rows


@dataclass
class GridRow:
    enrollment: LearnerEnrollment
    cells: list[Any] = field(default_factory=list)  # one per block: Assignment or None

    @property
    def spans(self) -> list[tuple[Any, int]]:
        """(assignment or None, number of blocks) — a multi-block rotation is one wide cell."""
        out: list[tuple[Any, int]] = []
        i = 0
        while i < len(self.cells):
            cell = self.cells[i]
            width = 1
            while cell is not None and i + width < len(self.cells) and self.cells[i + width] is cell:
                width += 1
            out.append((cell, width))
            i += width
        return out


def schedule_grid(
    run: SolverRun, *, user: Any = None, site_id: int | None = None
) -> tuple[list[Block], list[GridRow]]:
    """The run as a learner × block grid (what `user` may see; a site's learners with `site_id`)."""
    blocks = list(Block.objects.filter(year_id=run.year_id).order_by("number"))
    assignments = Assignment.objects.filter(run=run).select_related(
        "enrollment__student__person", "rotation", "site"
    )
    if user is not None:
        scope = assignment_scope(user)
        if scope is not None:
            assignments = assignments.filter(scope).distinct()
    if site_id is not None:
        assignments = assignments.filter(site_id=site_id)
    rows: dict[int, GridRow] = {}
    for a in assignments.order_by("enrollment__student__student_number", "start"):
        row = rows.setdefault(a.enrollment_id, GridRow(a.enrollment, [None] * len(blocks)))
        for number in range(a.start, a.end + 1):
            if 1 <= number <= len(blocks):
                row.cells[number - 1] = a
    return blocks, list(rows.values())


def assignments_visible_to(user: Any, *, run: SolverRun | None = None) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("enrollment__student__person", "rotation", "site", "run__year")
    scope = assignment_scope(user)
    if scope is not None:
        qs = qs.filter(scope).distinct()
    if run is not None:
        qs = qs.filter(run=run)
    return qs.order_by("run_id", "enrollment__student__student_number", "start")


def my_enrollments(user: Any) -> QuerySet[LearnerEnrollment]:
    if not getattr(user, "is_authenticated", False):
        return LearnerEnrollment.objects.none()
    return (
        LearnerEnrollment.objects.filter(student__person__user=user)
        .select_related("year__program", "year__academic_year", "student__person")
        .order_by("-year__academic_year__start_year")
    )


def my_schedule(enrollment: LearnerEnrollment) -> list[dict[str, Any]]:
    """A learner's published rotations with their dates (block starts and ends)."""
    run = published_run(enrollment.year)
    if run is None:
        return []
    blocks = {b.number: b for b in Block.objects.filter(year_id=enrollment.year_id)}
    out = []
    pending = set(
        SwapRequest.objects.filter(enrollment=enrollment, status=SwapStatus.PENDING).values_list(
            "assignment_id", flat=True
        )
    )
    for a in (
        Assignment.objects.filter(run=run, enrollment=enrollment)
        .select_related("rotation", "site")
        .order_by("start")
    ):
        first, last = blocks.get(a.start), blocks.get(a.end)
        out.append(
            {
                "assignment": a,
                "first_block": first,
                "last_block": last,
                "starts": first.start_date if first else None,
                "ends": last.end_date if last else None,
                "swap_pending": a.pk in pending,
            }
        )
    return out


def swap_queue(year: ClinicalYear) -> QuerySet[SwapRequest]:
    """The year's swap requests, pending first."""
    pending_first = Case(When(status=SwapStatus.PENDING, then=Value(0)), default=Value(1))
    return (
        SwapRequest.objects.filter(run__year=year)
        .select_related(
            "enrollment__student__person", "assignment__rotation", "assignment__site", "wanted_site"
        )
        .order_by(pending_first, "-created_at")
    )


def current_and_next(user: Any, *, today: Any = None, limit: int = 2) -> list[dict[str, Any]]:
    """A learner's published placements that have not ended, soonest first (home dashboard)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    out: list[dict[str, Any]] = []
    for enrollment in my_enrollments(user):
        for row in my_schedule(enrollment):
            if row["ends"] is not None and row["ends"] >= today:
                out.append({**row, "year": enrollment.year, "is_current": row["starts"] <= today})
    out.sort(key=lambda row: row["starts"])
    return out[:limit]


def arrivals_at_my_sites(user: Any, *, today: Any = None, limit: int = 30) -> list[dict[str, Any]]:
    """Published placements at a preceptor's sites running now or starting within five weeks."""
    from django.utils import timezone

    today = today or timezone.localdate()
    blocks: dict[tuple[int, int], Block] = {
        (b.year_id, b.number): b
        for b in Block.objects.filter(year__runs__published=True, end_date__gte=today).distinct()
    }
    qs = Assignment.objects.filter(
        run__published=True, site__preceptors__person__user=user, site__preceptors__is_active=True
    ).select_related("enrollment__student__person", "rotation", "site", "run")
    out: list[dict[str, Any]] = []
    for a in qs.distinct().order_by("start", "site__name_fa")[:500]:
        first, last = blocks.get((a.run.year_id, a.start)), blocks.get((a.run.year_id, a.end))
        if last is None or first is None or first.start_date > today + dt.timedelta(days=35):
            continue
        out.append({"assignment": a, "starts": first.start_date, "ends": last.end_date})
    out.sort(key=lambda row: (row["starts"], row["assignment"].site.name_fa))
    return out[:limit]
