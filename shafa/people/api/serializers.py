"""People records as the API shows them. The national code appears only where the rules allow."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shafa.core.api.fields import JalaliDateField, JalaliDisplayField, date_from_iso_or_jalali
from shafa.institution.api.serializers import (
    ClinicalSiteRefOutputSerializer,
    DepartmentRefOutputSerializer,
    ProgramRefOutputSerializer,
)
from shafa.institution.models import Program, Term
from shafa.people.access import may_see_national_code
from shafa.people.models import FacultyMember, Person, Preceptor, Sex, Student, StudentStatus


# --- Persons ----------------------------------------------------------------------------------
class PersonPublicOutputSerializer(serializers.ModelSerializer):
    """What any member of the university may read about a colleague: the name."""

    full_name_fa = serializers.CharField()
    full_name_en = serializers.CharField()

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name_fa",
            "last_name_fa",
            "first_name_en",
            "last_name_en",
            "full_name_fa",
            "full_name_en",
        ]


class PersonOutputSerializer(PersonPublicOutputSerializer):
    """A person's record for those who may see it; `national_code` only for roles that need it."""

    sex_display = serializers.CharField(source="get_sex_display")
    birth_date_jalali = JalaliDisplayField(source="birth_date")
    # Not read-only on purpose: the schema then marks it optional, as it is (omitted when hidden).
    national_code = serializers.CharField(
        required=False, help_text="Present only for roles allowed to see it."
    )

    class Meta:
        model = Person
        fields = [
            *PersonPublicOutputSerializer.Meta.fields,
            "sex",
            "sex_display",
            "birth_date",
            "birth_date_jalali",
            "email",
            "mobile",
            "national_code",
        ]

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not may_see_national_code(getattr(request, "user", None), instance):
            data.pop("national_code", None)
        return data


# --- Students ---------------------------------------------------------------------------------
class TermRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "code"]


class FacultyRefOutputSerializer(serializers.ModelSerializer):
    person = PersonPublicOutputSerializer()

    class Meta:
        model = FacultyMember
        fields = ["id", "rank", "person"]


class StudentListInputSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Part of a name (Persian or English) or the start of a student number.",
    )
    program = serializers.IntegerField(required=False, min_value=1, help_text="program id")
    status = serializers.ChoiceField(choices=StudentStatus.choices, required=False)


class StudentOutputSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    program = ProgramRefOutputSerializer()
    entry_term = TermRefOutputSerializer()
    advisor = FacultyRefOutputSerializer(allow_null=True)
    person = PersonOutputSerializer()

    class Meta:
        model = Student
        fields = [
            "id",
            "student_number",
            "status",
            "status_display",
            "native_quota",
            "program",
            "entry_term",
            "advisor",
            "person",
        ]


class StudentCreateInputSerializer(serializers.Serializer):
    student_number = serializers.CharField(max_length=20)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    entry_term = serializers.SlugRelatedField(
        slug_field="code", queryset=Term.objects.all(), help_text="term code, e.g. 14041"
    )
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=FacultyMember.objects.all(), required=False, allow_null=True
    )
    native_quota = serializers.BooleanField(required=False, default=False)
    national_code = serializers.CharField(max_length=20, help_text="10 digits, any digit script")
    first_name_fa = serializers.CharField(max_length=100)
    last_name_fa = serializers.CharField(max_length=100)
    first_name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    last_name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(required=False, help_text="ISO Gregorian; or give birth_date_jalali")
    birth_date_jalali = JalaliDateField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=15, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return date_from_iso_or_jalali(attrs, "birth_date")


class StudentUpdateInputSerializer(serializers.Serializer):
    """Every field but `reason` is optional; `reason` is required even though the method is PATCH."""

    # DRF and drf-spectacular mark a PATCH body `partial`, which would make `reason` optional.
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    status = serializers.ChoiceField(choices=StudentStatus.choices, required=False)
    native_quota = serializers.BooleanField(required=False, allow_null=True, default=None)
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=FacultyMember.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(
        max_length=500, help_text="Why the record changes; kept in the audit trail."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("native_quota") is None:
            attrs.pop("native_quota", None)
        return attrs


# --- Faculty and preceptors -------------------------------------------------------------------
class FacultyListInputSerializer(serializers.Serializer):
    department = serializers.IntegerField(required=False, min_value=1, help_text="department id")


class FacultyOutputSerializer(serializers.ModelSerializer):
    rank_display = serializers.CharField(source="get_rank_display")
    department = DepartmentRefOutputSerializer()
    person = PersonPublicOutputSerializer()

    class Meta:
        model = FacultyMember
        fields = ["id", "rank", "rank_display", "department", "orcid", "is_active", "person"]


class PreceptorListInputSerializer(serializers.Serializer):
    site = serializers.IntegerField(required=False, min_value=1, help_text="clinical site id")


class PreceptorOutputSerializer(serializers.ModelSerializer):
    person = PersonPublicOutputSerializer()
    site = ClinicalSiteRefOutputSerializer()
    faculty = serializers.IntegerField(source="faculty_id", allow_null=True, help_text="faculty member id")

    class Meta:
        model = Preceptor
        fields = [
            "id",
            "person",
            "site",
            "faculty",
            "specialty_fa",
            "specialty_en",
            "is_university_employee",
            "is_active",
        ]


# --- The current user -------------------------------------------------------------------------
class MeStudentOutputSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    program = ProgramRefOutputSerializer()
    entry_term = TermRefOutputSerializer()

    class Meta:
        model = Student
        fields = ["id", "student_number", "status", "status_display", "program", "entry_term"]


class MeFacultyOutputSerializer(serializers.ModelSerializer):
    rank_display = serializers.CharField(source="get_rank_display")
    department = DepartmentRefOutputSerializer()

    class Meta:
        model = FacultyMember
        fields = ["id", "employee_number", "rank", "rank_display", "department", "orcid"]


class MePreceptorshipOutputSerializer(serializers.ModelSerializer):
    site = ClinicalSiteRefOutputSerializer()

    class Meta:
        model = Preceptor
        fields = ["id", "site", "specialty_fa", "specialty_en", "is_active"]


class MeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    preferred_language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), help_text="role codes, e.g. registrar")
    primary_role = serializers.CharField(allow_null=True)
    person = PersonOutputSerializer(allow_null=True)
    student = MeStudentOutputSerializer(allow_null=True)
    faculty = MeFacultyOutputSerializer(allow_null=True)
    preceptorships = MePreceptorshipOutputSerializer(many=True)
