"""Build the engine's Problem from a clinical year (one selector, a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from shafa.clinical.models import (
    Block,
    BlockPreference,
    ClinicalYear,
    LearnerEnrollment,
    LearnerLeave,
    ManualLock,
    Offering,
    OfferingBlockCapacity,
    RotationGroup,
    RotationPrecedence,
    RotationPreference,
    RotationType,
    SitePreference,
)
from shafa.clinical.scheduling.problem import (
    Learner,
    Lock,
    Precedence,
    Problem,
    Rotation,
    Site,
    Weights,
)
from shafa.clinical.scheduling.problem import (
    Offering as EngineOffering,
)
from shafa.core.jalali import format_jalali_iso

# The coordinator's weights: a rotation choice counts twice a site choice; every change of site
# and every idle block before the last rotation cost one point.
LEARNER_WEIGHTS = Weights(rotation=2, site=1, change=-1, wait=-1)


@dataclass
class ProblemBundle:
    """The engine's Problem and what the Django side needs to map its answer back."""

    problem: Problem
    year: ClinicalYear
    blocks: list[Block]
    rotations: dict[int, RotationType]
    sites: dict[int, Any]
    enrollments: dict[int, LearnerEnrollment]
    ineligible: list[LearnerEnrollment] = field(default_factory=list)
    offerings: dict[tuple[int, int], Offering] = field(default_factory=dict)
    groups: dict[int, RotationGroup] = field(default_factory=dict)


def group_key(group_id: int | None) -> str | None:
    """Elective groups are "g<pk>" in the engine, so they never collide with rotation ids."""
    return None if group_id is None else f"g{group_id}"


def _rank_scores(ranked: list[tuple[Any, int]]) -> dict[Any, int]:
    """Ranks 1..n → scores n..1 (first choice scores most); unranked scores 0."""
    n = len(ranked)
    return {key: n - rank + 1 for key, rank in ranked if 1 <= rank <= n}


