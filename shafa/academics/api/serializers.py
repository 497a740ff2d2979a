"""Input and output serializers of the academics API (one of each per endpoint)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shafa.academics.models import Course, Meeting, OverrideKind, RegistrarOverride, Registration, Section
from shafa.academics.services.registration import MAX_BATCH


class PrerequisiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "code", "title_fa", "title_en"]


class CourseOutputSerializer(serializers.ModelSerializer):
    credits = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True)
    prerequisites = PrerequisiteSerializer(many=True, read_only=True)
    corequisites = PrerequisiteSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title_fa",
            "title_en",
            "course_type",
            "grading",
            "theoretical_credits",
            "practical_credits",
            "clinical_credits",
            "internship_credits",
            "credits",
            "prerequisites",
            "corequisites",
        ]


class CourseListInputSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["weekday", "start_time", "end_time", "weeks", "room"]


class SectionOutputSerializer(serializers.ModelSerializer):
    course = PrerequisiteSerializer(read_only=True)
    credits = serializers.DecimalField(
        source="course.credits", max_digits=4, decimal_places=1, read_only=True
    )
    term = serializers.IntegerField(source="term.code", read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    instructors = serializers.SerializerMethodField()
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Section
        fields = [
            "id",
            "term",
            "course",
            "number",
            "credits",
            "capacity",
            "seats_taken",
            "seats_left",
            "is_open",
            "exam_at",
            "meetings",
            "instructors",
        ]

    def get_instructors(self, section: Section) -> list[str]:
        return [str(member.person) for member in section.instructors.all()]


class SectionListInputSerializer(serializers.Serializer):
    term = serializers.IntegerField(
        required=False, help_text="Term code, e.g. 14041 (default: the open term)."
    )
    course = serializers.IntegerField(required=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)


class RegistrationOutputSerializer(serializers.ModelSerializer):
    section = SectionOutputSerializer(read_only=True)
    term = serializers.IntegerField(source="term.code", read_only=True)
    waitlist_position = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "term",
            "section",
            "status",
            "credits",
            "registered_at",
            "queued_at",
            "waitlist_position",
        ]

    def get_waitlist_position(self, registration: Registration) -> int | None:
        from shafa.academics.services.registration import waitlist_position

        return waitlist_position(registration)


class RegistrationListInputSerializer(serializers.Serializer):
    term = serializers.IntegerField(required=False)
    student = serializers.IntegerField(required=False, help_text="Registrar only: another student's id.")
    active = serializers.BooleanField(required=False, default=False)


class RegisterInputSerializer(serializers.Serializer):
    section = serializers.IntegerField(required=False, help_text="One section (the answer is its snapshot).")
    sections = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        min_length=1,
        max_length=MAX_BATCH,
        help_text="Several sections in one submit, judged in this order (the answer lists each outcome).",
    )
    student = serializers.IntegerField(required=False, help_text="Registrar only: register this student.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("section" in attrs) == ("sections" in attrs):
            raise serializers.ValidationError(_("Give either one section or a list of sections."))
        if "sections" in attrs and len(set(attrs["sections"])) != len(attrs["sections"]):
            raise serializers.ValidationError({"sections": [_("Each section may be named only once.")]})
        return attrs


class RegisterOutputSerializer(serializers.Serializer):
    """The registration snapshot (replayed verbatim for a repeated Idempotency-Key)."""

    id = serializers.IntegerField()
    section = serializers.IntegerField()
    course = serializers.IntegerField()
    status = serializers.CharField(help_text="registered or waitlisted")
    credits = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)


class RegisterResultSerializer(serializers.Serializer):
    """One section's outcome in a batch: its snapshot, or `refused` with the code and the reason."""

    section = serializers.IntegerField()
    status = serializers.CharField(help_text="registered, waitlisted or refused")
    id = serializers.IntegerField(required=False)
    course = serializers.IntegerField(required=False)
    credits = serializers.CharField(required=False)
    waitlist_position = serializers.IntegerField(allow_null=True, required=False)
    code = serializers.CharField(required=False, help_text="When refused: the rule's code.")
    detail = serializers.CharField(required=False, help_text="When refused: why, in the request's language.")


class RegisterBatchOutputSerializer(serializers.Serializer):
    results = RegisterResultSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine code, e.g. credit_cap, time_clash, section_full.")
    detail = serializers.CharField(help_text="Why, in the request's language.")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class WaitlistEntrySerializer(serializers.ModelSerializer):
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    name = serializers.CharField(source="student.person.full_name", read_only=True)
    position = serializers.IntegerField(read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "position", "student_number", "name", "queued_at"]


class OverrideOutputSerializer(serializers.ModelSerializer):
    term = serializers.IntegerField(source="term.code", read_only=True)
    granted_by = serializers.CharField(source="granted_by.username", read_only=True)

    class Meta:
        model = RegistrarOverride
        fields = [
            "id",
            "term",
            "student",
            "kind",
            "section",
            "max_credits",
            "reason",
            "granted_by",
            "created_at",
        ]


class OverrideInputSerializer(serializers.Serializer):
    term = serializers.IntegerField(help_text="Term code, e.g. 14041.")
    student = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=OverrideKind.choices)
    section = serializers.IntegerField(required=False)
    max_credits = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    reason = serializers.CharField(max_length=1000)
