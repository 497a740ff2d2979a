"""The demo grade history: the persona's past terms are graded, finalised, visible and on her transcript."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest
from django.db.models import Count, F
from pypdf import PdfReader

from shafa.academics.grades_demo import load_grade_history
from shafa.academics.models import (
    EvaluationAnswer,
    EvaluationReceipt,
    EvaluationResponse,
    Grade,
    GradeSheet,
    GradeSheetStatus,
    Registration,
    RegistrationLedger,
    Section,
)
from shafa.academics.selectors.grades import student_grade_rows
from shafa.academics.selectors.standing import student_standing
from shafa.academics.services.transcripts import transcript_issue
from shafa.accounts.models import User
from shafa.core.models import AuditEvent
from shafa.demo import generate
from shafa.people.models import Student

pytestmark = pytest.mark.django_db

HISTORY_MODELS = (
    Section,
    Registration,
    RegistrationLedger,
    GradeSheet,
    Grade,
    EvaluationReceipt,
    EvaluationResponse,
    EvaluationAnswer,
)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SHAFA_JOBS_MODE = "sync"
    generate.load(scale="small", password="x-demo-pass-1")
    return Student.objects.select_related("program", "entry_term", "person").get(
        person__user__username="student"
    )


def _past_grades(student):
    return Grade.objects.filter(student=student, registration__term__code__lt=14041)


def test_persona_has_finalised_grades_in_past_terms_and_a_plausible_gpa(demo):
    grades = _past_grades(demo)
    terms = set(
        grades.filter(sheet__status=GradeSheetStatus.FINALISED).values_list(
            "registration__term__code", flat=True
        )
    )
    assert len(terms) >= 4 and max(terms) < 14041 and min(terms) >= demo.entry_term.code
    assert not grades.exclude(sheet__status=GradeSheetStatus.FINALISED).exists()
    values = [v for v in grades.values_list("value", flat=True) if v is not None]
    assert all(Decimal(0) <= v <= Decimal(20) and (v * 4) % 1 == 0 for v in values)
    # one failed course, passed when retaken the next term
    failed = grades.filter(value__lt=10)
    assert failed.count() == 1
    retake = grades.filter(registration__course=failed.get().registration.course).exclude(pk=failed.get().pk)
    assert retake.get().value >= 10
    standing = student_standing(demo)
    assert standing.gpa is not None and Decimal(12) <= standing.gpa <= Decimal(20)
    assert len(standing.terms) >= 4 and not any(t.on_probation for t in standing.terms)


def test_denormalised_registrations_counters_and_sheet_times_hold(demo):
    registrations = Registration.objects.filter(term__code__lt=14041)
    assert registrations.exists()
    assert not registrations.exclude(term=F("section__term")).exists()
    assert not registrations.exclude(course=F("section__course")).exists()
    for registration in registrations.select_related("course")[:200]:
        assert registration.credits == registration.course.credits
    sections = Section.objects.filter(term__code__lt=14041).annotate(n=Count("registrations"))
    assert sections.exists()
    for section in sections:
        assert section.seats_taken == section.n <= section.capacity
        assert section.instructors.count() == 1
    for sheet in GradeSheet.objects.filter(section__term__code__lt=14041).select_related("section"):
        assert sheet.section.exam_at < sheet.submitted_at < sheet.appeal_deadline < sheet.finalised_at
        assert sheet.finalised_by_id and sheet.submitted_by_id
    for ledger in RegistrationLedger.objects.filter(term__code__lt=14041)[:100]:
        assert ledger.credits <= ledger.max_credits
    # one anonymous response per receipt and section; every response fully answered
    receipts = dict(
        EvaluationReceipt.objects.values("section").annotate(n=Count("id")).values_list("section", "n")
    )
    responses = dict(
        EvaluationResponse.objects.values("section").annotate(n=Count("id")).values_list("section", "n")
    )
    assert receipts == responses
    questions = (
        EvaluationAnswer.objects.values("response").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert set(questions) == {6}
    # the persona and a sample of her classmates (up to ten at the small scale)
    persona = Student.objects.get(person__user__username="student")
    classmates = Student.objects.filter(
        program=persona.program, entry_term=persona.entry_term, status="active"
    ).count()
    students = Registration.objects.filter(term__code__lt=14041).values("student").distinct().count()
    assert students == min(classmates, 11) and students > 1


def test_persona_sees_her_grades(demo):
    rows = [r for r in student_grade_rows(demo) if r.registration.term.code < 14041]
    assert rows and all(r.visible and not r.needs_evaluation for r in rows)
    assert EvaluationReceipt.objects.filter(student=demo).count() == len(rows)


def test_persian_transcript_has_her_grades(demo):
    registrar = User.objects.get(username="registrar")
    transcript = transcript_issue(actor=registrar, student=demo, language="fa")
    text = "\n".join(page.extract_text() for page in PdfReader(transcript.pdf.path).pages)
    assert "سارا محمدی" in text
    # pypdf reads runs of Persian digits reversed (or not, by version): the student number says which.
    persian = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
    number = demo.student_number.translate(persian)
    runs = re.findall(r"[۰-۹]+", text)
    assert number in runs or number[::-1] in runs
    flip = number not in runs
    lines = text.splitlines()
    graded = [g for g in _past_grades(demo).select_related("registration__course") if g.value is not None]
    assert len(graded) > 20
    for grade in graded:
        shown = f"{grade.value:.2f}".translate(persian)
        shown = shown[::-1] if flip else shown
        code = grade.registration.course.code
        assert any(line.startswith(code) and shown in line for line in lines), (code, shown)
    assert len(transcript.content["terms"]) >= 4


def test_load_is_idempotent(demo):
    before = {model: model.objects.count() for model in (*HISTORY_MODELS, AuditEvent)}
    assert load_grade_history(demo.program.school.university, random.Random(1), "small") == {}
    generate.load(scale="small", password="x-demo-pass-1")
    assert {model: model.objects.count() for model in before} == before


def test_each_history_model_is_audited_once(demo):
    for model in HISTORY_MODELS:
        events = AuditEvent.objects.filter(
            action="bulk_load", model_label=model._meta.label, object_repr__startswith="demo grade history"
        )
        assert events.count() == 1, model
        assert events.get().changes["count"] > 0


def test_admin_lists_open_and_evaluation_answers_stay_anonymous(demo, client):
    from django.contrib import admin
    from django.urls import reverse

    root = User.objects.create_superuser(username="root-h8", password="x-demo-pass-1", email="r@x.invalid")
    client.force_login(root)
    registered = [m for m in admin.site._registry if m._meta.app_label in ("academics", "clinical")]
    assert Grade in registered and EvaluationAnswer in registered
    assert EvaluationResponse not in registered  # responses listed per section could be matched
    for model in registered:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    answers = client.get(reverse("admin:academics_evaluationanswer_changelist")).content.decode()
    assert demo.student_number not in answers and "response" not in answers.lower()
    answer = EvaluationAnswer.objects.first()
    page = client.get(reverse("admin:academics_evaluationanswer_change", args=[answer.pk]))
    assert page.status_code == 200 and str(answer.response_id) not in page.content.decode()
    # services own these rows: no adding through the admin
    assert client.get(reverse("admin:academics_grade_add")).status_code == 403
    assert client.get(reverse("admin:academics_gradechange_add")).status_code == 403
