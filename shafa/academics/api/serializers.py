"""Input and output serializers of the academics API (one of each per endpoint)."""

from __future__ import annotations

from rest_framework import serializers

from shafa.academics.models import Course, Meeting, OverrideKind, RegistrarOverride, Registration, Section


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
    section = serializers.IntegerField()
    student = serializers.IntegerField(required=False, help_text="Registrar only: register this student.")


class RegisterOutputSerializer(serializers.Serializer):
    """The registration snapshot (replayed verbatim for a repeated Idempotency-Key)."""

    id = serializers.IntegerField()
    section = serializers.IntegerField()
    course = serializers.IntegerField()
    status = serializers.CharField(help_text="registered or waitlisted")
    credits = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)


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
