"""Institution records as the API shows them: bilingual names, Jalali twins of dates."""

from __future__ import annotations

from rest_framework import serializers

from shafa.core.api.fields import JalaliDisplayField
from shafa.institution import models


# --- Short references embedded in other records -----------------------------------------------
class CountyRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.County
        fields = ["id", "name_fa", "name_en"]


class SchoolRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.School
        fields = ["id", "code", "name_fa", "name_en"]


class DepartmentRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Department
        fields = ["id", "code", "name_fa", "name_en"]


class ProgramRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Program
        fields = ["id", "code", "name_fa", "name_en", "degree_level"]


class ClinicalSiteRefOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ClinicalSite
        fields = ["id", "code", "name_fa", "name_en"]


# --- University -------------------------------------------------------------------------------
class UniversityOutputSerializer(serializers.ModelSerializer):
    founded_on_jalali = JalaliDisplayField(source="founded_on")

    class Meta:
        model = models.University
        fields = [
            "id",
            "code",
            "name_fa",
            "name_en",
            "founded_on",
            "founded_on_jalali",
            "city_fa",
            "city_en",
            "province_fa",
            "province_en",
            "website",
            "is_demo",
        ]


# --- Schools and departments ------------------------------------------------------------------
class SchoolListInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=models.SchoolKind.choices, required=False)


class SchoolOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = models.School
        fields = ["id", "code", "name_fa", "name_en", "kind", "kind_display", "founded_jalali_year"]


class DepartmentListInputSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False, min_value=1)
    is_clinical = serializers.BooleanField(required=False, allow_null=True, default=None)


class DepartmentOutputSerializer(serializers.ModelSerializer):
    school = SchoolRefOutputSerializer()

    class Meta:
        model = models.Department
        fields = ["id", "code", "name_fa", "name_en", "is_clinical", "school"]


# --- Programs and their phases ----------------------------------------------------------------
class ProgramListInputSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False, min_value=1)
    degree_level = serializers.ChoiceField(choices=models.DegreeLevel.choices, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProgramPhaseOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = models.ProgramPhase
        fields = ["order", "kind", "kind_display", "duration_terms"]


class ProgramOutputSerializer(serializers.ModelSerializer):
    school = SchoolRefOutputSerializer()
    department = DepartmentRefOutputSerializer(allow_null=True)
    degree_level_display = serializers.CharField(source="get_degree_level_display")
    phases = ProgramPhaseOutputSerializer(many=True)

    class Meta:
        model = models.Program
        fields = [
            "id",
            "code",
            "name_fa",
            "name_en",
            "school",
            "department",
            "degree_level",
            "degree_level_display",
            "degree_title_en",
            "duration_terms",
            "max_duration_terms",
            "credits_required",
            "is_active",
            "phases",
        ]


# --- Calendar ---------------------------------------------------------------------------------
class AcademicYearOutputSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="e.g. 1404-1405")
    start_date_jalali = JalaliDisplayField(source="start_date")
    end_date_jalali = JalaliDisplayField(source="end_date")

    class Meta:
        model = models.AcademicYear
        fields = [
            "id",
            "start_year",
            "code",
            "start_date",
            "start_date_jalali",
            "end_date",
            "end_date_jalali",
        ]


class TermListInputSerializer(serializers.Serializer):
    academic_year = serializers.IntegerField(required=False, min_value=1, help_text="academic year id")
    jalali_year = serializers.IntegerField(
        required=False,
        min_value=1300,
        max_value=1999,
        help_text="first Jalali year of the academic year, e.g. 1404",
    )


class TermOutputSerializer(serializers.ModelSerializer):
    number_display = serializers.CharField(source="get_number_display")
    jalali_year = serializers.IntegerField()
    start_date_jalali = JalaliDisplayField(source="start_date")
    end_date_jalali = JalaliDisplayField(source="end_date")

    class Meta:
        model = models.Term
        fields = [
            "id",
            "code",
            "jalali_year",
            "number",
            "number_display",
            "academic_year",
            "start_date",
            "start_date_jalali",
            "end_date",
            "end_date_jalali",
        ]


# --- Places -----------------------------------------------------------------------------------
class CountyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.County
        fields = ["id", "name_fa", "name_en", "province_fa", "province_en"]


class CampusOutputSerializer(serializers.ModelSerializer):
    county = CountyRefOutputSerializer()

    class Meta:
        model = models.Campus
        fields = ["id", "name_fa", "name_en", "county", "address"]


class ClinicalSiteListInputSerializer(serializers.Serializer):
    county = serializers.IntegerField(required=False, min_value=1, help_text="county id")
    kind = serializers.ChoiceField(choices=models.SiteKind.choices, required=False)
    governance = serializers.ChoiceField(choices=models.SiteGovernance.choices, required=False)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)


class ClinicalSiteOutputSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    governance_display = serializers.CharField(source="get_governance_display")
    county = CountyRefOutputSerializer()

    class Meta:
        model = models.ClinicalSite
        fields = [
            "id",
            "code",
            "name_fa",
            "name_en",
            "kind",
            "kind_display",
            "governance",
            "governance_display",
            "county",
            "is_urban",
            "beds",
            "is_active",
        ]
