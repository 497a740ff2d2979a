"""Clinical pages: the coordinator's workflow, the learner's rotations, a site's incoming learners."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shafa.core.permissions import permission_required_or_403
from shafa.institution.models import AcademicYear, Program

from .display import list_label, number_label
from .forms import (
    AgreementForm,
    CapacityForm,
    EligibilityForm,
    EnrolForm,
    GroupForm,
    HolidayForm,
    LeaveForm,
    MoveForm,
    OfferingForm,
    PrecedenceForm,
    PreferencesForm,
    PreferenceWindowForm,
    ReplanForm,
    RotationForm,
    RunStartForm,
    SwapRequestForm,
    YearCreateForm,
)
from .ical import learner_calendar
from .models import (
    Assignment,
    Block,
    Holiday,
    LearnerEnrollment,
    LearnerLeave,
    ManualLock,
    Offering,
    RotationGroup,
    RotationPrecedence,
    RotationType,
    SiteAgreement,
    SolverRun,
    SwapRequest,
)
from .selectors import rotations as rotation_sel
from .selectors import runs as run_sel
from .selectors import years as year_sel
from .selectors.problem import problem_for_year
from .services import agreements as agreement_svc
from .services import learners as learner_svc
from .services import replan as replan_svc
from .services import rotations as rotation_svc
from .services import runs as run_svc
from .services import swaps as swap_svc
from .services import years as year_svc
from .services.years import preference_window_open

EXPIRY_WARNING_DAYS = 90


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _errors_onto(form: Any, exc: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, messages_ in exc.message_dict.items():
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _flash_submit(request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], str]) -> None:
    """A small form posted from a page: `action(cleaned_data)` runs the service and returns the
    success message; a refusal (the form's or the service's) is flashed instead."""
    if not form.is_valid():
        _flash_form_errors(request, form)
        return
    try:
        done = action(form.cleaned_data)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)


def _flash_form_errors(request: HttpRequest, form: Any) -> None:
    """A refused form on a page that redirects: its errors go to the messages shown after it."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# --- coordinator ------------------------------------------------------------------------------
@permission_required_or_403("clinical.manage")
def year_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "clinical/year_list.html",
        {
            "years": year_sel.year_list(),
            "expiring": year_sel.agreements_expiring(EXPIRY_WARNING_DAYS),
            "expiry_days": EXPIRY_WARNING_DAYS,
            "active_nav": "clinical-coordinator",
        },
    )


def _agreement_form(data: Any = None, **kwargs: Any) -> AgreementForm:
    from shafa.institution.models import ClinicalSite

    return AgreementForm(
        data,
        sites=ClinicalSite.objects.order_by("name_fa"),
        rotations=RotationType.objects.select_related("program").order_by(
            "program__name_fa", "phase", "code"
        ),
        **kwargs,
    )


def _agreement_submit(request: HttpRequest, form: AgreementForm, agreement: SiteAgreement | None) -> bool:
    """Save through the service; its refusals land on the form's fields. True when saved."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        agreement_svc.agreement_save(
            agreement=agreement,
            site=data["site"],
            reference=data["reference"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            rotations=data["rotations"],
            default_capacity=data["default_capacity"],
            notes=data["notes"],
            actor=request.user,
        )
    except ValidationError as exc:
        _errors_onto(form, exc)
        return False
    messages.success(request, _("The agreement was saved."))
    return True


@permission_required_or_403("clinical.manage")
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Every site agreement with its state (ending soon, ended), and a form for a new one."""
    form = _agreement_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _agreement_submit(request, form, None):
        return redirect("clinical:agreement_list")
    return render(
        request,
        "clinical/agreement_list.html",
        {
            "agreements": year_sel.agreement_list(warn_days=EXPIRY_WARNING_DAYS),
            "form": form,
            "expiry_days": EXPIRY_WARNING_DAYS,
            "active_nav": "clinical-agreements",
        },
        status=400 if form.errors else 200,
    )


