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
