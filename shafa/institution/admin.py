from django.contrib import admin

from . import models


@admin.register(models.University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "founded_on", "is_demo")


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("jalali_year", "kind", "title_fa", "title_en")


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "name_en", "province_fa")


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "name_en", "kind", "founded_jalali_year")


@admin.register(models.Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "school", "is_clinical")
    list_filter = ("school", "is_clinical")
    list_select_related = ("school",)


class ProgramPhaseInline(admin.TabularInline):
    model = models.ProgramPhase
    extra = 0


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "degree_level", "duration_terms", "credits_required", "is_active")
    list_filter = ("degree_level", "school")
    inlines = [ProgramPhaseInline]


@admin.register(models.AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ("start_year", "start_date", "end_date")


@admin.register(models.Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "academic_year", "number", "start_date", "end_date")
    list_select_related = ("academic_year",)


@admin.register(models.Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ("name_fa", "county")


@admin.register(models.ClinicalSite)
class ClinicalSiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fa", "kind", "governance", "county", "is_active")
    list_filter = ("kind", "governance", "county")
    list_select_related = ("county",)
