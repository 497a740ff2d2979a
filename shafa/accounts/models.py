"""The custom User (from day one) and the roles a user holds."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from shafa.core.sql import fetch_rows, table


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    LEADERSHIP = "leadership", _("Leadership")
    FACULTY = "faculty", _("Faculty member")
    STUDENT = "student", _("Student")
    CLINICAL_COORDINATOR = "clinical_coordinator", _("Clinical coordinator")
    PRECEPTOR = "preceptor", _("Preceptor")
    RESEARCH_OFFICE = "research_office", _("Research office")
    GRADUATES_OFFICE = "graduates_office", _("Graduates office")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that work with other people's records; they may (and administrators must) use MFA.
STAFF_ROLES = frozenset(Role) - {Role.STUDENT}


class User(AbstractUser):
    """A person who signs in. Their roles are RoleAssignment rows; their Person record links here."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=[("fa", "فارسی"), ("en", "English")], default="fa"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def role_set(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        # Read on every permission check: a fixed statement, not a compiled queryset (shafa.core.sql).
        rows = fetch_rows(f"SELECT role FROM {table(RoleAssignment)} WHERE user_id = %s", [self.pk])
        return frozenset(role for (role,) in rows)

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (
            bool(self.role_set.intersection(roles)) or (self.is_superuser and Role.ADMINISTRATOR in roles)
        )

    @property
    def is_staff_role(self) -> bool:
        return bool(self.role_set & STAFF_ROLES) or self.is_superuser

    def primary_role(self) -> str | None:
        for role in Role:
            if role in self.role_set:
                return str(role)
        return Role.ADMINISTRATOR if self.is_superuser else None


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_role_once_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]),
                name="accounts_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
