from django.contrib import admin

from . import models


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name_fa", "first_name_fa", "last_name_en", "sex", "birth_date")
    search_fields = ("last_name_fa", "first_name_fa", "last_name_en", "national_code")
    raw_id_fields = ("user",)


@admin.register(models.Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ("student_number", "person", "program", "entry_term", "status", "native_quota")
    list_filter = ("status", "program", "native_quota")
    search_fields = ("student_number", "person__last_name_fa")
    list_select_related = ("person", "program", "entry_term")
    raw_id_fields = ("person", "advisor")


@admin.register(models.FacultyMember)
class FacultyMemberAdmin(admin.ModelAdmin):
    list_display = ("employee_number", "person", "department", "rank", "is_active")
    list_filter = ("rank", "department__school")
    list_select_related = ("person", "department")
    raw_id_fields = ("person",)


@admin.register(models.StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("employee_number", "person", "office_fa", "is_active")
    list_select_related = ("person",)
    raw_id_fields = ("person",)


@admin.register(models.Preceptor)
class PreceptorAdmin(admin.ModelAdmin):
    list_display = ("person", "site", "is_university_employee", "is_active")
    list_filter = ("site", "is_university_employee")
    list_select_related = ("person", "site")
    raw_id_fields = ("person", "faculty")
