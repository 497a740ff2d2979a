"""Sections of a course in a term: instructors, capacity with its seat counter, meetings and exam."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shafa.core.audit import AuditedModel
from shafa.institution.models import Term
from shafa.people.models import FacultyMember

from .courses import Course


class Section(AuditedModel):
    """One offering of a course in a term. `seats_taken` is changed only by conditional UPDATEs."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sections")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sections")
    number = models.PositiveSmallIntegerField(_("section number"), default=1)
    instructors = models.ManyToManyField(FacultyMember, related_name="sections", blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    exam_at = models.DateTimeField(_("final exam"), null=True, blank=True)
    exam_minutes = models.PositiveSmallIntegerField(_("exam duration (minutes)"), default=120)
    is_open = models.BooleanField(_("open for registration"), default=True)
    waitlist_limit = models.PositiveIntegerField(
        _("waitlist limit"), default=50, help_text=_("0 disables the waitlist for this section.")
    )
    notes_fa = models.CharField(_("notes (Persian)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["term", "course__code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "course", "number"], name="academics_section_number_unique"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="academics_section_capacity_positive"),
            models.CheckConstraint(condition=Q(seats_taken__gte=0), name="academics_section_seats_ge_0"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="academics_section_seats_le_capacity"
            ),
        ]
        indexes = [models.Index(fields=["term", "course"], name="acad_section_term_idx")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The seat counter belongs to the registration services' conditional UPDATEs: an ordinary
        # save (a registrar editing the section) must never write back a stale count.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "seats_taken"
            ]
        super().save(*args, **kwargs)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def __str__(self) -> str:
        return f"{self.course.code}-{self.number:02d} ({self.term})"


class Weekday(models.IntegerChoices):
    """The Iranian week starts on Saturday."""

    SATURDAY = 0, _("Saturday")
    SUNDAY = 1, _("Sunday")
    MONDAY = 2, _("Monday")
    TUESDAY = 3, _("Tuesday")
    WEDNESDAY = 4, _("Wednesday")
    THURSDAY = 5, _("Thursday")
    FRIDAY = 6, _("Friday")


class WeekParity(models.TextChoices):
    EVERY = "every", _("Every week")
    ODD = "odd", _("Odd weeks")
    EVEN = "even", _("Even weeks")


class Meeting(models.Model):
    """A weekly class meeting of a section."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="meetings")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    weeks = models.CharField(_("weeks"), max_length=5, choices=WeekParity.choices, default=WeekParity.EVERY)
    room = models.CharField(_("room"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="academics_meeting_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="academics_meeting_weekday_range"
            ),
            models.CheckConstraint(
                condition=Q(weeks__in=[choice.value for choice in WeekParity]),
                name="academics_meeting_weeks_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def overlaps(self, other: Meeting) -> bool:
        if self.weekday != other.weekday:
            return False
        if WeekParity.EVERY not in (self.weeks, other.weeks) and self.weeks != other.weeks:
            return False
        return self.start_time < other.end_time and other.start_time < self.end_time
