"""Admitting and changing students: full validation first, nothing half-saved, every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shafa.accounts.models import Role
from shafa.core.audit import audit_context
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import ProgramFactory, TermFactory
from shafa.people.models import Person, Student, StudentStatus
from shafa.people.services.persons import student_create, student_update

pytestmark = pytest.mark.django_db


def _admission(**overrides):
    data = dict(
        student_number="۱۴۰۴۱۱۰۰۰۱",
        program=ProgramFactory(),
        entry_term=TermFactory(),
        national_code="0499370899",
        first_name_fa="علي",
        last_name_fa="رضايي",
        first_name_en="Ali",
        last_name_en="Rezaei",
        sex="M",
        birth_date=dt.date(2005, 1, 2),
    )
    data.update(overrides)
    return data


def test_student_create_normalises_and_creates_person_student_and_account() -> None:
    student = student_create(**_admission(), username="ali", password="s3cret-pass-1")
    assert student.student_number == "1404110001"
    assert student.person.first_name_fa == "علی"
    assert student.person.user.username == "ali"
    assert student.person.user.has_role(Role.STUDENT)
    assert AuditEvent.objects.filter(model_label="people.Student", action="create").count() == 1


def test_wrong_national_code_saves_nothing() -> None:
    with pytest.raises(ValidationError) as excinfo:
        student_create(**_admission(national_code="0499370898"), username="ali", password="x-pass-123")
    assert "national_code" in excinfo.value.message_dict
    assert Person.objects.count() == 0 and Student.objects.count() == 0


def test_duplicate_student_number_is_refused_and_nothing_is_saved() -> None:
    student_create(**_admission())
    with pytest.raises(ValidationError) as excinfo:
        student_create(**_admission(national_code="0790419904"), username="other", password="x-pass-123")
    assert "student_number" in excinfo.value.message_dict
    assert Person.objects.count() == 1
    from shafa.accounts.models import User

    assert not User.objects.filter(username="other").exists()


def test_future_birth_date_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        student_create(**_admission(birth_date=dt.date.today() + dt.timedelta(days=3)))
    assert "birth_date" in excinfo.value.message_dict


def test_student_update_requires_a_reason_and_audits_it(registrar_maryam) -> None:
    student = student_create(**_admission())
    with pytest.raises(ValidationError):
        student_update(student=student, reason=" ", status=StudentStatus.ON_LEAVE)
    with audit_context(actor=registrar_maryam):
        student_update(student=student, reason="medical leave", status=StudentStatus.ON_LEAVE)
    event = AuditEvent.objects.get(model_label="people.Student", action="update")
    assert event.actor == registrar_maryam
    assert event.reason == "medical leave"
    assert event.changes == {"status": ["active", "on_leave"]}


def test_student_update_refuses_fields_outside_its_scope() -> None:
    student = student_create(**_admission())
    with pytest.raises(ValidationError):
        student_update(student=student, reason="typo", student_number="999")


def test_database_refuses_a_malformed_national_code_even_without_validation() -> None:
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Person.objects.create(
            national_code="12345",
            first_name_fa="الف",
            last_name_fa="ب",
            sex="F",
            birth_date=dt.date(2000, 1, 1),
        )