def problem_for_year(
    year: ClinicalYear | int,
    *,
    extra_leaves: dict[int, set[int]] | None = None,
    capacity_overrides: dict[tuple[int, int, int], int] | None = None,
) -> ProblemBundle:
    """The year's Problem: eligible learners, offerings with per-block capacities, prefs and locks.

    `extra_leaves` ({enrollment: {block index}}) and `capacity_overrides` ({(rotation, site, block
    index): max}) let a re-plan try an event before it is saved.
    """
    if not isinstance(year, ClinicalYear):
        year = ClinicalYear.objects.select_related("program", "academic_year").get(pk=year)
    blocks = list(Block.objects.filter(year=year).order_by("number"))
    n_blocks = len(blocks)
    block_index = {b.pk: b.number - 1 for b in blocks}
    rotations = {
        r.pk: r for r in RotationType.objects.filter(program_id=year.program_id).order_by("phase", "code")
    }
    groups = {g.pk: g for g in RotationGroup.objects.filter(program_id=year.program_id)}
    precedences = list(
        RotationPrecedence.objects.filter(before__program_id=year.program_id).values_list(
            "before_id", "after_id"
        )
    )
    offerings = list(
        Offering.objects.filter(year=year).select_related("site").order_by("rotation_id", "site_id")
    )
    overrides: dict[int, dict[int, OfferingBlockCapacity]] = defaultdict(dict)
    for cap in OfferingBlockCapacity.objects.filter(offering__year=year):
        overrides[cap.offering_id][block_index[cap.block_id]] = cap
    enrollments = list(
        LearnerEnrollment.objects.filter(year=year)
        .select_related("student__person")
        .order_by("student__student_number")
    )
    leaves: dict[int, set[int]] = defaultdict(set)
    for enr_id, block_id in LearnerLeave.objects.filter(enrollment__year=year).values_list(
        "enrollment_id", "block_id"
    ):
        leaves[enr_id].add(block_index[block_id])
    for enr_id, extra in (extra_leaves or {}).items():
        leaves[enr_id] |= set(extra)
    rot_prefs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for enr_id, rot_id, rank in RotationPreference.objects.filter(enrollment__year=year).values_list(
        "enrollment_id", "rotation_id", "rank"
    ):
        rot_prefs[enr_id].append((rot_id, rank))
    site_prefs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for enr_id, site_id, rank in SitePreference.objects.filter(enrollment__year=year).values_list(
        "enrollment_id", "site_id", "rank"
    ):
        site_prefs[enr_id].append((site_id, rank))
    block_prefs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for enr_id, block_id, rank in BlockPreference.objects.filter(enrollment__year=year).values_list(
        "enrollment_id", "block_id", "rank"
    ):
        block_prefs[enr_id].append((block_index[block_id], rank))
    locks = list(
        ManualLock.objects.filter(enrollment__year=year).values_list(
            "enrollment_id", "rotation_id", "site_id", "start_block_id"
        )
    )

    sites: dict[int, Any] = {}
    engine_offerings = []
    offering_map: dict[tuple[int, int], Offering] = {}
    for off in offerings:
        sites.setdefault(off.site_id, off.site)
        offering_map[(off.rotation_id, off.site_id)] = off
        mins, maxs = [off.min_learners] * n_blocks, [off.max_learners] * n_blocks
        for t, cap in overrides.get(off.pk, {}).items():
            mins[t], maxs[t] = cap.min_learners, cap.max_learners
        for (rot_id, site_id, t), new_max in (capacity_overrides or {}).items():
            if (rot_id, site_id) == (off.rotation_id, off.site_id):
                maxs[t] = new_max
                mins[t] = min(mins[t], new_max)
        engine_offerings.append(EngineOffering(off.rotation_id, off.site_id, maxs, mins))

    learners = []
    eligible: dict[int, LearnerEnrollment] = {}
    ineligible = []
    for enr in enrollments:
        if not enr.is_eligible:
            ineligible.append(enr)
            continue
        eligible[enr.pk] = enr
        own = {r.pk for r in rotations.values() if r.phase == enr.phase}
        counts: dict[Any, int] = {
            r.pk: 0 for r in rotations.values() if r.group_id is None and r.pk not in own
        }
        for g in groups.values():
            counts[group_key(g.pk)] = g.required_count if g.phase == enr.phase else 0
        learners.append(
            Learner(
                id=enr.pk,
                name=enr.student.person.full_name_fa,
                group_counts=counts,
                allowed_rotations=frozenset(own),
                unavailable_blocks=frozenset(t for t in leaves.get(enr.pk, ()) if 0 <= t < n_blocks),
                rotation_pref=_rank_scores(rot_prefs.get(enr.pk, [])),
                site_pref=_rank_scores(site_prefs.get(enr.pk, [])),
                block_pref=_rank_scores(block_prefs.get(enr.pk, [])),
                weights=LEARNER_WEIGHTS,
            )
        )
    problem = Problem(
        n_blocks=n_blocks,
        rotations=[
            Rotation(r.pk, r.duration_blocks, group_key(r.group_id), r.school_preference, r.name_fa)
            for r in rotations.values()
        ],
        sites=[Site(pk, site.name_fa) for pk, site in sites.items()],
        learners=learners,
        offerings=engine_offerings,
        precedences=[Precedence(b, a) for b, a in precedences],
        locks=[
            Lock(enr_id, rot_id, site_id, block_index[block_id])
            for enr_id, rot_id, site_id, block_id in locks
            if enr_id in eligible and site_id in sites
        ],
        max_rotations_per_site=year.max_rotations_per_site,
        block_labels=[f"{b.number} ({format_jalali_iso(b.start_date)})" for b in blocks],
        name=str(year),
    )
    return ProblemBundle(problem, year, blocks, rotations, sites, eligible, ineligible, offering_map, groups)


def ineligible_warning(enrollment: LearnerEnrollment) -> str:
    return _("%(learner)s is not eligible and is left out: %(reason)s") % {
        "learner": enrollment.student.person.full_name,
        "reason": enrollment.eligibility_reason,
    }