@permission_required_or_403("clinical.manage")
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(SiteAgreement.objects.select_related("site"), pk=pk)
    if request.method == "POST":
        form = _agreement_form(request.POST)
        if _agreement_submit(request, form, agreement):
            return redirect("clinical:agreement_list")
    else:
        form = _agreement_form(
            initial={
                "site": agreement.site_id,
                "reference": agreement.reference,
                "starts_on": agreement.starts_on,
                "ends_on": agreement.ends_on,
                "rotations": list(agreement.rotations.values_list("pk", flat=True)),
                "default_capacity": agreement.default_capacity,
                "notes": agreement.notes,
            }
        )
    return render(
        request,
        "clinical/agreement_edit.html",
        {
            "agreement": agreement,
            "state": year_sel.agreement_state(agreement, warn_days=EXPIRY_WARNING_DAYS),
            "form": form,
            "offerings": agreement.offerings.select_related(
                "year__program", "year__academic_year", "rotation"
            ),
            "active_nav": "clinical-agreements",
        },
        status=400 if form.errors else 200,
    )


def _year_or_404(pk: int) -> Any:
    year = year_sel.year_get(pk)
    if year is None:
        raise Http404
    return year


def _offering_form(year: Any, data: Any = None) -> OfferingForm:
    from shafa.institution.models import ClinicalSite

    return OfferingForm(
        data,
        rotations=RotationType.objects.filter(program=year.program_id).order_by("phase", "code"),
        sites=ClinicalSite.objects.order_by("name_fa"),
        agreements=SiteAgreement.objects.select_related("site").order_by("site__name_fa", "-ends_on"),
    )


@permission_required_or_403("clinical.manage")
@require_POST
def offering_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer a rotation at a site for the year (then its capacity can be changed by block)."""
    year = _year_or_404(pk)

    def add(data: dict[str, Any]) -> str:
        year_svc.offering_add(year=year, actor=request.user, **data)
        return _("The offering was added.")

    _flash_submit(request, _offering_form(year, request.POST), add)
    return redirect(f"{reverse('clinical:year_detail', args=[year.pk])}#offerings")


# --- programs' rotation types, elective groups, precedences ------------------------------------
@permission_required_or_403("clinical.manage")
def program_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "clinical/program_list.html",
        {"programs": rotation_sel.programs_with_rotations(), "active_nav": "clinical-coordinator"},
    )


def _rotation_forms(program: Program, request: HttpRequest) -> dict[str, Any]:
    """The page's three forms; `?edit=<rotation>` or `?edit_group=<group>` fills one in."""
    groups = rotation_sel.groups_of_program(program)
    rotation_form = RotationForm(groups=groups)
    group_form = GroupForm()
    edit = request.GET.get("edit", "")
    if edit.isdigit():
        r = get_object_or_404(RotationType, pk=int(edit), program=program)
        rotation_form = RotationForm(
            groups=groups,
            initial={
                "rotation": r.pk,
                "code": r.code,
                "name_fa": r.name_fa,
                "name_en": r.name_en,
                "phase": r.phase,
                "duration_blocks": r.duration_blocks,
                "group": r.group_id,
                "school_preference": r.school_preference,
            },
        )
    edit_group = request.GET.get("edit_group", "")
    if edit_group.isdigit():
        g = get_object_or_404(RotationGroup, pk=int(edit_group), program=program)
        group_form = GroupForm(
            initial={
                "group": g.pk,
                "code": g.code,
                "name_fa": g.name_fa,
                "name_en": g.name_en,
                "phase": g.phase,
                "required_count": g.required_count,
            }
        )
    return {
        "rotation_form": rotation_form,
        "group_form": group_form,
        "precedence_form": PrecedenceForm(rotations=rotation_sel.rotations_of_program(program)),
    }


def _rotations_page(request: HttpRequest, program: Program, forms: dict[str, Any]) -> HttpResponse:
    failed = any(form.errors for form in forms.values())
    return render(
        request,
        "clinical/program_rotations.html",
        {
            "program": program,
            "rotations": rotation_sel.rotations_of_program(program),
            "groups": rotation_sel.groups_of_program(program),
            "precedences": rotation_sel.precedences_of_program(program),
            "editing": bool(
                forms["rotation_form"].initial.get("rotation") or forms["rotation_form"].data.get("rotation")
            ),
            "editing_group": bool(
                forms["group_form"].initial.get("group") or forms["group_form"].data.get("group")
            ),
            "active_nav": "clinical-coordinator",
            **forms,
        },
        status=400 if failed else 200,
    )


