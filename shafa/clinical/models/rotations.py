"""Rotation types of a program, their elective groups and precedences."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.core.fields import BilingualNameMixin
from shafa.institution.models import Department, PhaseKind, Program


class RotationGroup(BilingualNameMixin, AuditedModel):
    """Electives: a learner of `phase` takes `required_count` rotations of this group."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rotation_groups")
    code = models.SlugField(_("code"), max_length=40)
    phase = models.CharField(_("phase"), max_length=30, choices=PhaseKind.choices)
    required_count = models.PositiveSmallIntegerField(_("rotations to take"), default=1)

    class Meta:
        verbose_name = _("elective group")
        verbose_name_plural = _("elective groups")
        ordering = ["program", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="clinical_group_code_unique"),
            models.CheckConstraint(condition=Q(required_count__gte=1), name="clinical_group_count_positive"),
        ]


class RotationType(BilingualNameMixin, AuditedModel):
    """A rotation of a program (MD externship internal medicine, nursing community placement…).

    Without a group it is required of every learner of its phase; with a group it is an elective.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rotation_types")
    code = models.SlugField(_("code"), max_length=40)
    phase = models.CharField(_("phase"), max_length=30, choices=PhaseKind.choices)
    duration_blocks = models.PositiveSmallIntegerField(_("duration (blocks)"), default=1)
    group = models.ForeignKey(
        RotationGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rotations",
        verbose_name=_("elective group"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="rotation_types"
    )
    school_preference = models.SmallIntegerField(
        _("school's preference"), default=0, help_text=_("Added to a learner's satisfaction when taken.")
    )

    class Meta:
        verbose_name = _("rotation type")
        verbose_name_plural = _("rotation types")
        ordering = ["program", "phase", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="clinical_rotation_code_unique"),
            models.CheckConstraint(
                condition=Q(duration_blocks__gte=1) & Q(duration_blocks__lte=26),
                name="clinical_rotation_duration_range",
            ),
        ]

    @property
    def is_required(self) -> bool:
        return self.group_id is None


class RotationPrecedence(AuditedModel):
    """`before` must be completed before `after` starts."""

    before = models.ForeignKey(RotationType, on_delete=models.CASCADE, related_name="precedes")
    after = models.ForeignKey(RotationType, on_delete=models.CASCADE, related_name="preceded_by")

    class Meta:
        verbose_name = _("precedence")
        verbose_name_plural = _("precedences")
        constraints = [
            models.UniqueConstraint(fields=["before", "after"], name="clinical_precedence_unique"),
            models.CheckConstraint(condition=~Q(before=F("after")), name="clinical_precedence_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"
