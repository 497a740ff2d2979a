"""Grades, appeals, standing, evaluation and transcript endpoints: the UI's rules and permissions.

Views parse input, check the same django-rules permissions as the pages and call the services;
a rule's refusal answers `{"code", "detail"}` (409 unless the code says otherwise).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.academics import grades_rules  # noqa: F401  (registers the permissions)
from shafa.academics.models import Grade, GradeAppeal, Registration, Section, Transcript, TranscriptBatch
from shafa.academics.selectors.evaluation import evaluation_summary, has_evaluated, questionnaire_for
from shafa.academics.selectors.grades import roster, student_grade_rows
from shafa.academics.selectors.registration import student_for_user
from shafa.academics.selectors.standing import student_standing
from shafa.academics.selectors.transcripts import transcript_get_by_code, transcripts_for_student
from shafa.academics.services.evaluation import evaluation_submit
from shafa.academics.services.grades import (
    GradingRefused,
    grade_appeal_answer,
    grade_appeal_create,
    grade_enter,
    grade_sheet_finalise,
    grade_sheet_get_or_create,
    grade_sheet_reopen,
    grade_sheet_submit,
)
from shafa.academics.services.transcripts import transcript_batch_create, transcript_issue
from shafa.core.api.permissions import require_perm
from shafa.people.models import Student

from . import grades_serializers as s

REFUSAL = OpenApiResponse(s.GradingRefusalSerializer, description="Refused by a rule; `detail` says why.")


def refusal_response(refusal: GradingRefused) -> Response:
    if refusal.code == "forbidden":
        raise PermissionDenied(refusal.message)
    return Response(refusal.as_dict(), status=refusal.status_code)


def _section(request: Request, pk: int, perm: str) -> Section:
    section = Section.objects.select_related("course", "term").filter(pk=pk).first()
    if section is None:
        raise NotFound()
    require_perm(request, perm, section)
    return section


def _sheet_response(section: Section) -> Response:
    sheet = grade_sheet_get_or_create(section)
    sheet.section = section
    return Response(s.GradeSheetOutputSerializer(sheet, context={"roster": roster(section)}).data)


class GradeSheetView(APIView):
    @extend_schema(
        summary="A section's grade sheet with its roster (instructors, registrar, leadership)",
        responses=s.GradeSheetOutputSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _sheet_response(_section(request, pk, "academics.view_grade_sheet"))


class GradeEntryView(APIView):
    @extend_schema(
        summary="Enter or change one student's grade (after submission: registrar, with a reason)",
        request=s.GradeInputSerializer,
        responses={200: s.GradeOutputSerializer, 409: REFUSAL, 400: REFUSAL},
    )
    def put(self, request: Request, pk: int, registration_id: int) -> Response:
        section = _section(request, pk, "academics.enter_grades")
        registration = Registration.objects.filter(pk=registration_id, section=section).first()
        if registration is None:
            raise NotFound()
        data = s.GradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            grade = grade_enter(actor=request.user, registration=registration, **data.validated_data)
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(s.GradeOutputSerializer(grade).data)


class GradeSheetActionView(APIView):
    action_name = ""

    @extend_schema(
        summary="Submit (instructor), finalise or reopen (registrar) a grade sheet",
        request=s.GradeSheetReasonInputSerializer,
        responses={200: s.GradeSheetOutputSerializer, 409: REFUSAL},
    )
    def post(self, request: Request, pk: int) -> Response:
        perm = "academics.enter_grades" if self.action_name == "submit" else "academics.manage_grades"
        section = _section(request, pk, perm)
        data = s.GradeSheetReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        try:
            if self.action_name == "submit":
                grade_sheet_submit(actor=request.user, section=section)
            elif self.action_name == "finalise":
                grade_sheet_finalise(actor=request.user, section=section, reason=reason)
            else:
                grade_sheet_reopen(actor=request.user, section=section, reason=reason)
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return _sheet_response(section)


class MyGradesView(APIView):
    @extend_schema(
        summary="My courses and grades (shown once submitted and the teacher evaluated)",
        responses=s.StudentGradeSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "academics.view_own_grades")
        student = student_for_user(request.user)
        if student is None:
            raise NotFound()
        return Response(s.StudentGradeSerializer(student_grade_rows(student), many=True).data)


class AppealCreateView(APIView):
    @extend_schema(
        summary="Appeal my grade inside the appeal period",
        request=s.AppealInputSerializer,
        responses={201: s.AppealOutputSerializer, 409: REFUSAL},
    )
    def post(self, request: Request, grade_id: int) -> Response:
        require_perm(request, "academics.view_own_grades")
        grade = Grade.objects.filter(pk=grade_id).first()
        if grade is None:
            raise NotFound()
        data = s.AppealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            appeal = grade_appeal_create(actor=request.user, grade=grade, text=data.validated_data["text"])
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(s.AppealOutputSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealAnswerView(APIView):
    @extend_schema(
        summary="Answer an appeal (the section's instructor); a new mark changes the grade",
        request=s.AppealAnswerInputSerializer,
        responses={200: s.AppealOutputSerializer, 409: REFUSAL},
    )
    def post(self, request: Request, pk: int) -> Response:
        appeal = GradeAppeal.objects.select_related("grade__sheet__section").filter(pk=pk).first()
        if appeal is None:
            raise NotFound()
        require_perm(request, "academics.answer_appeal", appeal)
        data = s.AppealAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            appeal = grade_appeal_answer(actor=request.user, appeal=appeal, **data.validated_data)
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(s.AppealOutputSerializer(appeal).data)


class StandingView(APIView):
    @extend_schema(
        operation_id="academics_grades_standing",
        summary="Academic standing: GPA, probation, duration, graduation audit, gate exams",
        responses=s.StandingOutputSerializer,
    )
    def get(self, request: Request, student_id: int | None = None) -> Response:
        if student_id is None:
            student = student_for_user(request.user)
            if student is None:
                raise NotFound()
        else:
            student = Student.objects.select_related("person", "program").filter(pk=student_id).first()
            if student is None:
                raise NotFound()
        require_perm(request, "academics.view_standing", student)
        return Response(s.StandingOutputSerializer(student_standing(student)).data)


class StudentStandingView(StandingView):
    @extend_schema(
        operation_id="academics_grades_student_standing",
        summary="A student's standing (the student, their advisor, registrar, leadership)",
        responses=s.StandingOutputSerializer,
    )
    def get(self, request: Request, student_id: int | None = None) -> Response:
        return super().get(request, student_id)


class EvaluationView(APIView):
    @extend_schema(
        summary="The section's evaluation questionnaire", responses=s.QuestionnaireOutputSerializer
    )
    def get(self, request: Request, section_id: int) -> Response:
        require_perm(request, "academics.evaluate_teachers")
        student = student_for_user(request.user)
        section = Section.objects.filter(pk=section_id).first()
        if student is None or section is None:
            raise NotFound()
        questionnaire = questionnaire_for(section)
        questions = list(questionnaire.questions.all()) if questionnaire else []
        return Response(
            s.QuestionnaireOutputSerializer(
                {"section": section.pk, "answered": has_evaluated(student, section), "questions": questions}
            ).data
        )

    @extend_schema(
        summary="Answer the questionnaire once (stored without your identity)",
        request=s.EvaluationInputSerializer,
        responses={204: None, 409: REFUSAL},
    )
    def post(self, request: Request, section_id: int) -> Response:
        require_perm(request, "academics.evaluate_teachers")
        student = student_for_user(request.user)
        section = Section.objects.filter(pk=section_id).first()
        if student is None or section is None:
            raise NotFound()
        data = s.EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            evaluation_submit(student=student, section=section, **data.validated_data)
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvaluationSummaryView(APIView):
    @extend_schema(
        summary="Aggregate evaluation of a section (only with at least 5 answers)",
        responses=s.EvaluationSummarySerializer,
    )
    def get(self, request: Request, section_id: int) -> Response:
        section = _section(request, section_id, "academics.view_evaluation_summary")
        return Response(s.EvaluationSummarySerializer(evaluation_summary(section)).data)


class TranscriptsView(APIView):
    @extend_schema(
        summary="My transcripts (registrar: ?student=)", responses=s.TranscriptOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        student_id = request.query_params.get("student")
        if student_id:
            require_perm(request, "academics.manage_transcripts")
            student = Student.objects.filter(pk=student_id).first()
        else:
            student = student_for_user(request.user)
        if student is None:
            raise NotFound()
        return Response(s.TranscriptOutputSerializer(transcripts_for_student(student), many=True).data)

    @extend_schema(
        summary="Issue an official transcript (PDF with verification code and QR)",
        request=s.TranscriptInputSerializer,
        responses={201: s.TranscriptOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = s.TranscriptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student_id = data.validated_data.get("student")
        student: Any = (
            Student.objects.select_related("person").filter(pk=student_id).first()
            if student_id
            else student_for_user(request.user)
        )
        if student is None:
            raise NotFound()
        require_perm(request, "academics.issue_transcript", student)
        try:
            transcript = transcript_issue(
                actor=request.user, student=student, language=data.validated_data["language"]
            )
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(s.TranscriptOutputSerializer(transcript).data, status=status.HTTP_201_CREATED)


class TranscriptPdfView(APIView):
    @extend_schema(summary="The transcript's PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> Any:
        transcript = Transcript.objects.select_related("student__person").filter(pk=pk).first()
        if transcript is None:
            raise NotFound()
        require_perm(request, "academics.view_transcript", transcript)
        if not transcript.pdf:
            raise Http404
        return FileResponse(
            transcript.pdf.open("rb"), content_type="application/pdf", filename=f"{transcript.code}.pdf"
        )


class TranscriptBatchesView(APIView):
    @extend_schema(
        summary="Queue transcripts for many students (registrar); runs in the background",
        request=s.BatchInputSerializer,
        responses={202: s.BatchOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "academics.manage_transcripts")
        data = s.BatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from shafa.institution.models import Program

        program_id = data.validated_data.get("program")
        try:
            batch = transcript_batch_create(
                actor=request.user,
                language=data.validated_data["language"],
                student_ids=data.validated_data.get("students"),
                program=get_object_or_404(Program, pk=program_id) if program_id else None,
            )
        except GradingRefused as refusal:
            return refusal_response(refusal)
        return Response(s.BatchOutputSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class TranscriptBatchView(APIView):
    @extend_schema(summary="A batch's progress", responses=s.BatchOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "academics.manage_transcripts")
        batch = TranscriptBatch.objects.filter(pk=pk).first()
        if batch is None:
            raise NotFound()
        return Response(s.BatchOutputSerializer(batch).data)


class VerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="Check a transcript by its verification code (anonymous)",
        responses={200: s.VerificationOutputSerializer, 404: s.VerificationOutputSerializer},
    )
    def get(self, request: Request, code: str) -> Response:
        transcript = transcript_get_by_code(code)
        if transcript is None:
            empty = {
                "valid": False,
                "code": code,
                "student_name": None,
                "student_number": None,
                "issued_at": None,
                "content_hash": None,
            }
            return Response(s.VerificationOutputSerializer(empty).data, status=status.HTTP_404_NOT_FOUND)
        person = transcript.student.person
        return Response(
            s.VerificationOutputSerializer(
                {
                    "valid": True,
                    "code": transcript.code,
                    "student_name": person.full_name,
                    "student_number": transcript.student.student_number,
                    "issued_at": transcript.issued_at,
                    "content_hash": transcript.content_hash,
                }
            ).data
        )
