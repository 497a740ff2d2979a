from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ("username", "first_name", "last_name", "is_active", "is_superuser")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Shafa", {"fields": ("preferred_language",)}))  # type: ignore[misc]
