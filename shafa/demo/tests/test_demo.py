"""The demo university: counts, determinism, idempotency, audit of bulk loads, persona logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from shafa.accounts.models import Role, User
from shafa.core.models import AuditEvent
from shafa.core.validators import validate_orcid
from shafa.demo import data, generate
from shafa.institution.models import ClinicalSite, County, Milestone, Program, ProgramPhase, Term, University
from shafa.people.models import FacultyMember, Person, Preceptor, StaffMember, Student, StudentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo():
    return generate.load(scale="small", seed=generate.DEFAULT_SEED, password=settings.SHAFA_DEMO_PASSWORD)


def test_small_load_creates_the_expected_counts(small_demo):
    scale = generate.SCALES["small"]
    assert Student.objects.count() == scale.students
    assert FacultyMember.objects.count() == scale.faculty
    assert StaffMember.objects.count() == scale.staff
    assert Preceptor.objects.filter(faculty__isnull=True).count() == scale.external_preceptors + 1
    university = University.objects.get(code="qums")
    assert university.is_demo and university.founded_on.isoformat() == "1984-03-21"
    assert Program.objects.get(code="md").phases.count() == 4
    assert {c.name_en for c in County.objects.all()} == {c[2] for c in data.COUNTIES}
    assert Term.objects.filter(code=13631).exists() and Term.objects.filter(code=14051).exists()
    assert Milestone.objects.filter(jalali_year=1363, kind="founding").exists()
    assert ClinicalSite.objects.filter(kind="teaching_hospital").count() == 6
    assert ClinicalSite.objects.filter(kind__in=["health_centre", "health_house"]).count() >= 55
    statuses = set(Student.objects.values_list("status", flat=True))
    assert {StudentStatus.ACTIVE, StudentStatus.GRADUATED} <= statuses
    assert not Student.objects.filter(advisor__isnull=True).exists()
    assert small_demo.counts["students"] == scale.students


def test_terms_start_in_mehr_bahman_and_tir():
    generate.load(scale="small", password="x-demo-pass-1")
    from shafa.core.jalali import from_gregorian

    months = {
        t.number: from_gregorian(t.start_date).month
        for t in Term.objects.filter(academic_year__start_year=1404)
    }
    assert months == {1: 7, 2: 11, 3: 4}


def _snapshot() -> list[tuple[str, str, str, str]]:
    return list(
        Student.objects.order_by("student_number").values_list(
            "student_number", "person__national_code", "person__first_name_fa", "person__last_name_fa"
        )
    )


def test_load_is_deterministic():
    generate.load(scale="small", password="x-demo-pass-1")
    first = _snapshot()
    deleted = generate.reset()
    assert deleted["people.Student"] == generate.SCALES["small"].students
    assert not University.objects.exists() and not Term.objects.exists() and not County.objects.exists()
    assert Person.objects.count() == 0 and User.objects.count() == 0
    assert generate.loaded_scale() is None
    generate.load(scale="small", password="x-demo-pass-1")
    assert _snapshot() == first
    generate.reset()
    generate.load(scale="small", seed=7, password="x-demo-pass-1")
    assert _snapshot() != first


def test_second_run_changes_nothing(small_demo):
    before = {model: model.objects.count() for model in (Person, Student, User, AuditEvent)}
    out = StringIO()
    call_command("demo", "--scale", "small", "--language", "en", stdout=out)
    assert "already loaded" in out.getvalue()
    assert {model: model.objects.count() for model in before} == before
    assert generate.loaded_scale() == ("small", generate.DEFAULT_SEED)


def test_bulk_loads_are_audited_once_per_model(small_demo):
    events = AuditEvent.objects.filter(action=AuditEvent.Action.BULK_LOAD)
    by_label = {e.model_label: e for e in events.exclude(object_repr=generate.MARKER_REPR)}
    # One event per model loaded, not one per row.
    labels = list(
        events.exclude(object_repr=generate.MARKER_REPR)
        .filter(model_label__regex=r"^(institution|people|accounts)\.")
        .values_list("model_label", flat=True)
    )
    assert len(labels) == len(set(labels))
    for model in (Person, Student, FacultyMember, StaffMember, Preceptor, ClinicalSite, Term):
        assert model._meta.label in by_label
    assert by_label["people.Student"].changes == {
        "count": generate.SCALES["small"].students - 1,
        "scale": "small",
        "seed": generate.DEFAULT_SEED,
    }
    assert by_label["people.Person"].changes["count"] == Person.objects.filter(user__isnull=True).count()
    assert events.filter(model_label=University._meta.label, object_repr=generate.MARKER_REPR).count() == 1


def test_bulk_rows_pass_full_validation(small_demo):
    for model in (Person, Student, FacultyMember, StaffMember, Preceptor, ClinicalSite, Term, Program):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        sample = pks[:: max(1, len(pks) // 40)] + pks[-3:]  # spread over the load, and its last rows
        for instance in model.objects.filter(pk__in=sample):
            instance.full_clean()
    orcids = list(FacultyMember.objects.exclude(orcid="").values_list("orcid", flat=True))
    assert orcids
    for orcid in orcids:
        validate_orcid(orcid)


@pytest.mark.parametrize(
    ("username", "role"),
    [(p.username, p.role) for p in generate.PERSONAS],
)
def test_persona_logins_have_their_roles(small_demo, username, role):
    user = User.objects.get(username=username)
    assert user.is_active and user.check_password(settings.SHAFA_DEMO_PASSWORD)
    assert user.has_role(role)
    assert user.person.national_code


def test_personas_are_what_the_demo_promises(small_demo):
    student = Student.objects.get(person__user__username="student")
    assert student.program.code == "md" and student.status == StudentStatus.ACTIVE
    assert student.person.first_name_fa == "سارا"
    faculty = FacultyMember.objects.get(person__user__username="faculty")
    assert faculty.advisees.count() >= 2
    assert Preceptor.objects.get(person__user__username="preceptor").site.kind == "teaching_hospital"
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.has_role(Role.ADMINISTRATOR)


def test_logins_command_and_other_scale_refused(small_demo):
    out = StringIO()
    call_command("demo", "--logins", "--language", "en", stdout=out)
    for persona in generate.PERSONAS:
        assert persona.username in out.getvalue()
    with pytest.raises(generate.DemoError):
        generate.load(scale="qums", password="x-demo-pass-1")


def test_reset_keeps_what_other_records_still_use(small_demo):
    from shafa.institution.tests.factories import ProgramFactory, SchoolFactory, UniversityFactory
    from shafa.people.tests.factories import StudentFactory

    other = UniversityFactory(code="other", name_fa="دانشگاه دیگر", is_demo=False)
    program = ProgramFactory(code="other-md", school=SchoolFactory(university=other, code="med"))
    outsider = StudentFactory(
        program=program, entry_term=Term.objects.get(code=14041), student_number="99999901"
    )
    from shafa.academics.models import Course, CoursePrerequisite, Section
    from shafa.academics.tests.factories import CourseFactory

    assert Course.objects.exists()
    theirs = CourseFactory(code="OTHER-1")
    demo_course = CoursePrerequisite.objects.values_list("required_course", flat=True).first()
    CoursePrerequisite.objects.create(course=theirs, required_course_id=demo_course)
    generate.reset()
    assert not University.objects.filter(code="qums").exists()
    assert Student.objects.get() == outsider
    assert list(Term.objects.values_list("code", flat=True)) == [14041]
    # the demo's catalogue goes, but for the course another university's course still requires
    assert set(Course.objects.values_list("pk", flat=True)) == {theirs.pk, demo_course}
    assert not Section.objects.exists()  # the demo's, taught or not


def test_a_real_university_with_the_demo_code_is_never_touched():
    from shafa.institution.tests.factories import UniversityFactory

    UniversityFactory(is_demo=False)
    with pytest.raises(generate.DemoError):
        generate.load(scale="small", password="x-demo-pass-1")
    assert not Student.objects.exists()


def test_reset_refuses_while_records_outside_the_demo_refer_to_it(small_demo):
    md_students = Student.objects.filter(program__code="md").count()
    # Deleting programs alone would break their students and silently take their audited phases.
    assert set(generate._blockers([(Program, Program.objects.filter(code="md"))])) == {
        f"people.Student ({md_students})",
        "institution.ProgramPhase (4)",
    }
    steps = [
        (Program, Program.objects.filter(code="md")),
        (Student, Student.objects.filter(program__code="md")),
        (ProgramPhase, ProgramPhase.objects.filter(program__code="md")),
    ]
    assert generate._blockers(steps) == []
