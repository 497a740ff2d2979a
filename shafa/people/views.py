"""People pages: students (only those the user may see), faculty members and preceptors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shafa.core.permissions import permission_required_or_403
from shafa.institution.selectors import institution_counts

from .access import may_see_national_code
from .forms import (
    FacultyFilterForm,
    PreceptorFilterForm,
    StudentAdmitForm,
    StudentFilterForm,
    StudentStatusForm,
)
from .selectors.staff import (
    faculty_counts_by_rank,
    faculty_get_visible_to,
    faculty_list_search,
    preceptor_search,
    preceptorships_of_user,
)
from .selectors.students import (
    student_advisees_of,
    student_counts_by_program_and_status,
    student_counts_by_status,
    student_enrolment_by_school,
    student_get_visible_to,
    student_graduates_by_program,
    student_list_visible_to,
    student_of_user,
)
from .services.persons import student_create, student_update

PAGE_SIZE = 25


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    """Put a service's validation errors on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def student_list(request: HttpRequest) -> HttpResponse:
    form = StudentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    students = student_list_visible_to(
        request.user,
        search=data.get("q") or "",
        program_id=data.get("program"),
        status=data.get("status") or "",
    )
    return render(
        request,
        "people/student_list.html",
        {"form": form, "page_obj": _page(request, students), "active_nav": "students"},
    )


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = student_get_visible_to(request.user, pk)
    if student is None:
        raise Http404
    context = {
        "student": student,
        "show_national_code": may_see_national_code(request.user, student.person),
        "active_nav": "students",
    }
    if request.user.has_perm("people.change_student"):
        context["status_form"] = StudentStatusForm(initial={"status": student.status})
    return render(request, "people/student_detail.html", context)


@permission_required_or_403("people.change_student")
@require_POST
def student_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a student's status, with the reason that the audit log keeps."""
    student = student_get_visible_to(request.user, pk)
    if student is None:
        raise Http404
    form = StudentStatusForm(request.POST)
    if form.is_valid():
        try:
            student_update(
                student=student, reason=form.cleaned_data["reason"], status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The student's status was changed."))
            return redirect("people:student_detail", pk=student.pk)
    student.refresh_from_db()
    return render(
        request,
        "people/student_detail.html",
        {
            "student": student,
            "status_form": form,
            "active_nav": "students",
            "show_national_code": may_see_national_code(request.user, student.person),
        },
        status=400,
    )


@permission_required_or_403("people.add_student")
def student_admit(request: HttpRequest) -> HttpResponse:
    """Admit a student (registrar): the form checks the input, the service the rules."""
    form = StudentAdmitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username = data.pop("username") or None
        try:
            student = student_create(username=username, **data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The student was admitted."))
            return redirect("people:student_detail", pk=student.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "people/student_admit.html", {"form": form, "active_nav": "students"}, status=status
    )


@login_required
def faculty_list(request: HttpRequest) -> HttpResponse:
    form = FacultyFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    faculty = faculty_list_search(
        request.user,
        search=data.get("q") or "",
        department_id=data.get("department"),
        rank=data.get("rank") or "",
    )
    return render(
        request,
        "people/faculty_list.html",
        {"form": form, "page_obj": _page(request, faculty), "active_nav": "faculty"},
    )


@login_required
def faculty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = faculty_get_visible_to(request.user, pk)
    if member is None:
        raise Http404
    return render(
        request,
        "people/faculty_detail.html",
        {
            "member": member,
            "active_nav": "faculty",
            "show_national_code": may_see_national_code(request.user, member.person),
        },
    )


@login_required
def preceptor_list(request: HttpRequest) -> HttpResponse:
    form = PreceptorFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    preceptors = preceptor_search(request.user, search=data.get("q") or "", site_id=data.get("site"))
    return render(
        request,
        "people/preceptor_list.html",
        {"form": form, "page_obj": _page(request, preceptors), "active_nav": "preceptors"},
    )


# --- Dashboard panels (registered in apps.py; rendered by core's home page) ------------------------

DASHBOARD_LIMIT = 20


def student_panel(user: Any) -> dict[str, Any]:
    return {"me": student_of_user(user)}


def faculty_panel(user: Any) -> dict[str, Any]:
    return {"advisees": list(student_advisees_of(user)[:DASHBOARD_LIMIT])}


def preceptor_panel(user: Any) -> dict[str, Any]:
    learners = student_list_visible_to(user).exclude(person__user=user)
    return {
        "preceptorships": list(preceptorships_of_user(user)),
        "learners": list(learners[:DASHBOARD_LIMIT]),
    }


def registrar_panel(user: Any) -> dict[str, Any]:
    by_status = student_counts_by_status()
    return {
        "by_status": by_status,
        "by_program": student_counts_by_program_and_status(),
        "total": sum(row["count"] for row in by_status),
    }


def leadership_panel(user: Any) -> dict[str, Any]:
    by_school = student_enrolment_by_school()
    return {
        "by_school": by_school,
        "total": sum(row.count for row in by_school),
        "counts": institution_counts(),
    }


def research_panel(user: Any) -> dict[str, Any]:
    by_rank = faculty_counts_by_rank()
    return {
        "by_rank": by_rank,
        "total": sum(row["count"] for row in by_rank),
        "with_orcid": sum(row["with_orcid"] for row in by_rank),
    }


def graduates_panel(user: Any) -> dict[str, Any]:
    by_program = student_graduates_by_program()
    return {"by_program": by_program, "total": sum(row.count for row in by_program)}
