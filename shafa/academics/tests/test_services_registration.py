"""Every registration rule, tested where it lives (services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from shafa.academics.models import (
    IdempotencyKey,
    OverrideKind,
    PassedCourse,
    Registration,
    RegistrationLedger,
    RegistrationPhase,
    RegistrationPolicy,
    RegistrationStatus,
    Section,
    StudentTimeSlot,
)
from shafa.academics.selectors import standing
from shafa.academics.services.refusals import RegistrationRefused
from shafa.academics.services.registration import (
    override_grant,
    registration_create,
    registration_drop,
    registration_withdraw,
)
from shafa.core.models import AuditEvent

from .factories import CourseFactory, RegistrationWindowFactory

pytestmark = pytest.mark.django_db


def register(student, section, **kwargs):
    return registration_create(student=student, section=section, **kwargs)


def refused(code, student, section, **kwargs):
    with pytest.raises(RegistrationRefused) as info:
        register(student, section, **kwargs)
    assert info.value.code == code, info.value.message
    return info.value


def test_register_takes_a_seat_and_counts_credits(student_sara, main_window, make_section):
    section = make_section(credits="3")
    outcome = register(student_sara, section)
    assert outcome.status_code == 201
    assert outcome.registration.status == RegistrationStatus.REGISTERED
    section.refresh_from_db()
    assert section.seats_taken == 1
    ledger = RegistrationLedger.objects.get(student=student_sara, term=section.term)
    assert (ledger.credits, ledger.max_credits) == (Decimal("3"), Decimal("20"))


def test_no_window_no_registration(student_sara, term, make_section):
    refused("no_window", student_sara, make_section())


def test_window_of_another_entry_year_does_not_open_registration(student_sara, term, make_section):
    RegistrationWindowFactory(term=term, entry_year=1390)
    refused("no_window", student_sara, make_section())


def test_personal_time_slot_must_have_started(student_sara, term, make_section):
    window = RegistrationWindowFactory(term=term, uses_time_slots=True)
    StudentTimeSlot.objects.create(
        window=window,
        student=student_sara,
        opens_at=timezone.now() + dt.timedelta(hours=2),
        closes_at=window.closes_at,
    )
    refused("slot_not_started", student_sara, make_section())
    later = timezone.now() + dt.timedelta(hours=3)
    assert register(student_sara, make_section(), now=later).status_code == 201


def test_maximum_credits(student_sara, main_window, make_section):
    for _ in range(6):
        register(student_sara, make_section(credits="3"))
    register(student_sara, make_section(credits="2"))  # 20
    error = refused("credit_cap", student_sara, make_section(credits="1"))
    assert "20" in error.message or "۲۰" in error.message


def test_probation_cap_is_14(student_sara, main_window, make_section, monkeypatch):
    monkeypatch.setattr(standing, "is_on_probation", lambda student, term: True)
    for _ in range(4):
        register(student_sara, make_section(credits="3"))
    register(student_sara, make_section(credits="2"))  # 14
    refused("credit_cap", student_sara, make_section(credits="1"))


def test_final_term_cap_is_24(student_sara, main_window, make_section):
    program = student_sara.program
    program.credits_required = 30
    program.save()
    PassedCourse.objects.create(student=student_sara, course=CourseFactory(theoretical_credits=Decimal("8")))
    for _ in range(8):
        register(student_sara, make_section(credits="3"))  # 24
    refused("credit_cap", student_sara, make_section(credits="1"))


def test_caps_are_configurable_per_program(student_sara, main_window, make_section):
    RegistrationPolicy.objects.create(
        program=student_sara.program, min_credits=4, max_credits=6, final_term_max_credits=6
    )
    register(student_sara, make_section(credits="3"))
    register(student_sara, make_section(credits="3"))
    refused("credit_cap", student_sara, make_section(credits="1"))


def test_prerequisite_must_be_passed(student_sara, main_window, make_section):
    basic = CourseFactory()
    advanced = CourseFactory()
    advanced.prerequisites.add(basic)
    section = make_section(course=advanced)
    error = refused("prerequisite_missing", student_sara, section)
    assert basic.title in error.message
    PassedCourse.objects.create(student=student_sara, course=basic)
    assert register(student_sara, section).status_code == 201


def test_corequisite_taken_together_and_not_dropped_alone(student_sara, main_window, make_section):
    lecture, lab = CourseFactory(), CourseFactory(theoretical_credits=Decimal("1"))
    lab.corequisites.add(lecture)
    lab_section = make_section(course=lab)
    refused("corequisite_missing", student_sara, lab_section)
    lecture_registration = register(student_sara, make_section(course=lecture)).registration
    register(student_sara, lab_section)
    with pytest.raises(RegistrationRefused) as info:
        registration_drop(registration=lecture_registration)
    assert info.value.code == "corequisite_needed"


def test_time_clash_refused_with_the_other_course_named(student_sara, main_window, make_section):
    first = make_section(meetings=[(0, "08:00", "10:00")])
    register(student_sara, first)
    error = refused("time_clash", student_sara, make_section(meetings=[(0, "09:30", "11:00")]))
    assert first.course.title in error.message
    # Back to back is not a clash; odd and even weeks do not clash either.
    assert register(student_sara, make_section(meetings=[(0, "10:00", "12:00")])).status_code == 201


def test_odd_and_even_weeks_do_not_clash(student_sara, main_window, make_section):
    odd = make_section(meetings=[(1, "08:00", "10:00")])
    odd.meetings.update(weeks="odd")
    even = make_section(meetings=[(1, "08:00", "10:00")])
    even.meetings.update(weeks="even")
    register(student_sara, odd)
    assert register(student_sara, even).status_code == 201


def test_exam_clash(student_sara, main_window, make_section, exam_time):
    register(student_sara, make_section(exam_at=exam_time))
    refused("exam_clash", student_sara, make_section(exam_at=exam_time + dt.timedelta(hours=1)))
    assert register(student_sara, make_section(exam_at=exam_time + dt.timedelta(hours=3))).status_code == 201


def test_no_repeat_of_a_passed_course(student_sara, main_window, make_section):
    section = make_section()
    PassedCourse.objects.create(student=student_sara, course=section.course)
    refused("already_passed", student_sara, section)


def test_one_section_per_course(student_sara, main_window, make_section):
    first = make_section()
    register(student_sara, first)
    refused("already_registered", student_sara, first)
    refused("course_taken", student_sara, make_section(course=first.course, number=2))


def test_full_section_waitlists_fifo_and_promotes_on_drop(
    student_sara, student_reza, make_user, main_window, make_section
):
    from shafa.people.tests.factories import PersonFactory, StudentFactory

    third = StudentFactory(
        person=PersonFactory(user=make_user("third", "student")), program=student_sara.program
    )
    section = make_section(capacity=1)
    first = register(student_sara, section).registration
    second = register(student_reza, section)
    assert second.status_code == 202
    assert second.response["waitlist_position"] == 1
    assert register(third, section).response["waitlist_position"] == 2

    registration_drop(registration=first)
    second.registration.refresh_from_db()
    assert second.registration.status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(student=third, section=section).status == RegistrationStatus.WAITLISTED
    section.refresh_from_db()
    assert section.seats_taken == 1


def test_waitlisted_credits_count_towards_the_cap(student_sara, student_reza, main_window, make_section):
    full = make_section(capacity=1, credits="3")
    register(student_reza, full)
    assert register(student_sara, full).status_code == 202
    for _ in range(5):
        register(student_sara, make_section(credits="3"))
    refused("credit_cap", student_sara, make_section(credits="3"))


def test_section_full_when_waitlist_disabled(student_sara, student_reza, main_window, make_section):
    section = make_section(capacity=1, waitlist_limit=0)
    register(student_reza, section)
    refused("section_full", student_sara, section)


def test_drop_below_minimum_refused_in_add_drop(student_sara, term, make_section):
    RegistrationWindowFactory(term=term, phase=RegistrationPhase.ADD_DROP)
    registrations = [register(student_sara, make_section(credits="3")).registration for _ in range(4)]
    with pytest.raises(RegistrationRefused) as info:
        registration_drop(registration=registrations[0])
    assert info.value.code == "below_minimum"


def test_drop_then_register_again_reuses_the_row(student_sara, main_window, make_section):
    section = make_section()
    registration = register(student_sara, section).registration
    registration_drop(registration=registration)
    again = register(student_sara, section).registration
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.REGISTERED
    assert RegistrationLedger.objects.get(student=student_sara).credits == Decimal("3")


def test_one_emergency_withdrawal_keeping_the_minimum(student_sara, term, make_section):
    main = RegistrationWindowFactory(term=term, phase=RegistrationPhase.MAIN)
    registrations = [register(student_sara, make_section(credits="3")).registration for _ in range(6)]
    main.delete()
    RegistrationWindowFactory(term=term, phase=RegistrationPhase.EMERGENCY_WITHDRAWAL)
    withdrawn = registration_withdraw(registration=registrations[0])
    assert withdrawn.status == RegistrationStatus.WITHDRAWN
    with pytest.raises(RegistrationRefused) as info:
        registration_withdraw(registration=registrations[1])
    assert info.value.code == "withdrawal_used"
    assert RegistrationLedger.objects.get(student=student_sara).credits == Decimal("15")


def test_emergency_withdrawal_keeps_minimum_credits(student_sara, term, make_section):
    main = RegistrationWindowFactory(term=term, phase=RegistrationPhase.MAIN)
    registrations = [register(student_sara, make_section(credits="3")).registration for _ in range(4)]
    main.delete()
    RegistrationWindowFactory(term=term, phase=RegistrationPhase.EMERGENCY_WITHDRAWAL)
    with pytest.raises(RegistrationRefused) as info:
        registration_withdraw(registration=registrations[0])
    assert info.value.code == "below_minimum"


def test_emergency_withdrawal_only_in_its_window(student_sara, main_window, make_section):
    registration = register(student_sara, make_section()).registration
    with pytest.raises(RegistrationRefused) as info:
        registration_withdraw(registration=registration)
    assert info.value.code == "no_window"


def test_registrar_override_of_a_time_clash_is_audited(
    student_sara, registrar_maryam, main_window, make_section
):
    register(student_sara, make_section(meetings=[(0, "08:00", "10:00")]))
    clashing = make_section(meetings=[(0, "08:00", "10:00")])
    refused("time_clash", student_sara, clashing)
    override_grant(
        actor=registrar_maryam,
        student=student_sara,
        term=clashing.term,
        kind=OverrideKind.TIME_CLASH,
        section=clashing,
        reason="کلاس جبرانی در ساعت دیگر",
    )
    assert register(student_sara, clashing).status_code == 201
    event = AuditEvent.objects.filter(model_label="academics.RegistrarOverride").get()
    assert event.actor == registrar_maryam
    assert event.reason == "کلاس جبرانی در ساعت دیگر"


def test_override_needs_a_reason(student_sara, registrar_maryam, term):
    with pytest.raises(RegistrationRefused) as info:
        override_grant(
            actor=registrar_maryam, student=student_sara, term=term, kind="time_clash", reason="  "
        )
    assert info.value.code == "reason_required"


def test_credit_limit_override_raises_the_cap(student_sara, registrar_maryam, main_window, make_section):
    for _ in range(6):
        register(student_sara, make_section(credits="3"))
    refused("credit_cap", student_sara, make_section(credits="3"))
    override_grant(
        actor=registrar_maryam,
        student=student_sara,
        term=main_window.term,
        kind=OverrideKind.CREDIT_LIMIT,
        max_credits=Decimal("22"),
        reason="دانشجوی ممتاز",
    )
    assert register(student_sara, make_section(credits="3")).status_code == 201


def test_capacity_override_adds_a_seat(
    student_sara, student_reza, registrar_maryam, main_window, make_section
):
    section = make_section(capacity=1)
    register(student_reza, section)
    override_grant(
        actor=registrar_maryam,
        student=student_sara,
        term=section.term,
        kind=OverrideKind.CAPACITY,
        section=section,
        reason="ترم آخر",
    )
    assert register(student_sara, section).status_code == 201
    section.refresh_from_db()
    assert (section.capacity, section.seats_taken) == (2, 2)


def test_idempotency_key_registers_once_and_replays_the_response(student_sara, main_window, make_section):
    section = make_section()
    first = register(student_sara, section, idempotency_key="k-1")
    second = register(student_sara, section, idempotency_key="k-1")
    assert second.replayed and second.response == first.response and second.status_code == 201
    assert Registration.objects.filter(student=student_sara).count() == 1
    assert Section.objects.get(pk=section.pk).seats_taken == 1
    refused("idempotency_key_reused", student_sara, make_section(), idempotency_key="k-1")
    assert IdempotencyKey.objects.count() == 1


def test_refusal_in_persian(student_sara, term, make_section):
    with override("fa"):
        error = refused("no_window", student_sara, make_section())
        assert "انتخاب واحد" in error.message
    with override("en"):
        error = refused("no_window", student_sara, make_section())
        assert error.message == "Registration is not open for you now."


def test_registration_writes_are_audited(student_sara, main_window, make_section):
    section = make_section()
    registration = register(student_sara, section).registration
    registration_drop(registration=registration, reason="تغییر برنامه")
    register(student_sara, section)
    events = list(
        AuditEvent.objects.filter(
            model_label="academics.Registration", object_id=str(registration.pk)
        ).order_by("pk")
    )
    assert [e.action for e in events] == ["create", "update", "update"]
    assert events[0].changes["status"] == [None, "registered"]
    assert events[1].changes["status"] == ["registered", "dropped"]
    assert events[1].reason == "تغییر برنامه"
    assert events[2].changes["status"] == ["dropped", "registered"]
