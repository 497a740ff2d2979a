"""Serializers of the grades, appeals, standing, evaluation and transcript endpoints."""

from __future__ import annotations

from rest_framework import serializers

from shafa.academics.models import GradeAppeal, GradeSheet, Transcript, TranscriptBatch, TranscriptLanguage


class GradingRefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class RosterRowSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="pk")
    student_number = serializers.CharField(source="student.student_number")
    name = serializers.CharField(source="student.person.full_name")
    grade = serializers.SerializerMethodField()
    is_pass = serializers.SerializerMethodField()

    def get_grade(self, row) -> str | None:  # type: ignore[no-untyped-def]
        grade = row.grade_or_none
        return None if grade is None or grade.value is None else f"{grade.value:.2f}"

    def get_is_pass(self, row) -> bool | None:  # type: ignore[no-untyped-def]
        grade = row.grade_or_none
        return None if grade is None else grade.is_pass


class GradeSheetOutputSerializer(serializers.ModelSerializer):
    section = serializers.IntegerField(source="section_id")
    course = serializers.CharField(source="section.course.code")
    grading = serializers.CharField(source="section.course.grading")
    roster = serializers.SerializerMethodField()

    class Meta:
        model = GradeSheet
        fields = [
            "section",
            "course",
            "grading",
            "status",
            "entry_deadline",
            "submitted_at",
            "appeal_deadline",
            "finalised_at",
            "roster",
        ]

    def get_roster(self, sheet) -> list[dict]:  # type: ignore[no-untyped-def]
        return RosterRowSerializer(self.context["roster"], many=True).data  # type: ignore[return-value]


class GradeInputSerializer(serializers.Serializer):
    value = serializers.CharField(
        required=False, allow_blank=True, help_text="0–20 in steps of 0.25; any digits"
    )
    is_pass = serializers.BooleanField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required after submission"
    )


class GradeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration = serializers.IntegerField(source="registration_id")
    value = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    is_pass = serializers.BooleanField(allow_null=True)


class GradeSheetReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StudentGradeSerializer(serializers.Serializer):
    registration = serializers.IntegerField(source="registration.pk")
    section = serializers.IntegerField(source="registration.section_id")
    term = serializers.IntegerField(source="registration.term.code")
    course = serializers.CharField(source="registration.section.course.code")
    title_fa = serializers.CharField(source="registration.section.course.title_fa")
    title_en = serializers.CharField(source="registration.section.course.title_en")
    credits = serializers.DecimalField(source="registration.credits", max_digits=4, decimal_places=1)
    sheet_status = serializers.CharField()
    visible = serializers.BooleanField()
    needs_evaluation = serializers.BooleanField()
    may_appeal = serializers.BooleanField()
    grade_id = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    is_pass = serializers.SerializerMethodField()

    def get_grade_id(self, row) -> int | None:  # type: ignore[no-untyped-def]
        return row.grade.pk if row.grade is not None else None

    def get_grade(self, row) -> str | None:  # type: ignore[no-untyped-def]
        return None if row.grade is None or row.grade.value is None else f"{row.grade.value:.2f}"

    def get_is_pass(self, row) -> bool | None:  # type: ignore[no-untyped-def]
        return None if row.grade is None else row.grade.is_pass


class AppealInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class AppealAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()
    new_value = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    new_is_pass = serializers.BooleanField(required=False, allow_null=True, default=None)


class AppealOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = GradeAppeal
        fields = [
            "id",
            "grade",
            "text",
            "status",
            "created_at",
            "answer",
            "answered_at",
            "old_value",
            "new_value",
        ]


class TermStandingSerializer(serializers.Serializer):
    term_code = serializers.IntegerField()
    credits_taken = serializers.DecimalField(max_digits=5, decimal_places=1)
    gpa = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    on_probation = serializers.BooleanField()


class GraduationSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    missing_courses = serializers.SerializerMethodField()
    credits_passed = serializers.DecimalField(max_digits=6, decimal_places=1)
    credits_required = serializers.IntegerField()
    gpa_required = serializers.DecimalField(max_digits=4, decimal_places=2)

    def get_missing_courses(self, audit) -> list[str]:  # type: ignore[no-untyped-def]
        return [course.code for course in audit.missing_courses]


class StandingOutputSerializer(serializers.Serializer):
    terms = TermStandingSerializer(many=True)
    gpa = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    credits_passed = serializers.DecimalField(max_digits=6, decimal_places=1)
    probation_terms = serializers.IntegerField()
    terms_used = serializers.IntegerField()
    max_terms = serializers.IntegerField()
    over_max_duration = serializers.BooleanField()
    repeat_policy = serializers.CharField()
    graduation = GraduationSerializer()
    gates = serializers.DictField(child=serializers.BooleanField())


class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    text_fa = serializers.CharField()
    text_en = serializers.CharField()


class QuestionnaireOutputSerializer(serializers.Serializer):
    section = serializers.IntegerField()
    answered = serializers.BooleanField()
    questions = QuestionSerializer(many=True)


class EvaluationInputSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), help_text="question id → 1..5"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class QuestionSummarySerializer(serializers.Serializer):
    question = serializers.IntegerField(source="question.pk")
    text_fa = serializers.CharField(source="question.text_fa")
    mean = serializers.DecimalField(max_digits=4, decimal_places=2)
    answers = serializers.IntegerField()


class EvaluationSummarySerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    shown = serializers.BooleanField()
    overall = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    questions = QuestionSummarySerializer(many=True)


class TranscriptInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(required=False, help_text="Registrar only; a student issues their own")
    language = serializers.ChoiceField(choices=TranscriptLanguage.choices, default="fa")


class TranscriptOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Transcript
        fields = ["id", "student", "language", "code", "issued_at", "content_hash"]


class BatchInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=TranscriptLanguage.choices, default="fa")
    students = serializers.ListField(child=serializers.IntegerField(), required=False)
    program = serializers.IntegerField(required=False)


class BatchOutputSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True)

    class Meta:
        model = TranscriptBatch
        fields = [
            "id",
            "language",
            "status",
            "total",
            "done",
            "progress",
            "error",
            "created_at",
            "finished_at",
        ]


class VerificationOutputSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.CharField()
    student_name = serializers.CharField(allow_null=True)
    student_number = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    content_hash = serializers.CharField(allow_null=True)
