"""Registration: windows and time slots, the per-student ledger, registrations, waitlist, policy, overrides.

Invariants the database holds (not only Python):
- a section never has more seats taken than its capacity (CHECK on Section + conditional UPDATE);
- a student holds at most one row per section and one active row per course per term;
- a student's registered credits never exceed the cap recorded on their term ledger (CHECK);
- an Idempotency-Key is used once per student (UNIQUE).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import Program, Term
from shafa.people.models import Student

from .courses import Course
from .sections import Section


class RegistrationPhase(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary registration")
    MAIN = "main", _("Main registration")
    ADD_DROP = "add_drop", _("Add/drop (ترمیم)")
    EMERGENCY_WITHDRAWAL = "emergency_withdrawal", _("Emergency withdrawal (حذف اضطراری)")


class RegistrationWindow(AuditedModel):
    """When a phase is open, for one entry-year group (or all) of one program (or all)."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="registration_windows")
    phase = models.CharField(_("phase"), max_length=30, choices=RegistrationPhase.choices)
    entry_year = models.PositiveSmallIntegerField(
        _("entry year (Jalali)"), null=True, blank=True, help_text=_("Empty: every entry year.")
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="registration_windows"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    uses_time_slots = models.BooleanField(
        _("personal time slots"),
        default=False,
        help_text=_("Students may start only from their personal time slot inside the window."),
    )

    class Meta:
        verbose_name = _("registration window")
        verbose_name_plural = _("registration windows")
        ordering = ["term", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="academics_window_ordered"),
            models.CheckConstraint(
                condition=Q(phase__in=[choice.value for choice in RegistrationPhase]),
                name="academics_window_phase_known",
            ),
        ]
        indexes = [models.Index(fields=["term", "phase"], name="acad_window_term_phase_idx")]

    def __str__(self) -> str:
        return f"{self.term} {self.get_phase_display()} {self.entry_year or ''}".strip()


