"""Registering several sections in one submit: the same rules, judged in order, in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from shafa.academics.models import (
    IdempotencyKey,
    OverrideKind,
    Registration,
    RegistrationLedger,
    RegistrationStatus,
    Section,
    StudentTimeSlot,
)
from shafa.academics.services.refusals import RegistrationRefused
from shafa.academics.services.registration import (
    override_grant,
    registration_create,
    registration_create_many,
    registration_drop,
)
from shafa.core.models import AuditEvent
from shafa.institution.tests.factories import TermFactory
from shafa.people.tests.factories import StudentFactory

from .factories import CourseFactory, RegistrationWindowFactory, SectionFactory

pytestmark = pytest.mark.django_db


def batch(student, sections, **kwargs):
    found = {section.pk: section for section in sections if section is not None}
    ids = kwargs.pop("ids", None) or [section.pk for section in sections]
    return registration_create_many(student=student, section_ids=ids, sections=found, **kwargs)


def statuses(outcome):
    return [result.get("code", result["status"]) for result in outcome.results]


def test_a_form_of_six_registers_all_with_one_ledger_and_an_audit_event_each(
    student_sara, main_window, make_section
):
    sections = [make_section(credits="3") for _ in range(6)]
    outcome = batch(student_sara, sections)
    assert statuses(outcome) == ["registered"] * 6
    assert [r["section"] for r in outcome.results] == [s.pk for s in sections]
    rows = Registration.objects.filter(student=student_sara, status=RegistrationStatus.REGISTERED)
    assert {r.pk for r in rows} == {r["id"] for r in outcome.results}
    by_id = {r.pk: r for r in rows}
    assert all(by_id[r["id"]].section_id == r["section"] for r in outcome.results)  # each id its own row
    assert {r.phase for r in rows} == {"main"}
    assert all(s.seats_taken == 1 for s in Section.objects.filter(pk__in=[s.pk for s in sections]))
    assert RegistrationLedger.objects.get(student=student_sara).credits == Decimal("18")
    created = AuditEvent.objects.filter(model_label="academics.Registration", action="create")
    assert sorted(int(e.object_id) for e in created) == sorted(r.pk for r in rows)
    assert all(e.changes["status"] == [None, "registered"] for e in created)


def test_each_section_is_judged_in_order_counting_the_ones_before_it(student_sara, main_window, make_section):
    first = make_section(credits="3", meetings=[(0, "08:00", "10:00")])
    clashing = make_section(credits="3", meetings=[(0, "09:00", "11:00")])
    # 3 + 16 = 19 credits; the next 3 would make 22.
    big = [make_section(credits="4", meetings=[(day, "08:00", "10:00")]) for day in (1, 2, 3, 4)]
    over = make_section(credits="3", meetings=[(5, "08:00", "10:00")])
    outcome = batch(student_sara, [first, clashing, *big, over])
    assert statuses(outcome) == ["registered", "time_clash", *["registered"] * 4, "credit_cap"]
    assert first.course.title in outcome.results[1]["detail"]
    assert RegistrationLedger.objects.get(student=student_sara).credits == Decimal("19")
    assert Section.objects.get(pk=clashing.pk).seats_taken == 0


def test_a_refusal_does_not_undo_the_others_and_names_its_reason(student_sara, main_window, make_section):
    taken = make_section()
    registration_create(student=student_sara, section=taken)
    fresh = make_section()
    other_term = SectionFactory(term=TermFactory(number=2), course=CourseFactory())
    outcome = batch(
        student_sara, [taken, fresh, other_term], ids=[taken.pk, 999_999, fresh.pk, other_term.pk]
    )
    assert statuses(outcome) == ["already_registered", "not_found", "registered", "wrong_term"]
    assert all(r["detail"] for r in outcome.results if r["status"] == "refused")


def test_a_corequisite_later_in_the_form_is_waited_for(student_sara, main_window, make_section):
    lecture, lab = CourseFactory(), CourseFactory(theoretical_credits=Decimal("1"))
    lab.corequisites.add(lecture)
    lab_section, lecture_section = make_section(course=lab), make_section(course=lecture)
    assert statuses(batch(student_sara, [lab_section, lecture_section])) == ["registered", "registered"]


def test_a_corequisite_refused_in_the_form_refuses_its_partner(student_sara, main_window, make_section):
    lecture, lab = CourseFactory(), CourseFactory(theoretical_credits=Decimal("1"))
    lab.corequisites.add(lecture)
    lab_section = make_section(course=lab)
    lecture_section = make_section(course=lecture, is_open=False)
    assert statuses(batch(student_sara, [lab_section, lecture_section])) == [
        "corequisite_missing",
        "section_closed",
    ]


def test_full_sections_waitlist_in_the_form_and_a_closed_waitlist_refuses(
    student_sara, student_reza, main_window, make_section
):
    full = make_section(capacity=1, waitlist_limit=1)
    shut = make_section(capacity=1, waitlist_limit=0)
    registration_create(student=student_reza, section=full)
    registration_create(student=student_reza, section=shut)
    outcome = batch(student_sara, [full, shut])
    assert statuses(outcome) == ["waitlisted", "section_full"]
    assert outcome.results[0]["waitlist_position"] == 1
    registration_drop(registration=Registration.objects.get(student=student_reza, section=full))
    assert (
        Registration.objects.get(student=student_sara, section=full).status == RegistrationStatus.REGISTERED
    )


def test_a_capacity_override_grows_the_section_for_its_student(
    student_sara, student_reza, registrar_maryam, main_window, make_section
):
    full = make_section(capacity=1, waitlist_limit=0)
    registration_create(student=student_reza, section=full)
    override_grant(
        actor=registrar_maryam,
        student=student_sara,
        term=full.term,
        kind=OverrideKind.CAPACITY,
        section=full,
        reason="graduating this term",
    )
    assert statuses(batch(student_sara, [full])) == ["registered"]
    full.refresh_from_db()
    assert (full.capacity, full.seats_taken) == (2, 2)


def test_a_dropped_section_comes_back_on_its_own_row(student_sara, main_window, make_section):
    section = make_section()
    first = registration_create(student=student_sara, section=section).registration
    registration_drop(registration=first)
    outcome = batch(student_sara, [section, make_section()])
    assert statuses(outcome) == ["registered", "registered"]
    assert outcome.results[0]["id"] == first.pk
    assert Registration.objects.filter(student=student_sara, section=section).count() == 1


def test_the_window_and_slot_apply_to_the_whole_form(student_sara, term, make_section, registrar_maryam):
    window = RegistrationWindowFactory(term=term, uses_time_slots=True)
    StudentTimeSlot.objects.create(
        window=window,
        student=student_sara,
        opens_at=timezone.now() + dt.timedelta(hours=2),
        closes_at=window.closes_at,
    )
    a, b = make_section(), make_section()
    assert statuses(batch(student_sara, [a, b])) == ["slot_not_started", "slot_not_started"]
    # A registrar's window override for one section opens that section only.
    override_grant(
        actor=registrar_maryam,
        student=student_sara,
        term=term,
        kind=OverrideKind.WINDOW,
        section=b,
        reason="x",
    )
    assert statuses(batch(student_sara, [a, b])) == ["slot_not_started", "registered"]
    later = timezone.now() + dt.timedelta(hours=3)
    assert statuses(batch(student_sara, [a], now=later)) == ["registered"]


def test_a_repeated_key_replays_the_form_and_another_form_under_it_is_refused(
    student_sara, main_window, make_section
):
    a, b = make_section(), make_section()
    first = batch(student_sara, [a, b], idempotency_key="form-1")
    again = batch(student_sara, [a, b], idempotency_key="form-1")
    assert again.replayed and again.results == first.results
    assert Registration.objects.filter(student=student_sara).count() == 2
    with pytest.raises(RegistrationRefused) as info:
        batch(student_sara, [b, a], idempotency_key="form-1")
    assert info.value.code == "idempotency_key_reused"
    # A single request under a form's key is another request too.
    with pytest.raises(RegistrationRefused) as info:
        registration_create(student=student_sara, section=a, idempotency_key="form-1")
    assert info.value.code == "idempotency_key_reused"


def test_a_form_that_changed_nothing_is_not_remembered(student_sara, term, make_section):
    section = make_section()
    assert statuses(batch(student_sara, [section], idempotency_key="early")) == ["no_window"]
    assert not IdempotencyKey.objects.filter(key="early").exists()
    RegistrationWindowFactory(term=term)
    assert statuses(batch(student_sara, [section], idempotency_key="early")) == ["registered"]


def test_a_form_names_each_section_once(student_sara, main_window, make_section):
    section = make_section()
    with pytest.raises(ValueError):
        batch(student_sara, [section, section])


# --- credit limits prepared before registration day ------------------------------------------------


def test_limits_are_prepared_for_the_students_a_window_covers(student_sara, student_reza, term, monkeypatch):
    from shafa.academics.selectors import standing
    from shafa.academics.services.registration import ledgers_prepare
    from shafa.people.models import StudentStatus

    monkeypatch.setattr(standing, "is_on_probation", lambda student, term: student.pk == student_reza.pk)
    RegistrationLedger.objects.create(student=student_sara, term=term, max_credits=Decimal("22"))
    window = RegistrationWindowFactory(term=term, program=student_reza.program)
    assert ledgers_prepare(term=term, window=window) == 1  # Reza's; Sara keeps hers
    limits = dict(RegistrationLedger.objects.values_list("student_id", "max_credits"))
    assert limits == {student_sara.pk: Decimal("22"), student_reza.pk: Decimal("14")}
    assert ledgers_prepare(term=term, window=window) == 0  # nothing new: prepared once
    gone = StudentFactory(program=student_reza.program, status=StudentStatus.WITHDRAWN)
    assert ledgers_prepare(term=term) == 0
    assert not RegistrationLedger.objects.filter(student=gone).exists()


def test_a_window_of_another_entry_year_prepares_nobody(student_sara, term):
    from shafa.academics.services.registration import ledgers_prepare

    window = RegistrationWindowFactory(term=term, entry_year=student_sara.entry_term.code // 10 - 1)
    assert ledgers_prepare(term=term, window=window) == 0
    window.entry_year = student_sara.entry_term.code // 10
    assert ledgers_prepare(term=term, window=window) >= 1
    assert RegistrationLedger.objects.filter(student=student_sara, term=term).exists()


def test_a_first_registration_uses_the_prepared_limit(student_sara, main_window, make_section):
    from shafa.academics.services.registration import ledgers_prepare

    ledgers_prepare(term=main_window.term)
    RegistrationLedger.objects.filter(student=student_sara).update(max_credits=Decimal("6"))
    outcome = batch(student_sara, [make_section(credits="3") for _ in range(3)])
    assert statuses(outcome) == ["registered", "registered", "credit_cap"]


def test_finalised_grades_update_the_prepared_limits_of_later_terms(student_sara, term, monkeypatch):
    from shafa.academics.selectors import standing
    from shafa.academics.services.registration import ledgers_prepare, ledgers_refresh_after_grades

    later = TermFactory(
        number=2,
        start_date=term.end_date + dt.timedelta(days=10),
        end_date=term.end_date + dt.timedelta(days=130),
    )
    ledgers_prepare(term=later)
    assert RegistrationLedger.objects.get(student=student_sara, term=later).max_credits == 20
    monkeypatch.setattr(standing, "is_on_probation", lambda student, term: True)
    ledgers_refresh_after_grades(student_ids=[student_sara.pk], term=term)
    assert RegistrationLedger.objects.get(student=student_sara, term=later).max_credits == 14


def test_the_command_prepares_a_term(student_sara, term):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("registration_prepare", "--term", str(term.code), stdout=out)
    assert RegistrationLedger.objects.filter(student=student_sara, term=term).exists()
    assert "prepared" in out.getvalue()


def test_a_policy_change_reaches_the_limits_prepared_for_terms_not_yet_ended(
    student_sara, student_reza, term, admin_amir, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from shafa.academics.models import RegistrationPolicy
    from shafa.academics.services.registration import ledgers_prepare, policy_save

    current = TermFactory(
        number=2,
        start_date=timezone.localdate() - dt.timedelta(days=30),
        end_date=timezone.localdate() + dt.timedelta(days=90),
    )
    ledgers_prepare(term=current)
    ledgers_prepare(term=term)  # 2025-09-23 .. 2026-01-20 in the factory: ended (or ending) long ago
    past_before = RegistrationLedger.objects.get(student=student_sara, term=term).max_credits
    RegistrationLedger.objects.filter(student=student_reza, term=current).update(credits=Decimal("19"))
    policy = RegistrationPolicy.objects.filter(program=student_sara.program).first() or RegistrationPolicy(
        program=student_sara.program
    )
    policy.max_credits = 17
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        policy_save(policy=policy, actor=admin_amir)  # the refresh runs after the commit
    assert len(callbacks) == 1
    limits = dict(RegistrationLedger.objects.filter(term=current).values_list("student_id", "max_credits"))
    assert limits[student_sara.pk] == Decimal("17")
    assert limits[student_reza.pk] == Decimal("19")  # never below what Reza already holds
    if term.end_date < timezone.localdate():
        assert RegistrationLedger.objects.get(student=student_sara, term=term).max_credits == past_before
    assert AuditEvent.objects.filter(model_label="academics.RegistrationPolicy", actor=admin_amir).exists()
    policy.min_credits = 18  # above the maximum: refused, nothing saved
    with pytest.raises(ValidationError):
        policy_save(policy=policy)
    assert RegistrationPolicy.objects.get(pk=policy.pk).min_credits != 18


def test_a_policy_changed_in_the_admin_goes_through_the_service(
    student_sara, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from shafa.academics.services.registration import ledgers_prepare

    current = TermFactory(
        number=2,
        start_date=timezone.localdate() - dt.timedelta(days=30),
        end_date=timezone.localdate() + dt.timedelta(days=90),
    )
    ledgers_prepare(term=current)
    root = get_user_model().objects.create_superuser(
        username="root-p1", password="x-pass-91", email="r@x.invalid"
    )
    client = Client()
    client.force_login(root)
    form = {
        "program": student_sara.program_id,
        "min_credits": 12,
        "max_credits": 16,
        "probation_max_credits": 14,
        "final_term_max_credits": 24,
        "emergency_withdrawals_per_term": 1,
        "waitlist_enabled": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:academics_registrationpolicy_add"), form)
    assert response.status_code == 302 and "/login/" not in response["Location"]
    assert RegistrationLedger.objects.get(student=student_sara, term=current).max_credits == Decimal("16")
