"""Courses with their credit split, prerequisites and corequisites, and each program's curriculum."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import PersianTextField
from shafa.institution.models import Department, Program

CREDIT_FIELDS = ("theoretical_credits", "practical_credits", "clinical_credits", "internship_credits")


class CourseType(models.TextChoices):
    GENERAL = "general", _("General (عمومی)")
    BASIC = "basic", _("Basic (پایه)")
    CORE = "core", _("Core (اصلی)")
    SPECIALISED = "specialised", _("Specialised (تخصصی)")
    ELECTIVE = "elective", _("Elective (اختیاری)")


class GradingMode(models.TextChoices):
    GRADED = "graded", _("Graded 0–20")
    PASS_FAIL = "pass_fail", _("Pass/fail")


def _credit_field(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=4, decimal_places=1, default=Decimal("0"))


class Course(AuditedModel):
    """A course as the curriculum defines it; its credit units are split by kind of teaching."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title_fa = PersianTextField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="courses"
    )
    course_type = models.CharField(_("type"), max_length=20, choices=CourseType.choices)
    grading = models.CharField(
        _("grading"), max_length=20, choices=GradingMode.choices, default=GradingMode.GRADED
    )
    theoretical_credits = _credit_field(_("theoretical credits"))
    practical_credits = _credit_field(_("practical credits"))
    clinical_credits = _credit_field(_("clinical credits"))
    internship_credits = _credit_field(_("internship credits"))
    is_active = models.BooleanField(_("active"), default=True)
    prerequisites = models.ManyToManyField(  # type: ignore[var-annotated]
        "self",
        through="CoursePrerequisite",
        through_fields=("course", "required_course"),
        symmetrical=False,
        related_name="required_for",
        blank=True,
    )
    corequisites = models.ManyToManyField(  # type: ignore[var-annotated]
        "self",
        through="CourseCorequisite",
        through_fields=("course", "corequisite"),
        symmetrical=False,
        related_name="corequisite_of",
        blank=True,
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}), name=f"academics_course_{name}_ge_0"
                )
                for name in CREDIT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(theoretical_credits__gt=0)
                | Q(practical_credits__gt=0)
                | Q(clinical_credits__gt=0)
                | Q(internship_credits__gt=0),
                name="academics_course_credits_positive",
            ),
            models.CheckConstraint(
                condition=Q(course_type__in=[choice.value for choice in CourseType]),
                name="academics_course_type_known",
            ),
            models.CheckConstraint(
                condition=Q(grading__in=[choice.value for choice in GradingMode]),
                name="academics_course_grading_known",
            ),
        ]

    @property
    def credits(self) -> Decimal:
        return sum((getattr(self, name) for name in CREDIT_FIELDS), Decimal("0"))

    @property
    def title(self) -> str:
        if (get_language() or "fa").startswith("en") and self.title_en:
            return self.title_en
        return self.title_fa

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CoursePrerequisite(models.Model):
    """`course` may be taken only after `required_course` has been passed."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="prerequisite_links")
    required_course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("prerequisite")
        verbose_name_plural = _("prerequisites")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "required_course"], name="academics_prerequisite_unique"
            ),
            models.CheckConstraint(
                condition=~Q(course=F("required_course")), name="academics_prerequisite_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} ← {self.required_course_id}"


class CourseCorequisite(models.Model):
    """`course` must be taken together with (or after passing) `corequisite`."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="corequisite_links")
    corequisite = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("corequisite")
        verbose_name_plural = _("corequisites")
        constraints = [
            models.UniqueConstraint(fields=["course", "corequisite"], name="academics_corequisite_unique"),
            models.CheckConstraint(
                condition=~Q(course=F("corequisite")), name="academics_corequisite_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} + {self.corequisite_id}"


class Curriculum(AuditedModel):
    """A program's approved curriculum (a program may have several versions; one is active)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="curricula")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_fa = PersianTextField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    approved_jalali_year = models.PositiveSmallIntegerField(
        _("approved (Jalali year)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    courses = models.ManyToManyField(  # type: ignore[var-annotated]
        Course, through="CurriculumItem", related_name="curricula"
    )

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program"], condition=Q(is_active=True), name="academics_curriculum_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.title_fa


class CurriculumItem(models.Model):
    """A course in a curriculum, with the term in which it is recommended."""

    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="curriculum_items")
    recommended_term = models.PositiveSmallIntegerField(_("recommended term"))
    is_mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("curriculum item")
        verbose_name_plural = _("curriculum items")
        ordering = ["curriculum", "recommended_term", "course__code"]
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "course"], name="academics_curriculum_item_unique"),
            models.CheckConstraint(
                condition=Q(recommended_term__gte=1) & Q(recommended_term__lte=20),
                name="academics_curriculum_item_term_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.curriculum_id}: {self.course_id} (term {self.recommended_term})"
