"""Registration writes: register (or waitlist), drop with automatic promotion, emergency withdrawal.

Concurrency design (PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE):
- every write for a student locks that student's `RegistrationLedger` row for the term first
  (`SELECT … FOR UPDATE`), so one student's parallel requests run one after another and the
  per-student rules (credit cap, clashes, corequisites, idempotency) see a stable state;
- a seat is taken with one conditional UPDATE (`seats_taken < capacity`); the CHECK constraint on
  Section backs it. The section row stays locked only from that UPDATE to the commit, which is
  why it comes last;
- a drop frees the seat and promotes the first waitlisted student in the same transaction;
- waitlisted credits count towards the cap and waitlisted meetings towards clashes, so a
  promotion never breaks the promoted student's rules;
- the service commits before the view answers, so an acknowledged registration is durable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shafa.academics.models import (
    ACTIVE_STATUSES,
    Course,
    CourseCorequisite,
    Meeting,
    OverrideKind,
    RegistrarOverride,
    Registration,
    RegistrationLedger,
    RegistrationPhase,
    RegistrationPolicy,
    RegistrationStatus,
    RegistrationWindow,
    Section,
    StudentTimeSlot,
)
from shafa.academics.selectors import registration_state as state
from shafa.academics.selectors import standing
from shafa.academics.selectors.registration import policy_for
from shafa.core.audit import audit_context, audit_record, audit_records, field_snapshot
from shafa.core.jobs import run_after_commit
from shafa.core.sql import insert, insert_many
from shafa.core.templatetags.shafa import jdatetime as format_jalali_datetime
from shafa.core.text import digits_to_persian

from .refusals import RegistrationRefused, refuse

REGISTERING_PHASES = (RegistrationPhase.MAIN, RegistrationPhase.ADD_DROP)


@dataclasses.dataclass
class Outcome:
    """What a registration request did; `response` is the snapshot an Idempotency-Key replays."""

    registration: Registration | None
    response: dict[str, Any]
    status_code: int
    replayed: bool = False


# --- policy ----------------------------------------------------------------------------------


def credit_cap(student: Any, term: Any) -> Decimal:
    """The most credits `student` may hold in `term`: override, else probation, final term or normal."""
    override = (
        RegistrarOverride.objects.filter(student=student, term=term, kind=OverrideKind.CREDIT_LIMIT)
        .order_by("-created_at", "-id")
        .values_list("max_credits", flat=True)
        .first()
    )
    if override is not None:
        return Decimal(override)
    policy = policy_for(student.program)
    remaining = Decimal(student.program.credits_required) - standing.passed_credits(student)
    return cap_for(policy, on_probation=standing.is_on_probation(student, term), remaining_credits=remaining)


def cap_for(policy: Any, *, on_probation: bool, remaining_credits: Decimal) -> Decimal:
    """The policy's cap: probation first, then the final term (the rest fits under its cap), else normal."""
    if on_probation:
        return Decimal(policy.probation_max_credits)
    if remaining_credits <= policy.final_term_max_credits:
        return Decimal(policy.final_term_max_credits)
    return Decimal(policy.max_credits)


def _lock_ledger(student: Any, term: Any) -> RegistrationLedger:
    """Lock (creating if needed) the student's ledger row for the term. Call inside atomic()."""
    ledger = RegistrationLedger.objects.select_for_update().filter(student=student, term=term).first()
    if ledger is not None:
        return ledger
    # INSERT … ON CONFLICT DO NOTHING: two first requests from one student may race here.
    RegistrationLedger.objects.bulk_create(
        [RegistrationLedger(student=student, term=term, max_credits=credit_cap(student, term))],
        ignore_conflicts=True,
    )
    return RegistrationLedger.objects.select_for_update().get(student=student, term=term)


def _has_override(
    student: Any, term: Any, kind: str, section: Section | None = None
) -> RegistrarOverride | None:
    query = RegistrarOverride.objects.filter(student=student, term=term, kind=kind)
    if section is not None:
        query = query.filter(Q(section__isnull=True) | Q(section=section))
    return query.order_by("-created_at").first()


# --- windows ---------------------------------------------------------------------------------