@permission_required_or_403("clinical.manage")
def program_rotations(request: HttpRequest, pk: int) -> HttpResponse:
    """A program's rotation types: add or change one (`rotation` posted to change it)."""
    program = get_object_or_404(Program, pk=pk)
    forms = _rotation_forms(program, request)
    if request.method == "POST":
        form = RotationForm(request.POST, groups=rotation_sel.groups_of_program(program))
        forms["rotation_form"] = form
        if form.is_valid():
            data = form.cleaned_data
            rotation_pk = data.pop("rotation")
            rotation = (
                get_object_or_404(RotationType, pk=rotation_pk, program=program) if rotation_pk else None
            )
            try:
                rotation_svc.rotation_save(rotation=rotation, program=program, actor=request.user, **data)
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, _("The rotation was saved."))
                return redirect("clinical:program_rotations", pk=program.pk)
    return _rotations_page(request, program, forms)


@permission_required_or_403("clinical.manage")
@require_POST
def program_group(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    forms = _rotation_forms(program, request)
    form = GroupForm(request.POST)
    forms["group_form"] = form
    if form.is_valid():
        data = form.cleaned_data
        group_pk = data.pop("group")
        group = get_object_or_404(RotationGroup, pk=group_pk, program=program) if group_pk else None
        try:
            rotation_svc.group_save(group=group, program=program, actor=request.user, **data)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("The elective group was saved."))
            return redirect(f"{reverse('clinical:program_rotations', args=[program.pk])}#groups")
    return _rotations_page(request, program, forms)


@permission_required_or_403("clinical.manage")
@require_POST
def precedence_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    form = PrecedenceForm(request.POST, rotations=rotation_sel.rotations_of_program(program))

    def add(data: dict[str, Any]) -> str:
        rotation_svc.precedence_add(actor=request.user, **data)
        return _("The precedence was added.")

    _flash_submit(request, form, add)
    return redirect(f"{reverse('clinical:program_rotations', args=[program.pk])}#precedences")


@permission_required_or_403("clinical.manage")
@require_POST
def precedence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    precedence = get_object_or_404(RotationPrecedence.objects.select_related("before"), pk=pk)
    program_pk = precedence.before.program_id
    rotation_svc.precedence_remove(precedence=precedence, actor=request.user)
    messages.success(request, _("The precedence was removed."))
    return redirect(f"{reverse('clinical:program_rotations', args=[program_pk])}#precedences")


@permission_required_or_403("clinical.manage")
def year_create(request: HttpRequest) -> HttpResponse:
    """A new clinical year with its generated block calendar."""
    latest = AcademicYear.objects.order_by("-start_year").first()
    form = YearCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"academic_year": latest, "first_day": latest.start_date} if latest else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            year = year_svc.year_create(
                program=data["program"],
                academic_year=data["academic_year"],
                first_day=data["first_day"],
                n_blocks=data["n_blocks"],
                block_days=data["block_days"],
                max_rotations_per_site=data["max_rotations_per_site"],
                official=data["official_holidays"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, _("The clinical year and its block calendar were created."))
            return redirect("clinical:year_detail", pk=year.pk)
    return render(
        request,
        "clinical/year_create.html",
        {"form": form, "active_nav": "clinical-coordinator"},
        status=400 if form.errors else 200,
    )


@permission_required_or_403("clinical.manage")
@require_POST
def holiday_add(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)

    def add(data: dict[str, Any]) -> str:
        year_svc.holiday_add(year=year, **data, actor=request.user)
        return _("The holiday was added.")

    _flash_submit(request, HolidayForm(request.POST), add)
    return redirect(f"{reverse('clinical:year_detail', args=[year.pk])}#calendar")


@permission_required_or_403("clinical.manage")
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk)
    year_svc.holiday_remove(holiday=holiday, actor=request.user)
    messages.success(request, _("The holiday was removed."))
    return redirect(f"{reverse('clinical:year_detail', args=[holiday.year_id])}#calendar")


