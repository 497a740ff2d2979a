"""The write path's fixed-SQL reads answer exactly what the ORM reads they replace answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from shafa.academics.models import (
    Registration,
    RegistrationPhase,
    RegistrationStatus,
    Section,
    StudentTimeSlot,
)
from shafa.academics.selectors import registration_state as state
from shafa.academics.selectors.registration import student_for_user
from shafa.academics.services.registration import open_window, registration_create, registration_drop
from shafa.core.sql import fetch_rows as rows_of
from shafa.core.sql import instance_from_row, select_list, table

from .factories import RegistrationWindowFactory

pytestmark = pytest.mark.django_db

FIELDS = ("id", "capacity", "seats_taken", "exam_at", "exam_minutes", "is_open", "term_id", "course_id")


def test_registration_subjects_load_what_the_orm_loads(
    student_sara, registrar_maryam, make_section, exam_time
):
    section = make_section(credits="2.5", exam_at=exam_time)
    student, fast = state.registration_subjects(student_sara.person.user, section.pk)
    orm = Section.objects.select_related("course", "term").get(pk=section.pk)
    assert [getattr(fast, f) for f in FIELDS] == [getattr(orm, f) for f in FIELDS]
    assert timezone.is_aware(fast.exam_at)
    assert fast.course.credits == orm.course.credits == Decimal("2.5")
    assert (fast.course.title_fa, fast.term.code, fast.term.start_date) == (
        orm.course.title_fa,
        orm.term.code,
        orm.term.start_date,
    )
    expected = student_for_user(student_sara.person.user)
    assert (student.pk, student.program_id, student.entry_term.code) == (
        expected.pk,
        expected.program_id,
        expected.entry_term.code,
    )
    assert student.program.credits_required == expected.program.credits_required  # deferred: loads on access

    assert state.registration_subjects(registrar_maryam, section.pk) == (None, fast)
    assert state.registration_subjects(AnonymousUser(), section.pk)[0] is None
    missing = state.registration_subjects(student_sara.person.user, section.pk + 1000)
    assert missing[0].pk == student_sara.pk and missing[1] is None


def test_student_for_registration_matches_student_for_user(student_sara, registrar_maryam):
    fast = state.student_for_registration(student_sara.person.user)
    orm = student_for_user(student_sara.person.user)
    assert (fast.pk, fast.program_id, fast.entry_term.code) == (orm.pk, orm.program_id, orm.entry_term.code)
    assert state.student_for_registration(registrar_maryam) is None
    assert state.student_for_registration(AnonymousUser()) is None


@pytest.mark.parametrize("entry_year_offset", [0, 1])
def test_open_window_agrees_with_the_orm(student_sara, term, entry_year_offset):
    now = timezone.now()
    entry_year = student_sara.entry_term.code // 10 + entry_year_offset
    RegistrationWindowFactory(term=term, phase=RegistrationPhase.MAIN, entry_year=entry_year)
    later = RegistrationWindowFactory(
        term=term,
        phase=RegistrationPhase.ADD_DROP,
        opens_at=now - dt.timedelta(hours=1),
        uses_time_slots=True,
    )
    StudentTimeSlot.objects.create(
        window=later,
        student=student_sara,
        opens_at=now + dt.timedelta(minutes=30),
        closes_at=now + dt.timedelta(hours=5),
    )
    for phases in [("main",), ("add_drop",), ("main", "add_drop"), ("emergency_withdrawal",)]:
        orm = open_window(student_sara, term, phases, now, with_slot=True)
        fast = state.open_window(
            student_id=student_sara.pk,
            program_id=student_sara.program_id,
            entry_year=student_sara.entry_term.code // 10,
            term_id=term.pk,
            phases=phases,
            now=now,
        )
        assert (fast and (fast.pk, fast.phase, fast.uses_time_slots, fast.slot_opens_at)) == (
            orm and (orm.pk, orm.phase, orm.uses_time_slots, orm.slot_opens_at)
        ), phases


def test_term_registrations_hold_every_status_with_times(student_sara, main_window, make_section, exam_time):
    kept = make_section(
        credits="3", exam_at=exam_time, meetings=[(1, "08:00", "10:00"), (3, "08:00", "09:00")]
    )
    dropped = make_section(credits="2")
    adding = make_section(meetings=[(2, "13:00", "15:00")])
    registration_create(student=student_sara, section=kept)
    registration_drop(registration=registration_create(student=student_sara, section=dropped).registration)

    held, meetings = state.term_registrations(student_sara.pk, kept.term_id, with_section=adding.pk)
    by_section = {h.section_id: h for h in held}
    assert set(by_section) == {kept.pk, dropped.pk}
    assert by_section[kept.pk].is_active and not by_section[dropped.pk].is_active
    assert by_section[dropped.pk].status == RegistrationStatus.DROPPED
    assert by_section[kept.pk].credits == Decimal("3")
    assert by_section[kept.pk].exam_at == exam_time
    assert [(m.weekday, m.start_time) for m in by_section[kept.pk].meetings] == [
        (1, dt.time(8)),
        (3, dt.time(8)),
    ]
    assert by_section[dropped.pk].meetings == []  # only active sections' meetings are compared
    assert [(m.weekday, m.start_time, m.end_time) for m in meetings] == [(2, dt.time(13), dt.time(15))]

    # without a section being added (drop, withdrawal): the same rows, no meetings to add
    held_only, none_added = state.term_registrations(student_sara.pk, kept.term_id)

    def summary(rows):
        return [(h.pk, h.status, [(m.weekday, m.start_time, m.end_time) for m in h.meetings]) for h in rows]

    assert summary(held_only) == summary(held)
    assert none_added == []


def test_instance_from_row_converts_as_the_orm_does(student_sara, main_window, make_section):
    section = make_section()
    registration = registration_create(student=student_sara, section=section).registration
    (row,) = rows_of(
        f"SELECT {select_list('r', Registration)} FROM {table(Registration)} r WHERE r.id = %s",
        [registration.pk],
    )
    loaded = instance_from_row(Registration, row)
    orm = Registration.objects.get(pk=registration.pk)
    for field in Registration._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(orm, field.attname), field.name
    assert timezone.is_aware(loaded.registered_at)
    assert isinstance(loaded.credits, Decimal)
