"""Read endpoints for the institution: every signed-in member of the university reads its structure.

The querysets below are simple reads with their joins decided once; they belong in
`shafa/institution/selectors.py` once that module settles (it is being written for the UI).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shafa.core.api.viewsets import ReadOnlyViewSet
from shafa.institution import models

from . import serializers as s


def _filter(qs: QuerySet, **filters: Any) -> QuerySet:
    return qs.filter(**{key: value for key, value in filters.items() if value not in (None, "")})


class UniversityView(APIView):
    @extend_schema(responses=s.UniversityOutputSerializer, tags=["institution"], summary="The university")
    def get(self, request: Request) -> Response:
        university = models.University.objects.order_by("id").first()
        if university is None:
            raise NotFound()
        return Response(s.UniversityOutputSerializer(university).data)


@extend_schema_view(list=extend_schema(parameters=[s.SchoolListInputSerializer]))
class SchoolViewSet(ReadOnlyViewSet):
    """Schools of the university (any signed-in user)."""

    serializer_class = s.SchoolOutputSerializer
    filter_input_serializer_class = s.SchoolListInputSerializer

    def get_queryset(self) -> QuerySet[models.School]:
        qs = models.School.objects.order_by("founded_jalali_year", "code", "id")
        return _filter(qs, kind=self.list_filters().get("kind"))


@extend_schema_view(list=extend_schema(parameters=[s.DepartmentListInputSerializer]))
class DepartmentViewSet(ReadOnlyViewSet):
    """Departments, with their school (any signed-in user)."""

    serializer_class = s.DepartmentOutputSerializer
    filter_input_serializer_class = s.DepartmentListInputSerializer

    def get_queryset(self) -> QuerySet[models.Department]:
        filters = self.list_filters()
        qs = models.Department.objects.select_related("school").order_by("school_id", "name_fa", "id")
        return _filter(qs, school_id=filters.get("school"), is_clinical=filters.get("is_clinical"))


@extend_schema_view(list=extend_schema(parameters=[s.ProgramListInputSerializer]))
class ProgramViewSet(ReadOnlyViewSet):
    """Degree programs with their phases (any signed-in user)."""

    serializer_class = s.ProgramOutputSerializer
    filter_input_serializer_class = s.ProgramListInputSerializer

    def get_queryset(self) -> QuerySet[models.Program]:
        filters = self.list_filters()
        qs = (
            models.Program.objects.select_related("school", "department")
            .prefetch_related(Prefetch("phases", queryset=models.ProgramPhase.objects.order_by("order")))
            .order_by("school_id", "code")
        )
        return _filter(
            qs,
            school_id=filters.get("school"),
            degree_level=filters.get("degree_level"),
            is_active=filters.get("is_active"),
        )


class AcademicYearViewSet(ReadOnlyViewSet):
    """Jalali academic years, newest first (any signed-in user)."""

    serializer_class = s.AcademicYearOutputSerializer
    queryset = models.AcademicYear.objects.order_by("-start_year")


@extend_schema_view(list=extend_schema(parameters=[s.TermListInputSerializer]))
class TermViewSet(ReadOnlyViewSet):
    """Terms with their Jalali codes (14041 = first term of 1404–1405), newest first."""

    serializer_class = s.TermOutputSerializer
    filter_input_serializer_class = s.TermListInputSerializer

    def get_queryset(self) -> QuerySet[models.Term]:
        filters = self.list_filters()
        qs = models.Term.objects.order_by("-code")
        return _filter(
            qs,
            academic_year_id=filters.get("academic_year"),
            academic_year__start_year=filters.get("jalali_year"),
        )


class CountyViewSet(ReadOnlyViewSet):
    """Counties where the university has campuses and clinical sites."""

    serializer_class = s.CountyOutputSerializer
    queryset = models.County.objects.order_by("province_fa", "name_fa", "id")


class CampusViewSet(ReadOnlyViewSet):
    """Campuses of the university."""

    serializer_class = s.CampusOutputSerializer
    queryset = models.Campus.objects.select_related("county").order_by("name_fa", "id")


@extend_schema_view(list=extend_schema(parameters=[s.ClinicalSiteListInputSerializer]))
class ClinicalSiteViewSet(ReadOnlyViewSet):
    """Hospitals, clinics, health centres and health houses where learners train."""

    serializer_class = s.ClinicalSiteOutputSerializer
    filter_input_serializer_class = s.ClinicalSiteListInputSerializer

    def get_queryset(self) -> QuerySet[models.ClinicalSite]:
        filters = self.list_filters()
        qs = models.ClinicalSite.objects.select_related("county").order_by("kind", "name_fa", "id")
        return _filter(
            qs,
            county_id=filters.get("county"),
            kind=filters.get("kind"),
            governance=filters.get("governance"),
            is_active=filters.get("is_active"),
        )
