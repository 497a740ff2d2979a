"""Admin for academics: reference data is editable; rows the services own are shown read-only.

Registrations, grades, sheets and seats change through the services (which hold the rules and
the counters), so their admins only show. Evaluation anonymity: `EvaluationResponse` is not
registered at all (a section's responses, listed one by one, could be matched with its few
receipts below the reporting threshold), and `EvaluationAnswer` shows only question and score,
with no response, section or time, so nothing here links an answer to a student.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from . import models
from .services.registration import policy_save


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows written by the services (audit-like, counters, receipts); never edits them."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


# Courses and curricula ---------------------------------------------------------------------------
class PrerequisiteInline(admin.TabularInline):
    model = models.CoursePrerequisite
    fk_name = "course"
    raw_id_fields = ("required_course",)
    extra = 0


class CorequisiteInline(admin.TabularInline):
    model = models.CourseCorequisite
    fk_name = "course"
    raw_id_fields = ("corequisite",)
    extra = 0


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "title_fa",
        "title_en",
        "course_type",
        "grading",
        "theoretical_credits",
        "practical_credits",
        "clinical_credits",
        "internship_credits",
        "is_active",
    )
    list_filter = ("course_type", "grading", "is_active")
    search_fields = ("code", "title_fa", "title_en")
    list_select_related = ("department",)
    inlines = [PrerequisiteInline, CorequisiteInline]


@admin.register(models.CoursePrerequisite)
class CoursePrerequisiteAdmin(admin.ModelAdmin):
    list_display = ("course", "required_course")
    list_select_related = ("course", "required_course")
    raw_id_fields = ("course", "required_course")
    search_fields = ("course__code", "required_course__code")


@admin.register(models.CourseCorequisite)
class CourseCorequisiteAdmin(admin.ModelAdmin):
    list_display = ("course", "corequisite")
    list_select_related = ("course", "corequisite")
    raw_id_fields = ("course", "corequisite")
    search_fields = ("course__code", "corequisite__code")


class CurriculumItemInline(admin.TabularInline):
    model = models.CurriculumItem
    raw_id_fields = ("course",)
    extra = 0


@admin.register(models.Curriculum)
class CurriculumAdmin(admin.ModelAdmin):
    list_display = ("code", "title_fa", "program", "approved_jalali_year", "is_active")
    list_filter = ("is_active", "program")
    search_fields = ("code", "title_fa", "title_en")
    list_select_related = ("program",)
    inlines = [CurriculumItemInline]


@admin.register(models.CurriculumItem)
class CurriculumItemAdmin(admin.ModelAdmin):
    list_display = ("curriculum", "course", "recommended_term", "is_mandatory")
    list_filter = ("curriculum", "recommended_term", "is_mandatory")
    search_fields = ("course__code", "course__title_fa")
    list_select_related = ("curriculum", "course")
    raw_id_fields = ("course",)


# Sections ----------------------------------------------------------------------------------------
class MeetingInline(admin.TabularInline):
    model = models.Meeting
    extra = 0


@admin.register(models.Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("course", "number", "term", "capacity", "seats_taken", "exam_at", "is_open")
    list_filter = ("is_open", "term")
    search_fields = ("course__code", "course__title_fa")
    list_select_related = ("course", "term")
    raw_id_fields = ("course", "instructors")
    readonly_fields = ("seats_taken",)  # the registration services' conditional UPDATEs own it
    inlines = [MeetingInline]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("section", "weekday", "start_time", "end_time", "weeks", "room")
    list_filter = ("weekday", "weeks")
    list_select_related = ("section__course", "section__term")
    raw_id_fields = ("section",)


# Registration ------------------------------------------------------------------------------------
@admin.register(models.RegistrationWindow)
class RegistrationWindowAdmin(admin.ModelAdmin):
    list_display = ("term", "phase", "program", "entry_year", "opens_at", "closes_at", "uses_time_slots")
    list_filter = ("phase", "term")
    list_select_related = ("term", "program")


@admin.register(models.StudentTimeSlot)
class StudentTimeSlotAdmin(admin.ModelAdmin):
    list_display = ("window", "student", "opens_at", "closes_at")
    list_select_related = ("window__term", "window__program", "student__person")
    raw_id_fields = ("window", "student")
    search_fields = ("student__student_number",)


@admin.register(models.PreliminaryChoice)
class PreliminaryChoiceAdmin(ReadOnlyAdmin):
    list_display = ("student", "term", "course", "created_at")
    list_filter = ("term",)
    list_select_related = ("student__person", "term", "course")
    raw_id_fields = ("student", "course")
    search_fields = ("student__student_number", "course__code")


@admin.register(models.Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("student", "section", "term", "course", "status", "phase", "credits", "registered_at")
    list_filter = ("status", "phase", "term")
    search_fields = ("student__student_number", "student__person__last_name_fa", "course__code")
    list_select_related = ("student__person", "section__course", "section__term", "term", "course")
    raw_id_fields = ("student", "section", "course", "override")
    date_hierarchy = "created_at"


@admin.register(models.RegistrationLedger)
class RegistrationLedgerAdmin(ReadOnlyAdmin):
    list_display = ("student", "term", "credits", "max_credits", "updated_at")
    list_filter = ("term",)
    search_fields = ("student__student_number",)
    list_select_related = ("student__person", "term")
    raw_id_fields = ("student",)


@admin.register(models.IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ("student", "key", "status_code", "created_at")
    search_fields = ("student__student_number", "key")
    list_select_related = ("student__person",)
    raw_id_fields = ("student",)
    exclude = ("response",)


@admin.register(models.RegistrationPolicy)
class RegistrationPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "min_credits",
        "max_credits",
        "probation_max_credits",
        "final_term_max_credits",
        "emergency_withdrawals_per_term",
        "waitlist_enabled",
    )
    list_select_related = ("program",)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Through the service: the limits already prepared for current and later terms follow.
        policy_save(policy=obj, actor=request.user)


@admin.register(models.RegistrarOverride)
class RegistrarOverrideAdmin(ReadOnlyAdmin):
    list_display = ("student", "term", "kind", "section", "max_credits", "granted_by", "created_at")
    list_filter = ("kind", "term")
    search_fields = ("student__student_number", "reason")
    list_select_related = ("student__person", "term", "section__course", "granted_by")
    raw_id_fields = ("student", "section", "granted_by")


@admin.register(models.PassedCourse)
class PassedCourseAdmin(admin.ModelAdmin):
    list_display = ("student", "course", "term")
    search_fields = ("student__student_number", "course__code")
    list_select_related = ("student__person", "course", "term")
    raw_id_fields = ("student", "course")


# Grades ------------------------------------------------------------------------------------------
@admin.register(models.GradingPolicy)
class GradingPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "term",
        "pass_mark",
        "probation_below",
        "graduation_min_gpa",
        "repeat_policy",
        "evaluation_required",
        "entry_days",
        "appeal_days",
    )
    list_select_related = ("program", "term")


@admin.register(models.GradeSheet)
class GradeSheetAdmin(ReadOnlyAdmin):
    list_display = ("section", "status", "entry_deadline", "submitted_at", "appeal_deadline", "finalised_at")
    list_filter = ("status", "section__term")
    search_fields = ("section__course__code",)
    list_select_related = ("section__course", "section__term")
    raw_id_fields = ("section", "submitted_by", "finalised_by")


@admin.register(models.Grade)
class GradeAdmin(ReadOnlyAdmin):
    list_display = ("student", "registration", "value", "is_pass", "entered_by", "updated_at")
    list_filter = ("sheet__status",)
    search_fields = ("student__student_number", "registration__course__code")
    list_select_related = (
        "student__person",
        "registration__section__course",
        "registration__section__term",
        "entered_by",
    )
    raw_id_fields = ("registration", "sheet", "student", "entered_by")


@admin.register(models.GradeAppeal)
class GradeAppealAdmin(ReadOnlyAdmin):
    list_display = ("grade", "status", "created_at", "answered_by", "answered_at", "old_value", "new_value")
    list_filter = ("status",)
    list_select_related = ("grade__student__person", "answered_by")
    raw_id_fields = ("grade", "answered_by")


@admin.register(models.GradeChange)
class GradeChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "grade",
        "old_value",
        "new_value",
        "old_is_pass",
        "new_is_pass",
        "changed_by",
        "changed_at",
    )
    list_select_related = ("changed_by",)
    raw_id_fields = ("grade", "changed_by", "appeal")


@admin.register(models.GateExamResult)
class GateExamResultAdmin(ReadOnlyAdmin):
    list_display = ("student", "kind", "held_on", "score", "passed", "recorded_by")
    list_filter = ("kind", "passed")
    search_fields = ("student__student_number", "student__person__last_name_fa")
    list_select_related = ("student__person", "recorded_by")
    raw_id_fields = ("student", "recorded_by")


# Teacher evaluation ------------------------------------------------------------------------------
class EvaluationQuestionInline(admin.TabularInline):
    model = models.EvaluationQuestion
    extra = 0


@admin.register(models.EvaluationQuestionnaire)
class EvaluationQuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "title_fa", "title_en", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("sections",)
    inlines = [EvaluationQuestionInline]


@admin.register(models.EvaluationReceipt)
class EvaluationReceiptAdmin(ReadOnlyAdmin):
    list_display = ("student", "section", "submitted_on")
    search_fields = ("student__student_number",)
    list_select_related = ("student__person", "section__course", "section__term")
    raw_id_fields = ("student", "section")


@admin.register(models.EvaluationAnswer)
class EvaluationAnswerAdmin(ReadOnlyAdmin):
    """Question and score only: no response, section, student or time is shown or filterable."""

    list_display = ("question", "score")
    list_filter = ("question__questionnaire",)
    list_select_related = ("question",)
    fields = ("question", "score")
    ordering = ("question", "score", "pk")  # random keys: no insertion (time) order
    show_full_result_count = False


# Transcripts -------------------------------------------------------------------------------------
@admin.register(models.Transcript)
class TranscriptAdmin(ReadOnlyAdmin):
    list_display = ("code", "student", "language", "issued_at", "issued_by", "batch")
    list_filter = ("language",)
    search_fields = ("code", "student__student_number")
    list_select_related = ("student__person", "issued_by")
    raw_id_fields = ("student", "issued_by", "upto_term", "batch")
    exclude = ("content",)


@admin.register(models.TranscriptBatch)
class TranscriptBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "requested_by", "language", "program", "status", "done", "total", "created_at")
    list_filter = ("status", "language")
    list_select_related = ("requested_by", "program")
    exclude = ("student_ids",)
