"""What the registration write path reads inside its transaction, in a few plain SQL statements.

Registration day is the one place where the ORM's per-query cost shows: compiling a queryset
costs more Python time than PostgreSQL spends running it, and a registration asks ~15 small
questions. These selectors ask the same questions the ORM versions do (`open_window`, the
student's term registrations, prerequisites), as fixed SQL strings written once from the models'
own table and column names, and return small typed records. The rules stay in
`services/registration.py`; the ORM versions stay for the screens. See `shafa.core.sql`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import get_language

from shafa.academics.models import (
    ACTIVE_STATUSES,
    Course,
    CourseCorequisite,
    CoursePrerequisite,
    IdempotencyKey,
    Meeting,
    Registration,
    RegistrationLedger,
    RegistrationStatus,
    RegistrationWindow,
    Section,
    StudentTimeSlot,
)
from shafa.core.sql import (
    as_aware,
    as_decimal,
    as_time,
    attnames_of,
    db_datetime,
    execute,
    fetch_rows,
    instance_from_row,
    marks,
    select_list,
    table,
)
from shafa.institution.models import Term
from shafa.people.models import Person, Student

# --- who registers where ---------------------------------------------------------------------------


_STUDENT_FIELDS = ("id", "person_id", "student_number", "program_id", "entry_term_id", "status")


def student_for_registration(user: Any) -> Student | None:
    """`student_for_user` for the write path: the Student record with its entry term (other fields
    load when read)."""
    if not getattr(user, "is_authenticated", False):
        return None
    rows = fetch_rows(
        f"SELECT {select_list('st', Student, _STUDENT_FIELDS)}, {select_list('t', Term)}"
        f" FROM {table(Student)} st JOIN {table(Person)} p ON p.id = st.person_id"
        f" LEFT JOIN {table(Term)} t ON t.id = st.entry_term_id WHERE p.user_id = %s ORDER BY st.id LIMIT 1",
        [user.pk],
    )
    if not rows:
        return None
    split = len(_STUDENT_FIELDS)
    student = instance_from_row(Student, rows[0][:split], _STUDENT_FIELDS)
    if student.entry_term_id is not None:
        student.entry_term = instance_from_row(Term, rows[0][split:])
    return student


def registration_subjects(user: Any, section_id: int) -> tuple[Student | None, Section | None]:
    """The request's student (as `student_for_registration`) and the section with its course and
    term (as `select_related("course", "term")`), in one statement."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    rows = fetch_rows(
        f"SELECT {select_list('s', Section)}, {select_list('c', Course)}, {select_list('t', Term)},"
        f" {select_list('st', Student, _STUDENT_FIELDS)}, {select_list('et', Term)}"
        f" FROM {table(Section)} s JOIN {table(Course)} c ON c.id = s.course_id"
        f" JOIN {table(Term)} t ON t.id = s.term_id"
        f" LEFT JOIN ({table(Student)} st JOIN {table(Person)} p ON p.id = st.person_id AND p.user_id = %s)"
        f" ON 1 = 1 LEFT JOIN {table(Term)} et ON et.id = st.entry_term_id"
        f" WHERE s.id = %s LIMIT 1",
        [user_id, section_id],
    )
    if not rows:
        return student_for_registration(user), None
    row = list(rows[0])
    section = instance_from_row(Section, _take(row, len(attnames_of(Section))))
    section.course = instance_from_row(Course, _take(row, len(attnames_of(Course))))
    section.term = instance_from_row(Term, _take(row, len(attnames_of(Term))))
    values = _take(row, len(_STUDENT_FIELDS))
    if values[0] is None:
        return None, section
    student = instance_from_row(Student, values, _STUDENT_FIELDS)
    if student.entry_term_id is not None:
        student.entry_term = instance_from_row(Term, row)
    return student, section


def registration_subjects_many(
    user: Any, section_ids: list[int]
) -> tuple[Student | None, dict[int, Section]]:
    """`registration_subjects` for a batch: the request's student and the sections found (by id),
    each with its course and term, in two statements."""
    rows = fetch_rows(
        f"SELECT {select_list('s', Section)}, {select_list('c', Course)}, {select_list('t', Term)}"
        f" FROM {table(Section)} s JOIN {table(Course)} c ON c.id = s.course_id"
        f" JOIN {table(Term)} t ON t.id = s.term_id WHERE s.id IN ({marks(section_ids)})",
        list(section_ids),
    )
    sections = {}
    for values in rows:
        row = list(values)
        section = instance_from_row(Section, _take(row, len(attnames_of(Section))))
        section.course = instance_from_row(Course, _take(row, len(attnames_of(Course))))
        section.term = instance_from_row(Term, row)
        sections[section.pk] = section
    return student_for_registration(user), sections


def _take(row: list[Any], count: int) -> list[Any]:
    """The first `count` values of `row`, removed from it."""
    taken = row[:count]
    del row[:count]
    return taken


# --- the ledger row and a stored Idempotency-Key reply ---------------------------------------------


@dataclasses.dataclass
class LedgerState:
    pk: int
    credits: Decimal
    max_credits: Decimal