def open_window(
    student: Any, term: Any, phases: tuple[str, ...], now: dt.datetime, *, with_slot: bool = False
) -> RegistrationWindow | None:
    """The window of one of `phases` open for `student` now (`slot_opens_at`: their personal slot)."""
    entry_year = student.entry_term.code // 10 if student.entry_term_id else None
    query = RegistrationWindow.objects.all()
    if with_slot:
        slots = StudentTimeSlot.objects.filter(window=OuterRef("pk"), student=student).values("opens_at")[:1]
        query = query.annotate(slot_opens_at=Subquery(slots))
    return (
        query.filter(term=term, phase__in=phases, opens_at__lte=now, closes_at__gt=now)
        .filter(Q(entry_year__isnull=True) | Q(entry_year=entry_year))
        .filter(Q(program__isnull=True) | Q(program_id=student.program_id))
        .order_by("-opens_at")
        .first()
    )


def _check_window(
    student: Any, term: Any, phases: tuple[str, ...], now: dt.datetime, section: Section | None
) -> state.WindowState | None:
    return _window_admits(_window_state(student, term, phases, now), student, term, now, section)


def _window_state(
    student: Any, term: Any, phases: tuple[str, ...], now: dt.datetime
) -> state.WindowState | None:
    return state.open_window(
        student_id=student.pk,
        program_id=student.program_id,
        entry_year=student.entry_term.code // 10 if student.entry_term_id else None,
        term_id=term.pk,
        phases=phases,
        now=now,
    )


def _window_admits(
    window: state.WindowState | None, student: Any, term: Any, now: dt.datetime, section: Section | None
) -> state.WindowState | None:
    """Raise unless the open `window` (and the student's slot in it), or a registrar's window
    override for `section`, lets the student in now; the window, if any."""
    if window is None:
        if _has_override(student, term, OverrideKind.WINDOW, section):
            return None
        raise refuse("no_window")
    slot_opens = window.slot_opens_at
    if (
        window.uses_time_slots
        and slot_opens is not None
        and slot_opens > now
        and not _has_override(student, term, OverrideKind.WINDOW, section)
    ):
        raise refuse("slot_not_started", opens=format_jalali_datetime(slot_opens))
    return window


# --- rules -----------------------------------------------------------------------------------


_INSERTED = [field for field in Registration._meta.concrete_fields if not field.primary_key]


def _write_registration(
    registration: Registration | None,
    student: Any,
    section: Section,
    values: dict[str, Any],
    now: dt.datetime,
) -> Registration:
    """Insert or update the row in one statement, with its audit event (as AuditedModel records it,
    without the savepoint round trips of a nested atomic block on the hot path)."""
    if registration is None:
        registration = Registration(
            student=student, section=section, term=section.term, course=section.course
        )
        for key, value in values.items():
            setattr(registration, key, value)
        registration.created_at = registration.updated_at = now
        registration.pk = insert(
            Registration, {field.attname: field.value_from_object(registration) for field in _INSERTED}
        )
        registration._state.adding = False
        after = field_snapshot(registration)
        audit_record(
            action="create",
            instance=registration,
            changes={key: [None, value] for key, value in after.items() if value not in (None, "")},
        )
        return registration
    before = field_snapshot(registration)
    Registration.objects.filter(pk=registration.pk).update(updated_at=now, **values)
    for key, value in values.items():
        setattr(registration, key, value)
    after = field_snapshot(registration)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    audit_record(action="update", instance=registration, changes=changes)
    return registration


def _kept_registrations(student: Any, term: Any, leaving: Registration) -> list[state.HeldRegistration]:
    """The student's active registrations in the term other than `leaving` (one statement)."""
    rows, _adding = state.term_registrations(student.pk, term.pk)
    return [r for r in rows if r.is_active and r.pk != leaving.pk]


def _format_meeting(meeting: Meeting) -> str:
    return to_persian_digits(
        f"{meeting.get_weekday_display()} {meeting.start_time:%H:%M}–{meeting.end_time:%H:%M}"
    )


