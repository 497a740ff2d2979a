"""Persons and their roles in the university: students, faculty, staff, preceptors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import PersianTextField
from shafa.core.validators import validate_national_code, validate_orcid
from shafa.institution.models import ClinicalSite, Department, Program, School, Term


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Person(AuditedModel):
    """A human being known to the university. The national code is shown only to roles that need it."""

    national_code = models.CharField(
        _("national code"), max_length=10, unique=True, validators=[validate_national_code]
    )
    first_name_fa = PersianTextField(_("first name (Persian)"), max_length=100)
    last_name_fa = PersianTextField(_("last name (Persian)"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    email = models.EmailField(_("email"), blank=True)
    mobile = models.CharField(_("mobile"), max_length=15, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name_fa", "first_name_fa"]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_code__regex=r"^[0-9]{10}$"), name="people_national_code_digits"
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="people_sex_known"),
        ]
        indexes = [models.Index(fields=["last_name_fa", "first_name_fa"])]

    @property
    def full_name_fa(self) -> str:
        return f"{self.first_name_fa} {self.last_name_fa}"

    @property
    def full_name_en(self) -> str:
        return f"{self.first_name_en} {self.last_name_en}".strip()

    @property
    def full_name(self) -> str:
        if (get_language() or "fa").startswith("en") and self.full_name_en:
            return self.full_name_en
        return self.full_name_fa

    def __str__(self) -> str:
        return self.full_name


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRADUATED = "graduated", _("Graduated")


class Student(AuditedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="student")
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="students")
    entry_term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="entering_students")
    status = models.CharField(
        _("status"), max_length=20, choices=StudentStatus.choices, default=StudentStatus.ACTIVE
    )
    native_quota = models.BooleanField(_("native quota (بومی)"), default=False)
    advisor = models.ForeignKey(
        "FacultyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisees",
        verbose_name=_("advisor"),
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["student_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in StudentStatus]),
                name="people_student_status_known",
            ),
            models.CheckConstraint(
                condition=Q(student_number__regex=r"^[0-9]{6,20}$"), name="people_student_number_digits"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.student_number} {self.person}"


class FacultyRank(models.TextChoices):
    INSTRUCTOR = "instructor", _("Instructor (مربی)")
    ASSISTANT_PROFESSOR = "assistant_professor", _("Assistant professor (استادیار)")
    ASSOCIATE_PROFESSOR = "associate_professor", _("Associate professor (دانشیار)")
    PROFESSOR = "professor", _("Professor (استاد)")


class FacultyMember(AuditedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="faculty")
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="faculty")
    rank = models.CharField(_("rank"), max_length=30, choices=FacultyRank.choices)
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("faculty member")
        verbose_name_plural = _("faculty members")
        ordering = ["person__last_name_fa"]
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="people_faculty_orcid_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()} {self.person}"


class StaffMember(AuditedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="staff")
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    office_fa = PersianTextField(_("office (Persian)"), max_length=100)
    office_en = models.CharField(_("office (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return str(self.person)


class Preceptor(AuditedModel):
    """Someone who supervises learners at a clinical site; not necessarily a university employee."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="preceptorships")
    site = models.ForeignKey(ClinicalSite, on_delete=models.PROTECT, related_name="preceptors")
    faculty = models.ForeignKey(
        FacultyMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="preceptorships"
    )
    specialty_fa = PersianTextField(_("specialty (Persian)"), max_length=100, blank=True)
    specialty_en = models.CharField(_("specialty (English)"), max_length=100, blank=True)
    is_university_employee = models.BooleanField(_("university employee"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("preceptor")
        verbose_name_plural = _("preceptors")
        constraints = [
            models.UniqueConstraint(fields=["person", "site"], name="people_preceptor_once_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.site}"
