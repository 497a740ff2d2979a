"""Concurrency claims, tested on PostgreSQL with real parallel connections (one per thread)."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection, connections

from shafa.academics.models import Registration, RegistrationLedger, RegistrationStatus, Section
from shafa.academics.services.refusals import RegistrationRefused
from shafa.academics.services.registration import (
    registration_create,
    registration_create_many,
    registration_drop,
)
from shafa.people.tests.factories import StudentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises every writer (BEGIN IMMEDIATE); nothing runs in parallel",
    ),
]


def run_in_parallel(jobs):
    """Run each job in its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except RegistrationRefused as refusal:
            results[index] = refusal.code
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_students_five_seats(main_window, make_section, student_sara):
    section = make_section(capacity=5)
    students = [StudentFactory(program=student_sara.program) for _ in range(20)]
    results = run_in_parallel(
        [lambda s=s: registration_create(student=s, section=section).status_code for s in students]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Counter(results) == {201: 5, 202: 15}
    assert Section.objects.get(pk=section.pk).seats_taken == 5
    assert Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED).count() == 5


def test_waitlist_limit_holds_under_parallel_joiners(main_window, make_section, student_sara):
    section = make_section(capacity=2, waitlist_limit=3)
    students = [StudentFactory(program=student_sara.program) for _ in range(12)]
    results = run_in_parallel(
        [lambda s=s: registration_create(student=s, section=section).status_code for s in students]
    )
    assert Counter(results) == {201: 2, 202: 3, "section_full": 7}


def test_twenty_students_five_seats_no_waitlist(main_window, make_section, student_sara):
    section = make_section(capacity=5, waitlist_limit=0)
    students = [StudentFactory(program=student_sara.program) for _ in range(20)]
    results = run_in_parallel(
        [lambda s=s: registration_create(student=s, section=section).status_code for s in students]
    )
    assert Counter(results) == {201: 5, "section_full": 15}
    assert Section.objects.get(pk=section.pk).seats_taken == 5


def test_one_student_parallel_requests_hold_the_credit_cap(main_window, make_section, student_sara):
    sections = [make_section(credits="3") for _ in range(10)]  # 30 credits asked, cap 20
    results = run_in_parallel(
        [lambda s=s: registration_create(student=student_sara, section=s).status_code for s in sections]
    )
    assert Counter(results) == {201: 6, "credit_cap": 4}
    held = Registration.objects.filter(student=student_sara, status__in=["registered", "waitlisted"])
    assert sum(r.credits for r in held) == Decimal("18")
    assert RegistrationLedger.objects.get(student=student_sara).credits == Decimal("18")


def test_one_student_parallel_clashing_requests(main_window, make_section, student_sara):
    sections = [make_section(meetings=[(2, "08:00", "10:00")]) for _ in range(8)]
    results = run_in_parallel(
        [lambda s=s: registration_create(student=student_sara, section=s).status_code for s in sections]
    )
    assert Counter(results) == {201: 1, "time_clash": 7}


def test_same_idempotency_key_ten_times_registers_once(main_window, make_section, student_sara):
    section = make_section()
    results = run_in_parallel(
        [
            lambda: (
                registration_create(student=student_sara, section=section, idempotency_key="tap-1").response
            )
            for _ in range(10)
        ]
    )
    assert not [r for r in results if not isinstance(r, dict)], results
    assert all(r == results[0] for r in results)
    assert Registration.objects.filter(student=student_sara).count() == 1
    assert Section.objects.get(pk=section.pk).seats_taken == 1


def test_parallel_drops_promote_each_waitlisted_student_once(main_window, make_section, student_sara):
    section = make_section(capacity=4)
    holders = [StudentFactory(program=student_sara.program) for _ in range(4)]
    waiting = [StudentFactory(program=student_sara.program) for _ in range(6)]
    registrations = [registration_create(student=s, section=section).registration for s in holders]
    for student in waiting:
        registration_create(student=student, section=section)
    run_in_parallel([lambda r=r: registration_drop(registration=r) for r in registrations])
    assert Section.objects.get(pk=section.pk).seats_taken == 4
    registered = Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED)
    assert sorted(r.student_id for r in registered) == sorted(s.pk for s in waiting[:4])


# --- registration forms (several sections in one submit) ------------------------------------------


def _form(student, sections, key=""):
    return registration_create_many(
        student=student,
        section_ids=[s.pk for s in sections],
        sections={s.pk: s for s in sections},
        idempotency_key=key,
    )


def test_forms_over_the_same_sections_in_crossed_orders_never_overbook_or_deadlock(
    main_window, make_section, student_sara
):
    # Each form lists the same three sections in another order: the rows are locked in id order,
    # so no two forms wait on each other in a circle (a deadlock would surface as an exception).
    sections = [make_section(capacity=5, waitlist_limit=100) for _ in range(3)]
    students = [StudentFactory(program=student_sara.program) for _ in range(18)]
    orders = [sections, sections[::-1], [sections[1], sections[0], sections[2]]]
    results = run_in_parallel(
        [
            lambda s=s, i=i: [r["status"] for r in _form(s, orders[i % 3]).results]
            for i, s in enumerate(students)
        ]
    )
    assert not [r for r in results if not isinstance(r, list)], results
    for section in sections:
        assert Section.objects.get(pk=section.pk).seats_taken == 5
        rows = Registration.objects.filter(section=section)
        assert Counter(r.status for r in rows) == {"registered": 5, "waitlisted": 13}
    assert Counter(status for statuses in results for status in statuses) == {
        "registered": 15,
        "waitlisted": 39,
    }


def test_one_student_parallel_forms_hold_the_credit_cap_and_clashes(main_window, make_section, student_sara):
    forms = [[make_section(credits="3") for _ in range(4)] for _ in range(3)]  # 36 credits asked, cap 20
    clash = [make_section(meetings=[(5, "16:00", "18:00")], credits="1") for _ in range(3)]
    for form, clashing in zip(forms, clash, strict=True):
        form.append(clashing)
    results = run_in_parallel([lambda f=f: _form(student_sara, f).results for f in forms])
    assert not [r for r in results if not isinstance(r, list)], results
    held = Registration.objects.filter(student=student_sara, status__in=["registered", "waitlisted"])
    assert sum(r.credits for r in held) <= Decimal("20")
    assert RegistrationLedger.objects.get(student=student_sara).credits == sum(r.credits for r in held)
    assert held.filter(section__in=clash).count() == 1


def test_same_idempotency_key_on_a_form_ten_times_registers_once(main_window, make_section, student_sara):
    sections = [make_section() for _ in range(3)]
    results = run_in_parallel(
        [lambda: _form(student_sara, sections, key="form-1").response for _ in range(10)]
    )
    assert not [r for r in results if not isinstance(r, dict)], results
    assert all(r == results[0] for r in results)
    assert Registration.objects.filter(student=student_sara).count() == 3
    assert [Section.objects.get(pk=s.pk).seats_taken for s in sections] == [1, 1, 1]