def _check_rules(
    student: Any,
    section: Section,
    meetings: list[Meeting],
    active: list[state.HeldRegistration],
    ledger: state.LedgerState,
    passed: set[int],
    links: list[tuple[int, bool]],
) -> None:
    """Raise RegistrationRefused for the first rule `section` (meeting at `meetings`) breaks for
    `student`, who holds the `active` registrations in the term, has `passed` these course ids, and
    whose course requires the `links` (required course id, is a prerequisite)."""
    term, course = section.term, section.course
    for held in active:
        if held.section_id == section.pk:
            raise refuse("already_registered")
        if held.course_id == course.pk:
            raise refuse("course_taken", course=course.title)
    if course.pk in passed and not _has_override(student, term, OverrideKind.REPEAT, section):
        raise refuse("already_passed", course=course.title)

    # Prerequisites and corequisites in one query (ids only; titles only when refusing).
    active_courses = {held.course_id for held in active}
    missing_pre, missing_co = [], []
    for required_id, is_prerequisite in links:
        if required_id in passed:
            continue
        if is_prerequisite:
            missing_pre.append(required_id)
        elif required_id not in active_courses:
            missing_co.append(required_id)
    if (missing_pre or missing_co) and not _has_override(student, term, OverrideKind.PREREQUISITE, section):
        code = "prerequisite_missing" if missing_pre else "corequisite_missing"
        titles = [c.title for c in Course.objects.filter(pk__in=missing_pre or missing_co).order_by("code")]
        raise refuse(code, courses="، ".join(titles))

    for held in active:
        for theirs in held.meetings:
            for ours in meetings:
                if ours.overlaps(theirs) and not _has_override(
                    student, term, OverrideKind.TIME_CLASH, section
                ):
                    raise refuse("time_clash", course=held.course_title, when=_format_meeting(theirs))
    if section.exam_at is not None:
        ours_end = section.exam_at + dt.timedelta(minutes=section.exam_minutes)
        for held in active:
            if held.exam_at is None:
                continue
            theirs_end = held.exam_at + dt.timedelta(minutes=held.exam_minutes)
            if (
                section.exam_at < theirs_end
                and held.exam_at < ours_end
                and not _has_override(student, term, OverrideKind.EXAM_CLASH, section)
            ):
                raise refuse("exam_clash", course=held.course_title)

    total = ledger.credits + course.credits
    if total > ledger.max_credits:
        raise refuse("credit_cap", total=_num(total), cap=_num(ledger.max_credits))


def to_persian_digits(text: str) -> str:
    """Persian digits when the active language is Persian (refusals are read by people)."""
    return digits_to_persian(text) if (get_language() or "fa").startswith("fa") else text


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return to_persian_digits(text)


def _take_seat(section: Section) -> bool:
    """Take one seat if one is free: a single conditional UPDATE, safe under any concurrency."""
    return state.seat_take(section.pk)


def _waitlist_has_room(section: Section) -> bool:
    """Whether one more may join the waitlist. Locks the section row first, so parallel joiners
    count one after another and the limit holds (only a full section's joiners queue here)."""
    limit = (
        Section.objects.select_for_update()
        .filter(pk=section.pk)
        .values_list("waitlist_limit", flat=True)
        .get()
    )
    return Registration.objects.filter(section=section, status=RegistrationStatus.WAITLISTED).count() < limit