@dataclasses.dataclass
class StoredReply:
    fingerprint: str
    status_code: int
    response: dict[str, Any]


def ledger_lock(student_id: int, term_id: int) -> LedgerState | None:
    """Lock the student's ledger row for the term (`FOR UPDATE` where the database has it).

    The Idempotency-Key lookup stays a separate, later statement: under READ COMMITTED a statement
    that waited for the lock still sees the other tables as of its start, so a joined lookup
    would miss the reply the lock holder just committed."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    rows = fetch_rows(
        f"SELECT id, credits, max_credits FROM {table(RegistrationLedger)}"
        f" WHERE student_id = %s AND term_id = %s{lock}",
        [student_id, term_id],
    )
    if not rows:
        return None
    pk, credits, max_credits = rows[0]
    return LedgerState(pk, as_decimal(credits), as_decimal(max_credits))


def stored_reply(student_id: int, key: str) -> StoredReply | None:
    rows = fetch_rows(
        f"SELECT fingerprint, status_code, response FROM {table(IdempotencyKey)}"
        " WHERE student_id = %s AND key = %s",
        [student_id, key],
    )
    if not rows:
        return None
    fingerprint, status_code, response = rows[0]
    if isinstance(response, str):  # SQLite keeps JSON as text
        response = json.loads(response)
    return StoredReply(fingerprint, status_code, response)


# --- the open window and the student's personal slot -------------------------------------------------


@dataclasses.dataclass
class WindowState:
    pk: int
    phase: str
    uses_time_slots: bool
    slot_opens_at: dt.datetime | None


def open_window(
    *,
    student_id: int,
    program_id: int,
    entry_year: int | None,
    term_id: int,
    phases: tuple[str, ...],
    now: Any,
) -> WindowState | None:
    """The same window as `services.registration.open_window(..., with_slot=True)`: the latest-opened
    window of `phases` open now for the student's entry year and program, with their slot's opening."""
    marks = ", ".join(["%s"] * len(phases))
    rows = fetch_rows(
        f"SELECT w.id, w.phase, w.uses_time_slots,"
        f" (SELECT s.opens_at FROM {table(StudentTimeSlot)} s WHERE s.window_id = w.id AND s.student_id = %s"
        f"  LIMIT 1)"
        f" FROM {table(RegistrationWindow)} w"
        f" WHERE w.term_id = %s AND w.phase IN ({marks}) AND w.opens_at <= %s AND w.closes_at > %s"
        f" AND (w.entry_year IS NULL OR w.entry_year = %s) AND (w.program_id IS NULL OR w.program_id = %s)"
        f" ORDER BY w.opens_at DESC LIMIT 1",
        [student_id, term_id, *phases, db_datetime(now), db_datetime(now), entry_year, program_id],
    )
    if not rows:
        return None
    pk, phase, uses_time_slots, slot_opens_at = rows[0]
    return WindowState(pk, phase, bool(uses_time_slots), as_aware(slot_opens_at))


# --- the student's registrations in the term, with their sections' times ----------------------------


@dataclasses.dataclass
class HeldRegistration:
    """One of the student's registration rows in the term (any status) with what the rules compare."""

    pk: int
    section_id: int
    course_id: int
    status: str
    credits: Decimal
    exam_at: dt.datetime | None
    exam_minutes: int
    title_fa: str
    title_en: str
    meetings: list[Meeting] = dataclasses.field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def course_title(self) -> str:
        if (get_language() or "fa").startswith("en") and self.title_en:
            return self.title_en
        return self.title_fa


def term_registrations(
    student_id: int, term_id: int, *, with_section: int | None = None, with_sections: Sequence[int] = ()
) -> tuple[list[HeldRegistration], list[Meeting]]:
    """The student's rows in the term (active ones with their meetings), and the meetings of
    `with_section` (the one being added) or of `with_sections` (a batch; each meeting carries its
    `section_id`), in one statement. None asked, none read."""
    active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    adding_ids = [with_section] if with_section is not None else list(with_sections)
    adding_sql = (
        " UNION ALL SELECT NULL, section_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        f" weekday, start_time, end_time, weeks FROM {table(Meeting)}"
        f" WHERE section_id IN ({marks(adding_ids)})"
        if adding_ids
        else ""
    )
    held: dict[int, HeldRegistration] = {}
    adding: list[Meeting] = []
    for pk, section_id, course_id, status, credits, exam_at, minutes, fa, en, *meeting in fetch_rows(
        f"SELECT r.id, r.section_id, r.course_id, r.status, r.credits, s.exam_at, s.exam_minutes,"
        f" c.title_fa, c.title_en, m.weekday, m.start_time, m.end_time, m.weeks"
        f" FROM {table(Registration)} r"
        f" JOIN {table(Section)} s ON s.id = r.section_id"
        f" JOIN {table(Course)} c ON c.id = r.course_id"
        f" LEFT JOIN {table(Meeting)} m ON m.section_id = r.section_id AND r.status IN ({active})"
        f" WHERE r.student_id = %s AND r.term_id = %s{adding_sql}",
        [*ACTIVE_STATUSES, student_id, term_id, *adding_ids],
    ):
        weekday, start, end, weeks = meeting
        times = (
            Meeting(
                section_id=section_id,
                weekday=weekday,
                start_time=as_time(start),
                end_time=as_time(end),
                weeks=weeks,
            )
            if weekday is not None
            else None
        )
        if pk is None:
            adding.append(times)  # type: ignore[arg-type]
            continue
        row = held.get(pk)
        if row is None:
            row = held[pk] = HeldRegistration(
                pk, section_id, course_id, status, as_decimal(credits), as_aware(exam_at), minutes, fa, en
            )
        if times is not None:
            row.meetings.append(times)
    for row in held.values():
        row.meetings.sort(key=lambda m: (m.weekday, m.start_time))
    adding.sort(key=lambda m: (m.section_id, m.weekday, m.start_time))
    return list(held.values()), adding


