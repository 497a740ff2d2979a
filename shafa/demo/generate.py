"""Build the demo university: structure, calendar, sites and fictional people, deterministically.

One seeded `random.Random` drives every choice, so two loads with the same scale and seed give the
same people. The mass of people is written with `bulk_create` (which bypasses `AuditedModel.save`),
so each model loaded gets ONE `bulk_load` audit event; the persona accounts go through the
ordinary services. The whole load is one transaction: a failure leaves nothing half-loaded.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shafa.accounts.models import Role, User
from shafa.core.audit import audit_context, audit_record
from shafa.core.jalali import to_gregorian
from shafa.core.models import AuditEvent
from shafa.core.text import digits_to_persian
from shafa.core.validators import national_code_with_check_digit
from shafa.institution.models import (
    AcademicYear,
    Campus,
    ClinicalSite,
    County,
    Department,
    Milestone,
    Program,
    ProgramPhase,
    School,
    Term,
    University,
)
from shafa.people.models import FacultyMember, Person, Preceptor, StaffMember, Student, StudentStatus
from shafa.people.services.persons import faculty_create, preceptor_create, staff_create, student_create

from . import data

DEFAULT_SEED = 1363
BATCH_SIZE = 1000
CURRENT_TERM_CODE = data.LAST_YEAR * 10 + 1
MARKER_REPR = "shafa demo"
STAFF_NUMBER_PREFIX = "90"
FACULTY_NUMBER_PREFIX = "71"


@dataclass(frozen=True)
class Scale:
    students: int
    faculty: int
    staff: int
    external_preceptors: int


# The demo draws and publishes a first rotation schedule so learners and sites see one at once;
# the small scale (used by the tests) leaves the clinical year unsolved.
CLINICAL_SOLVE_SECONDS = {"small": 0, "qums": 15, "large": 30}

SCALES = {
    "small": Scale(students=200, faculty=40, staff=12, external_preceptors=20),
    "qums": Scale(students=5000, faculty=500, staff=120, external_preceptors=150),
    "large": Scale(students=25000, faculty=1500, staff=300, external_preceptors=400),
}


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    first_name_fa: str
    last_name_fa: str
    first_name_en: str
    last_name_en: str
    sex: str
    office_fa: str = ""
    office_en: str = ""


PERSONAS = [
    Persona("registrar", Role.REGISTRAR, "مریم", "صادقی", "Maryam", "Sadeghi", "F",
            "اداره آموزش", "Registrar's Office"),
    Persona("leadership", Role.LEADERSHIP, "حسن", "حسینی", "Hassan", "Hosseini", "M",
            "ریاست دانشگاه", "Chancellor's Office"),
    Persona("faculty", Role.FACULTY, "محمد", "تهرانی", "Mohammad", "Tehrani", "M"),
    Persona("student", Role.STUDENT, "سارا", "محمدی", "Sara", "Mohammadi", "F"),
    Persona("coordinator", Role.CLINICAL_COORDINATOR, "نازنین", "کاظمی", "Nazanin", "Kazemi", "F",
            "مرکز مهارت‌های بالینی و آموزش بالینی", "Clinical Education Office"),
    Persona("preceptor", Role.PRECEPTOR, "زهرا", "کریمی", "Zahra", "Karimi", "F"),
    Persona("research", Role.RESEARCH_OFFICE, "امید", "نوری", "Omid", "Nouri", "M",
            "معاونت تحقیقات و فناوری", "Research Office"),
    Persona("graduates", Role.GRADUATES_OFFICE, "لیلا", "عباسی", "Leila", "Abbasi", "F",
            "دفتر دانش‌آموختگان و طرح نیروی انسانی", "Graduates and Workforce Office"),
    Persona("admin", Role.ADMINISTRATOR, "کاوه", "رستمی", "Kaveh", "Rostami", "M",
            "مرکز فناوری اطلاعات", "IT Centre"),
]  # fmt: skip
STAFF_PERSONAS = [p for p in PERSONAS if p.office_fa]


def orcid_with_check(first_fifteen: str) -> str:
    """Complete 15 digits with their ISO 7064 11,2 check character and hyphenate."""
    total = 0
    for char in first_fifteen:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    digits = first_fifteen + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


PERSONA_ORCID = orcid_with_check("000000021363140")


class DemoError(Exception):
    """The demo cannot be loaded or reset as asked (another scale is loaded, records refer to it)."""


@dataclass
class LoadResult:
    scale: str
    seed: int
    already_loaded: bool = False
    counts: dict[str, int] = field(default_factory=dict)


# --- status ---------------------------------------------------------------------------------------


def demo_university() -> University | None:
    return University.objects.filter(code=data.UNIVERSITY["code"], is_demo=True).first()


def loaded_scale() -> tuple[str, int] | None:
    """(scale, seed) of the demo in the database, or None when no demo is loaded."""
    university = demo_university()
    if university is None:
        return None
    marker = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.BULK_LOAD,
            model_label=University._meta.label,
            object_id=str(university.pk),
            object_repr=MARKER_REPR,
        )
        .order_by("-id")
        .first()
    )
    if marker is None:
        return ("unknown", 0)
    return (str(marker.changes.get("scale", "unknown")), int(marker.changes.get("seed", 0)))


def persona_logins() -> list[tuple[str, str, str]]:
    """(role, username, full name) for every persona account that exists."""
    users = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])}
    rows = []
    for persona in PERSONAS:
        if persona.username in users:
            rows.append(
                (str(persona.role), persona.username, f"{persona.first_name_fa} {persona.last_name_fa}")
            )
    return rows


def demo_counts(university: University | None = None) -> dict[str, int]:
    university = university or demo_university()
    if university is None:
        return {}
    students = Student.objects.filter(program__school__university=university)
    return {
        "schools": School.objects.filter(university=university).count(),
        "departments": Department.objects.filter(school__university=university).count(),
        "programs": Program.objects.filter(school__university=university).count(),
        "program_phases": ProgramPhase.objects.filter(program__school__university=university).count(),
        "milestones": Milestone.objects.filter(university=university).count(),
        "academic_years": AcademicYear.objects.filter(
            start_year__gte=data.FIRST_YEAR, start_year__lte=data.LAST_YEAR
        ).count(),
        "terms": Term.objects.filter(
            code__gte=data.FIRST_YEAR * 10, code__lte=data.LAST_YEAR * 10 + 3
        ).count(),
        "counties": County.objects.filter(province_fa=data.UNIVERSITY["province_fa"]).count(),
        "campuses": Campus.objects.filter(university=university).count(),
        "clinical_sites": ClinicalSite.objects.filter(university=university).count(),
        "persons": _demo_person_ids_query(university).count(),
        "students": students.count(),
        "students_active": students.filter(status=StudentStatus.ACTIVE).count(),
        "faculty": FacultyMember.objects.filter(department__school__university=university).count(),
        "staff": _demo_staff(university).count(),
        "preceptors": Preceptor.objects.filter(site__university=university).count(),
    }


# --- people ---------------------------------------------------------------------------------------


class PeopleMaker:
    """Fictional persons with unique valid national codes, drawn from one seeded generator."""

    def __init__(self, rng: random.Random, taken_codes: Iterable[str] = ()) -> None:
        self.rng = rng
        self.codes: set[str] = set(taken_codes)

    def national_code(self) -> str:
        while True:
            first_nine = f"{self.rng.randrange(10**9):09d}"
            code = national_code_with_check_digit(first_nine)
            if len(set(code)) > 1 and code not in self.codes:
                self.codes.add(code)
                return code

    def birth_date(self, gregorian_year: int) -> dt.date:
        return dt.date(gregorian_year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def person(self, *, sex: str, birth_year: int) -> Person:
        first = self.rng.choice(data.FEMALE_NAMES if sex == "F" else data.MALE_NAMES)
        last = self.rng.choice(data.LAST_NAMES)
        return Person(
            national_code=self.national_code(),
            first_name_fa=first[0], first_name_en=first[1],
            last_name_fa=last[0], last_name_en=last[1],
            sex=sex, birth_date=self.birth_date(birth_year),
        )  # fmt: skip

    def persona_data(self, persona: Persona, birth_year: int) -> dict[str, Any]:
        return {
            "national_code": self.national_code(),
            "first_name_fa": persona.first_name_fa, "last_name_fa": persona.last_name_fa,
            "first_name_en": persona.first_name_en, "last_name_en": persona.last_name_en,
            "sex": persona.sex, "birth_date": self.birth_date(birth_year),
            "email": f"{persona.username}@demo.shafa.invalid",
        }  # fmt: skip


def _gregorian_year(jalali_year: int) -> int:
    return jalali_year + 621


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder; deterministic)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _bulk(model: type[models.Model], rows: list[Any], *, scale: str, seed: int) -> list[Any]:
    """bulk_create in batches and record the one audit event that stands for the rows."""
    created = model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    if created:
        audit_record(
            action=AuditEvent.Action.BULK_LOAD,
            model_label=model._meta.label,
            object_repr=f"{MARKER_REPR}: {len(created)} {model._meta.verbose_name_plural}",
            changes={"count": len(created), "scale": scale, "seed": seed},
        )
    return created


# --- the load -------------------------------------------------------------------------------------


def load(*, scale: str = "small", seed: int = DEFAULT_SEED, password: str) -> LoadResult:
    """Load the demo university at `scale`; a second call with a demo already loaded changes nothing."""
    if scale not in SCALES:
        raise DemoError(_("Unknown scale: %(scale)s") % {"scale": scale})
    if University.objects.filter(code=data.UNIVERSITY["code"], is_demo=False).exists():
        raise DemoError(
            _("A real university with code %(code)s exists; the demo will not touch it.")
            % {"code": data.UNIVERSITY["code"]}
        )
    existing = loaded_scale()
    if existing is not None:
        if existing[0] != scale:
            raise DemoError(
                _("A demo at scale %(scale)s is already loaded; use --reset to replace it.")
                % {"scale": existing[0]}
            )
        return LoadResult(scale=scale, seed=existing[1], already_loaded=True, counts=demo_counts())
    with transaction.atomic(), audit_context(reason=f"shafa demo --scale {scale} --seed {seed}"):
        builder = _Builder(scale=scale, seed=seed, password=password)
        builder.run()
        return LoadResult(scale=scale, seed=seed, counts=demo_counts(builder.university))


class _Builder:
    def __init__(self, *, scale: str, seed: int, password: str) -> None:
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.seed = seed
        self.password = password
        self.rng = random.Random(seed)
        self.people = PeopleMaker(self.rng, Person.objects.values_list("national_code", flat=True))
        self.schools: dict[str, School] = {}
        self.departments: dict[str, Department] = {}
        self.programs: dict[str, Program] = {}
        self.terms: dict[int, Term] = {}
        self.counties: dict[str, County] = {}
        self.sites: list[ClinicalSite] = []

    def bulk(self, model: type[models.Model], rows: list[Any]) -> list[Any]:
        return _bulk(model, rows, scale=self.scale_name, seed=self.seed)

    def run(self) -> None:
        self.university_and_history()
        self.calendar()
        self.structure()
        self.places()
        self.faculty_persona = self.create_faculty_persona()
        self.plan_faculty_and_staff()
        self.plan_students()
        self.plan_preceptors()
        self.write_people()
        self.create_other_personas()
        self.set_persona_passwords()
        self.teaching_and_clinical_year()
        audit_record(
            action=AuditEvent.Action.BULK_LOAD,
            model_label=University._meta.label,
            object_id=str(self.university.pk),
            object_repr=MARKER_REPR,
            changes={"scale": self.scale_name, "seed": self.seed, "note": data.DEMO_NOTE_EN},
        )

    def teaching_and_clinical_year(self) -> None:
        """Curricula and this term's sections (academics), then this year's clinical years."""
        from shafa.academics.demo import load_curricula
        from shafa.academics.grades_demo import load_grade_history, load_grading
        from shafa.clinical.demo import load_clinical_year

        load_curricula(self.university, random.Random(self.seed + 1), self.scale_name)
        load_grading(self.university, random.Random(self.seed + 3), self.scale_name)
        load_grade_history(self.university, random.Random(self.seed + 4), self.scale_name)
        load_clinical_year(
            self.university,
            random.Random(self.seed + 2),
            self.scale_name,
            solve_seconds=CLINICAL_SOLVE_SECONDS[self.scale_name],
        )

    # University, milestones ----------------------------------------------------------------------
    def university_and_history(self) -> None:
        u = data.UNIVERSITY
        self.university = University(
            code=u["code"], name_fa=u["name_fa"], name_en=u["name_en"],
            founded_on=to_gregorian(*data.FOUNDED_JALALI),
            city_fa=u["city_fa"], city_en=u["city_en"],
            province_fa=u["province_fa"], province_en=u["province_en"], is_demo=True,
        )  # fmt: skip
        self.university.full_clean()
        self.university.save()
        rows = []
        for year, kind, title_fa, title_en, text_fa, text_en, reconstructed in data.MILESTONES:
            rows.append(Milestone(
                university=self.university, jalali_year=year, kind=kind,
                title_fa=title_fa, title_en=title_en,
                text_fa=text_fa + (data.RECONSTRUCTED_FA if reconstructed else ""),
                text_en=text_en + (data.RECONSTRUCTED_EN if reconstructed else ""),
            ))  # fmt: skip
        self.bulk(Milestone, rows)

    # Academic years and terms --------------------------------------------------------------------
    def calendar(self) -> None:
        years = {
            y.start_year: y
            for y in AcademicYear.objects.filter(
                start_year__gte=data.FIRST_YEAR, start_year__lte=data.LAST_YEAR
            )
        }
        missing = [
            AcademicYear(start_year=y, start_date=to_gregorian(y, 7, 1),
                         end_date=to_gregorian(y + 1, 6, 31))
            for y in range(data.FIRST_YEAR, data.LAST_YEAR + 1) if y not in years
        ]  # fmt: skip
        for year in self.bulk(AcademicYear, missing):
            years[year.start_year] = year
        self.terms = {
            t.code: t
            for t in Term.objects.filter(code__gte=data.FIRST_YEAR * 10, code__lte=data.LAST_YEAR * 10 + 3)
        }
        rows = []
        for y in range(data.FIRST_YEAR, data.LAST_YEAR + 1):
            spans = {
                1: (to_gregorian(y, 7, 1), to_gregorian(y, 10, 30)),  # Mehr – Dey
                2: (to_gregorian(y, 11, 1), to_gregorian(y + 1, 3, 31)),  # Bahman – Khordad
                3: (to_gregorian(y + 1, 4, 1), to_gregorian(y + 1, 5, 31)),  # Tir – Mordad
            }
            for number, (start, end) in spans.items():
                code = y * 10 + number
                if code not in self.terms:
                    rows.append(
                        Term(academic_year=years[y], number=number, code=code, start_date=start, end_date=end)
                    )
        for term in self.bulk(Term, rows):
            self.terms[term.code] = term

    # Schools, departments, programs --------------------------------------------------------------
    def structure(self) -> None:
        schools = [
            School(
                university=self.university,
                code=code,
                kind=kind,
                name_fa=fa,
                name_en=en,
                founded_jalali_year=year,
            )
            for code, kind, fa, en, year in data.SCHOOLS
        ]
        self.schools = {s.code: s for s in self.bulk(School, schools)}
        departments = [
            Department(school=self.schools[school], code=code, name_fa=fa, name_en=en, is_clinical=clinical)
            for school, rows in data.DEPARTMENTS.items()
            for code, fa, en, clinical, _weight in rows
        ]
        self.departments = {d.code: d for d in self.bulk(Department, departments)}
        self.department_weight = {code: w for rows in data.DEPARTMENTS.values() for code, *_r, w in rows}
        programs = []
        for code, school, dept, level, title, fa, en, terms, max_terms, credits, *_rest in data.PROGRAMS:
            programs.append(Program(
                school=self.schools[school], department=self.departments[dept] if dept else None,
                code=code, degree_level=level, degree_title_en=title, name_fa=fa, name_en=en,
                duration_terms=terms, max_duration_terms=max_terms, credits_required=credits,
            ))  # fmt: skip
        self.programs = {p.code: p for p in self.bulk(Program, programs)}
        phases = [
            ProgramPhase(program=self.programs["md"], order=i, kind=kind, duration_terms=n)
            for i, (kind, n) in enumerate(data.MD_PHASES, start=1)
        ]
        for code, rows in data.DOCTORATE_PHASES.items():
            phases += [
                ProgramPhase(program=self.programs[code], order=i, kind=kind, duration_terms=n)
                for i, (kind, n) in enumerate(rows, start=1)
            ]
        self.bulk(ProgramPhase, phases)

    # Counties, campuses, clinical sites ----------------------------------------------------------
    def places(self) -> None:
        province_fa, province_en = data.UNIVERSITY["province_fa"], data.UNIVERSITY["province_en"]
        existing = {c.name_fa: c for c in County.objects.filter(province_fa=province_fa)}
        missing = [
            County(name_fa=fa, name_en=en, province_fa=province_fa, province_en=province_en)
            for _code, fa, en, _w in data.COUNTIES
            if fa not in existing
        ]
        for county in self.bulk(County, missing):
            existing[county.name_fa] = county
        self.counties = {code: existing[fa] for code, fa, _en, _w in data.COUNTIES}
        self.bulk(Campus, [
            Campus(university=self.university, county=self.counties[county], name_fa=fa, name_en=en)
            for fa, en, county in data.CAMPUSES
        ])  # fmt: skip
        sites = [
            ClinicalSite(
                university=self.university,
                code=f"{data.UNIVERSITY['code']}-{code}",
                kind=kind,
                governance=gov,
                county=self.counties[county],
                is_urban=urban,
                beds=beds,
                name_fa=fa,
                name_en=en,
            )
            for code, kind, gov, county, urban, beds, fa, en in data.HOSPITALS
        ]
        county_names = {code: (fa, en) for code, fa, en, _w in data.COUNTIES}
        for county, (urban, rural, houses) in data.HEALTH_NETWORK.items():
            fa_county, en_county = county_names[county]
            for kind, n, fa_label, en_label, is_urban in (
                ("health_centre", urban, "مرکز خدمات جامع سلامت شهری", "Urban Health Centre", True),
                ("health_centre", rural, "مرکز خدمات جامع سلامت روستایی", "Rural Health Centre", False),
                ("health_house", houses, "خانه بهداشت", "Health House", False),
            ):  # fmt: skip
                for i in range(1, n + 1):
                    # A share of urban centres is run by the private sector under an agreement.
                    governance = (
                        "agreement" if is_urban and kind == "health_centre" and i % 4 == 0 else "university"
                    )
                    slug = (
                        "chc-urban"
                        if kind == "health_centre" and is_urban
                        else ("chc-rural" if kind == "health_centre" else "hh")
                    )
                    sites.append(ClinicalSite(
                        university=self.university, code=f"{data.UNIVERSITY['code']}-{county}-{slug}-{i}",
                        kind=kind, governance=governance, county=self.counties[county], is_urban=is_urban,
                        name_fa=f"{fa_label} شماره {digits_to_persian(i)} {fa_county}",
                        name_en=f"{en_county} {en_label} No. {i}",
                    ))  # fmt: skip
        self.sites = self.bulk(ClinicalSite, sites)

    # Faculty and staff -----------------------------------------------------------------------------
    def plan_faculty_and_staff(self) -> None:
        rng = self.rng
        dept_codes = list(self.departments)
        n_bulk = max(self.scale.faculty - 1, 0)  # the faculty persona is one of them
        if n_bulk >= len(dept_codes):
            counts = [
                1 + c
                for c in _apportion(n_bulk - len(dept_codes), [self.department_weight[c] for c in dept_codes])
            ]
        else:
            counts = _apportion(n_bulk, [self.department_weight[c] for c in dept_codes])
        ranks, rank_weights = zip(*data.RANKS, strict=True)
        members: list[FacultyMember] = []
        orcids: set[str] = set(FacultyMember.objects.exclude(orcid="").values_list("orcid", flat=True))
        orcids.add(PERSONA_ORCID)
        number = 2  # 1 is the faculty persona's
        for code, count in zip(dept_codes, counts, strict=True):
            for _i in range(count):
                sex = "F" if rng.random() < 0.42 else "M"
                person = self.people.person(
                    sex=sex, birth_year=_gregorian_year(data.LAST_YEAR) - rng.randint(32, 66)
                )
                orcid = ""
                if rng.random() < 0.45:
                    orcid = orcid_with_check(f"00000002{rng.randrange(10**7):07d}")
                    if orcid in orcids:
                        orcid = ""
                    orcids.add(orcid)
                members.append(FacultyMember(
                    person=person,
                    employee_number=f"{FACULTY_NUMBER_PREFIX}{number:05d}", department=self.departments[code],
                    rank=rng.choices(ranks, weights=rank_weights)[0], orcid=orcid,
                ))  # fmt: skip
                number += 1
        n_staff = max(self.scale.staff - len(STAFF_PERSONAS), 0)
        offices = []
        for office_fa, office_en, weight, per_school in data.STAFF_OFFICES:
            for school in self.schools.values() if per_school else [None]:
                offices.append((office_fa, office_en, school, weight))
        staff_counts = _apportion(n_staff, [o[3] for o in offices])
        staff = []
        staff_number = 1
        for (office_fa, office_en, school, _w), count in zip(offices, staff_counts, strict=True):
            for _i in range(count):
                sex = "F" if rng.random() < 0.5 else "M"
                person = self.people.person(
                    sex=sex, birth_year=_gregorian_year(data.LAST_YEAR) - rng.randint(25, 60)
                )
                suffix = f" — {school.name_fa}" if school else ""
                suffix_en = f" — {school.name_en}" if school else ""
                staff.append(StaffMember(
                    person=person, employee_number=f"{STAFF_NUMBER_PREFIX}{staff_number:05d}", school=school,
                    office_fa=office_fa + suffix, office_en=office_en + suffix_en,
                ))  # fmt: skip
                staff_number += 1
        self.next_staff_number = staff_number
        self.faculty_rows, self.staff_rows = members, staff
        self.faculty_by_school: dict[int, list[FacultyMember]] = defaultdict(list)
        for member in members:
            self.faculty_by_school[member.department.school_id].append(member)

    # Students --------------------------------------------------------------------------------------
    def plan_students(self) -> None:
        rng = self.rng
        cells = []  # (program row, year, term number, weight)
        for row in data.PROGRAMS:
            code, first_year, weight, intakes = row[0], row[10], row[11], row[12]
            for year in range(first_year, data.LAST_YEAR + 1):
                # Intake grew with the university; recent cohorts (still studying) dominate.
                growth = math.exp((year - data.FIRST_YEAR) / 7)
                shares = [(1, 0.6), (2, 0.4)] if intakes == 2 else [(1, 1.0)]
                for number, share in shares:
                    if year * 10 + number > CURRENT_TERM_CODE:
                        continue
                    cells.append((row, year, number, weight * growth * share))
        n_bulk = max(self.scale.students - 1, 0)  # the student persona is one of them
        counts = _apportion(n_bulk, [c[3] for c in cells])
        students: list[Student] = []
        all_faculty = self.faculty_rows
        persona_advisees = 8  # the faculty persona advises a handful of active MD students
        for (row, year, number, _w), count in zip(cells, counts, strict=True):
            code, entry_age = row[0], row[13]
            program = self.programs[code]
            program_number = [p[0] for p in data.PROGRAMS].index(code) + 1
            term_code = year * 10 + number
            elapsed = (data.LAST_YEAR - year) * 2 + (1 - number) + 1
            female_share = (
                1.0 if code in ("bsc-midwifery", "res-obgyn") else (0.62 if "nursing" in code else 0.55)
            )
            native_share = 0.1 if program.degree_level in ("phd", "residency") else 0.4
            advisors = self.faculty_by_school.get(program.school_id) or all_faculty
            for seq in range(1, count + 1):
                sex = "F" if rng.random() < female_share else "M"
                person = self.people.person(
                    sex=sex, birth_year=_gregorian_year(year) - entry_age - rng.randint(0, 2)
                )
                draw = rng.random()
                if elapsed > program.max_duration_terms:
                    status = StudentStatus.GRADUATED if draw < 0.9 else StudentStatus.WITHDRAWN
                elif elapsed > program.duration_terms:
                    status = (
                        StudentStatus.GRADUATED
                        if draw < 0.75
                        else StudentStatus.WITHDRAWN
                        if draw < 0.83
                        else StudentStatus.ACTIVE
                    )
                else:
                    status = (
                        StudentStatus.ACTIVE
                        if draw < 0.92
                        else StudentStatus.ON_LEAVE
                        if draw < 0.96
                        else StudentStatus.WITHDRAWN
                    )
                advisor = rng.choice(advisors) if advisors else None
                if code == "md" and status == StudentStatus.ACTIVE and persona_advisees > 0:
                    advisor, persona_advisees = self.faculty_persona, persona_advisees - 1
                students.append(Student(
                    person=person,
                    student_number=f"{year % 1000:03d}{number}{program_number:02d}{seq:04d}",
                    program=program, entry_term=self.terms[term_code], status=status,
                    native_quota=rng.random() < native_share, advisor=advisor,
                ))  # fmt: skip
        self.student_rows = students

    # Preceptors ------------------------------------------------------------------------------------
    def plan_preceptors(self) -> None:
        rng = self.rng
        hospitals = [s for s in self.sites if s.kind in ("teaching_hospital", "hospital", "clinic")]
        centres = [s for s in self.sites if s.kind == "health_centre"]
        clinical_faculty = [f for f in self.faculty_rows if f.department.is_clinical]
        rows: list[Preceptor] = []
        pairs: set[tuple[int, int]] = set()
        for member in clinical_faculty:
            if rng.random() >= 0.5 or not hospitals:
                continue
            teaching = [s for s in hospitals if s.kind == "teaching_hospital"] or hospitals
            for site in rng.sample(teaching, k=min(len(teaching), rng.choice((1, 1, 2)))):
                if (id(member), site.pk) in pairs:
                    continue
                pairs.add((id(member), site.pk))
                rows.append(Preceptor(
                    person=member.person, site=site, faculty=member, is_university_employee=True,
                    specialty_fa=member.department.name_fa, specialty_en=member.department.name_en,
                ))  # fmt: skip
        external_sites = hospitals + centres
        externals: list[Preceptor] = []
        for i in range(self.scale.external_preceptors):
            # Cover each site once before doubling up, so every site has someone.
            site = external_sites[i] if i < len(external_sites) else rng.choice(external_sites)
            fa, en = (
                rng.choice(data.PRECEPTOR_SPECIALTIES[:4])
                if site.kind == "health_centre"
                else rng.choice(data.PRECEPTOR_SPECIALTIES)
            )
            sex = "F" if rng.random() < 0.55 else "M"
            person = self.people.person(
                sex=sex, birth_year=_gregorian_year(data.LAST_YEAR) - rng.randint(28, 60)
            )
            externals.append(Preceptor(
                person=person, site=site, specialty_fa=fa, specialty_en=en,
                is_university_employee=rng.random() < 0.5,
            ))  # fmt: skip
        self.preceptor_rows = rows + externals

    def write_people(self) -> None:
        """One bulk insert per model; the unsaved persons assigned above get their keys here."""
        persons = [
            row.person for rows in (self.faculty_rows, self.staff_rows, self.student_rows) for row in rows
        ]
        persons += [row.person for row in self.preceptor_rows if row.faculty is None]
        self.bulk(Person, persons)
        self.bulk(FacultyMember, self.faculty_rows)
        self.bulk(StaffMember, self.staff_rows)
        self.bulk(Student, self.student_rows)
        self.bulk(Preceptor, self.preceptor_rows)

    # Personas --------------------------------------------------------------------------------------
    def create_faculty_persona(self) -> FacultyMember:
        persona = next(p for p in PERSONAS if p.username == "faculty")
        return faculty_create(
            employee_number=f"{FACULTY_NUMBER_PREFIX}{1:05d}",
            department=self.departments["internal-medicine"], rank="associate_professor",
            orcid=PERSONA_ORCID, username=persona.username, password=None,
            **self.people.persona_data(persona, _gregorian_year(data.LAST_YEAR) - 48),
        )  # fmt: skip

    def set_persona_passwords(self) -> None:
        """The services create the accounts; hashing the one public demo password once saves seconds."""
        User.objects.filter(username__in=[p.username for p in PERSONAS]).update(
            password=make_password(self.password)
        )

    def create_other_personas(self) -> None:
        by_name = {p.username: p for p in PERSONAS}
        this_year = _gregorian_year(data.LAST_YEAR)
        student = by_name["student"]
        # An extern (کارآموز): entered Mehr 1401, now in the externship phase.
        student_create(
            student_number=f"4011{[p[0] for p in data.PROGRAMS].index('md') + 1:02d}0000",
            program=self.programs["md"], entry_term=self.terms[14011], native_quota=True,
            advisor=self.faculty_persona, username=student.username, password=None,
            **self.people.persona_data(student, this_year - 22),
        )  # fmt: skip
        preceptor = by_name["preceptor"]
        velayat = next(s for s in self.sites if s.kind == "teaching_hospital")
        preceptor_create(
            site=velayat, is_university_employee=True, specialty_fa="متخصص داخلی",
            specialty_en="Internist", username=preceptor.username, password=None,
            **self.people.persona_data(preceptor, this_year - 41),
        )  # fmt: skip
        number = self.next_staff_number
        for persona in STAFF_PERSONAS:
            member = staff_create(
                employee_number=f"{STAFF_NUMBER_PREFIX}{number:05d}", office_fa=persona.office_fa,
                office_en=persona.office_en, role=persona.role, username=persona.username,
                password=None, **self.people.persona_data(persona, this_year - 45),
            )  # fmt: skip
            number += 1
            if persona.role == Role.ADMINISTRATOR:
                user = member.person.user
                assert user is not None
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
                audit_record(
                    action=AuditEvent.Action.UPDATE,
                    instance=user,
                    changes={"is_superuser": [False, True], "is_staff": [False, True]},
                )


# --- reset ----------------------------------------------------------------------------------------


def _demo_staff(university: University) -> models.QuerySet[StaffMember]:
    return StaffMember.objects.filter(
        models.Q(school__university=university)
        | models.Q(school__isnull=True, employee_number__startswith=STAFF_NUMBER_PREFIX)
    )


def _demo_person_ids_query(university: University) -> models.QuerySet[Person]:
    return Person.objects.filter(
        models.Q(student__program__school__university=university)
        | models.Q(faculty__department__school__university=university)
        | models.Q(preceptorships__site__university=university)
        | models.Q(staff__in=_demo_staff(university))
    ).distinct()


def _blockers(steps: list[tuple[type[models.Model], models.QuerySet[Any]]]) -> list[str]:
    """Records outside the demo's own tables that deleting the demo would break or silently take
    along (protected references, or cascades into audited records of other apps). Records of the
    apps above people (MODULE_APPS) that refer to demo rows are the demo's own and are deleted."""
    from shafa.core.audit import AuditedModel

    handled = {model for model, _qs in steps}
    found = []
    for model, queryset in steps:
        for rel in model._meta.related_objects:
            related = rel.related_model
            if related in handled or not isinstance(related, type):
                continue
            if related._meta.app_label in MODULE_APPS:
                continue  # teaching and clinical records of the demo are deleted with it
            on_delete = getattr(rel, "on_delete", None)
            blocks = on_delete in (models.PROTECT, models.RESTRICT) or (
                on_delete is models.CASCADE and issubclass(related, AuditedModel)
            )
            if not blocks and not rel.many_to_many:
                continue
            count = related._default_manager.filter(**{f"{rel.field.name}__in": queryset}).count()
            if count:
                found.append(f"{related._meta.label} ({count})")
    return found


