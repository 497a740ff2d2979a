"""Grades: the policy that governs them, one grade sheet per section, grades, appeals, gate exams.

Invariants the database holds (not only Python):
- a grade lies on 0–20 in steps of 0.25 (CHECK), and a row holds a number or a pass/fail mark;
- a grade sheet's state carries its timestamps (a submitted sheet has its appeal deadline);
- a student holds at most one open appeal per grade; an appeal and a grade change have a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Floor
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import Program, Term
from shafa.people.models import Student

from .registration import Registration
from .sections import Section

__all__ = [
    "AppealStatus",
    "GateExamKind",
    "GateExamResult",
    "Grade",
    "GradeAppeal",
    "GradeChange",
    "GradeSheet",
    "GradeSheetStatus",
    "GradingPolicy",
    "RepeatPolicy",
]


class RepeatPolicy(models.TextChoices):
    LATEST_REPLACES = "latest_replaces", _("The latest attempt replaces earlier ones")
    ALL_ATTEMPTS = "all_attempts", _("Every attempt counts")


class GradingPolicy(AuditedModel):
    """Grading deadlines and standing rules, for a program, a term, both, or the whole university.

    The most specific row applies: program and term, then term, then program, then the default row
    (neither), then the built-in defaults.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="grading_policies"
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    entry_days = models.PositiveSmallIntegerField(_("days after the exam to submit grades"), default=10)
    appeal_days = models.PositiveSmallIntegerField(_("days for appeals after submission"), default=3)
    evaluation_required = models.BooleanField(
        _("grades shown only after the teacher evaluation"), default=True
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=4, decimal_places=2, default=Decimal("10"))
    probation_below = models.DecimalField(
        _("probation below term GPA"), max_digits=4, decimal_places=2, default=Decimal("12")
    )
    graduation_min_gpa = models.DecimalField(
        _("minimum cumulative GPA to graduate"), max_digits=4, decimal_places=2, default=Decimal("12")
    )
    repeat_policy = models.CharField(
        _("repeated courses in the GPA"),
        max_length=20,
        choices=RepeatPolicy.choices,
        default=RepeatPolicy.LATEST_REPLACES,
    )
    summer_counts_for_probation = models.BooleanField(_("summer term can cause probation"), default=False)

    class Meta:
        verbose_name = _("grading policy")
        verbose_name_plural = _("grading policies")
        constraints = [
            # One row per (program or none, term or none): NULL as a value, as NULLS NOT DISTINCT
            # would say, in a form SQLite also enforces (ids are positive, so 0 stands for none).
            models.UniqueConstraint(
                Coalesce("program", Value(0)),
                Coalesce("term", Value(0)),
                name="academics_grading_policy_unique_scope",
                violation_error_message=_("A grading policy for this program and term already exists."),
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=20), name="academics_policy_pass_mark_range"
            ),
            models.CheckConstraint(
                condition=Q(probation_below__gte=0) & Q(probation_below__lte=20),
                name="academics_policy_probation_range",
            ),
            models.CheckConstraint(
                condition=Q(repeat_policy__in=[choice.value for choice in RepeatPolicy]),
                name="academics_policy_repeat_known",
            ),
        ]

    def __str__(self) -> str:
        return f"grading policy {self.program_id or '*'}/{self.term_id or '*'}"


class GradeSheetStatus(models.TextChoices):
    DRAFT = "draft", _("Being entered")
    SUBMITTED = "submitted", _("Submitted (appeal window)")
    FINALISED = "finalised", _("Finalised")


class GradeSheet(AuditedModel):
    """A section's grades as one document: draft → submitted (locked; appeals) → finalised."""

    section = models.OneToOneField(Section, on_delete=models.PROTECT, related_name="grade_sheet")
    status = models.CharField(
        _("status"), max_length=20, choices=GradeSheetStatus.choices, default=GradeSheetStatus.DRAFT
    )
    entry_deadline = models.DateTimeField(_("grade entry deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_deadline = models.DateTimeField(_("appeals close"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grade sheet")
        verbose_name_plural = _("grade sheets")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in GradeSheetStatus]),
                name="academics_gradesheet_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(submitted_at__isnull=False) & Q(appeal_deadline__isnull=False)),
                name="academics_gradesheet_submitted_has_times",
            ),
            models.CheckConstraint(
                condition=~Q(status="finalised") | Q(finalised_at__isnull=False),
                name="academics_gradesheet_finalised_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"grades of section {self.section_id} ({self.status})"

    @property
    def is_locked(self) -> bool:
        return self.status != GradeSheetStatus.DRAFT


class Grade(AuditedModel):
    """One student's grade in one section: a number on 0–20 in quarters, or pass/fail."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="grade")
    sheet = models.ForeignKey(GradeSheet, on_delete=models.PROTECT, related_name="grades")
    # Denormalised so standing reads one table: whose grade, for which course, in which term.
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="grades")
    value = models.DecimalField(_("grade"), max_digits=4, decimal_places=2, null=True, blank=True)
    is_pass = models.BooleanField(_("passed (pass/fail course)"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True)
                | (Q(value__gte=0) & Q(value__lte=20) & Q(value=Floor(F("value") * 4) / 4)),
                name="academics_grade_0_20_quarters",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(is_pass__isnull=False),
                name="academics_grade_has_mark",
            ),
        ]
        indexes = [models.Index(fields=["student", "sheet"], name="academics_grade_student_idx")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.value if self.value is not None else self.is_pass}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the instructor")
    ACCEPTED = "accepted", _("Accepted (grade changed)")
    REJECTED = "rejected", _("Answered (grade kept)")


class GradeAppeal(AuditedModel):
    """A student's objection (اعتراض) to a submitted grade, and the instructor's answer."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="appeals")
    text = models.TextField(_("objection"))
    status = models.CharField(_("status"), max_length=20, choices=AppealStatus.choices, default="open")
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    old_value = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("grade appeal")
        verbose_name_plural = _("grade appeals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["grade"], condition=Q(status="open"), name="academics_appeal_one_open_per_grade"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="academics_appeal_has_text"),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="academics_appeal_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in AppealStatus]),
                name="academics_appeal_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"appeal on grade {self.grade_id} ({self.status})"


class GradeChange(models.Model):
    """A change to a grade after its sheet was submitted: old and new mark, who and why."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="changes")
    old_value = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    old_is_pass = models.BooleanField(null=True, blank=True)
    new_is_pass = models.BooleanField(null=True, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    appeal = models.ForeignKey(GradeAppeal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["changed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="academics_gradechange_has_reason")
        ]

    def __str__(self) -> str:
        return f"grade {self.grade_id}: {self.old_value} → {self.new_value}"


class GateExamKind(models.TextChoices):
    BASIC_SCIENCES = "basic_sciences", _("Basic-sciences comprehensive exam (جامع علوم پایه)")
    PRE_INTERNSHIP = "pre_internship", _("Pre-internship exam (پیش‌کارورزی)")


class GateExamResult(AuditedModel):
    """A student's result in one sitting of a comprehensive (gate) exam."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="gate_exam_results")
    kind = models.CharField(_("exam"), max_length=30, choices=GateExamKind.choices)
    held_on = models.DateField(_("held on"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("gate exam result")
        verbose_name_plural = _("gate exam results")
        ordering = ["student", "kind", "held_on"]
        constraints = [
            models.UniqueConstraint(fields=["student", "kind", "held_on"], name="academics_gate_exam_once"),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in GateExamKind]),
                name="academics_gate_exam_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind} {self.held_on}: {'pass' if self.passed else 'fail'}"
