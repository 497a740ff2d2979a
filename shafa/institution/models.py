"""The university, its schools, departments, programs, calendar, campuses and clinical sites."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import BilingualNameMixin


class University(BilingualNameMixin, AuditedModel):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    founded_on = models.DateField(_("founded on"))
    city_fa = models.CharField(_("city (Persian)"), max_length=100)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    province_fa = models.CharField(_("province (Persian)"), max_length=100)
    province_en = models.CharField(_("province (English)"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Its people are fictional; every page says so.")
    )

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")


class MilestoneKind(models.TextChoices):
    FOUNDING = "founding", _("Founding")
    SCHOOL = "school", _("School")
    PROGRAM = "program", _("Program")
    CLINICAL = "clinical", _("Clinical network")
    RESEARCH = "research", _("Research")


class Milestone(AuditedModel):
    """One step in the university's history (shown on the About page)."""

    university = models.ForeignKey(University, on_delete=models.CASCADE, related_name="milestones")
    jalali_year = models.PositiveSmallIntegerField(_("year (Jalali)"))
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text_fa = models.TextField(_("text (Persian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        ordering = ["jalali_year", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.jalali_year} {self.title_fa}"


class County(BilingualNameMixin, AuditedModel):
    province_fa = models.CharField(_("province (Persian)"), max_length=100)
    province_en = models.CharField(_("province (English)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name_fa"]
        constraints = [
            models.UniqueConstraint(fields=["province_fa", "name_fa"], name="institution_county_unique")
        ]


class SchoolKind(models.TextChoices):
    MEDICINE = "medicine", _("Medicine")
    DENTISTRY = "dentistry", _("Dentistry")
    PHARMACY = "pharmacy", _("Pharmacy")
    NURSING_MIDWIFERY = "nursing_midwifery", _("Nursing and Midwifery")
    PARAMEDICAL = "paramedical", _("Paramedical Sciences")
    HEALTH = "health", _("Health")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    OTHER = "other", _("Other")


class School(BilingualNameMixin, AuditedModel):
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="schools")
    code = models.SlugField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=30, choices=SchoolKind.choices)
    founded_jalali_year = models.PositiveSmallIntegerField(_("founded (Jalali year)"), null=True, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["founded_jalali_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["university", "code"], name="institution_school_code_unique")
        ]


class Department(BilingualNameMixin, AuditedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="departments")
    code = models.SlugField(_("code"), max_length=30)
    is_clinical = models.BooleanField(_("clinical department"), default=False)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["school", "name_fa"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="institution_department_code_unique")
        ]


class DegreeLevel(models.TextChoices):
    ASSOCIATE = "associate", _("Associate (کاردانی)")
    BACHELOR = "bachelor", _("Bachelor (کارشناسی)")
    PROFESSIONAL_DOCTORATE = "professional_doctorate", _("Professional doctorate (دکترای حرفه‌ای)")
    MASTER = "master", _("Master (کارشناسی ارشد)")
    PHD = "phd", _("PhD (دکترای تخصصی)")
    RESIDENCY = "residency", _("Specialty residency (دستیاری تخصصی)")
    FELLOWSHIP = "fellowship", _("Subspecialty fellowship (فوق تخصص)")


class Program(BilingualNameMixin, AuditedModel):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="programs")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="programs", null=True, blank=True
    )
    code = models.SlugField(_("code"), max_length=30, unique=True)
    degree_level = models.CharField(_("degree level"), max_length=30, choices=DegreeLevel.choices)
    degree_title_en = models.CharField(_("degree (e.g. MD, DDS, PharmD, BSc)"), max_length=20, blank=True)
    duration_terms = models.PositiveSmallIntegerField(_("nominal duration (terms)"))
    max_duration_terms = models.PositiveSmallIntegerField(_("maximum duration (terms)"))
    credits_required = models.PositiveSmallIntegerField(_("credits required"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["school", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_duration_terms__gte=F("duration_terms")),
                name="institution_program_max_duration_ge_nominal",
            ),
            models.CheckConstraint(
                condition=Q(credits_required__gt=0), name="institution_program_credits_positive"
            ),
        ]


class PhaseKind(models.TextChoices):
    BASIC_SCIENCES = "basic_sciences", _("Basic sciences (علوم پایه)")
    PHYSIOPATHOLOGY = "physiopathology", _("Physiopathology (فیزیوپاتولوژی)")
    EXTERNSHIP = "externship", _("Externship (کارآموزی)")
    INTERNSHIP = "internship", _("Internship (کارورزی)")
    PRECLINICAL = "preclinical", _("Preclinical")
    CLINICAL = "clinical", _("Clinical")
    GENERAL = "general", _("General")


class ProgramPhase(AuditedModel):
    """A stage of a program (the MD's four phases); gates between them are exams (registrar issue)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=30, choices=PhaseKind.choices)
    duration_terms = models.PositiveSmallIntegerField(_("duration (terms)"))

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("program phase")
        verbose_name_plural = _("program phases")
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="institution_phase_order_unique"),
            models.UniqueConstraint(fields=["program", "kind"], name="institution_phase_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.get_kind_display()}"


class AcademicYear(AuditedModel):
    """A Jalali academic year, e.g. 1404–1405, starting in Mehr."""

    start_year = models.PositiveSmallIntegerField(_("first Jalali year"), unique=True)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="institution_year_dates_ordered"
            ),
        ]

    @property
    def code(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    def __str__(self) -> str:
        return self.code


class TermNumber(models.IntegerChoices):
    FIRST = 1, _("First term")
    SECOND = 2, _("Second term")
    SUMMER = 3, _("Summer term")


class Term(AuditedModel):
    """A term with its Jalali code: year × 10 + number (14041 = first term of 1404–1405)."""

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("term"), choices=TermNumber.choices)
    code = models.PositiveIntegerField(_("code"), unique=True)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))

    class Meta:
        ordering = ["-code"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "number"], name="institution_term_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="institution_term_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(code__gte=13001) & Q(code__lte=19993) & Q(number=F("code") % 10),
                name="institution_term_code_matches_number",
            ),
        ]

    @property
    def jalali_year(self) -> int:
        return self.code // 10

    def __str__(self) -> str:
        return str(self.code)


class Campus(BilingualNameMixin, AuditedModel):
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="campuses")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="campuses")
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campuses")


class SiteKind(models.TextChoices):
    TEACHING_HOSPITAL = "teaching_hospital", _("Teaching hospital")
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    HEALTH_CENTRE = "health_centre", _("Comprehensive health service centre")
    HEALTH_POST = "health_post", _("Health post")
    HEALTH_HOUSE = "health_house", _("Health house")


class SiteGovernance(models.TextChoices):
    UNIVERSITY = "university", _("Run by the university")
    AGREEMENT = "agreement", _("Under an agreement")


class ClinicalSite(BilingualNameMixin, AuditedModel):
    """A place where learners train: hospital, clinic, health centre or health house."""

    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="clinical_sites")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=SiteKind.choices)
    governance = models.CharField(_("governance"), max_length=20, choices=SiteGovernance.choices)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="clinical_sites")
    is_urban = models.BooleanField(_("urban"), default=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("clinical site")
        verbose_name_plural = _("clinical sites")
        ordering = ["kind", "name_fa"]