@permission_required_or_403("clinical.manage")
def year_learners(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's learners: enrol by student number, eligibility, leave."""
    year = _year_or_404(pk)
    search = request.GET.get("q", "").strip()
    learners = list(year_sel.learners_of_year(year, search=search))
    blocks = list(Block.objects.filter(year=year).order_by("number"))
    enrol_form = EnrolForm(phases=learner_svc.year_phases(year))
    if request.method == "POST":
        enrol_form = EnrolForm(request.POST, phases=learner_svc.year_phases(year))
        if enrol_form.is_valid():
            try:
                done = learner_svc.enrollments_add(
                    year=year,
                    student_numbers=enrol_form.cleaned_data["student_numbers"],
                    phase=enrol_form.cleaned_data["phase"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _errors_onto(enrol_form, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s learner was enrolled.",
                        "%(count)s learners were enrolled.",
                        len(done.added),
                    )
                    % {"count": number_label(len(done.added))},
                )
                if done.already:
                    messages.info(
                        request,
                        _("Already enrolled, left as they were: %(numbers)s")
                        % {"numbers": list_label(done.already)},
                    )
                return redirect("clinical:year_learners", pk=year.pk)
    return render(
        request,
        "clinical/year_learners.html",
        {
            "year": year,
            "learners": learners,
            "search": search,
            "enrol_form": enrol_form,
            "leave_form": LeaveForm(enrollments=learners, blocks=blocks),
            "eligibility_form": EligibilityForm(),
            "active_nav": "clinical-coordinator",
        },
        status=400 if enrol_form.errors else 200,
    )


def _enrollment_or_404(pk: int) -> LearnerEnrollment:
    return get_object_or_404(LearnerEnrollment.objects.select_related("student__person", "year"), pk=pk)


@permission_required_or_403("clinical.manage")
@require_POST
def enrollment_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _enrollment_or_404(pk)

    def save(data: dict[str, Any]) -> str:
        learner_svc.enrollment_set_eligibility(enrollment=enrollment, actor=request.user, **data)
        return _("%(learner)s: eligibility saved.") % {"learner": enrollment}

    _flash_submit(request, EligibilityForm(request.POST), save)
    return redirect("clinical:year_learners", pk=enrollment.year_id)


@permission_required_or_403("clinical.manage")
@require_POST
def leave_add(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    form = LeaveForm(
        request.POST,
        enrollments=LearnerEnrollment.objects.filter(year=year).select_related("student__person"),
        blocks=Block.objects.filter(year=year),
    )

    def add(data: dict[str, Any]) -> str:
        enrollment = _enrollment_or_404(data["enrollment"])
        block = get_object_or_404(Block, pk=data["block"], year=year)
        learner_svc.leave_add(enrollment=enrollment, block=block, reason=data["reason"], actor=request.user)
        return _("%(learner)s: leave recorded.") % {"learner": enrollment}

    _flash_submit(request, form, add)
    return redirect("clinical:year_learners", pk=year.pk)


@permission_required_or_403("clinical.manage")
@require_POST
def leave_remove(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_object_or_404(LearnerLeave.objects.select_related("enrollment"), pk=pk)
    learner_svc.leave_remove(leave=leave, actor=request.user)
    messages.success(request, _("The leave was removed."))
    return redirect("clinical:year_learners", pk=leave.enrollment.year_id)


@permission_required_or_403("clinical.manage")
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    opens, closes = year.preference_opens_at, year.preference_closes_at
    blocks = list(Block.objects.filter(year=year).order_by("number"))
    offerings = list(year_sel.offerings_of_year(year))
    window_form = PreferenceWindowForm(
        initial={"opens_on": opens.date() if opens else None, "closes_on": closes.date() if closes else None}
    )
    return render(
        request,
        "clinical/year_detail.html",
        {
            "year": year,
            "summary": year_sel.year_summary(year),
            "blocks": blocks,
            "holidays": list(year.holidays.order_by("date")),
            "offerings": offerings,
            "capacity_form": CapacityForm(blocks=blocks, offerings=offerings),
            "offering_form": _offering_form(year),
            "runs": run_sel.run_list_for_year(year),
            "run_form": RunStartForm(
                initial={"variant_label": _("Variant %(n)s") % {"n": year.runs.count() + 1}}
            ),
            "window_form": window_form,
            "holiday_form": HolidayForm(),
            "window_open": preference_window_open(year),
            "expiring": year_sel.agreements_expiring(EXPIRY_WARNING_DAYS)
            .filter(offerings__year=year)
            .distinct(),
            "active_nav": "clinical-coordinator",
        },
    )


@permission_required_or_403("clinical.manage")
@require_POST
def year_window(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    form = PreferenceWindowForm(request.POST)

    def save(_data: dict[str, Any]) -> str:
        opens, closes = form.window()
        year_svc.year_set_preference_window(year=year, opens_at=opens, closes_at=closes, actor=request.user)
        return _("The preference window was saved.")

    _flash_submit(request, form, save)
    return redirect("clinical:year_detail", pk=year.pk)


@permission_required_or_403("clinical.manage")
@require_POST
def offering_capacity(request: HttpRequest) -> HttpResponse:
    """Change an offering's learners per block, for the whole year or for one block."""
    offering = get_object_or_404(
        Offering.objects.select_related("year"), pk=request.POST.get("offering") or 0
    )
    blocks = list(Block.objects.filter(year=offering.year).order_by("number"))
    form = CapacityForm(request.POST, blocks=blocks, offerings=[offering])

    def save(data: dict[str, Any]) -> str:
        block = next((b for b in blocks if b.number == data["block"]), None) if data["block"] else None
        year_svc.offering_set_capacity(
            offering=offering,
            min_learners=data["min_learners"],
            max_learners=data["max_learners"],
            block=block,
            reason=data["reason"],
            actor=request.user,
        )
        return _("The capacity was saved.")

    _flash_submit(request, form, save)
    return redirect(f"{reverse('clinical:year_detail', args=[offering.year_id])}#offerings")


@permission_required_or_403("clinical.manage")
@require_POST
def run_create(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    form = RunStartForm(request.POST)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("clinical:year_detail", pk=year.pk)
    run = run_svc.run_start(year=year, actor=request.user, **form.cleaned_data)
    messages.success(request, _("The solver has started; this page follows its progress."))
    return redirect("clinical:run_detail", pk=run.pk)


def _run_or_404(pk: int) -> SolverRun:
    run = run_sel.run_get(pk)
    if run is None:
        raise Http404
    return run_svc.run_fail_if_stale(run)


@permission_required_or_403("clinical.manage")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    book = run_sel.name_book(run.year)
    blocks, rows = run_sel.schedule_grid(run) if run.has_schedule else ([], [])
    return render(
        request,
        "clinical/run_detail.html",
        {
            "run": run,
            "year": run.year,
            "explanations": run_sel.run_explanations(run, book),
            "moves": run_sel.run_moves(run, book),
            "compare": run_sel.run_compare([run])[0],
            "blocks": blocks,
            "rows": rows,
            "active_nav": "clinical-coordinator",
        },
    )


@permission_required_or_403("clinical.manage")
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by htmx while the run works; reloads the page when it ends."""
    run = _run_or_404(pk)
    response = render(request, "clinical/partials/run_progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request") and request.GET.get("reload"):
        response["HX-Refresh"] = "true"
    return response


@permission_required_or_403("clinical.manage")
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    try:
        run_svc.run_publish(run=run, actor=request.user)
        messages.success(request, _("The schedule is published: learners and sites now see it."))
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect("clinical:run_detail", pk=run.pk)


@permission_required_or_403("clinical.manage")
def run_compare(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    ids = [int(v) for v in request.GET.getlist("run") if v.isdigit()]
    runs = (
        list(run_sel.run_list_for_year(year).filter(pk__in=ids))
        if ids
        else list(run_sel.run_list_for_year(year)[:4])
    )
    rows = run_sel.run_compare(runs)
    max_rank = max((rank for row in rows for rank, _n in row["rotation_ranks"]), default=0)
    return render(
        request,
        "clinical/run_compare.html",
        {
            "year": year,
            "rows": rows,
            "ranks": list(range(1, max_rank + 1)),
            "active_nav": "clinical-coordinator",
        },
    )


@permission_required_or_403("clinical.manage")
def assignment_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one assignment of a draft; htmx posts `check` for the live rule check, `save` to apply."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("run__year", "rotation", "site", "enrollment__student__person"),
        pk=pk,
    )
    run = assignment.run
    bundle = problem_for_year(run.year)
    sites = [
        site
        for (rot, _site), off in bundle.offerings.items()
        if rot == assignment.rotation_id
        for site in [off.site]
    ]
    form = MoveForm(
        request.POST or None,
        sites=sites,
        blocks=bundle.blocks,
        initial={"site": assignment.site_id, "start": assignment.start},
    )
    outcome = None
    book = run_sel.name_book(run.year)
    if request.method == "POST" and form.is_valid():
        site_id, start = form.cleaned_data["site"], form.cleaned_data["start"]
        if "save" in request.POST:
            try:
                outcome = run_svc.assignment_move(
                    assignment=assignment, site_id=site_id, start=start, actor=request.user
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
                return redirect("clinical:run_detail", pk=run.pk)
            if outcome.saved:
                messages.success(request, _("The rotation was moved."))
                for item in run_sel.findings_in_words(outcome.warnings, book):
                    messages.warning(request, item["text"])
                return redirect("clinical:run_detail", pk=run.pk)
        else:
            outcome = run_svc.assignment_move_check(
                assignment=assignment, site_id=site_id, start=start, bundle=bundle
            )
    context = {
        "assignment": assignment,
        "lock": ManualLock.objects.filter(
            enrollment_id=assignment.enrollment_id, rotation_id=assignment.rotation_id
        )
        .select_related("site", "start_block")
        .first(),
        "run": run,
        "form": form,
        "outcome": outcome,
        "errors": run_sel.findings_in_words(outcome.errors, book) if outcome else [],
        "warnings": run_sel.findings_in_words(outcome.warnings, book) if outcome else [],
        "active_nav": "clinical-coordinator",
    }
    if request.headers.get("HX-Request") and request.method == "POST":
        return render(request, "clinical/partials/move_check.html", context)
    return render(request, "clinical/assignment_move.html", context)


@permission_required_or_403("clinical.manage")
@require_POST
def assignment_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock (or unlock) this learner's rotation where the assignment puts it, for later runs."""
    assignment = get_object_or_404(Assignment.objects.select_related("run__year"), pk=pk)
    existing = ManualLock.objects.filter(
        enrollment_id=assignment.enrollment_id, rotation_id=assignment.rotation_id
    )
    if request.POST.get("unlock") and existing.exists():
        run_svc.lock_remove(lock=existing.get(), actor=request.user)
        messages.info(request, _("The lock was removed."))
    else:
        run_svc.lock_from_assignment(
            assignment=assignment, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Locked: later runs keep this rotation here."))
    return redirect("clinical:assignment_move", pk=assignment.pk)


@permission_required_or_403("clinical.manage")
def swap_queue(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    book = run_sel.name_book(year)
    requests = [
        {
            "request": item,
            "proposals": [
                {
                    "index": i,
                    "kind": p["kind"],
                    "moves": [
                        {
                            "learner": book.name_of(book.learners, m["learner"]),
                            "site": book.name_of(book.sites, m["site"]),
                            "block": book.block(m["start"] - 1),
                        }
                        for m in p["moves"]
                    ],
                }
                for i, p in enumerate(item.proposals or [])
            ],
        }
        for item in run_sel.swap_queue(year)[:200]
    ]
    return render(
        request,
        "clinical/swap_queue.html",
        {"year": year, "requests": requests, "active_nav": "clinical-coordinator"},
    )


@permission_required_or_403("clinical.manage")
@require_POST
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    swap_request = get_object_or_404(SwapRequest.objects.select_related("run"), pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            swap_svc.swap_approve(
                request=swap_request, proposal=int(request.POST.get("proposal", "0")), actor=request.user
            )
            messages.success(request, _("The swap was approved and the schedule changed."))
        else:
            swap_svc.swap_reject(
                request=swap_request, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.info(request, _("The request was rejected."))
    except (ValidationError, ValueError) as exc:
        for message in _errors(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
    return redirect("clinical:swap_queue", pk=swap_request.run.year_id)


@permission_required_or_403("clinical.manage")
def replan(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year_or_404(pk)
    base = run_sel.published_run(year)
    form = ReplanForm(
        request.POST or None,
        blocks=list(Block.objects.filter(year=year).order_by("number")),
        offerings=list(year_sel.offerings_of_year(year)),
        enrollments=list(LearnerEnrollment.objects.filter(year=year).select_related("student__person")),
    )
    if request.method == "POST" and form.is_valid():
        if base is None:
            messages.error(request, _("Publish a schedule before re-planning it."))
        else:
            data = form.cleaned_data
            try:
                event = replan_svc.replan_start(
                    base_run=base,
                    kind=data["kind"],
                    block=get_object_or_404(Block, pk=data["block"], year=year),
                    offering=year.offerings.filter(pk=data["offering"]).first() if data["offering"] else None,
                    new_capacity=data["new_capacity"],
                    enrollment=year.enrollments.filter(pk=data["enrollment"]).first()
                    if data["enrollment"]
                    else None,
                    reason=data["reason"],
                    time_limit_seconds=data["time_limit_seconds"],
                    actor=request.user,
                )
                messages.success(request, _("The re-plan has started; it shows who moves when it ends."))
                return redirect("clinical:run_detail", pk=event.result_run_id)
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
    return render(
        request,
        "clinical/replan.html",
        {
            "year": year,
            "base": base,
            "form": form,
            "events": year.replan_events.select_related("result_run")[:20],
            "active_nav": "clinical-coordinator",
        },
    )


# --- home dashboard panels ----------------------------------------------------------------------
def coordinator_panel(user: Any) -> dict[str, Any]:
    years = list(year_sel.year_list()[:6])
    return {
        "years": years,
        "expiring": list(year_sel.agreements_expiring(EXPIRY_WARNING_DAYS)[:5]),
        "pending_swaps": SwapRequest.objects.filter(status="pending").count(),
    }


def learner_panel(user: Any) -> dict[str, Any]:
    return {"upcoming": run_sel.current_and_next(user)}


def preceptor_panel(user: Any) -> dict[str, Any]:
    return {"arrivals": run_sel.arrivals_at_my_sites(user)}


# --- learner --------------------------------------------------------------------------------
@permission_required_or_403("clinical.view_my_schedule")
def my_schedule(request: HttpRequest) -> HttpResponse:
    sections = []
    for enrollment in run_sel.my_enrollments(request.user):
        year = enrollment.year
        rows = run_sel.my_schedule(enrollment)
        sites = list(year_sel.sites_of_year(year, phase=enrollment.phase))
        blocks = list(Block.objects.filter(year=year).order_by("number"))
        window_open = preference_window_open(year)
        sections.append(
            {
                "enrollment": enrollment,
                "rows": rows,
                "window_open": window_open,
                "rotation_items": _ranked_items(
                    RotationType.objects.filter(program_id=year.program_id, phase=enrollment.phase),
                    enrollment.rotation_preferences.values_list("rotation_id", "rank"),
                )
                if window_open
                else [],
                "site_items": _ranked_items(sites, enrollment.site_preferences.values_list("site_id", "rank"))
                if window_open
                else [],
                "block_items": _ranked_items(
                    blocks, enrollment.block_preferences.values_list("block_id", "rank")
                )
                if window_open
                else [],
                "swap_form": SwapRequestForm(sites=sites, blocks=blocks) if rows else None,
                "requests": list(
                    enrollment.swap_requests.select_related("assignment__rotation", "wanted_site").order_by(
                        "-created_at"
                    )[:10]
                ),
            }
        )
    return render(request, "clinical/my_schedule.html", {"sections": sections, "active_nav": "clinical-mine"})


def _ranked_items(objects: Any, ranks: Any) -> list[tuple[Any, Any]]:
    """(object, its rank or "") for a preference form."""
    rank_of = dict(ranks)
    return [(obj, rank_of.get(obj.pk, "")) for obj in objects]


def _own_enrollment(request: HttpRequest, pk: int) -> LearnerEnrollment:
    enrollment = get_object_or_404(LearnerEnrollment.objects.select_related("year", "student__person"), pk=pk)
    if not request.user.has_perm("clinical.view_enrollment", enrollment):
        raise Http404
    if not request.user.has_perm("clinical.request_swap", enrollment):
        raise PermissionDenied
    return enrollment


@login_required
@require_POST
def my_preferences(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        try:
            year_svc.preferences_submit(
                enrollment=enrollment,
                rotation_ids=form.cleaned_data["rotations"],
                site_ids=form.cleaned_data["sites"],
                block_ids=form.cleaned_data["blocks"],
                actor=request.user,
            )
            messages.success(request, _("Your preferences were saved."))
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    return redirect("clinical:my_schedule")


@login_required
@require_POST
def my_swap_request(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    blocks = list(Block.objects.filter(year=enrollment.year).order_by("number"))
    sites = list(year_sel.sites_of_year(enrollment.year, phase=enrollment.phase))
    form = SwapRequestForm(request.POST, sites=sites, blocks=blocks)
    if form.is_valid():
        assignment = (
            Assignment.objects.filter(
                pk=form.cleaned_data["assignment"], enrollment=enrollment, run__published=True
            )
            .select_related("run")
            .first()
        )
        if assignment is None:
            raise Http404
        try:
            swap_request = swap_svc.swap_request_create(
                enrollment=enrollment,
                assignment=assignment,
                wanted_start=form.cleaned_data["wanted_start"],
                wanted_site_id=form.cleaned_data["wanted_site"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            if swap_request.proposals:
                messages.success(
                    request, _("Your request was sent; a compatible swap exists and awaits the coordinator.")
                )
            else:
                messages.info(request, _("Your request was sent; no compatible swap exists yet."))
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    else:
        _flash_form_errors(request, form)
    return redirect("clinical:my_schedule")


@login_required
def my_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_object_or_404(LearnerEnrollment.objects.select_related("year", "student__person"), pk=pk)
    if not request.user.has_perm("clinical.view_enrollment", enrollment):
        raise Http404
    body = learner_calendar(
        run_sel.my_schedule(enrollment), learner_name=enrollment.student.person.full_name_fa
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="rotations-{enrollment.student.student_number}.ics"'
    )
    return response


# --- site -----------------------------------------------------------------------------------
@permission_required_or_403("clinical.view_site_schedules")
def site_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "clinical/site_list.html",
        {"sites": year_sel.sites_visible_to(request.user), "active_nav": "clinical-sites"},
    )


@permission_required_or_403("clinical.view_site_schedules")
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = year_sel.sites_visible_to(request.user).filter(pk=pk).first()
    if site is None:
        raise Http404
    sections = []
    for run in (
        SolverRun.objects.filter(published=True, assignments__site=site)
        .distinct()
        .select_related("year__program", "year__academic_year")
    ):
        blocks, rows = run_sel.schedule_grid(run, user=request.user, site_id=site.pk)
        by_block = [
            {
                "block": block,
                "learners": [(row.enrollment, row.cells[i]) for row in rows if row.cells[i] is not None],
            }
            for i, block in enumerate(blocks)
        ]
        sections.append({"run": run, "by_block": by_block})
    return render(
        request,
        "clinical/site_detail.html",
        {"site": site, "sections": sections, "active_nav": "clinical-sites"},
    )
