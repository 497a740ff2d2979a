"""Pages for grades, appeals, standing, teacher evaluation and transcripts (thin: parse, call, render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shafa.academics import grades_rules  # noqa: F401  (registers the permissions)
from shafa.core.forms import JalaliDateField
from shafa.core.permissions import permission_required_or_403
from shafa.people.models import Student

from .models import GradeAppeal, GradeSheetStatus, Registration, Section, Transcript, TranscriptBatch
from .selectors.evaluation import evaluation_summary, questionnaire_for, sections_to_evaluate
from .selectors.grades import (
    appeals_for_instructor,
    appeals_for_section,
    grade_changes_for_section,
    grade_sheet_sections,
    roster,
    sections_taught_by,
    student_grade_rows,
)
from .selectors.registration import student_for_user
from .selectors.standing import student_standing
from .selectors.transcripts import (
    recent_transcripts,
    transcript_batches,
    transcript_get_by_code,
    transcripts_for_student,
)
from .services.evaluation import evaluation_submit
from .services.grades import (
    GradingRefused,
    grade_appeal_answer,
    grade_appeal_create,
    grade_enter,
    grade_sheet_extend_deadline,
    grade_sheet_finalise,
    grade_sheet_get_or_create,
    grade_sheet_reopen,
    grade_sheet_submit,
)
from .services.transcripts import (
    export_grade_sheet_csv,
    export_grade_sheet_xlsx,
    format_code,
    transcript_batch_create,
    transcript_issue,
)


def _student_or_404(request: HttpRequest) -> Student:
    student = student_for_user(request.user)
    if student is None:
        raise Http404
    return student


def _section_for(request: HttpRequest, pk: int, perm: str) -> Section:
    section = get_object_or_404(Section.objects.select_related("course", "term"), pk=pk)
    if not request.user.has_perm(perm, section):
        raise PermissionDenied
    return section


def _refused(request: HttpRequest, refusal: GradingRefused) -> None:
    messages.error(request, refusal.message)


# ---- instructors ---------------------------------------------------------------------------


@permission_required_or_403("academics.teach")
def teaching(request: HttpRequest) -> HttpResponse:
    context = {
        "sections": sections_taught_by(request.user),
        "appeals": appeals_for_instructor(request.user),
        "active_nav": "grades_teaching",
    }
    return render(request, "academics/grades/teaching.html", context)


def _sheet_context(request: HttpRequest, section: Section, **extra: Any) -> dict[str, Any]:
    sheet = grade_sheet_get_or_create(section)
    rows: list[Any] = roster(section)
    return {
        "section": section,
        "sheet": sheet,
        "rows": rows,
        "graded": sum(1 for r in rows if r.grade_or_none is not None),
        "appeals": appeals_for_section(section),
        "changes": grade_changes_for_section(section),
        "may_enter": request.user.has_perm("academics.enter_grades", section),
        "is_registrar": request.user.has_perm("academics.manage_grades"),
        "pass_fail": section.course.grading == "pass_fail",
        **extra,
    }


@login_required
def grade_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section_for(request, pk, "academics.view_grade_sheet")
    return render(request, "academics/grades/sheet.html", _sheet_context(request, section))


@login_required
@require_POST
def grade_row(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    """Save one grade (htmx: answers the row; otherwise back to the sheet)."""
    section = _section_for(request, pk, "academics.enter_grades")
    registration = get_object_or_404(Registration, pk=registration_id, section=section)
    error = ""
    is_pass = request.POST.get("is_pass")
    try:
        grade_enter(
            actor=request.user,
            registration=registration,
            value=request.POST.get("value"),
            is_pass=None if is_pass in (None, "") else is_pass == "1",
            reason=request.POST.get("reason", ""),
        )
    except GradingRefused as refusal:
        error = refusal.message
    if request.htmx:  # type: ignore[attr-defined]
        context = _sheet_context(request, section)
        row = next(r for r in context["rows"] if r.pk == registration.pk)
        return render(
            request,
            "academics/grades/partials/grade_row.html",
            {**context, "r": row, "error": error, "saved": not error},
            status=200 if not error else 422,
        )
    if error:
        messages.error(request, error)
    return redirect("academics:grade_sheet", pk=section.pk)


@login_required
@require_POST
def grade_sheet_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit (instructor or registrar); finalise, reopen, extend (registrar)."""
    perm = "academics.enter_grades" if action == "submit" else "academics.manage_grades"
    section = _section_for(request, pk, perm)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            grade_sheet_submit(actor=request.user, section=section)
            messages.success(
                request, _("Grades submitted. Students may appeal until the appeal period ends.")
            )
        elif action == "finalise":
            grade_sheet_finalise(actor=request.user, section=section, reason=reason)
            messages.success(request, _("Grades finalised."))
        elif action == "reopen":
            grade_sheet_reopen(actor=request.user, section=section, reason=reason)
            messages.success(request, _("Grade sheet returned to the instructors."))
        elif action == "extend":
            field = JalaliDateField()
            try:
                day = field.clean(request.POST.get("until", ""))
            except Exception:
                raise GradingRefused("invalid_date") from None
            import datetime as dt

            from django.utils import timezone

            until = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))
            grade_sheet_extend_deadline(actor=request.user, section=section, until=until, reason=reason)
            messages.success(request, _("Deadline extended."))
        else:
            raise Http404
    except GradingRefused as refusal:
        _refused(request, refusal)
    return redirect("academics:grade_sheet", pk=section.pk)


