"""Reads of students shared by the UI, the API and exports."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q, QuerySet

from shafa.core.text import normalize_number, normalize_persian
from shafa.people.access import student_scope
from shafa.people.models import Student, StudentStatus


def student_search(search: str, prefix: str = "") -> Q:
    """Students whose Persian or English name contains `search`, or whose number starts with it;
    `prefix` is the path to the student from the queried model (e.g. "student__")."""
    text = normalize_persian(search)
    number = normalize_number(search)
    condition = (
        Q(**{f"{prefix}person__last_name_fa__icontains": text})
        | Q(**{f"{prefix}person__first_name_fa__icontains": text})
        | Q(**{f"{prefix}person__last_name_en__icontains": text})
    )
    if number.isdigit():
        condition |= Q(**{f"{prefix}student_number__startswith": number})
    return condition


def student_list_visible_to(
    user: Any, *, search: str = "", program_id: int | None = None, status: str = ""
) -> QuerySet[Student]:
    """Students `user` may see, with what list pages show already joined."""
    qs = Student.objects.select_related(
        "person", "program", "program__school", "entry_term", "advisor__person"
    )
    scope = student_scope(user)
    if scope is not None:
        qs = qs.filter(scope).distinct()
    if search:
        qs = qs.filter(student_search(search))
    if program_id:
        qs = qs.filter(program_id=program_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("student_number")


def student_get_visible_to(user: Any, pk: int) -> Student | None:
    return student_list_visible_to(user).filter(pk=pk).first()


def student_of_user(user: Any) -> Student | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Student.objects.select_related("person", "program", "entry_term").filter(person__user=user).first()


def student_advisees_of(user: Any) -> QuerySet[Student]:
    """The students `user` advises as a faculty member (within what they may see)."""
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    return student_list_visible_to(user).filter(advisor__person__user=user)


def student_counts_by_status() -> list[dict[str, Any]]:
    """Students per status, in the order of StudentStatus, with the status label."""
    counts = dict(
        Student.objects.values_list("status").annotate(total=Count("id")).values_list("status", "total")
    )
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in StudentStatus]


def student_counts_by_program_and_status() -> list[SimpleNamespace]:
    """One row per program: its name and the number of its students in each status."""
    rows = (
        Student.objects.values(
            "program_id", "program__name_fa", "program__name_en", "program__code", "status"
        )
        .annotate(total=Count("id"))
        .order_by("program__code", "status")
    )
    programs: dict[int, dict[str, Any]] = {}
    for row in rows:
        program = programs.setdefault(
            row["program_id"],
            {
                "id": row["program_id"],
                "name_fa": row["program__name_fa"],
                "name_en": row["program__name_en"],
                "code": row["program__code"],
                "by_status": {s.value: 0 for s in StudentStatus},
                "total": 0,
            },
        )
        program["by_status"][row["status"]] = row["total"]
        program["total"] += row["total"]
    for program in programs.values():
        program["columns"] = [program["by_status"][s.value] for s in StudentStatus]
    return [SimpleNamespace(**program) for program in programs.values()]


def student_enrolment_by_school() -> list[SimpleNamespace]:
    """Active students per school (leadership's enrolment view)."""
    rows = (
        Student.objects.filter(status=StudentStatus.ACTIVE)
        .values("program__school_id", "program__school__name_fa", "program__school__name_en")
        .annotate(total=Count("id"))
        .order_by("-total", "program__school__name_fa")
    )
    return [
        SimpleNamespace(
            id=r["program__school_id"],
            name_fa=r["program__school__name_fa"],
            name_en=r["program__school__name_en"],
            count=r["total"],
        )
        for r in rows
    ]


def student_graduates_by_program() -> list[SimpleNamespace]:
    """Graduated students per program (the graduates office's count)."""
    rows = (
        Student.objects.filter(status=StudentStatus.GRADUATED)
        .values("program_id", "program__name_fa", "program__name_en")
        .annotate(total=Count("id"))
        .order_by("-total", "program__name_fa")
    )
    return [
        SimpleNamespace(
            id=r["program_id"], name_fa=r["program__name_fa"], name_en=r["program__name_en"], count=r["total"]
        )
        for r in rows
    ]