def requirement_links(course_id: int) -> list[tuple[int, bool]]:
    """(required course id, is a prerequisite) for the course's prerequisites and corequisites."""
    return [
        (required_id, bool(is_prerequisite))
        for required_id, is_prerequisite in fetch_rows(
            f"SELECT required_course_id, 1 FROM {table(CoursePrerequisite)} WHERE course_id = %s"
            f" UNION ALL SELECT corequisite_id, 0 FROM {table(CourseCorequisite)} WHERE course_id = %s",
            [course_id, course_id],
        )
    ]


def requirement_links_many(course_ids: Sequence[int]) -> dict[int, list[tuple[int, bool]]]:
    """`requirement_links` for several courses at once: course id → its (required id, is a prerequisite)."""
    links: dict[int, list[tuple[int, bool]]] = {course_id: [] for course_id in course_ids}
    if not links:
        return links
    ids = list(links)
    for course_id, required_id, is_prerequisite in fetch_rows(
        f"SELECT course_id, required_course_id, 1 FROM {table(CoursePrerequisite)}"
        f" WHERE course_id IN ({marks(ids)})"
        f" UNION ALL SELECT course_id, corequisite_id, 0 FROM {table(CourseCorequisite)}"
        f" WHERE course_id IN ({marks(ids)})",
        [*ids, *ids],
    ):
        links[course_id].append((required_id, bool(is_prerequisite)))
    return links


@dataclasses.dataclass
class SeatState:
    """A section's seats as locked by a batch: what the batch may still take of it."""

    capacity: int
    seats_taken: int
    waitlist_limit: int
    waitlisted: int | None = None  # counted only when the section is full


def sections_lock(section_ids: Sequence[int]) -> dict[int, SeatState]:
    """Lock the sections' rows in id order (so two batches never wait on each other in a circle)
    and read their seats. Until the commit nobody else can take or free a seat in them."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return {
        pk: SeatState(capacity, seats_taken, waitlist_limit)
        for pk, capacity, seats_taken, waitlist_limit in fetch_rows(
            f"SELECT id, capacity, seats_taken, waitlist_limit FROM {table(Section)}"
            f" WHERE id IN ({marks(section_ids)}) ORDER BY id{lock}",
            list(section_ids),
        )
    }


def waitlisted_counts(section_ids: Sequence[int]) -> dict[int, int]:
    counts = dict.fromkeys(section_ids, 0)
    for section_id, count in fetch_rows(
        f"SELECT section_id, COUNT(*) FROM {table(Registration)}"
        f" WHERE section_id IN ({marks(section_ids)}) AND status = %s GROUP BY section_id",
        [*section_ids, RegistrationStatus.WAITLISTED],
    ):
        counts[section_id] = int(count)
    return counts


def seats_take_locked(section_ids: Sequence[int]) -> int:
    """Take one seat in each of the sections (locked by `sections_lock`, seen free); the number
    taken. The condition stays, as the CHECK constraint does, for a caller that got it wrong."""
    return execute(
        f"UPDATE {table(Section)} SET seats_taken = seats_taken + 1"
        f" WHERE id IN ({marks(section_ids)}) AND seats_taken < capacity",
        list(section_ids),
    )


# --- the writes' fixed statements -------------------------------------------------------------------


def seat_take(section_id: int) -> bool:
    """Take one seat if one is free: a single conditional UPDATE, safe under any concurrency."""
    changed = execute(
        f"UPDATE {table(Section)} SET seats_taken = seats_taken + 1 WHERE id = %s AND seats_taken < capacity",
        [section_id],
    )
    return changed == 1


def ledger_add(ledger_id: int, credits: Decimal, now: dt.datetime) -> None:
    execute(
        f"UPDATE {table(RegistrationLedger)} SET credits = credits + %s, updated_at = %s WHERE id = %s",
        [credits, db_datetime(now), ledger_id],
    )


def stored_reply_save(
    student_id: int, key: str, fingerprint: str, status_code: int, response: dict[str, Any], now: dt.datetime
) -> None:
    execute(
        f"INSERT INTO {table(IdempotencyKey)}"
        " (student_id, key, fingerprint, status_code, response, created_at) VALUES (%s, %s, %s, %s, %s, %s)",
        [student_id, key, fingerprint, status_code, json.dumps(response), db_datetime(now)],
    )