@login_required
def grade_sheet_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    section = _section_for(request, pk, "academics.view_grade_sheet")
    name = f"{section.course.code}-{section.number:02d}-{section.term.code}"
    if fmt == "csv":
        response = HttpResponse(export_grade_sheet_csv(section), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            export_grade_sheet_xlsx(section),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@login_required
@require_POST
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(GradeAppeal.objects.select_related("grade__sheet__section"), pk=pk)
    if not request.user.has_perm("academics.answer_appeal", appeal):
        raise PermissionDenied
    try:
        grade_appeal_answer(
            actor=request.user,
            appeal=appeal,
            answer=request.POST.get("answer", ""),
            new_value=request.POST.get("new_value") or None,
        )
        messages.success(request, _("Your answer was sent to the student."))
    except GradingRefused as refusal:
        _refused(request, refusal)
    return redirect("academics:grade_sheet", pk=appeal.grade.sheet.section_id)


@login_required
def evaluation_results(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section_for(request, pk, "academics.view_evaluation_summary")
    return render(
        request,
        "academics/grades/evaluation_summary.html",
        {"section": section, "summary": evaluation_summary(section)},
    )


# ---- students ------------------------------------------------------------------------------


@permission_required_or_403("academics.view_own_grades")
def my_grades(request: HttpRequest) -> HttpResponse:
    student = _student_or_404(request)
    context = {
        "student": student,
        "rows": student_grade_rows(student),
        "to_evaluate": sections_to_evaluate(student),
        "active_nav": "grades_mine",
    }
    return render(request, "academics/grades/mine.html", context)


@permission_required_or_403("academics.evaluate_teachers")
def evaluate(request: HttpRequest, section_id: int) -> HttpResponse:
    student = _student_or_404(request)
    section = get_object_or_404(Section.objects.select_related("course", "term"), pk=section_id)
    questionnaire = questionnaire_for(section)
    if request.method == "POST" and questionnaire is not None:
        answers = {q.pk: request.POST.get(f"q{q.pk}") for q in questionnaire.questions.all()}
        try:
            evaluation_submit(
                student=student, section=section, answers=answers, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Thank you. Your answers are anonymous."))
            return redirect("academics:my_grades")
        except GradingRefused as refusal:
            _refused(request, refusal)
    questions = list(questionnaire.questions.all()) if questionnaire else []
    return render(
        request,
        "academics/grades/evaluate.html",
        {"section": section, "questionnaire": questionnaire, "questions": questions, "scale": range(1, 6)},
    )


@login_required
@require_POST
def appeal_create(request: HttpRequest, grade_id: int) -> HttpResponse:
    from .models import Grade

    grade = get_object_or_404(Grade, pk=grade_id)
    try:
        grade_appeal_create(actor=request.user, grade=grade, text=request.POST.get("text", ""))
        messages.success(request, _("Your appeal was sent to the instructor."))
    except GradingRefused as refusal:
        if refusal.code == "forbidden":
            raise PermissionDenied from None
        _refused(request, refusal)
    return redirect("academics:my_grades")


@login_required
def standing_page(request: HttpRequest, student_id: int | None = None) -> HttpResponse:
    if student_id is None:
        student = _student_or_404(request)
    else:
        student = get_object_or_404(Student.objects.select_related("person", "program"), pk=student_id)
    if not request.user.has_perm("academics.view_standing", student):
        raise PermissionDenied
    return render(
        request,
        "academics/grades/standing.html",
        {"student": student, "standing": student_standing(student), "active_nav": "grades_standing"},
    )


@login_required
def my_transcripts(request: HttpRequest) -> HttpResponse:
    student = _student_or_404(request)
    if request.method == "POST":
        try:
            transcript = transcript_issue(
                actor=request.user, student=student, language=request.POST.get("language", "fa")
            )
            messages.success(
                request, _("Transcript issued: %(code)s") % {"code": format_code(transcript.code)}
            )
        except GradingRefused as refusal:
            _refused(request, refusal)
        return redirect("academics:my_transcripts")
    return render(
        request,
        "academics/grades/transcripts.html",
        {
            "student": student,
            "transcripts": transcripts_for_student(student),
            "active_nav": "grades_transcripts",
        },
    )


@login_required
def transcript_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    transcript = get_object_or_404(Transcript.objects.select_related("student__person"), pk=pk)
    if not request.user.has_perm("academics.view_transcript", transcript):
        raise PermissionDenied
    if not transcript.pdf:
        raise Http404
    name = f"transcript-{transcript.student.student_number}-{transcript.language}-{transcript.code}.pdf"
    return FileResponse(transcript.pdf.open("rb"), content_type="application/pdf", filename=name)


# ---- registrar -----------------------------------------------------------------------------


@permission_required_or_403("academics.manage_grades")
def registrar_grade_sheets(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in GradeSheetStatus.values:
        status = ""
    sections = grade_sheet_sections(status=status)[:300]
    return render(
        request,
        "academics/grades/registrar_sheets.html",
        {
            "sections": sections,
            "status": status,
            "statuses": GradeSheetStatus.choices,
            "active_nav": "grades_registrar",
        },
    )


@permission_required_or_403("academics.manage_transcripts")
def registrar_transcripts(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        language = request.POST.get("language", "fa")
        numbers = [n.strip() for n in request.POST.get("student_numbers", "").split() if n.strip()]
        from shafa.core.text import digits_to_ascii

        ids = list(
            Student.objects.filter(student_number__in=[digits_to_ascii(n) for n in numbers]).values_list(
                "pk", flat=True
            )
        )
        program = request.POST.get("program") or None
        try:
            if len(ids) == 1 and request.POST.get("single"):
                transcript = transcript_issue(
                    actor=request.user, student=Student.objects.get(pk=ids[0]), language=language
                )
                messages.success(
                    request, _("Transcript issued: %(code)s") % {"code": format_code(transcript.code)}
                )
            elif ids or program:
                from shafa.institution.models import Program

                batch = transcript_batch_create(
                    actor=request.user,
                    language=language,
                    student_ids=ids or None,
                    program=Program.objects.filter(pk=program).first() if program else None,
                )
                messages.success(request, _("Batch queued: %(n)s transcripts.") % {"n": batch.total})
            else:
                messages.error(request, _("Enter student numbers or choose a program."))
        except GradingRefused as refusal:
            _refused(request, refusal)
        return redirect("academics:registrar_transcripts")
    from shafa.institution.models import Program

    return render(
        request,
        "academics/grades/registrar_transcripts.html",
        {
            "batches": transcript_batches(),
            "recent": recent_transcripts(),
            "programs": Program.objects.filter(is_active=True).order_by("name_fa"),
            "active_nav": "grades_transcripts_registrar",
        },
    )


@permission_required_or_403("academics.manage_transcripts")
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(TranscriptBatch, pk=pk)
    return render(request, "academics/grades/partials/batch_progress.html", {"batch": batch})


# ---- anyone --------------------------------------------------------------------------------


def transcript_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms a transcript's owner, issue date and content hash from its code."""
    transcript = transcript_get_by_code(code)
    return render(
        request,
        "academics/grades/verify.html",
        {
            "transcript": transcript,
            "code": code,
            "formatted": format_code(transcript.code) if transcript else "",
        },
        status=200 if transcript else 404,
    )