def waitlist_position(registration: Registration) -> int | None:
    """1-based FIFO position of a waitlisted registration."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        section_id=registration.section_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def snapshot(registration: Registration) -> dict[str, Any]:
    """The response body of a registration request (stored for Idempotency-Key replays)."""
    return {
        "id": registration.pk,
        "section": registration.section_id,
        "course": registration.course_id,
        "status": str(registration.status),
        "credits": str(registration.credits),
        "waitlist_position": waitlist_position(registration),
    }


def fingerprint(section_id: int) -> str:
    return hashlib.sha256(f"register:{section_id}".encode()).hexdigest()


# --- register --------------------------------------------------------------------------------


def registration_create(
    *,
    student: Any,
    section: Section,
    actor: Any = None,
    idempotency_key: str = "",
    by_registrar: bool = False,
    now: dt.datetime | None = None,
) -> Outcome:
    """Register `student` in `section` (or waitlist them when it is full), enforcing every rule."""
    now = now or timezone.now()
    try:
        with audit_context(actor=actor), transaction.atomic():
            return _register(student, section, idempotency_key, by_registrar, now)
    except IntegrityError as exc:  # a constraint caught what the checks did not: never a 500
        raise refuse("conflict") from exc


def _lock_ledger_state(student: Any, term: Any) -> state.LedgerState:
    """`_lock_ledger` for the hot path: one fixed statement when the row exists (it usually does)."""
    ledger = state.ledger_lock(student.pk, term.pk)
    if ledger is None:
        row = _lock_ledger(student, term)
        ledger = state.LedgerState(row.pk, row.credits, row.max_credits)
    return ledger


def _grow_for_override(section: Section, override: RegistrarOverride) -> None:
    """The registrar allowed one more seat: grow capacity and take it in one statement, audited."""
    Section.objects.filter(pk=section.pk).update(capacity=F("capacity") + 1, seats_taken=F("seats_taken") + 1)
    audit_record(
        action="update", instance=section, changes={"capacity": ["+1", "override"]}, reason=override.reason
    )


def _registration_values(
    status: str,
    credits: Decimal,
    window: state.WindowState | None,
    override: RegistrarOverride | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """The fields a registration (new, or a dropped one coming back) is written with."""
    return {
        "status": status,
        "credits": credits,
        "phase": window.phase if window else "",
        "override": override,
        "ended_at": None,
        "registered_at": now if status == RegistrationStatus.REGISTERED else None,
        "queued_at": now if status == RegistrationStatus.WAITLISTED else None,
    }


def _register(student: Any, section: Section, key: str, by_registrar: bool, now: dt.datetime) -> Outcome:
    term = section.term
    ledger = _lock_ledger_state(student, term)
    stored = state.stored_reply(student.pk, key) if key else None
    if stored is not None:
        if stored.fingerprint != fingerprint(section.pk):
            raise refuse("idempotency_key_reused")
        registration = Registration.objects.filter(pk=stored.response["id"]).first()
        return Outcome(registration, stored.response, stored.status_code, replayed=True)

    window = None
    if not by_registrar:
        window = _check_window(student, term, REGISTERING_PHASES, now, section)
    if not section.is_open and not by_registrar:
        raise refuse("section_closed")
    rows, meetings = state.term_registrations(student.pk, term.pk, with_section=section.pk)
    _check_rules(
        student,
        section,
        meetings,
        [r for r in rows if r.is_active],
        ledger,
        standing.passed_course_ids(student),
        state.requirement_links(section.course_id),
    )

    credits = section.course.credits
    override = None
    if _take_seat(section):
        status = RegistrationStatus.REGISTERED
    elif override := _has_override(student, term, OverrideKind.CAPACITY, section):
        _grow_for_override(section, override)
        status = RegistrationStatus.REGISTERED
    elif policy_for(student.program).waitlist_enabled and _waitlist_has_room(section):
        status = RegistrationStatus.WAITLISTED
    else:
        raise refuse("section_full")

    values = _registration_values(status, credits, window, override, now)
    # A row for this section already exists when the student dropped it before: update that one.
    earlier = next((r.pk for r in rows if r.section_id == section.pk), None)
    registration = Registration.objects.get(pk=earlier) if earlier is not None else None
    registration = _write_registration(registration, student, section, values, now)
    state.ledger_add(ledger.pk, credits, now)

    response = snapshot(registration)
    status_code = 201 if status == RegistrationStatus.REGISTERED else 202
    if key:
        state.stored_reply_save(student.pk, key, fingerprint(section.pk), status_code, response, now)
    return Outcome(registration, response, status_code)


# --- register several sections in one submit ----------------------------------------------------

MAX_BATCH = 12


@dataclasses.dataclass
class BatchOutcome:
    """What a batch did, section by section in the order asked; `response` is what a repeated
    Idempotency-Key replays."""

    results: list[dict[str, Any]]
    replayed: bool = False

    @property
    def response(self) -> dict[str, Any]:
        return {"results": self.results}


def batch_fingerprint(section_ids: Sequence[int]) -> str:
    return hashlib.sha256(f"register-many:{','.join(map(str, section_ids))}".encode()).hexdigest()


def _refused(section_id: int, refusal: RegistrationRefused) -> dict[str, Any]:
    return {"section": section_id, "status": "refused", **refusal.as_dict()}


def registration_create_many(
    *,
    student: Any,
    section_ids: Sequence[int],
    sections: dict[int, Section],
    actor: Any = None,
    idempotency_key: str = "",
    by_registrar: bool = False,
    now: dt.datetime | None = None,
) -> BatchOutcome:
    """Register `student` in several sections in one transaction, as a registration form is
    submitted: each section is judged in the order given by every rule of `registration_create`,
    counting the ones accepted before it (so two sections of the batch that clash keep the first);
    one whose corequisite comes later in the batch is judged again after the rest. Each section is
    registered, waitlisted or refused with its reason; a refusal does not undo the others.

    `sections` holds the requested sections that exist (with course and term); the batch's term is
    the first one's, and a section of another term is refused."""
    if len(section_ids) > MAX_BATCH or len(set(section_ids)) != len(section_ids):
        raise ValueError("a batch names each section once, at most MAX_BATCH of them")
    now = now or timezone.now()
    first = next((sections[pk] for pk in section_ids if pk in sections), None)
    if first is None:
        return BatchOutcome([_refused(pk, refuse("not_found")) for pk in section_ids])
    try:
        with audit_context(actor=actor), transaction.atomic():
            return _register_many(
                student, first.term, section_ids, sections, idempotency_key, by_registrar, now
            )
    except IntegrityError as exc:  # a constraint caught what the checks did not: nothing is kept
        raise refuse("conflict") from exc


