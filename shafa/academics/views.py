"""Registration pages: the student's registration page (htmx) and the registrar's pages."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shafa.core.permissions import permission_required_or_403
from shafa.institution.models import Term
from shafa.people.models import Student

from .admission import admission_controlled
from .forms import OverrideForm, WindowForm
from .models import Registration, RegistrationStatus, RegistrationWindow, Section
from .selectors.registration import (
    override_list,
    registration_summary,
    registration_term,
    section_list,
    sections_for_student,
    student_for_user,
    timetable,
    waitlist_for_section,
    windows_for_student,
)
from .services.refusals import RegistrationRefused
from .services.registration import (
    MAX_BATCH,
    REGISTERING_PHASES,
    enqueue_ledgers_prepare,
    open_window,
    override_grant,
    registration_create,
    registration_create_many,
    registration_drop,
    registration_withdraw,
    to_persian_digits,
    waitlist_position,
)


def _student_or_404(request: HttpRequest) -> Student:
    student = student_for_user(request.user)
    if student is None:
        raise Http404
    return student


def _panel_context(student: Student, term: Term | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"student": student, "term": term, "active_nav": "registration", **extra}
    if term is None:
        return context
    summary = registration_summary(student=student, term=term)
    held = {r.section_id: r for r in summary["registrations"]}
    for registration in summary["registrations"]:
        registration.position = waitlist_position(registration)  # type: ignore[attr-defined]
    sections = list(sections_for_student(student=student, term=term, search=extra.get("search", "")))
    chosen = set(extra.get("chosen", ()))  # ticked again after a form came back with refusals
    for section in sections:
        section.mine = held.get(section.pk)  # type: ignore[attr-defined]
        section.form_key = uuid.uuid4().hex  # type: ignore[attr-defined]  # Idempotency-Key of this button
        section.chosen = section.pk in chosen  # type: ignore[attr-defined]
    now = timezone.now()
    context.update(
        summary=summary,
        sections=sections,
        form_key=uuid.uuid4().hex,  # Idempotency-Key of the registration form
        max_form=MAX_BATCH,
        grid=timetable(summary["registrations"]),
        windows=list(windows_for_student(student, term)),
        open_window=open_window(student, term, ("main", "add_drop"), now),
        withdrawal_window=open_window(student, term, ("emergency_withdrawal",), now),
    )
    return context


def _panel(
    request: HttpRequest, student: Student, term: Term | None, status: int = 200, **extra: Any
) -> HttpResponse:
    htmx = getattr(request, "htmx", False)
    template = "academics/partials/registration_panel.html" if htmx else "academics/register.html"
    return render(request, template, _panel_context(student, term, **extra), status=status)


@permission_required_or_403("academics.register")
def register_page(request: HttpRequest) -> HttpResponse:
    student = _student_or_404(request)
    return _panel(request, student, registration_term(), search=request.GET.get("q", "")[:100])


@require_POST
@admission_controlled()
@permission_required_or_403("academics.register")
def register_add(request: HttpRequest, section_id: int) -> HttpResponse:
    student = _student_or_404(request)
    section = get_object_or_404(Section.objects.select_related("course", "term"), pk=section_id)
    try:
        outcome = registration_create(
            student=student,
            section=section,
            actor=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except RegistrationRefused as refusal:
        return _panel(request, student, section.term, refusal=refusal.message, refused_section=section.pk)
    if outcome.response["status"] == RegistrationStatus.WAITLISTED:
        notice = _("Section full: you are number %(n)s on the waitlist.") % {
            "n": outcome.response["waitlist_position"]
        }
    else:
        notice = _("Registered in %(course)s.") % {"course": section.course.title}
    return _panel(request, student, section.term, notice=notice, refused_section=section.pk)


@require_POST
@admission_controlled()
@permission_required_or_403("academics.register")
def register_form(request: HttpRequest) -> HttpResponse:
    """The registration form: the ticked sections, registered in one submit, each with its outcome."""
    student = _student_or_404(request)
    term = registration_term()
    ids = list(dict.fromkeys(int(v) for v in request.POST.getlist("sections") if v.isdigit()))
    if not ids:
        return _panel(request, student, term, refusal=_("Tick the sections you want, then register."))
    if len(ids) > MAX_BATCH:
        return _panel(
            request,
            student,
            term,
            refusal=to_persian_digits(_("At most %(n)s sections in one submit.") % {"n": MAX_BATCH}),
            chosen=ids,
        )
    sections = Section.objects.select_related("course", "term").in_bulk(ids)
    try:
        outcome = registration_create_many(
            student=student,
            section_ids=ids,
            sections=sections,
            actor=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except RegistrationRefused as refusal:
        return _panel(request, student, term, refusal=refusal.message, chosen=ids)
    refused = [r for r in outcome.results if r["status"] == "refused"]
    titles = {pk: section.course.title for pk, section in sections.items()}
    return _panel(
        request,
        student,
        next(iter(sections.values())).term if sections else term,
        notice=_form_notice(Counter(r["status"] for r in outcome.results)),
        form_refusals=[(titles.get(r["section"], f"#{r['section']}"), r["detail"]) for r in refused],
        chosen=[r["section"] for r in refused],
    )


def _form_notice(counts: Counter[str]) -> str:
    """What a submitted form did, in one line ("Registered in 5 sections. Waitlisted in 1 section.")."""
    parts = []
    if counts["registered"]:
        n = counts["registered"]
        parts.append(ngettext("Registered in %(n)s section.", "Registered in %(n)s sections.", n) % {"n": n})
    if counts["waitlisted"]:
        n = counts["waitlisted"]
        parts.append(ngettext("Waitlisted in %(n)s section.", "Waitlisted in %(n)s sections.", n) % {"n": n})
    if not parts:
        return ""
    return to_persian_digits(" ".join(parts))


def _own_registration(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("student__person", "student__program", "section__course", "term"),
        pk=pk,
    )
    if not request.user.has_perm("academics.change_registration", registration):
        raise Http404
    return registration


@require_POST
@admission_controlled()
@permission_required_or_403("academics.register")
def register_drop(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student_or_404(request)
    registration = _own_registration(request, pk)
    try:
        registration_drop(registration=registration, actor=request.user)
    except RegistrationRefused as refusal:
        return _panel(
            request,
            student,
            registration.term,
            refusal=refusal.message,
            refused_section=registration.section_id,
        )
    notice = _("Dropped %(course)s.") % {"course": registration.section.course.title}
    return _panel(request, student, registration.term, notice=notice)


@require_POST
@admission_controlled()
@permission_required_or_403("academics.register")
def register_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student_or_404(request)
    registration = _own_registration(request, pk)
    try:
        registration_withdraw(
            registration=registration, actor=request.user, reason=request.POST.get("reason", "")
        )
    except RegistrationRefused as refusal:
        return _panel(
            request,
            student,
            registration.term,
            refusal=refusal.message,
            refused_section=registration.section_id,
        )
    notice = _("Withdrew from %(course)s (emergency withdrawal).") % {
        "course": registration.section.course.title
    }
    return _panel(request, student, registration.term, notice=notice)


# --- registrar -------------------------------------------------------------------------------


def _term_from(request: HttpRequest) -> Term | None:
    code = request.GET.get("term", "")
    if code.isdigit():
        return Term.objects.filter(code=int(code)).first()
    return registration_term()


@permission_required_or_403("academics.manage_registration")
def section_admin_list(request: HttpRequest) -> HttpResponse:
    term = _term_from(request)
    search = request.GET.get("q", "")[:100]
    sections = list(section_list(term=term, search=search)) if term else []
    waiting: dict[int, int] = {}
    if term is not None:
        waiting = dict(
            Registration.objects.filter(section__term=term, status=RegistrationStatus.WAITLISTED)
            .values("section_id")
            .annotate(n=Count("id"))
            .values_list("section_id", "n")
        )
    for section in sections:
        section.waiting = waiting.get(section.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "academics/registrar/sections.html",
        {
            "term": term,
            "sections": sections,
            "search": search,
            "terms": Term.objects.all()[:10],
            "active_nav": "registrar_sections",
        },
    )


@permission_required_or_403("academics.manage_registration")
def section_admin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("course", "term"), pk=pk)
    roster = (
        Registration.objects.filter(section=section, status=RegistrationStatus.REGISTERED)
        .select_related("student__person")
        .order_by("student__student_number")
    )
    return render(
        request,
        "academics/registrar/section_detail.html",
        {
            "section": section,
            "roster": roster,
            "waitlist": waitlist_for_section(section),
            "active_nav": "registrar_sections",
        },
    )


@permission_required_or_403("academics.manage_registration")
def window_list(request: HttpRequest) -> HttpResponse:
    term = _term_from(request)
    if term is None:
        raise Http404
    form = WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        window = form.save(commit=False)
        window.term = term
        with transaction.atomic():
            window.save()
            if window.phase in REGISTERING_PHASES:
                enqueue_ledgers_prepare(window)  # each student's credit limit, before the window opens
        return redirect(f"{request.path}?term={term.code}")
    windows = RegistrationWindow.objects.filter(term=term).select_related("program").order_by("opens_at")
    return render(
        request,
        "academics/registrar/windows.html",
        {"term": term, "windows": windows, "form": form, "active_nav": "registrar_windows"},
    )


@permission_required_or_403("academics.manage_registration")
def override_page(request: HttpRequest) -> HttpResponse:
    term = _term_from(request)
    if term is None:
        raise Http404
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = (
            Student.objects.select_related("program").filter(student_number=data["student_number"]).first()
        )
        section = (
            Section.objects.filter(pk=data["section"], term=term).first() if data.get("section") else None
        )
        if student is None:
            form.add_error("student_number", _("No student with this number."))
        elif data.get("section") and section is None:
            form.add_error("section", _("No such section in this term."))
        else:
            try:
                override_grant(
                    actor=request.user,
                    student=student,
                    term=term,
                    kind=data["kind"],
                    reason=data["reason"],
                    section=section,
                    max_credits=data.get("max_credits"),
                )
            except RegistrationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect(f"{request.path}?term={term.code}")
    return render(
        request,
        "academics/registrar/overrides.html",
        {
            "term": term,
            "overrides": override_list(term=term)[:200],
            "form": form,
            "active_nav": "registrar_overrides",
        },
    )


@login_required
def course_list_page(request: HttpRequest) -> HttpResponse:
    from .selectors.registration import course_list

    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "academics/courses.html",
        {"courses": course_list(search=search)[:300], "search": search, "active_nav": "courses"},
    )


def bench_bare(request: HttpRequest) -> HttpResponse:
    """A bare view, mounted only when SHAFA_BENCH=1: the benchmark's ratio E/B baseline."""
    return HttpResponse("ok", content_type="text/plain")
