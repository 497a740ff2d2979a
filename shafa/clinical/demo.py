# ruff: noqa: E501  (the rotation tables read best one rotation per line)
"""The demo university's clinical year: MD externs and interns, and nursing students.

Called by the demo loader (`shafa/demo/`) after it has created the university's sites and
students: `load_clinical_year(university, rng, scale)`. Everything here is plausible, not real:
rotation lengths follow the usual Iranian MD curriculum in 4-week blocks, capacities follow the
hospitals' beds, and the learners' preferences are drawn from the seeded `rng`.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from shafa.core.audit import audit_context, audit_record
from shafa.institution.models import AcademicYear, ClinicalSite, PhaseKind, Program, SiteGovernance
from shafa.people.models import Student, StudentStatus

from .block_calendar import block_dates, official_holidays
from .models import (
    Block,
    BlockPreference,
    ClinicalYear,
    Holiday,
    LearnerEnrollment,
    LearnerLeave,
    Offering,
    RotationGroup,
    RotationPrecedence,
    RotationPreference,
    RotationType,
    SiteAgreement,
    SitePreference,
    Ward,
)

N_BLOCKS = 13
BLOCK_DAYS = 28
EXT, INT, CLIN = PhaseKind.EXTERNSHIP, PhaseKind.INTERNSHIP, PhaseKind.CLINICAL


@dataclass(frozen=True)
class RotationSpec:
    code: str
    phase: str
    blocks: int
    name_fa: str
    name_en: str
    sites: tuple[str, ...]  # site code suffixes, or "health_centre" / "hospital" for kinds
    group: str | None = None
    school_preference: int = 0


# MD: externship (کارآموزی) and internship (کارورزی) rotations in 4-week blocks.
MD_ROTATIONS = [
    RotationSpec("ext-internal", EXT, 2, "کارآموزی داخلی", "Internal medicine (extern)", ("velayat", "rajaee", "bu-ali-sina")),
    RotationSpec("ext-surgery", EXT, 2, "کارآموزی جراحی عمومی", "General surgery (extern)", ("rajaee", "velayat", "22-bahman")),
    RotationSpec("ext-paediatrics", EXT, 2, "کارآموزی کودکان", "Paediatrics (extern)", ("qods", "22-bahman")),
    RotationSpec("ext-obgyn", EXT, 2, "کارآموزی زنان و زایمان", "Obstetrics & gynaecology (extern)", ("kowsar", "22-bahman")),
    RotationSpec("ext-psychiatry", EXT, 1, "کارآموزی روان‌پزشکی", "Psychiatry (extern)", ("22-bahman",)),
    RotationSpec("ext-neurology", EXT, 1, "کارآموزی نورولوژی", "Neurology (extern)", ("bu-ali-sina", "velayat")),
    RotationSpec("ext-infectious", EXT, 1, "کارآموزی عفونی", "Infectious diseases (extern)", ("bu-ali-sina",)),
    RotationSpec("ext-dermatology", EXT, 1, "کارآموزی پوست", "Dermatology (extern)", ("clinic-specialty", "bu-ali-sina"), "ext-minor"),
    RotationSpec("ext-ent", EXT, 1, "کارآموزی گوش، حلق و بینی", "ENT (extern)", ("rajaee", "clinic-specialty"), "ext-minor"),
    RotationSpec("ext-ophthalmology", EXT, 1, "کارآموزی چشم", "Ophthalmology (extern)", ("bu-ali-sina", "clinic-specialty"), "ext-minor"),
    RotationSpec("ext-radiology", EXT, 1, "کارآموزی رادیولوژی", "Radiology (extern)", ("velayat", "rajaee"), "ext-minor"),
    RotationSpec("int-internal", INT, 2, "کارورزی داخلی", "Internal medicine (intern)", ("velayat", "rajaee", "bu-ali-sina", "hospital")),
    RotationSpec("int-surgery", INT, 2, "کارورزی جراحی", "Surgery (intern)", ("rajaee", "velayat", "hospital")),
    RotationSpec("int-paediatrics", INT, 2, "کارورزی کودکان", "Paediatrics (intern)", ("qods", "22-bahman", "hospital")),
    RotationSpec("int-obgyn", INT, 2, "کارورزی زنان و زایمان", "Obstetrics & gynaecology (intern)", ("kowsar", "22-bahman", "hospital")),
    RotationSpec("int-emergency", INT, 1, "کارورزی طب اورژانس", "Emergency medicine (intern)", ("rajaee", "velayat", "hospital")),
    RotationSpec("int-community", INT, 2, "کارورزی پزشکی اجتماعی (مرکز خدمات جامع سلامت)", "Community medicine at a health centre (intern)", ("health_centre",), None, 1),
    RotationSpec("int-psychiatry", INT, 1, "کارورزی روان‌پزشکی", "Psychiatry (intern)", ("22-bahman",), "int-elective"),
    RotationSpec("int-cardiology", INT, 1, "کارورزی قلب", "Cardiology (intern)", ("bu-ali-sina", "velayat"), "int-elective"),
    RotationSpec("int-anaesthesia", INT, 1, "کارورزی بیهوشی", "Anaesthesia (intern)", ("rajaee", "velayat"), "int-elective"),
    RotationSpec("int-orthopaedics", INT, 1, "کارورزی ارتوپدی", "Orthopaedics (intern)", ("rajaee",), "int-elective"),
    RotationSpec("int-infectious", INT, 1, "کارورزی عفونی", "Infectious diseases (intern)", ("bu-ali-sina",), "int-elective"),
]  # fmt: skip
MD_GROUPS = {
    "ext-minor": (EXT, 1, "کارآموزی‌های کوتاه (یکی)", "Minor specialties (one)"),
    "int-elective": (INT, 1, "کارورزی اختیاری (یکی)", "Intern elective (one)"),
}
MD_PRECEDENCES = [("ext-internal", "ext-infectious")]

NURSING_ROTATIONS = [
    RotationSpec("nur-medsurg", CLIN, 2, "کارآموزی در عرصهٔ داخلی و جراحی", "Medical-surgical nursing placement", ("velayat", "rajaee", "bu-ali-sina", "hospital")),
    RotationSpec("nur-paediatric", CLIN, 1, "کارآموزی در عرصهٔ کودکان", "Paediatric nursing placement", ("qods", "22-bahman")),
    RotationSpec("nur-maternal", CLIN, 1, "کارآموزی در عرصهٔ مادر و نوزاد", "Maternal and newborn nursing placement", ("kowsar",)),
    RotationSpec("nur-psychiatric", CLIN, 1, "کارآموزی در عرصهٔ روان", "Psychiatric nursing placement", ("22-bahman",)),
    RotationSpec("nur-community", CLIN, 2, "کارآموزی در عرصهٔ سلامت جامعه", "Community health nursing placement", ("health_centre",)),
    RotationSpec("nur-icu", CLIN, 1, "کارآموزی در عرصهٔ مراقبت‌های ویژه", "Critical care nursing placement", ("velayat", "rajaee")),
    RotationSpec("nur-emergency", CLIN, 1, "کارآموزی در عرصهٔ اورژانس", "Emergency nursing placement", ("rajaee", "velayat", "hospital")),
    RotationSpec("nur-or", CLIN, 1, "کارآموزی اتاق عمل", "Operating room placement", ("rajaee", "velayat"), "nur-elective"),
    RotationSpec("nur-dialysis", CLIN, 1, "کارآموزی دیالیز", "Dialysis unit placement", ("bu-ali-sina",), "nur-elective"),
    RotationSpec("nur-ccu", CLIN, 1, "کارآموزی سی‌سی‌یو", "Coronary care unit placement", ("bu-ali-sina", "velayat"), "nur-elective"),
]  # fmt: skip
NURSING_GROUPS = {"nur-elective": (CLIN, 1, "کارآموزی اختیاری (یکی)", "Elective placement (one)")}

MAX_LEARNERS = {"md": 320, "bsc-nursing": 160}


def _completed_terms(student: Student, first_year: int) -> int:
    """Terms a student has completed when the academic year `first_year` starts."""
    code = student.entry_term.code
    entry_year, number = code // 10, code % 10
    return (first_year - entry_year) * 2 - (1 if number == 2 else 0)


def _md_phase(completed: int) -> str | None:
    if 7 <= completed <= 10:
        return EXT
    if 11 <= completed <= 14:
        return INT
    return None


def _nursing_phase(completed: int) -> str | None:
    return CLIN if 4 <= completed <= 8 else None


def _sites_for(spec: RotationSpec, sites: list[ClinicalSite], rng: random.Random) -> list[ClinicalSite]:
    chosen: list[ClinicalSite] = []
    for key in spec.sites:
        if key == "health_centre":
            centres = [s for s in sites if s.kind == "health_centre"]
            urban = [s for s in centres if s.is_urban]
            rural = [s for s in centres if not s.is_urban]
            chosen += urban[:8] + rural[:6]
        elif key == "hospital":
            chosen += [
                s for s in sites if s.kind == "hospital" and s.governance == SiteGovernance.UNIVERSITY
            ][:3]
        else:
            chosen += [s for s in sites if s.code.endswith(key)]
    if not chosen:
        chosen = [s for s in sites if s.kind == "teaching_hospital"][:2]
    return list(dict.fromkeys(chosen))


def _capacities(demand_blocks: int, sites: list[ClinicalSite], slack: float = 1.8) -> dict[int, int]:
    """Seats per block at each site, by beds, with ~80% slack over demand (learners fill 12 of 13 blocks)."""
    per_block = max(1, math.ceil(demand_blocks * slack / N_BLOCKS))
    weights = [max(1, (s.beds or 20) if s.kind != "health_centre" else 10) for s in sites]
    total = sum(weights)
    caps = {s.pk: max(1, round(per_block * w / total)) for s, w in zip(sites, weights, strict=True)}
    while sum(caps.values()) < per_block:
        best = max(sites, key=lambda s: weights[sites.index(s)] / caps[s.pk])
        caps[best.pk] += 1
    return caps


@transaction.atomic
def load_clinical_year(
    university: Any, rng: random.Random, scale: Any = None, *, solve_seconds: float = 0
) -> list[ClinicalYear]:
    """Give the demo university this year's clinical years (MD externs and interns; nursing).

    Idempotent: a program whose clinical year exists is left alone. With `solve_seconds`, the
    engine also draws a first schedule and publishes it (so learners and sites see one).
    """
    academic_year = AcademicYear.objects.order_by("-start_year").first()
    if academic_year is None:
        return []
    sites = list(ClinicalSite.objects.filter(university=university, is_active=True).order_by("kind", "code"))
    years = []
    with audit_context(reason="demo: clinical year"):
        for code, specs, groups, precedences, phase_of in (
            ("md", MD_ROTATIONS, MD_GROUPS, MD_PRECEDENCES, _md_phase),
            ("bsc-nursing", NURSING_ROTATIONS, NURSING_GROUPS, [], _nursing_phase),
        ):
            program = Program.objects.filter(code=code, school__university=university).first()
            if (
                program is None
                or ClinicalYear.objects.filter(program=program, academic_year=academic_year).exists()
            ):
                continue
            years.append(
                _load_program_year(
                    program,
                    academic_year,
                    sites,
                    specs,
                    groups,
                    precedences,
                    phase_of,
                    rng,
                    MAX_LEARNERS[code],
                )
            )
        _agreements(university, sites, rng)
    if solve_seconds:
        publish_first_schedules(years, solve_seconds)
    return years


def publish_first_schedules(years: list[ClinicalYear], solve_seconds: float) -> None:
    """Draw a first schedule for each year with the engine and publish it when one is found."""
    from .models import SolverRun
    from .services.runs import run_execute, run_publish

    for year in years:
        run = SolverRun(
            year=year,
            variant_label="نسخهٔ نخست (نمایشی)",
            seed=1404,
            time_limit_seconds=max(1, int(solve_seconds)),
        )
        run.save()
        run_execute(run.pk)
        run.refresh_from_db()
        if run.has_schedule:
            run_publish(run=run)


def _load_program_year(
    program: Program,
    academic_year: AcademicYear,
    sites: list[ClinicalSite],
    specs: list[RotationSpec],
    groups: Mapping[str, tuple[Any, int, str, str]],
    precedences: list[tuple[str, str]],
    phase_of: Any,
    rng: random.Random,
    max_learners: int,
) -> ClinicalYear:
    group_rows = {}
    for gcode, (phase, count, fa, en) in groups.items():
        group_rows[gcode], _created = RotationGroup.objects.get_or_create(
            program=program,
            code=gcode,
            defaults={"phase": phase, "required_count": count, "name_fa": fa, "name_en": en},
        )
    rotations = {}
    for spec in specs:
        rotations[spec.code], _created = RotationType.objects.get_or_create(
            program=program,
            code=spec.code,
            defaults={
                "phase": spec.phase,
                "duration_blocks": spec.blocks,
                "name_fa": spec.name_fa,
                "name_en": spec.name_en,
                "group": group_rows.get(spec.group) if spec.group else None,
                "school_preference": spec.school_preference,
            },
        )
    for before, after in precedences:
        RotationPrecedence.objects.get_or_create(before=rotations[before], after=rotations[after])

    first_day = academic_year.start_date
    window_opens = timezone.now() - dt.timedelta(days=3)
    year = ClinicalYear.objects.create(
        program=program,
        academic_year=academic_year,
        max_rotations_per_site=3,
        preference_opens_at=window_opens,
        preference_closes_at=window_opens + dt.timedelta(days=17),
    )
    blocks = Block.objects.bulk_create(
        [
            Block(year=year, number=i + 1, start_date=first, end_date=last)
            for i, (first, last) in enumerate(block_dates(first_day, N_BLOCKS, BLOCK_DAYS))
        ]
    )
    holidays = [
        Holiday(year=year, date=date, name_fa=fa, name_en=en)
        for date, fa, en in official_holidays(first_day, blocks[-1].end_date)
    ]
    Holiday.objects.bulk_create(holidays)

    students = [
        s
        for s in Student.objects.filter(program=program, status=StudentStatus.ACTIVE)
        .select_related("entry_term", "person__user")
        .order_by("student_number")
        if phase_of(_completed_terms(s, academic_year.start_year))
    ]
    persona = [s for s in students if s.person.user_id]
    others = [s for s in students if not s.person.user_id]
    rng.shuffle(others)
    students = sorted(persona + others[: max(0, max_learners - len(persona))], key=lambda s: s.student_number)
    enrollments = []
    for s in students:
        phase = phase_of(_completed_terms(s, academic_year.start_year))
        eligible = not (phase == INT and not s.person.user_id and rng.random() < 0.04)
        enrollments.append(
            LearnerEnrollment(
                year=year,
                student=s,
                phase=phase,
                is_eligible=eligible,
                eligibility_reason="" if eligible else "آزمون جامع پیش‌کارورزی هنوز گذرانده نشده است",
            )
        )
    enrollments = LearnerEnrollment.objects.bulk_create(enrollments)
    by_phase: dict[str, list[LearnerEnrollment]] = {}
    for e in enrollments:
        if e.is_eligible:
            by_phase.setdefault(e.phase, []).append(e)

    offerings = []
    wards = []
    offered_sites: dict[int, list[ClinicalSite]] = {}
    for spec in specs:
        rot = rotations[spec.code]
        learners = len(by_phase.get(spec.phase, []))
        if not learners:
            continue
        group_size = sum(1 for other in specs if other.group == spec.group) if spec.group else 1
        demand = math.ceil(learners * spec.blocks / group_size)
        chosen = _sites_for(spec, sites, rng)
        offered_sites[rot.pk] = chosen
        for site in chosen:
            if site.kind in ("teaching_hospital", "hospital"):
                wards.append(
                    Ward(
                        site=site,
                        code=spec.code[:30],
                        name_fa=f"بخش {spec.name_fa.split(' ', 1)[-1]}",
                        name_en=spec.name_en,
                    )
                )
        for site_pk, cap in _capacities(demand, chosen).items():
            offerings.append(
                Offering(year=year, rotation=rot, site_id=site_pk, min_learners=0, max_learners=cap)
            )
    Ward.objects.bulk_create(wards, ignore_conflicts=True)
    Offering.objects.bulk_create(offerings)

    # Leave: about one learner in twenty is away for one block (never the persona).
    leaves = [
        LearnerLeave(enrollment=e, block=rng.choice(blocks[2:-2]), reason="مرخصی")
        for e in enrollments
        if e.is_eligible and not e.student.person.user_id and rng.random() < 0.05
    ]
    LearnerLeave.objects.bulk_create(leaves)

    # Preferences: three rotations, three sites, two blocks; the big teaching hospitals are popular.
    rot_prefs, site_prefs, block_prefs = [], [], []
    for e in enrollments:
        own = [rotations[s.code] for s in specs if s.phase == e.phase]
        for rank, rot in enumerate(rng.sample(own, k=min(3, len(own))), start=1):
            rot_prefs.append(RotationPreference(enrollment=e, rotation=rot, rank=rank))
        pool = list({site.pk: site for r in own for site in offered_sites.get(r.pk, [])}.values())
        weights = [(site.beds or 30) ** 1.2 for site in pool]
        picked: list[ClinicalSite] = []
        while pool and len(picked) < 3:
            site = rng.choices(pool, weights=weights)[0]
            i = pool.index(site)
            pool.pop(i)
            weights.pop(i)
            picked.append(site)
        for rank, site in enumerate(picked, start=1):
            site_prefs.append(SitePreference(enrollment=e, site=site, rank=rank))
        for rank, block in enumerate(rng.sample(blocks, k=2), start=1):
            block_prefs.append(BlockPreference(enrollment=e, block=block, rank=rank))
    RotationPreference.objects.bulk_create(rot_prefs)
    SitePreference.objects.bulk_create(site_prefs)
    BlockPreference.objects.bulk_create(block_prefs)
    audit_record(
        action="bulk_load",
        instance=year,
        changes={
            "enrollments": len(enrollments),
            "offerings": len(offerings),
            "blocks": len(blocks),
            "preferences": len(rot_prefs) + len(site_prefs) + len(block_prefs),
        },
    )
    return year


def _agreements(university: Any, sites: list[ClinicalSite], rng: random.Random) -> None:
    """An agreement for every site the university does not run; one ends soon (a warning)."""
    today = timezone.localdate()
    rows = []
    partner = [s for s in sites if s.governance == SiteGovernance.AGREEMENT]
    for i, site in enumerate(partner):
        if SiteAgreement.objects.filter(site=site).exists():
            continue
        ends = today + dt.timedelta(days=45) if i == 0 else today + dt.timedelta(days=rng.randint(200, 900))
        rows.append(
            SiteAgreement(
                site=site,
                reference=f"QUMS-CL-{1400 + i % 5}-{100 + i}",
                starts_on=ends - dt.timedelta(days=3 * 365),
                ends_on=ends,
                default_capacity=rng.choice((2, 3, 4)),
            )
        )
    SiteAgreement.objects.bulk_create(rows)
