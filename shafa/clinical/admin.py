"""Admin for reference data (wards, agreements, rotations, years); schedules change through services."""

from django.contrib import admin

from . import models


@admin.register(models.Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "site", "code", "beds", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_fa", "name_en", "code")
    list_select_related = ("site",)


@admin.register(models.SiteAgreement)
class SiteAgreementAdmin(admin.ModelAdmin):
    list_display = ("reference", "site", "starts_on", "ends_on", "default_capacity")
    search_fields = ("reference", "site__name_fa")
    list_select_related = ("site",)
    filter_horizontal = ("rotations",)


class RotationTypeInline(admin.TabularInline):
    model = models.RotationType
    fields = ("code", "name_fa", "name_en", "phase", "duration_blocks", "school_preference")
    extra = 0


@admin.register(models.RotationGroup)
class RotationGroupAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "program", "phase", "required_count")
    list_filter = ("program", "phase")
    inlines = [RotationTypeInline]


@admin.register(models.RotationType)
class RotationTypeAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "program", "phase", "duration_blocks", "group", "school_preference")
    list_filter = ("program", "phase")
    search_fields = ("name_fa", "name_en", "code")
    list_select_related = ("program", "group")


@admin.register(models.RotationPrecedence)
class RotationPrecedenceAdmin(admin.ModelAdmin):
    list_display = ("before", "after")
    list_select_related = ("before", "after")


class BlockInline(admin.TabularInline):
    model = models.Block
    extra = 0


class HolidayInline(admin.TabularInline):
    model = models.Holiday
    extra = 0


@admin.register(models.ClinicalYear)
class ClinicalYearAdmin(admin.ModelAdmin):
    list_display = (
        "program",
        "academic_year",
        "max_rotations_per_site",
        "preference_opens_at",
        "preference_closes_at",
    )
    list_select_related = ("program", "academic_year")
    inlines = [BlockInline, HolidayInline]


@admin.register(models.Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("rotation", "site", "year", "min_learners", "max_learners")
    list_filter = ("year",)
    list_select_related = ("rotation", "site", "year__program", "year__academic_year")


@admin.register(models.LearnerEnrollment)
class LearnerEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("student", "year", "phase", "is_eligible", "eligibility_reason")
    list_filter = ("year", "phase", "is_eligible")
    search_fields = ("student__student_number", "student__person__last_name_fa")
    list_select_related = ("student__person", "year__program", "year__academic_year")
    raw_id_fields = ("student",)


@admin.register(models.SolverRun)
class SolverRunAdmin(admin.ModelAdmin):
    list_display = (
        "variant_label",
        "year",
        "kind",
        "status",
        "progress",
        "objective",
        "published",
        "created_at",
    )
    list_filter = ("status", "published", "kind")
    list_select_related = ("year__program", "year__academic_year")
    readonly_fields = [f.name for f in models.SolverRun._meta.fields]

    def has_add_permission(self, request):  # runs start from the coordinator's page (a background job)
        return False


# Rows the clinical services write (schedules, preferences, swaps): shown, changed through services.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


ENROLLMENT_RELATED = (
    "enrollment__student__person",
    "enrollment__year__program",
    "enrollment__year__academic_year",
)


@admin.register(models.Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("year", "number", "start_date", "end_date")
    list_filter = ("year",)
    list_select_related = ("year__program", "year__academic_year")


@admin.register(models.Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name_fa", "name_en", "year")
    list_filter = ("year",)
    list_select_related = ("year__program", "year__academic_year")


@admin.register(models.LearnerLeave)
class LearnerLeaveAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "block", "reason")
    list_select_related = (*ENROLLMENT_RELATED, "block")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("enrollment", "block")


@admin.register(models.RotationPreference)
class RotationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "rank", "rotation")
    list_select_related = (*ENROLLMENT_RELATED, "rotation")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("enrollment", "rotation")


@admin.register(models.SitePreference)
class SitePreferenceAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "rank", "site")
    list_select_related = (*ENROLLMENT_RELATED, "site")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("enrollment", "site")


@admin.register(models.BlockPreference)
class BlockPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "rank", "block")
    list_select_related = (*ENROLLMENT_RELATED, "block")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("enrollment", "block")


@admin.register(models.ManualLock)
class ManualLockAdmin(ReadOnlyAdmin):
    list_display = ("enrollment", "rotation", "site", "start_block", "reason")
    list_select_related = (*ENROLLMENT_RELATED, "rotation", "site", "start_block")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("enrollment", "rotation", "site", "start_block")


@admin.register(models.OfferingBlockCapacity)
class OfferingBlockCapacityAdmin(admin.ModelAdmin):
    list_display = ("offering", "block", "min_learners", "max_learners", "reason")
    list_select_related = ("offering__rotation", "offering__site", "block")
    raw_id_fields = ("offering", "block")


@admin.register(models.Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("run", "enrollment", "rotation", "site", "start", "end", "is_manual")
    list_filter = ("is_manual",)
    list_select_related = ("run", *ENROLLMENT_RELATED, "rotation", "site")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("run", "enrollment", "rotation", "site")


@admin.register(models.ReplanEvent)
class ReplanEventAdmin(ReadOnlyAdmin):
    list_display = (
        "year",
        "kind",
        "block",
        "offering",
        "new_capacity",
        "enrollment",
        "created_by",
        "created_at",
    )
    list_filter = ("kind",)
    list_select_related = (
        "year__program",
        "year__academic_year",
        "block",
        "offering__rotation",
        "created_by",
    )
    raw_id_fields = ("block", "offering", "enrollment", "base_run", "result_run", "created_by")


@admin.register(models.SwapRequest)
class SwapRequestAdmin(ReadOnlyAdmin):
    list_display = ("run", "enrollment", "assignment", "wanted_start", "wanted_site", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("run", *ENROLLMENT_RELATED, "wanted_site")
    search_fields = ("enrollment__student__student_number",)
    raw_id_fields = ("run", "enrollment", "assignment", "wanted_site", "decided_by")


@admin.register(models.Swap)
class SwapAdmin(ReadOnlyAdmin):
    list_display = ("run", "request", "approved_by", "approved_at")
    list_select_related = ("run", "approved_by")
    raw_id_fields = ("run", "request", "approved_by")
