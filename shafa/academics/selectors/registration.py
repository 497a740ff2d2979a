"""Reads for registration screens and the API: policy, open term, sections, a student's registrations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from shafa.academics.models import (
    ACTIVE_STATUSES,
    Course,
    CurriculumItem,
    Meeting,
    RegistrarOverride,
    Registration,
    RegistrationPolicy,
    RegistrationStatus,
    RegistrationWindow,
    Section,
    Weekday,
)
from shafa.institution.models import Term


def policy_for(program: Any) -> RegistrationPolicy:
    """The program's registration policy, or the defaults (12–20, 14 on probation, 24 final term)."""
    policy = RegistrationPolicy.objects.filter(program=program).first()
    return policy if policy is not None else RegistrationPolicy(program=program)


def student_for_user(user: Any) -> Any:
    """The Student record of a signed-in user, or None."""
    from shafa.people.models import Student

    if not getattr(user, "is_authenticated", False):
        return None
    return Student.objects.select_related("program", "entry_term", "person").filter(person__user=user).first()


def registration_term(now: dt.datetime | None = None) -> Term | None:
    """The term registration is about now: one with an open window, else the latest with sections."""
    now = now or timezone.now()
    window = (
        RegistrationWindow.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("term")
        .order_by("-term__code")
        .first()
    )
    if window is not None:
        return window.term
    return Term.objects.filter(sections__isnull=False).order_by("-code").distinct().first()


def windows_for_student(student: Any, term: Term) -> QuerySet[RegistrationWindow]:
    entry_year = student.entry_term.code // 10 if student.entry_term_id else None
    return (
        RegistrationWindow.objects.filter(term=term)
        .filter(Q(entry_year__isnull=True) | Q(entry_year=entry_year))
        .filter(Q(program__isnull=True) | Q(program_id=student.program_id))
        .order_by("opens_at")
    )


def section_list(*, term: Term, course_ids: Any = None, search: str = "") -> QuerySet[Section]:
    """Sections of a term with course, meetings and instructors loaded once."""
    query = Section.objects.filter(term=term).select_related("course", "term")
    if course_ids is not None:
        query = query.filter(course_id__in=course_ids)
    if search:
        query = query.filter(Q(course__code__icontains=search) | Q(course__title_fa__icontains=search))
    return query.prefetch_related(
        Prefetch("meetings", queryset=Meeting.objects.order_by("weekday", "start_time")),
        "instructors__person",
    ).order_by("course__code", "number")


def curriculum_course_ids(student: Any) -> QuerySet[Any]:
    """Courses in the active curriculum of the student's program."""
    return CurriculumItem.objects.filter(
        curriculum__program_id=student.program_id, curriculum__is_active=True
    ).values_list("course_id", flat=True)


def sections_for_student(*, student: Any, term: Term, search: str = "") -> QuerySet[Section]:
    """Sections a student may consider: those of courses in their program's curriculum."""
    return section_list(term=term, course_ids=curriculum_course_ids(student), search=search)


def registration_list(
    *, student: Any, term: Term | None = None, active_only: bool = False
) -> QuerySet[Registration]:
    query = Registration.objects.filter(student=student).select_related("section", "course", "term")
    if term is not None:
        query = query.filter(term=term)
    if active_only:
        query = query.filter(status__in=ACTIVE_STATUSES)
    return query.prefetch_related(
        Prefetch("section__meetings", queryset=Meeting.objects.order_by("weekday", "start_time"))
    ).order_by("-term__code", "course__code")


def registration_summary(*, student: Any, term: Term) -> dict[str, Any]:
    """Credits registered and waitlisted, against the policy."""
    from shafa.academics.models import RegistrationLedger

    registrations = list(registration_list(student=student, term=term, active_only=True))
    registered = sum((r.credits for r in registrations if r.status == RegistrationStatus.REGISTERED), 0)
    waitlisted = sum((r.credits for r in registrations if r.status == RegistrationStatus.WAITLISTED), 0)
    policy = policy_for(student.program)
    ledger = RegistrationLedger.objects.filter(student=student, term=term).first()
    return {
        "registrations": registrations,
        "registered_credits": registered,
        "waitlisted_credits": waitlisted,
        "min_credits": policy.min_credits,
        "max_credits": ledger.max_credits if ledger else None,
        "below_minimum": registered < policy.min_credits,
    }


def timetable(registrations: list[Registration]) -> dict[str, Any]:
    """A weekly grid (Saturday first) of the given registrations' meetings, by hour rows."""
    by_day: dict[int, list[dict[str, Any]]] = defaultdict(list)
    hours: set[int] = set()
    for registration in registrations:
        for meeting in registration.section.meetings.all():
            by_day[meeting.weekday].append(
                {
                    "registration": registration,
                    "meeting": meeting,
                    "waitlisted": registration.status == "waitlisted",
                }
            )
            hours.update(
                range(meeting.start_time.hour, max(meeting.end_time.hour, meeting.start_time.hour + 1))
            )
    days = [(day, label) for day, label in Weekday.choices if day in by_day or day <= Weekday.WEDNESDAY]
    rows = []
    for hour in sorted(hours) or range(8, 17):
        cells = []
        for day, _label in days:
            cells.append(
                [
                    entry
                    for entry in by_day.get(day, [])
                    if entry["meeting"].start_time.hour
                    <= hour
                    < max(entry["meeting"].end_time.hour, entry["meeting"].start_time.hour + 1)
                ]
            )
        rows.append({"hour": hour, "cells": cells})
    return {"days": days, "rows": rows}


def course_list(*, search: str = "") -> QuerySet[Course]:
    query = Course.objects.filter(is_active=True)
    if search:
        query = query.filter(
            Q(code__icontains=search) | Q(title_fa__icontains=search) | Q(title_en__icontains=search)
        )
    return query.prefetch_related("prerequisites", "corequisites").order_by("code")


def waitlist_for_section(section: Section) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(section=section, status=RegistrationStatus.WAITLISTED)
        .select_related("student__person")
        .order_by("queued_at", "pk")
    )


def override_list(*, term: Term | None = None) -> QuerySet[RegistrarOverride]:
    query = RegistrarOverride.objects.select_related(
        "student__person", "section__course", "granted_by", "term"
    )
    if term is not None:
        query = query.filter(term=term)
    return query.order_by("-created_at")