class StudentTimeSlot(models.Model):
    """A student's personal start time inside a window (staggering the cohort)."""

    window = models.ForeignKey(RegistrationWindow, on_delete=models.CASCADE, related_name="time_slots")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="registration_time_slots")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        verbose_name = _("personal time slot")
        verbose_name_plural = _("personal time slots")
        constraints = [
            models.UniqueConstraint(fields=["window", "student"], name="academics_time_slot_unique"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="academics_time_slot_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} @ {self.opens_at:%Y-%m-%d %H:%M}"


class PreliminaryChoice(models.Model):
    """A course a student intends to take next term (preliminary registration: demand in advance)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="preliminary_choices")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="preliminary_choices")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("preliminary choice")
        verbose_name_plural = _("preliminary choices")
        constraints = [
            models.UniqueConstraint(fields=["student", "term", "course"], name="academics_preliminary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term_id} {self.course_id}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("Waitlisted")
    DROPPED = "dropped", _("Dropped")
    WITHDRAWN = "withdrawn", _("Withdrawn (emergency)")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class Registration(AuditedModel):
    """One student in one section (one row per student × section); grades hang off this row."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="registrations")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="registrations")
    # Denormalised from the section so the database can say "one active row per course per term".
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    phase = models.CharField(_("phase"), max_length=30, choices=RegistrationPhase.choices, blank=True)
    credits = models.DecimalField(_("credits"), max_digits=4, decimal_places=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    queued_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("dropped or withdrawn"), null=True, blank=True)
    override = models.ForeignKey(
        "RegistrarOverride", on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["term", "course__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "section"], name="academics_registration_once_per_section"
            ),
            models.UniqueConstraint(
                fields=["student", "term", "course"],
                condition=Q(status__in=["registered", "waitlisted"]),
                name="academics_registration_one_active_per_course",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in RegistrationStatus]),
                name="academics_registration_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(queued_at__isnull=False),
                name="academics_registration_waitlist_has_time",
            ),
            models.CheckConstraint(condition=Q(credits__gte=0), name="academics_registration_credits_ge_0"),
        ]
        indexes = [
            models.Index(fields=["section", "status", "queued_at"], name="academics_reg_waitlist_idx"),
            models.Index(fields=["student", "term", "status"], name="academics_reg_student_term_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} → {self.section_id} ({self.status})"


class RegistrationLedger(models.Model):
    """A student's registration state for one term; its row is locked by every registration write.

    `credits` counts registered and waitlisted credits; the CHECK keeps it within `max_credits`,
    which the services set from the policy (probation, final term) and registrar overrides.
    """

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="registration_ledgers")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    credits = models.DecimalField(_("credits"), max_digits=5, decimal_places=1, default=Decimal("0"))
    max_credits = models.DecimalField(_("credit cap"), max_digits=5, decimal_places=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration ledger")
        verbose_name_plural = _("registration ledgers")
        constraints = [
            models.UniqueConstraint(fields=["student", "term"], name="academics_ledger_once_per_term"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="academics_ledger_credits_ge_0"),
            models.CheckConstraint(
                condition=Q(credits__lte=F("max_credits")), name="academics_ledger_credits_le_cap"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.term_id}: {self.credits}/{self.max_credits}"


class IdempotencyKey(models.Model):
    """A registration request already answered: a repeat with the same key gets the same answer."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["student", "key"], name="academics_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student_id}:{self.key}"


class RegistrationPolicy(AuditedModel):
    """A program's credit limits (defaults: 12–20, 14 on probation, 24 in the final term)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="registration_policy")
    min_credits = models.PositiveSmallIntegerField(_("minimum credits"), default=12)
    max_credits = models.PositiveSmallIntegerField(_("maximum credits"), default=20)
    probation_max_credits = models.PositiveSmallIntegerField(_("maximum credits on probation"), default=14)
    final_term_max_credits = models.PositiveSmallIntegerField(
        _("maximum credits in the final term"), default=24
    )
    emergency_withdrawals_per_term = models.PositiveSmallIntegerField(
        _("emergency withdrawals per term"), default=1
    )
    waitlist_enabled = models.BooleanField(_("waitlist"), default=True)

    class Meta:
        verbose_name = _("registration policy")
        verbose_name_plural = _("registration policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_credits__gte=F("min_credits")), name="academics_policy_min_le_max"
            ),
            models.CheckConstraint(
                condition=Q(final_term_max_credits__gte=F("max_credits")),
                name="academics_policy_final_ge_max",
            ),
            models.CheckConstraint(condition=Q(max_credits__gt=0), name="academics_policy_max_positive"),
        ]


class OverrideKind(models.TextChoices):
    CREDIT_LIMIT = "credit_limit", _("Credit limit")
    MIN_CREDITS = "min_credits", _("Below minimum credits")
    PREREQUISITE = "prerequisite", _("Prerequisite or corequisite")
    TIME_CLASH = "time_clash", _("Time clash")
    EXAM_CLASH = "exam_clash", _("Exam clash")
    CAPACITY = "capacity", _("Over capacity (adds a seat)")
    WINDOW = "window", _("Outside the registration window")
    REPEAT = "repeat", _("Repeat of a passed course")
    EMERGENCY_WITHDRAWAL = "emergency_withdrawal", _("Extra emergency withdrawal")


class RegistrarOverride(AuditedModel):
    """A registrar's exception to one rule for one student (and section), with a reason; audited."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="registration_overrides")
    kind = models.CharField(_("rule"), max_length=30, choices=OverrideKind.choices)
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="overrides"
    )
    max_credits = models.DecimalField(_("credit cap"), max_digits=5, decimal_places=1, null=True, blank=True)
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registrar override")
        verbose_name_plural = _("registrar overrides")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="academics_override_has_reason"),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in OverrideKind]),
                name="academics_override_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind="credit_limit") | Q(max_credits__isnull=False),
                name="academics_override_credit_limit_has_cap",
            ),
        ]
        indexes = [models.Index(fields=["student", "term", "kind"], name="acad_override_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.student_id}"


class PassedCourse(models.Model):
    """A course a student has passed (interim source for prerequisites until grades land)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="passed_courses")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("passed course")
        verbose_name_plural = _("passed courses")
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="academics_passed_course_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} passed {self.course_id}"
