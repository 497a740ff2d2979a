"""People endpoints: the same scopes as the UI (shafa.people.access) through the people selectors."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.accounts.models import User
from shafa.core.api.permissions import require_perm
from shafa.core.api.viewsets import ReadOnlyViewSet
from shafa.people.models import FacultyMember, Preceptor, Student
from shafa.people.selectors.staff import (
    faculty_list_visible_to,
    faculty_of_user,
    preceptor_list_visible_to,
)
from shafa.people.selectors.students import (
    student_get_visible_to,
    student_list_visible_to,
    student_of_user,
)
from shafa.people.services.persons import student_create, student_update

from . import serializers as s

_BAD_INPUT = OpenApiResponse(description="Field errors, in the request's language.")


def _renamed(exc: DjangoValidationError, old: str, new: str) -> DjangoValidationError:
    """Report a service's error on `old` under the field the client actually sent (`new`)."""
    if not hasattr(exc, "error_dict") or old not in exc.error_dict:
        return exc
    errors = dict(exc.error_dict)
    errors[new] = errors.pop(old)
    return DjangoValidationError(errors)


@extend_schema_view(
    list=extend_schema(parameters=[s.StudentListInputSerializer], summary="Students the user may see"),
    retrieve=extend_schema(summary="A student (404 when not visible to the user)"),
)
class StudentViewSet(ReadOnlyViewSet):
    """Students: a student sees only themself, a faculty member their advisees (and the
    learners the clinical scopes add), the offices everyone. Others' records answer 404."""

    serializer_class = s.StudentOutputSerializer
    filter_input_serializer_class = s.StudentListInputSerializer

    def get_queryset(self) -> QuerySet[Student]:
        filters = self.list_filters()
        return student_list_visible_to(
            self.request.user,
            search=filters.get("search", ""),
            program_id=filters.get("program"),
            status=filters.get("status", ""),
        )

    def get_object(self) -> Student:
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise NotFound() from None
        student = student_get_visible_to(self.request.user, pk)
        if student is None:
            raise NotFound()
        return student

    @extend_schema(
        summary="Admit a student (registrar, administrator)",
        request=s.StudentCreateInputSerializer,
        responses={201: s.StudentOutputSerializer, 400: _BAD_INPUT},
    )
    def create(self, request: Request) -> Response:
        require_perm(request, "people.add_student")
        serializer = s.StudentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            student = student_create(**serializer.validated_data)
        except DjangoValidationError as exc:
            if "birth_date_jalali" in request.data and "birth_date" not in request.data:
                raise _renamed(exc, "birth_date", "birth_date_jalali") from exc
            raise
        student = student_get_visible_to(request.user, student.pk) or student
        return Response(self.get_serializer(student).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a student's status, advisor or quota, with a reason (registrar, administrator)",
        request=s.StudentUpdateInputSerializer,
        responses={200: s.StudentOutputSerializer, 400: _BAD_INPUT},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        student = self.get_object()
        require_perm(request, "people.change_student", student)
        serializer = s.StudentUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        student_update(student=student, reason=reason, **changes)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(list=extend_schema(parameters=[s.FacultyListInputSerializer]))
class FacultyViewSet(ReadOnlyViewSet):
    """Faculty members (any signed-in user; names only, no personal details)."""

    serializer_class = s.FacultyOutputSerializer
    filter_input_serializer_class = s.FacultyListInputSerializer

    def get_queryset(self) -> QuerySet[FacultyMember]:
        return faculty_list_visible_to(self.request.user, department_id=self.list_filters().get("department"))


@extend_schema_view(list=extend_schema(parameters=[s.PreceptorListInputSerializer]))
class PreceptorViewSet(ReadOnlyViewSet):
    """Preceptors: the offices see all, a preceptor those at their own sites, others none."""

    serializer_class = s.PreceptorOutputSerializer
    filter_input_serializer_class = s.PreceptorListInputSerializer

    def get_queryset(self) -> QuerySet[Preceptor]:
        return preceptor_list_visible_to(self.request.user, site_id=self.list_filters().get("site"))


class MeView(APIView):
    @extend_schema(
        responses=s.MeOutputSerializer, summary="The signed-in user, their roles and records", tags=["me"]
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated (the default) let only users in
        student = student_of_user(user)
        faculty = faculty_of_user(user)
        person = (student.person if student else None) or (faculty.person if faculty else None)
        if person is None:
            try:
                person = user.person
            except ObjectDoesNotExist:
                person = None
        me = {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "roles": sorted(user.role_set | ({"administrator"} if user.is_superuser else set())),
            "primary_role": user.primary_role(),
            "person": person,
            "student": student,
            "faculty": faculty,
            "preceptorships": list(preceptor_list_visible_to(user).filter(person__user=user)),
        }
        return Response(s.MeOutputSerializer(me, context={"request": request}).data)
