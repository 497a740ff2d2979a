"""Clinical API serializers: one input and one output serializer per endpoint."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shafa.clinical.models import (
    Assignment,
    Block,
    ClinicalYear,
    Holiday,
    LearnerEnrollment,
    Offering,
    ReplanKind,
    RotationGroup,
    RotationPrecedence,
    RotationType,
    SiteAgreement,
    SolverRun,
    SwapRequest,
)
from shafa.core.api.fields import JalaliDateField, JalaliDisplayField
from shafa.institution.models import AcademicYear, ClinicalSite, Program


class BlockOutputSerializer(serializers.ModelSerializer):
    start_date_jalali = JalaliDisplayField(source="start_date")
    end_date_jalali = JalaliDisplayField(source="end_date")

    class Meta:
        model = Block
        fields = ["id", "number", "start_date", "end_date", "start_date_jalali", "end_date_jalali"]


class YearOutputSerializer(serializers.ModelSerializer):
    program = serializers.CharField(source="program.code")
    program_name_fa = serializers.CharField(source="program.name_fa")
    academic_year = serializers.CharField(source="academic_year.code")
    learner_count = serializers.IntegerField(read_only=True)
    block_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClinicalYear
        fields = [
            "id",
            "program",
            "program_name_fa",
            "academic_year",
            "max_rotations_per_site",
            "preference_opens_at",
            "preference_closes_at",
            "learner_count",
            "block_count",
        ]


class OfferingOutputSerializer(serializers.ModelSerializer):
    rotation = serializers.CharField(source="rotation.code")
    rotation_name_fa = serializers.CharField(source="rotation.name_fa")
    rotation_name_en = serializers.CharField(source="rotation.name_en")
    duration_blocks = serializers.IntegerField(source="rotation.duration_blocks")
    site = serializers.CharField(source="site.code")
    site_name_fa = serializers.CharField(source="site.name_fa")
    block_overrides = serializers.SerializerMethodField()

    class Meta:
        model = Offering
        fields = [
            "id",
            "rotation",
            "rotation_name_fa",
            "rotation_name_en",
            "duration_blocks",
            "site",
            "site_name_fa",
            "min_learners",
            "max_learners",
            "block_overrides",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_block_overrides(self, obj: Offering) -> list[dict[str, int]]:
        return [
            {"block": c.block.number, "min_learners": c.min_learners, "max_learners": c.max_learners}
            for c in obj.block_capacities.all()
        ]


class RunInputSerializer(serializers.Serializer):
    variant_label = serializers.CharField(max_length=80)
    seed = serializers.IntegerField(min_value=0, default=0)
    time_limit_seconds = serializers.IntegerField(min_value=1, max_value=3600, default=60)


class RunCreatedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    progress_url = serializers.CharField()


class ExplanationOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    params = serializers.DictField()
    text = serializers.CharField(help_text="The finding in the request's language.")


class RunOutputSerializer(serializers.ModelSerializer):
    explanations = serializers.SerializerMethodField()

    class Meta:
        model = SolverRun
        fields = [
            "id",
            "year",
            "kind",
            "variant_label",
            "seed",
            "time_limit_seconds",
            "status",
            "progress",
            "objective",
            "bound",
            "gap",
            "shortfall",
            "worst_satisfaction",
            "total_satisfaction",
            "seconds",
            "histogram",
            "explanations",
            "moved",
            "published",
            "published_at",
            "parent",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(ExplanationOutputSerializer(many=True))
    def get_explanations(self, obj: SolverRun) -> list[dict]:
        from shafa.clinical.selectors.runs import run_explanations

        return [
            {"code": e.get("code", ""), "params": e.get("params", {}), "text": e["text"]}
            for e in run_explanations(obj, self.context.get("book"))
        ]


class RunProgressOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SolverRun
        fields = ["id", "status", "progress", "published"]


class AssignmentOutputSerializer(serializers.ModelSerializer):
    learner = serializers.IntegerField(source="enrollment_id")
    student_number = serializers.CharField(source="enrollment.student.student_number")
    learner_name_fa = serializers.CharField(source="enrollment.student.person.full_name_fa")
    rotation = serializers.CharField(source="rotation.code")
    rotation_name_fa = serializers.CharField(source="rotation.name_fa")
    site = serializers.CharField(source="site.code")
    site_name_fa = serializers.CharField(source="site.name_fa")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "run",
            "learner",
            "student_number",
            "learner_name_fa",
            "rotation",
            "rotation_name_fa",
            "site",
            "site_name_fa",
            "start",
            "end",
            "is_manual",
        ]


class SwapRequestInputSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    wanted_start = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    wanted_site = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SwapRequestOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SwapRequest
        fields = [
            "id",
            "run",
            "enrollment",
            "assignment",
            "wanted_start",
            "wanted_site",
            "note",
            "status",
            "proposals",
            "created_at",
            "decided_at",
        ]


class SwapDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    proposal = serializers.IntegerField(min_value=0, default=0)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReplanInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReplanKind.choices)
    block = serializers.IntegerField(min_value=1, help_text="Block number (1-based).")
    offering = serializers.IntegerField(required=False, allow_null=True)
    new_capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    enrollment = serializers.IntegerField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    time_limit_seconds = serializers.IntegerField(min_value=1, max_value=3600, default=30)


class AgreementOutputSerializer(serializers.ModelSerializer):
    site = serializers.IntegerField(source="site_id")
    site_code = serializers.CharField(source="site.code")
    site_name_fa = serializers.CharField(source="site.name_fa")
    starts_on_jalali = JalaliDisplayField(source="starts_on")
    ends_on_jalali = JalaliDisplayField(source="ends_on")
    state = serializers.ChoiceField(
        choices=["future", "active", "ending", "ended"], help_text="ending: within the warning period"
    )
    rotations = serializers.SerializerMethodField()
    offering_count = serializers.IntegerField()

    class Meta:
        model = SiteAgreement
        fields = [
            "id",
            "site",
            "site_code",
            "site_name_fa",
            "reference",
            "starts_on",
            "ends_on",
            "starts_on_jalali",
            "ends_on_jalali",
            "state",
            "rotations",
            "default_capacity",
            "notes",
            "offering_count",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_rotations(self, obj: SiteAgreement) -> list[int]:
        return sorted(r.pk for r in obj.rotations.all())


class AgreementInputSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=ClinicalSite.objects.all())
    reference = serializers.CharField(max_length=40)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    rotations = serializers.PrimaryKeyRelatedField(
        queryset=RotationType.objects.all(), many=True, required=False
    )
    default_capacity = serializers.IntegerField(min_value=1, max_value=500)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class YearInputSerializer(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    academic_year = serializers.PrimaryKeyRelatedField(queryset=AcademicYear.objects.all())
    first_day = JalaliDateField()
    n_blocks = serializers.IntegerField()
    block_days = serializers.IntegerField()
    max_rotations_per_site = serializers.IntegerField(required=False, allow_null=True, default=None)
    official = serializers.BooleanField(required=False, default=True)


class HolidaySerializer(serializers.ModelSerializer):
    date = JalaliDateField()

    class Meta:
        model = Holiday
        fields = ["id", "date", "name_fa", "name_en"]
        read_only_fields = ["id"]
        extra_kwargs = {"name_en": {"required": False}}


class LearnerOutputSerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number")
    name = serializers.CharField(source="student.person.full_name")
    leave = serializers.SerializerMethodField()

    class Meta:
        model = LearnerEnrollment
        fields = ["id", "student_number", "name", "phase", "is_eligible", "eligibility_reason", "leave"]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_leave(self, obj: LearnerEnrollment) -> list[dict]:
        return [{"id": x.pk, "block": x.block.number, "reason": x.reason} for x in obj.leaves.all()]


class EnrolInputSerializer(serializers.Serializer):
    student_numbers = serializers.ListField(child=serializers.CharField(max_length=20), allow_empty=False)
    phase = serializers.CharField(max_length=30)


class EnrolOutputSerializer(serializers.Serializer):
    added = LearnerOutputSerializer(many=True)
    already = serializers.ListField(child=serializers.CharField())


class EligibilityInputSerializer(serializers.Serializer):
    is_eligible = serializers.BooleanField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LeaveInputSerializer(serializers.Serializer):
    block = serializers.IntegerField(min_value=1, help_text="The block's number (1-based).")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RotationGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = RotationGroup
        fields = ["id", "code", "name_fa", "name_en", "phase", "required_count"]
        read_only_fields = ["id"]
        extra_kwargs = {"name_en": {"required": False}, "code": {"validators": []}}


class RotationTypeSerializer(serializers.ModelSerializer):
    group = serializers.PrimaryKeyRelatedField(
        queryset=RotationGroup.objects.all(), required=False, allow_null=True, default=None
    )

    class Meta:
        model = RotationType
        fields = [
            "id",
            "code",
            "name_fa",
            "name_en",
            "phase",
            "duration_blocks",
            "group",
            "school_preference",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "name_en": {"required": False},
            "school_preference": {"required": False},
            "code": {"validators": []},
        }


class PrecedenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = RotationPrecedence
        fields = ["id", "before", "after"]
        read_only_fields = ["id"]
        validators: list = []  # the service says why (same program, no cycle, not twice)