def _register_many(
    student: Any,
    term: Any,
    section_ids: Sequence[int],
    sections: dict[int, Section],
    key: str,
    by_registrar: bool,
    now: dt.datetime,
) -> BatchOutcome:
    ledger = _lock_ledger_state(student, term)
    fingerprint_ = batch_fingerprint(section_ids)
    stored = state.stored_reply(student.pk, key) if key else None
    if stored is not None:
        if stored.fingerprint != fingerprint_:
            raise refuse("idempotency_key_reused")
        return BatchOutcome(stored.response["results"], replayed=True)

    results: dict[int, dict[str, Any]] = {}
    ours = []
    for pk in section_ids:
        section = sections.get(pk)
        if section is None:
            results[pk] = _refused(pk, refuse("not_found"))
        elif section.term_id != term.pk:
            results[pk] = _refused(pk, refuse("wrong_term"))
        else:
            ours.append(section)
    ids = [section.pk for section in ours]
    window = None if by_registrar else _window_state(student, term, REGISTERING_PHASES, now)
    rows, adding = state.term_registrations(student.pk, term.pk, with_sections=ids)
    meetings: dict[int, list[Meeting]] = {pk: [] for pk in ids}
    for meeting in adding:
        meetings[meeting.section_id].append(meeting)
    active = [r for r in rows if r.is_active]
    passed = standing.passed_course_ids(student)
    links = state.requirement_links_many(sorted({section.course_id for section in ours}))
    seats = state.sections_lock(sorted(ids))
    held = state.LedgerState(ledger.pk, ledger.credits, ledger.max_credits)
    policy = None
    accepted: list[tuple[Section, str, RegistrarOverride | None, state.WindowState | None]] = []

    def judge(section: Section) -> None:
        nonlocal policy
        admitted = None if by_registrar else _window_admits(window, student, term, now, section)
        if not section.is_open and not by_registrar:
            raise refuse("section_closed")
        course = section.course
        _check_rules(student, section, meetings[section.pk], active, held, passed, links[course.pk])
        seat, override = seats[section.pk], None
        if seat.seats_taken < seat.capacity:
            status = RegistrationStatus.REGISTERED
        elif override := _has_override(student, term, OverrideKind.CAPACITY, section):
            status = RegistrationStatus.REGISTERED
            seat.capacity += 1
        else:
            policy = policy or policy_for(student.program)
            if seat.waitlisted is None:
                seat.waitlisted = state.waitlisted_counts([section.pk])[section.pk]
            if not policy.waitlist_enabled or seat.waitlisted >= seat.waitlist_limit:
                raise refuse("section_full")
            status = RegistrationStatus.WAITLISTED
            seat.waitlisted += 1
        if status == RegistrationStatus.REGISTERED:
            seat.seats_taken += 1
        accepted.append((section, status, override, admitted))
        held.credits += course.credits
        active.append(
            state.HeldRegistration(
                0,
                section.pk,
                course.pk,
                status,
                course.credits,
                section.exam_at,
                section.exam_minutes,
                course.title_fa,
                course.title_en,
                meetings[section.pk],
            )
        )

    deferred = []
    for section in ours:
        try:
            judge(section)
        except RegistrationRefused as refusal:
            if refusal.code == "corequisite_missing" and len(ours) > 1:
                deferred.append(section)  # its corequisite may come later in the batch
            else:
                results[section.pk] = _refused(section.pk, refusal)
    for section in deferred:
        try:
            judge(section)
        except RegistrationRefused as refusal:
            results[section.pk] = _refused(section.pk, refusal)

    for registration in _write_batch(student, rows, accepted, held.credits - ledger.credits, ledger, now):
        results[registration.section_id] = snapshot(registration)
    outcome = BatchOutcome([results[pk] for pk in section_ids])
    if key and accepted:  # nothing changed: a retry is judged afresh, as a refused single request is
        state.stored_reply_save(student.pk, key, fingerprint_, 200, outcome.response, now)
    return outcome


