"""Academics endpoints: catalogue, sections, my registrations, register/drop/withdraw, waitlist, overrides.

Same rules and permissions as the UI: the views parse input and call the registration services;
refusals answer `{"code", "detail"}` with the reason in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.academics.models import Course, Registration, Section
from shafa.academics.selectors.registration import (
    course_list,
    override_list,
    registration_list,
    registration_term,
    section_list,
    student_for_user,
    waitlist_for_section,
)
from shafa.academics.selectors.registration_state import registration_subjects, registration_subjects_many
from shafa.academics.services.refusals import RegistrationRefused, refuse
from shafa.academics.services.registration import (
    override_grant,
    registration_create,
    registration_create_many,
    registration_drop,
    registration_withdraw,
)
from shafa.core.api.permissions import require_perm
from shafa.core.api.viewsets import ReadOnlyViewSet
from shafa.institution.models import Term
from shafa.people.models import Student

from . import serializers as s

REFUSAL = OpenApiResponse(s.RefusalSerializer, description="Refused by a rule; `detail` says why.")
OVERLOADED = OpenApiResponse(description="Registration is overloaded: retry after `Retry-After` seconds.")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat a submit with the same key: it registers once and answers the same response.",
)


def refusal_response(refusal: RegistrationRefused) -> Response:
    return Response(refusal.as_dict(), status=refusal.status_code)


def _term(code: int | None) -> Term:
    term = Term.objects.filter(code=code).first() if code else registration_term()
    if term is None:
        raise NotFound()
    return term


@extend_schema_view(
    list=extend_schema(parameters=[s.CourseListInputSerializer], summary="Courses of the catalogue"),
    retrieve=extend_schema(summary="A course with its prerequisites and corequisites"),
)
class CourseViewSet(ReadOnlyViewSet):
    """The course catalogue (every signed-in user)."""

    serializer_class = s.CourseOutputSerializer
    filter_input_serializer_class = s.CourseListInputSerializer

    def get_queryset(self) -> QuerySet[Course]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Course.objects.none()
        require_perm(self.request, "academics.view_catalog")
        return course_list(search=self.list_filters().get("search", ""))


@extend_schema_view(
    list=extend_schema(parameters=[s.SectionListInputSerializer], summary="Sections of a term"),
    retrieve=extend_schema(summary="A section with meetings, instructors and seats left"),
)
class SectionViewSet(ReadOnlyViewSet):
    """Sections with meeting times and seats left (every signed-in user)."""

    serializer_class = s.SectionOutputSerializer
    filter_input_serializer_class = s.SectionListInputSerializer

    def get_queryset(self) -> QuerySet[Section]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Section.objects.none()
        require_perm(self.request, "academics.view_catalog")
        filters = self.list_filters()
        if self.action != "list":
            return Section.objects.select_related("course", "term").prefetch_related(
                "meetings", "instructors__person"
            )
        course = filters.get("course")
        return section_list(
            term=_term(filters.get("term")),
            course_ids=[course] if course else None,
            search=filters.get("search", ""),
        )

    @extend_schema(
        summary="The section's waitlist in FIFO order (registrar)",
        responses=s.WaitlistEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def waitlist(self, request: Request, pk: str | None = None) -> Response:
        require_perm(request, "academics.manage_registration")
        section = self.get_object()
        entries = list(waitlist_for_section(section))
        for position, entry in enumerate(entries, start=1):
            entry.position = position  # type: ignore[attr-defined]
        return Response(s.WaitlistEntrySerializer(entries, many=True).data)


class RegistrationsView(APIView):
    """My registrations (a registrar may ask for a student's); POST registers."""

    @extend_schema(
        summary="My registrations (registrar: ?student=)",
        parameters=[s.RegistrationListInputSerializer],
        responses=s.RegistrationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        params = s.RegistrationListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        student_id = params.validated_data.get("student")
        if student_id is not None:
            require_perm(request, "academics.manage_registration")
            student = Student.objects.filter(pk=student_id).first()
        else:
            require_perm(request, "academics.register")
            student = student_for_user(request.user)
        if student is None:
            raise NotFound()
        term_code = params.validated_data.get("term")
        term = Term.objects.filter(code=term_code).first() if term_code else None
        registrations = registration_list(
            student=student, term=term, active_only=params.validated_data.get("active", False)
        )
        return Response(s.RegistrationOutputSerializer(registrations, many=True).data)

    @extend_schema(
        summary="Register for a section, or for several in one submit (waitlisted when full)",
        description=(
            "`section`: one section; the answer is its snapshot (201 registered, 202 waitlisted) or a "
            "refusal. `sections`: a registration form of up to 12 sections, judged in order in one "
            "transaction; the answer (200) lists each section's outcome, refused ones with their reason."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=s.RegisterInputSerializer,
        responses={
            200: OpenApiResponse(
                s.RegisterBatchOutputSerializer, description="A batch: each section's outcome."
            ),
            201: OpenApiResponse(s.RegisterOutputSerializer, description="Registered."),
            202: OpenApiResponse(s.RegisterOutputSerializer, description="Section full: waitlisted."),
            404: REFUSAL,
            409: REFUSAL,
            422: REFUSAL,
            429: OVERLOADED,
        },
    )
    def post(self, request: Request) -> Response:
        data = s.RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        by_registrar = "student" in data.validated_data
        if by_registrar:
            require_perm(request, "academics.manage_registration")
            student = (
                Student.objects.select_related("program", "entry_term")
                .filter(pk=data.validated_data["student"])
                .first()
            )
        else:
            require_perm(request, "academics.register")
        key = request.headers.get("Idempotency-Key", "")[:100]
        try:
            if "sections" in data.validated_data:
                ids = data.validated_data["sections"]
                found, sections = registration_subjects_many(request.user, ids)
                student = student if by_registrar else found
                if student is None:
                    raise refuse("not_a_student")
                batch = registration_create_many(
                    student=student,
                    section_ids=ids,
                    sections=sections,
                    actor=request.user,
                    idempotency_key=key,
                    by_registrar=by_registrar,
                )
                return _replayed(Response(batch.response, status=status.HTTP_200_OK), batch.replayed)
            if by_registrar:
                section = (
                    Section.objects.select_related("course", "term")
                    .filter(pk=data.validated_data["section"])
                    .first()
                )
            else:
                student, section = registration_subjects(request.user, data.validated_data["section"])
            if student is None:
                raise refuse("not_a_student")
            if section is None:
                raise refuse("not_found")
            outcome = registration_create(
                student=student,
                section=section,
                actor=request.user,
                idempotency_key=key,
                by_registrar=by_registrar,
            )
        except RegistrationRefused as refusal:
            return refusal_response(refusal)
        return _replayed(Response(outcome.response, status=outcome.status_code), outcome.replayed)


def _replayed(response: Response, replayed: bool) -> Response:
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _registration_for_change(request: Request, pk: int) -> Registration:
    registration = (
        Registration.objects.select_related(
            "student__person", "student__program", "student__entry_term", "section", "term"
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None or not request.user.has_perm("academics.view_registration", registration):
        raise NotFound()
    require_perm(request, "academics.change_registration", registration)
    return registration


def _end_registration(request: Request, pk: int, service: Any) -> Response:
    """Drop or withdraw: the same permission, reason and refusal handling, another service."""
    registration = _registration_for_change(request, pk)
    by_registrar = request.user.has_perm("academics.manage_registration")
    reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
    try:
        registration = service(
            registration=registration, actor=request.user, by_registrar=by_registrar, reason=reason
        )
    except RegistrationRefused as refusal:
        return refusal_response(refusal)
    prefetch_related_objects([registration], "section__meetings", "section__instructors__person")
    return Response(s.RegistrationOutputSerializer(registration).data)


class RegistrationDropView(APIView):
    @extend_schema(
        summary="Drop a registration or leave a waitlist (a freed seat promotes the waitlist)",
        request=s.ReasonInputSerializer,
        responses={200: s.RegistrationOutputSerializer, 404: REFUSAL, 409: REFUSAL, 429: OVERLOADED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _end_registration(request, pk, registration_drop)


class RegistrationWithdrawView(APIView):
    @extend_schema(
        summary="Emergency withdrawal (once per term, keeping the minimum credits)",
        request=s.ReasonInputSerializer,
        responses={200: s.RegistrationOutputSerializer, 404: REFUSAL, 409: REFUSAL, 429: OVERLOADED},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _end_registration(request, pk, registration_withdraw)


class WaitlistView(APIView):
    @extend_schema(
        summary="My waitlisted registrations with FIFO positions",
        responses=s.RegistrationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "academics.register")
        student = student_for_user(request.user)
        if student is None:
            raise NotFound()
        waiting = registration_list(student=student).filter(status="waitlisted")
        return Response(s.RegistrationOutputSerializer(waiting, many=True).data)


class OverridesView(APIView):
    """Registrar overrides: each one exception to one rule for one student, with a reason."""

    @extend_schema(
        summary="Registrar overrides of a term (registrar)",
        parameters=[OpenApiParameter("term", int, description="Term code (default: the open term).")],
        responses=s.OverrideOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        require_perm(request, "academics.manage_registration")
        code = request.query_params.get("term")
        term = _term(int(code) if code and code.isdigit() else None)
        return Response(s.OverrideOutputSerializer(override_list(term=term), many=True).data)

    @extend_schema(
        summary="Grant an override (registrar; audited with its reason)",
        request=s.OverrideInputSerializer,
        responses={201: s.OverrideOutputSerializer, 400: REFUSAL, 404: REFUSAL},
    )
    def post(self, request: Request) -> Response:
        require_perm(request, "academics.manage_registration")
        data = s.OverrideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        term = _term(values["term"])
        student = Student.objects.select_related("program").filter(pk=values["student"]).first()
        section = (
            Section.objects.filter(pk=values["section"], term=term).first() if values.get("section") else None
        )
        if student is None or (values.get("section") and section is None):
            raise NotFound()
        try:
            override = override_grant(
                actor=request.user,
                student=student,
                term=term,
                kind=values["kind"],
                reason=values["reason"],
                section=section,
                max_credits=values.get("max_credits"),
            )
        except RegistrationRefused as refusal:
            return Response(refusal.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(s.OverrideOutputSerializer(override).data, status=status.HTTP_201_CREATED)
