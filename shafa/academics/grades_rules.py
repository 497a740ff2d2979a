"""Who may do what with grades, appeals, standing, evaluation and transcripts (django-rules).

Imported by the grades views and API; the app's `ready()` should import it too so navigation sees
the permissions before any grades page is loaded.
"""

from __future__ import annotations

from typing import Any

import rules

from shafa.accounts.rules import is_administrator, is_faculty, is_leadership, is_registrar, is_student

is_registrar_office = is_registrar | is_administrator


@rules.predicate
def teaches_section(user: Any, section: Any) -> bool:
    if section is None or not getattr(user, "is_authenticated", False):
        return False
    return section.instructors.filter(person__user=user).exists()


@rules.predicate
def teaches_appeal_section(user: Any, appeal: Any) -> bool:
    if appeal is None:
        return False
    return bool(teaches_section(user, appeal.grade.sheet.section))


@rules.predicate
def is_own_student_record(user: Any, student: Any) -> bool:
    return student is not None and student.person.user_id == getattr(user, "pk", None)


@rules.predicate
def advises_student(user: Any, student: Any) -> bool:
    return (
        student is not None and student.advisor_id is not None and student.advisor.person.user_id == user.pk
    )


@rules.predicate
def owns_transcript(user: Any, transcript: Any) -> bool:
    return transcript is not None and transcript.student.person.user_id == getattr(user, "pk", None)


rules.add_perm("academics.enter_grades", teaches_section | is_registrar_office)
rules.add_perm("academics.view_grade_sheet", teaches_section | is_registrar_office | is_leadership)
rules.add_perm("academics.teach", is_faculty)
rules.add_perm("academics.manage_grades", is_registrar_office)
rules.add_perm("academics.view_own_grades", is_student)
rules.add_perm("academics.answer_appeal", teaches_appeal_section | is_registrar_office)
rules.add_perm(
    "academics.view_standing", is_own_student_record | advises_student | is_registrar_office | is_leadership
)
rules.add_perm("academics.evaluate_teachers", is_student)
rules.add_perm("academics.view_evaluation_summary", teaches_section | is_registrar_office | is_leadership)
rules.add_perm("academics.issue_transcript", is_own_student_record | is_registrar_office)
rules.add_perm("academics.view_transcript", owns_transcript | is_registrar_office)
rules.add_perm("academics.manage_transcripts", is_registrar_office)


def register_navigation() -> None:
    """Menu entries of the grades pages (idempotent; the app's ready() may call it)."""
    from django.utils.translation import gettext_lazy as _

    from shafa.core.navigation import NavEntry, register

    register(
        NavEntry(
            "grades_mine",
            _("My grades"),
            "academics:my_grades",
            "academics.view_own_grades",
            "mortarboard",
            11,
        )
    )
    register(
        NavEntry(
            "grades_transcripts",
            _("My transcripts"),
            "academics:my_transcripts",
            "academics.view_own_grades",
            "file-earmark-text",
            12,
        )
    )
    register(
        NavEntry(
            "grades_teaching",
            _("Grade entry"),
            "academics:grades_teaching",
            "academics.teach",
            "pencil-square",
            20,
        )
    )
    register(
        NavEntry(
            "grades_registrar",
            _("Grade sheets"),
            "academics:registrar_grade_sheets",
            "academics.manage_grades",
            "check2-square",
            33,
        )
    )
    register(
        NavEntry(
            "grades_transcripts_registrar",
            _("Transcripts"),
            "academics:registrar_transcripts",
            "academics.manage_transcripts",
            "files",
            34,
        )
    )


register_navigation()