def _write_batch(
    student: Any,
    rows: list[state.HeldRegistration],
    accepted: list[tuple[Section, str, RegistrarOverride | None, state.WindowState | None]],
    credits: Decimal,
    ledger: state.LedgerState,
    now: dt.datetime,
) -> list[Registration]:
    """Take the seats and write the batch's rows with their audit events, in a few statements."""
    seated = [
        section.pk
        for section, status, override, _w in accepted
        if status == RegistrationStatus.REGISTERED and override is None
    ]
    if seated and state.seats_take_locked(seated) != len(seated):
        raise IntegrityError("a locked section lost its free seat")  # cannot happen: rolled back
    for section, _status, override, _w in accepted:
        if override is not None:
            _grow_for_override(section, override)
    earlier = {r.section_id: r.pk for r in rows}
    written, fresh = [], []
    for section, status, override, window in accepted:
        values = _registration_values(status, section.course.credits, window, override, now)
        if section.pk in earlier:  # dropped before: that row comes back
            row = Registration.objects.get(pk=earlier[section.pk])
            written.append(_write_registration(row, student, section, values, now))
            continue
        registration = Registration(
            student=student, section=section, term=section.term, course=section.course, **values
        )
        registration.created_at = registration.updated_at = now
        fresh.append(registration)
        written.append(registration)
    ids = insert_many(
        Registration,
        [{field.attname: field.value_from_object(r) for field in _INSERTED} for r in fresh],
    )
    for registration, pk in zip(fresh, ids, strict=True):
        registration.pk = pk
        registration._state.adding = False
    audit_records(
        "create",
        [
            (r, {key: [None, value] for key, value in field_snapshot(r).items() if value not in (None, "")})
            for r in fresh
        ],
    )
    if credits:
        state.ledger_add(ledger.pk, credits, now)
    return written


# --- drop and promotion ----------------------------------------------------------------------


def registration_drop(
    *,
    registration: Registration,
    actor: Any = None,
    by_registrar: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """Drop a registration (or leave a waitlist); a freed seat goes to the first waitlisted student."""
    return _end_registration(_drop, registration, actor, by_registrar, reason, now)


def _end_registration(
    end: Any, registration: Registration, actor: Any, by_registrar: bool, reason: str, now: dt.datetime | None
) -> Registration:
    """Run a drop or a withdrawal in one audited transaction; a constraint hit is a refusal, not a 500."""
    try:
        with audit_context(actor=actor, reason=reason), transaction.atomic():
            return end(registration, by_registrar, now or timezone.now())  # type: ignore[no-any-return]
    except IntegrityError as exc:
        raise refuse("conflict") from exc


def _lock_registration(pk: int) -> Registration:
    """The registration row, locked, with what the rules and the reply read.

    Only this row is locked (`of=self`): the joined section and course rows stay free, so drops in
    different sections of one course (or of one section, whose seat count is a conditional
    UPDATE) do not queue behind each other until commit.
    """
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("section__term", "section__course", "course", "term")
        .get(pk=pk)
    )


def _drop(registration: Registration, by_registrar: bool, now: dt.datetime) -> Registration:
    student, term = registration.student, registration.term
    ledger = _lock_ledger_state(student, term)
    registration = _lock_registration(registration.pk)
    if registration.status not in ACTIVE_STATUSES:
        raise refuse("not_active")
    window = None
    if not by_registrar:
        window = _check_window(student, term, REGISTERING_PHASES, now, registration.section)

    was_registered = registration.status == RegistrationStatus.REGISTERED
    active = _kept_registrations(student, term, registration)
    # Courses held that need this one as a corequisite (usually none: then grades are not read).
    needing_ids = set(
        CourseCorequisite.objects.filter(
            course_id__in=[r.course_id for r in active], corequisite_id=registration.course_id
        ).values_list("course_id", flat=True)
    )
    if needing_ids and registration.course_id not in standing.passed_course_ids(student):
        needing = [r.course_title for r in active if r.course_id in needing_ids]
        if not _has_override(student, term, OverrideKind.PREREQUISITE, registration.section):
            raise refuse("corequisite_needed", courses="، ".join(needing))
    if was_registered and window is not None and window.phase == RegistrationPhase.ADD_DROP:
        _check_minimum(student, term, active, registration.section)

    registration.status = RegistrationStatus.DROPPED
    registration.ended_at = now
    registration.save(update_fields=["status", "ended_at", "updated_at"])
    RegistrationLedger.objects.filter(pk=ledger.pk).update(credits=F("credits") - registration.credits)
    if was_registered:
        Section.objects.filter(pk=registration.section_id, seats_taken__gt=0).update(
            seats_taken=F("seats_taken") - 1
        )
        promote_from_waitlist(registration.section, now=now)
    return registration