def _unreferenced(model: type[models.Model], queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """The rows of `queryset` that nothing refers to (shared rows the demo created but others use)."""
    for rel in model._meta.related_objects:
        queryset = queryset.filter(**{f"{rel.name}__isnull": True})
    return queryset


MODULE_APPS = ("clinical", "academics", "research", "graduates")


def _delete_with_dependents(queryset: models.QuerySet[Any], depth: int = 0) -> dict[str, int]:
    """Delete `queryset`; rows of the apps above people that protect it (sections, registrations,
    grades, clinical years of the demo's programs and students) are demo data and go first."""
    from django.db.models.deletion import ProtectedError, RestrictedError

    deleted: dict[str, int] = {}
    while True:
        try:
            with transaction.atomic():
                _count, per_model = queryset.delete()
        except (ProtectedError, RestrictedError) as exc:
            blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            by_model: dict[type[models.Model], list[Any]] = {}
            for obj in blocking:
                by_model.setdefault(type(obj), []).append(obj.pk)
            if depth > 20 or any(model._meta.app_label not in MODULE_APPS for model in by_model):
                raise
            for model, pks in by_model.items():
                nested = _delete_with_dependents(model._default_manager.filter(pk__in=pks), depth + 1)
                for label, count in nested.items():
                    deleted[label] = deleted.get(label, 0) + count
            continue
        for label, count in per_model.items():
            deleted[label] = deleted.get(label, 0) + count
        return deleted


def _flush_module_data(university: University) -> dict[str, int]:
    """When the demo is the database's only university, every row of the apps above people is
    demo data: empty those tables at once (the usual case, and much faster than row deletes)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if University.objects.exclude(pk=university.pk).exists():
        return {}
    module_models = [
        model
        for label in MODULE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    counts = {model._meta.label: model._default_manager.count() for model in module_models}
    tables = [model._meta.db_table for model in module_models]
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return {label: count for label, count in counts.items() if count}


def reset() -> dict[str, int]:
    """Delete the demo university and everything it brought; refuse if other records refer to it."""
    university = demo_university()
    if university is None:
        return {}
    deleted: dict[str, int] = {}
    persons = _demo_person_ids_query(university)
    from shafa.academics.models import (  # the demo's sections (past terms' too) go with it
        Course,
        CourseCorequisite,
        CoursePrerequisite,
        CurriculumItem,
        Section,
    )

    # The demo's curricula bring their courses (no department: the catalogue is shared), found now
    # while the curricula exist, and deleted at the end where nothing else uses them.
    course_ids = list(
        CurriculumItem.objects.filter(curriculum__program__school__university=university)
        .values_list("course_id", flat=True)
        .distinct()
    )
    # Its sections: those its faculty teach, and those of its courses that no other university's
    # faculty teach (a section has no owner but its course and instructors).
    others_teach = Section.objects.filter(
        instructors__department__school__university__in=University.objects.exclude(pk=university.pk)
    ).values("pk")
    taught = Section.objects.filter(
        Q(instructors__department__school__university=university)
        | (Q(course_id__in=course_ids) & ~Q(pk__in=others_teach))
    ).values("pk")
    steps: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
        (Section, Section.objects.filter(pk__in=taught)),
        (Preceptor, Preceptor.objects.filter(Q(site__university=university) | Q(person__in=persons))),
        (Student, Student.objects.filter(program__school__university=university)),
        (FacultyMember, FacultyMember.objects.filter(department__school__university=university)),
        (StaffMember, _demo_staff(university)),
        (Person, Person.objects.filter(pk__in=persons.values("pk"))),
        (User, User.objects.filter(person__in=persons)),
        (ProgramPhase, ProgramPhase.objects.filter(program__school__university=university)),
        (Program, Program.objects.filter(school__university=university)),
        (Department, Department.objects.filter(school__university=university)),
        (School, School.objects.filter(university=university)),
        (Campus, Campus.objects.filter(university=university)),
        (ClinicalSite, ClinicalSite.objects.filter(university=university)),
        (Milestone, Milestone.objects.filter(university=university)),
        (University, University.objects.filter(pk=university.pk)),
    ]
    with transaction.atomic(), audit_context(reason="shafa demo --reset"):
        deleted.update(_flush_module_data(university))
        blockers = _blockers(steps)
        if blockers:
            raise DemoError(
                _("Other records still refer to the demo data: %(error)s") % {"error": ", ".join(blockers)}
            )
        # Person and User rows are found through the roles deleted first: fix their keys now.
        person_ids = list(persons.values_list("pk", flat=True))
        user_ids = list(
            Person.objects.filter(pk__in=person_ids, user__isnull=False).values_list("user_id", flat=True)
        )
        for model, queryset in steps:
            querysets: list[models.QuerySet[Any]]
            if model is Person:
                querysets = [
                    Person.objects.filter(pk__in=person_ids[i : i + BATCH_SIZE])
                    for i in range(0, len(person_ids), BATCH_SIZE)
                ]
            elif model is User:
                querysets = [User.objects.filter(pk__in=user_ids)]
            else:
                querysets = [queryset]
            for each in querysets:
                per_model = _delete_with_dependents(each)
                for label, count in per_model.items():
                    deleted[label] = deleted.get(label, 0) + count
        # Courses, terms, years and counties are shared: remove the demo's only where nothing uses
        # them (a course's links to other demo courses go with it).
        demo_courses = Course.objects.filter(pk__in=course_ids)
        for link in (CoursePrerequisite, CourseCorequisite):
            _count, per_model = link.objects.filter(course__in=demo_courses).delete()
            for label, count in per_model.items():
                deleted[label] = deleted.get(label, 0) + count
        required_elsewhere = Q(pk__in=CoursePrerequisite.objects.values("required_course")) | Q(
            pk__in=CourseCorequisite.objects.values("corequisite")
        )  # links without a reverse name, which _unreferenced cannot see
        shared: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
            (Course, demo_courses.exclude(required_elsewhere)),
            (Term, Term.objects.filter(code__gte=data.FIRST_YEAR * 10, code__lte=data.LAST_YEAR * 10 + 3)),
            (
                AcademicYear,
                AcademicYear.objects.filter(start_year__gte=data.FIRST_YEAR, start_year__lte=data.LAST_YEAR),
            ),
            (
                County,
                County.objects.filter(
                    province_fa=data.UNIVERSITY["province_fa"], name_fa__in=[c[1] for c in data.COUNTIES]
                ),
            ),
        ]
        for model, queryset in shared:
            _count, per_model = _unreferenced(model, queryset).delete()
            for label, count in per_model.items():
                deleted[label] = deleted.get(label, 0) + count
        for label, count in deleted.items():
            if not count:
                continue
            audit_record(
                action=AuditEvent.Action.DELETE,
                model_label=label,
                object_repr=f"{MARKER_REPR} --reset",
                changes={"count": count},
            )
    return deleted
