"""Writes on persons and their university roles. Each validates fully before saving anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shafa.accounts.models import Role
from shafa.accounts.services import user_create
from shafa.core.text import normalize_number, normalize_persian
from shafa.institution.models import ClinicalSite, Department, Program, Term
from shafa.people.models import FacultyMember, Person, Preceptor, StaffMember, Student

PERSON_FIELDS = (
    "national_code",
    "first_name_fa",
    "last_name_fa",
    "first_name_en",
    "last_name_en",
    "sex",
    "birth_date",
    "email",
    "mobile",
)


def _clean_person_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: data[key] for key in PERSON_FIELDS if key in data}
    cleaned["national_code"] = normalize_number(str(cleaned.get("national_code", "")))
    for key in ("first_name_fa", "last_name_fa"):
        cleaned[key] = normalize_persian(str(cleaned.get(key, "")))
    if "mobile" in cleaned:
        cleaned["mobile"] = normalize_number(str(cleaned["mobile"]))
    return cleaned


def person_build(**data: Any) -> Person:
    """A validated, unsaved Person (national code check digit, required bilingual names, dates)."""
    person = Person(**_clean_person_data(data))
    person.full_clean(exclude=["user"])
    if person.birth_date and person.birth_date > dt.date.today():
        raise ValidationError({"birth_date": _("The birth date is in the future.")})
    return person


@transaction.atomic
def person_create(**data: Any) -> Person:
    person = person_build(**data)
    person.save()
    return person


def _with_account(person: Person, username: str | None, password: str | None, role: str) -> None:
    if username:
        person.user = user_create(
            username=username,
            password=password,
            roles=[role],
            email=person.email,
            first_name=person.first_name_en or person.first_name_fa,
            last_name=person.last_name_en or person.last_name_fa,
        )
        person.save(update_fields=["user"])


@transaction.atomic
def student_create(
    *,
    student_number: str,
    program: Program,
    entry_term: Term,
    native_quota: bool = False,
    advisor: FacultyMember | None = None,
    username: str | None = None,
    password: str | None = None,
    **person_data: Any,
) -> Student:
    """Admit a student: person, student record and (optionally) an account — all or nothing."""
    number = normalize_number(student_number)
    errors: dict[str, list[str]] = {}
    if Student.objects.filter(student_number=number).exists():
        errors["student_number"] = [
            _("A student with number %(number)s already exists.") % {"number": number}
        ]
    try:
        person = person_build(**person_data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        raise ValidationError(errors) from exc
    if errors:
        raise ValidationError(errors)
    person.save()
    student = Student(
        person=person,
        student_number=number,
        program=program,
        entry_term=entry_term,
        native_quota=native_quota,
        advisor=advisor,
    )
    student.full_clean()
    student.save()
    _with_account(person, username, password, Role.STUDENT)
    return student


STUDENT_EDITABLE = ("status", "native_quota", "advisor", "program")


@transaction.atomic
def student_update(*, student: Student, reason: str, **changes: Any) -> Student:
    """Change a student's record; the reason is required and audited with the change."""
    from shafa.core.audit import audit_context

    if not reason.strip():
        raise ValidationError({"reason": _("Say why this record is being changed.")})
    unknown = set(changes) - set(STUDENT_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for key, value in changes.items():
        setattr(student, key, value)
    student.full_clean()
    with audit_context(reason=reason):
        student.save()
    return student


@transaction.atomic
def faculty_create(
    *,
    employee_number: str,
    department: Department,
    rank: str,
    orcid: str = "",
    username: str | None = None,
    password: str | None = None,
    **person_data: Any,
) -> FacultyMember:
    person = person_build(**person_data)
    person.save()
    member = FacultyMember(
        person=person,
        employee_number=normalize_number(employee_number),
        department=department,
        rank=rank,
        orcid=orcid,
    )
    member.full_clean()
    member.save()
    _with_account(person, username, password, Role.FACULTY)
    return member


@transaction.atomic
def staff_create(
    *,
    employee_number: str,
    office_fa: str,
    office_en: str = "",
    role: str = Role.REGISTRAR,
    username: str | None = None,
    password: str | None = None,
    **person_data: Any,
) -> StaffMember:
    person = person_build(**person_data)
    person.save()
    member = StaffMember(
        person=person,
        employee_number=normalize_number(employee_number),
        office_fa=office_fa,
        office_en=office_en,
    )
    member.full_clean()
    member.save()
    _with_account(person, username, password, role)
    return member


@transaction.atomic
def preceptor_create(
    *,
    site: ClinicalSite,
    person: Person | None = None,
    faculty: FacultyMember | None = None,
    is_university_employee: bool = False,
    specialty_fa: str = "",
    specialty_en: str = "",
    username: str | None = None,
    password: str | None = None,
    **person_data: Any,
) -> Preceptor:
    """A preceptor at a site: an existing person (e.g. faculty) or a new one from outside the university."""
    if person is None:
        person = person_build(**person_data)
        person.save()
    preceptor = Preceptor(
        person=person,
        site=site,
        faculty=faculty,
        specialty_fa=specialty_fa,
        specialty_en=specialty_en,
        is_university_employee=is_university_employee or faculty is not None,
    )
    preceptor.full_clean()
    preceptor.save()
    if person.user_id is None:
        _with_account(person, username, password, Role.PRECEPTOR)
    elif username is None and person.user is not None:
        from shafa.accounts.services import role_grant

        role_grant(user=person.user, role=Role.PRECEPTOR)
    return preceptor