def _check_minimum(student: Any, term: Any, remaining: Sequence[Any], section: Section) -> None:
    """`remaining`: the registrations (or `HeldRegistration` rows) the student would keep."""
    policy = policy_for(student.program)
    total = sum((r.credits for r in remaining if r.status == RegistrationStatus.REGISTERED), Decimal("0"))
    if total < policy.min_credits and not _has_override(student, term, OverrideKind.MIN_CREDITS, section):
        raise refuse("below_minimum", min=_num(Decimal(policy.min_credits)), total=_num(total))


def promote_from_waitlist(section: Section, *, now: dt.datetime | None = None) -> Registration | None:
    """Give free seats to waitlisted students, first come first served (inside the freeing transaction)."""
    now = now or timezone.now()
    promoted = None
    while True:
        candidate = (
            Registration.objects.select_for_update(skip_locked=True)
            .filter(section=section, status=RegistrationStatus.WAITLISTED)
            .order_by("queued_at", "pk")
            .first()
        )
        if candidate is None or not _take_seat(section):
            return promoted
        candidate.status = RegistrationStatus.REGISTERED
        candidate.registered_at = now
        candidate.queued_at = None
        candidate.save()
        promoted = candidate


# --- emergency withdrawal --------------------------------------------------------------------


def registration_withdraw(
    *,
    registration: Registration,
    actor: Any = None,
    by_registrar: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Registration:
    """Emergency withdrawal (حذف اضطراری): once per term, keeping at least the minimum credits."""
    return _end_registration(_withdraw, registration, actor, by_registrar, reason, now)


def _withdraw(registration: Registration, by_registrar: bool, now: dt.datetime) -> Registration:
    student, term = registration.student, registration.term
    ledger = _lock_ledger_state(student, term)
    registration = _lock_registration(registration.pk)
    if registration.status != RegistrationStatus.REGISTERED:
        raise refuse("not_registered")
    if not by_registrar:
        _check_window(student, term, (RegistrationPhase.EMERGENCY_WITHDRAWAL,), now, registration.section)
    policy = policy_for(student.program)
    used = Registration.objects.filter(
        student=student, term=term, status=RegistrationStatus.WITHDRAWN
    ).count()
    allowed = policy.emergency_withdrawals_per_term
    allowed += RegistrarOverride.objects.filter(
        student=student, term=term, kind=OverrideKind.EMERGENCY_WITHDRAWAL
    ).count()
    if used >= allowed:
        raise refuse("withdrawal_used")
    remaining = _kept_registrations(student, term, registration)
    _check_minimum(student, term, remaining, registration.section)

    registration.status = RegistrationStatus.WITHDRAWN
    registration.ended_at = now
    registration.save()
    RegistrationLedger.objects.filter(pk=ledger.pk).update(credits=F("credits") - registration.credits)
    # The term is under way: the seat is released but nobody is promoted into it.
    Section.objects.filter(pk=registration.section_id, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    return registration


# --- registrar overrides ---------------------------------------------------------------------


def override_grant(
    *,
    actor: Any,
    student: Any,
    term: Any,
    kind: str,
    reason: str,
    section: Section | None = None,
    max_credits: Decimal | None = None,
) -> RegistrarOverride:
    """Record a registrar's exception to one rule for one student, with a reason (audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason_required")
    if kind == OverrideKind.CREDIT_LIMIT and max_credits is None:
        raise refuse("cap_required")
    with audit_context(actor=actor, reason=reason), transaction.atomic():
        ledger = _lock_ledger(student, term)
        override = RegistrarOverride.objects.create(
            term=term,
            student=student,
            kind=kind,
            section=section,
            max_credits=max_credits if kind == OverrideKind.CREDIT_LIMIT else None,
            reason=reason,
            granted_by=actor,
        )
        if kind == OverrideKind.CREDIT_LIMIT:
            if Decimal(max_credits) < ledger.credits:  # type: ignore[arg-type]
                raise refuse("cap_below_held")
            RegistrationLedger.objects.filter(pk=ledger.pk).update(max_credits=max_credits)
    return override


def ledger_refresh_cap(*, student: Any, term: Any) -> RegistrationLedger:
    """Recompute a student's credit cap (after standing changes); never below what they hold."""
    with transaction.atomic():
        ledger = _lock_ledger(student, term)
        cap = max(credit_cap(student, term), ledger.credits)
        if cap != ledger.max_credits:
            RegistrationLedger.objects.filter(pk=ledger.pk).update(max_credits=cap)
            ledger.max_credits = cap
    return ledger


def ledgers_prepare(*, term: Any, window: RegistrationWindow | None = None) -> int:
    """Work out, before registration opens, the credit limit of every active student `window`
    covers (its entry year and program; every active student without a window) and keep it in
    their ledger for `term`, as a registrar's office does before registration day: the student
    sees their limit in advance, and a first registration then locks one existing row instead of
    computing standing inside the rush. Students who already have a ledger keep it. Returns how
    many students it prepared (one racing a first registration is counted, though that one won)."""
    from shafa.people.models import Student, StudentStatus

    students = Student.objects.filter(status=StudentStatus.ACTIVE).select_related("program", "entry_term")
    if window is not None and window.program_id is not None:
        students = students.filter(program_id=window.program_id)
    if window is not None and window.entry_year is not None:
        students = students.filter(entry_term__code__gte=window.entry_year * 10).filter(
            entry_term__code__lt=(window.entry_year + 1) * 10
        )
    students = students.exclude(registration_ledgers__term=term)
    created = 0
    batch: list[RegistrationLedger] = []
    for student in students.iterator(chunk_size=500):
        batch.append(RegistrationLedger(student=student, term=term, max_credits=credit_cap(student, term)))
        if len(batch) == 500:
            created += len(RegistrationLedger.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    created += len(RegistrationLedger.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def ledgers_refresh_after_grades(*, student_ids: Sequence[int], term: Any) -> None:
    """Grades of `term` became final: the students' prepared limits for later terms follow their
    new standing (probation, final term), never below what they already hold."""
    later = RegistrationLedger.objects.filter(
        student_id__in=student_ids, term__start_date__gt=term.start_date
    ).select_related("student__program", "student__entry_term", "term")
    for ledger in later:
        ledger_refresh_cap(student=ledger.student, term=ledger.term)


@transaction.atomic
def policy_save(*, policy: RegistrationPolicy, actor: Any = None) -> RegistrationPolicy:
    """Save a program's credit limits; the limits already prepared for terms not yet ended then
    follow them (in the background, never below what a student holds)."""
    policy.full_clean()  # the limits ordered: min <= max <= final term; max > 0
    with audit_context(actor=actor, reason=_("Registration policy changed")):
        policy.save()
    enqueue_ledgers_refresh(policy.program_id)
    return policy


def ledgers_refresh_for_program(program_id: int, *, today: dt.date | None = None) -> int:
    """The prepared credit limits of `program_id`'s students for every term not yet ended are
    worked out again (after its policy changed). Returns how many changed."""
    today = today or timezone.localdate()
    ledgers = (
        RegistrationLedger.objects.filter(student__program_id=program_id, term__end_date__gte=today)
        .select_related("student__program", "student__entry_term", "term")
        .order_by("pk")
    )
    changed = 0
    for ledger in ledgers.iterator(chunk_size=500):
        before = ledger.max_credits
        changed += ledger_refresh_cap(student=ledger.student, term=ledger.term).max_credits != before
    return changed


def enqueue_ledgers_refresh(program_id: int) -> None:
    """`ledgers_refresh_for_program` once the current transaction commits (shafa.core.jobs)."""

    def task() -> Any:
        from shafa.academics.tasks import ledgers_refresh_execute

        return ledgers_refresh_execute

    run_after_commit(
        ledgers_refresh_for_program, program_id, task=task, name=f"shafa-ledgers-program-{program_id}"
    )


def ledgers_prepare_for_window(window_id: int) -> int:
    """`ledgers_prepare` for the students a registration window covers (the background job)."""
    window = RegistrationWindow.objects.select_related("term").filter(pk=window_id).first()
    if window is None:
        return 0
    return ledgers_prepare(term=window.term, window=window)


def enqueue_ledgers_prepare(window: RegistrationWindow) -> None:
    """Prepare the window's students' credit limits once the current transaction commits: Celery
    in production, a thread in the embedded default, inline in tests (shafa.core.jobs). If it
    fails, a first registration still works out a missing limit: nothing is lost."""

    def task() -> Any:
        from shafa.academics.tasks import ledgers_prepare_execute

        return ledgers_prepare_execute

    run_after_commit(ledgers_prepare_for_window, window.pk, task=task, name=f"shafa-ledgers-{window.pk}")
