"""Per-role permissions on every grades, standing, evaluation and transcript page and endpoint.

Roles: the section's instructor (Tehrani), another faculty member (Ahmadi), the student whose
record it is (Sara), another student (Reza), the registrar (Maryam), and an anonymous visitor.
"""
# ruff: noqa: F811  (pytest fixtures imported from grades_fixtures are redefined as arguments)

from __future__ import annotations

import pytest
from django.urls import reverse

from shafa.academics.models import Grade, GradeAppeal, GradeSheetStatus, TranscriptBatch
from shafa.academics.services.evaluation import evaluation_submit
from shafa.academics.services.grades import grade_appeal_create, grade_enter, grade_sheet_submit
from shafa.academics.services.transcripts import transcript_issue

from .grades_fixtures import (  # noqa: F401
    answers_for,
    enrol,
    faculty_ahmadi,
    grade_term,
    make_taught_section,
    questionnaire,
    taught_section,
)

ANON = "anonymous"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SHAFA_JOBS_MODE = "sync"


@pytest.fixture
def world(
    taught_section,
    grade_term,
    questionnaire,
    student_sara,
    student_reza,
    faculty_tehrani,
    faculty_ahmadi,
    registrar_maryam,
):
    """A submitted sheet with an open appeal by Sara, a draft sheet, and a transcript of Sara."""
    teacher = faculty_tehrani.person.user
    sara_reg, reza_reg = enrol(student_sara, taught_section), enrol(student_reza, taught_section)
    grade_enter(actor=teacher, registration=sara_reg, value="14")
    grade_enter(actor=teacher, registration=reza_reg, value="16")
    grade_sheet_submit(actor=teacher, section=taught_section)
    evaluation_submit(student=student_sara, section=taught_section, answers=answers_for(questionnaire))
    grade = Grade.objects.get(registration=sara_reg)
    appeal = grade_appeal_create(
        actor=student_sara.person.user, grade=grade, text="Please re-check question 2"
    )
    draft = make_taught_section(grade_term, faculty_tehrani, number=2)
    draft_reg = enrol(student_sara, draft)
    transcript = transcript_issue(actor=registrar_maryam, student=student_sara, language="fa")
    return {
        "section": taught_section,
        "draft": draft,
        "draft_reg": draft_reg,
        "grade": grade,
        "appeal": appeal,
        "transcript": transcript,
        "users": {
            "instructor": teacher,
            "faculty": faculty_ahmadi.person.user,
            "student": student_sara.person.user,
            "other_student": student_reza.person.user,
            "registrar": registrar_maryam,
            ANON: None,
        },
        "sara": student_sara,
    }


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def check(client, world, method, url, expected, data=None, **extra):
    for role, status in expected.items():
        response = getattr(_as(client, world["users"][role]), method)(url, data or {}, **extra)
        assert response.status_code == status, (role, url, response.status_code)


def _ui(name, *args):
    return reverse(f"academics:{name}", args=args)


def test_grade_sheet_pages(client, world):
    pk = world["section"].pk
    for url in (
        _ui("grade_sheet", pk),
        _ui("grade_sheet_export", pk, "csv"),
        _ui("grade_sheet_export", pk, "xlsx"),
        _ui("evaluation_results", pk),
    ):
        check(
            client,
            world,
            "get",
            url,
            {
                "instructor": 200,
                "registrar": 200,
                "faculty": 403,
                "student": 403,
                "other_student": 403,
                ANON: 302,
            },
        )


def test_teaching_and_registrar_lists(client, world):
    check(
        client,
        world,
        "get",
        _ui("grades_teaching"),
        {"instructor": 200, "faculty": 200, "student": 403, "registrar": 403, ANON: 302},
    )
    for name in ("registrar_grade_sheets", "registrar_transcripts"):
        check(
            client,
            world,
            "get",
            _ui(name),
            {"registrar": 200, "instructor": 403, "faculty": 403, "student": 403, ANON: 302},
        )


def test_student_pages(client, world):
    check(
        client,
        world,
        "get",
        _ui("my_grades"),
        {"student": 200, "instructor": 403, "registrar": 403, ANON: 302},
    )
    for name in ("my_standing", "my_transcripts"):
        check(
            client, world, "get", _ui(name), {"student": 200, "instructor": 404, "registrar": 404, ANON: 302}
        )
    check(
        client,
        world,
        "get",
        _ui("student_standing", world["sara"].pk),
        {
            "student": 200,
            "other_student": 403,
            "instructor": 403,
            "faculty": 403,
            "registrar": 200,
            ANON: 302,
        },
    )
    check(
        client,
        world,
        "get",
        _ui("transcript_download", world["transcript"].pk),
        {"student": 200, "other_student": 403, "instructor": 403, "registrar": 200, ANON: 302},
    )


def test_my_grades_shows_grade_only_after_evaluation(client, world, student_reza):
    page = _as(client, world["users"]["student"]).get(_ui("my_grades")).content.decode()
    assert "۱۴" in page  # Sara evaluated: her grade (Persian digits)
    page = _as(client, world["users"]["other_student"]).get(_ui("my_grades")).content.decode()
    assert "۱۶" not in page and reverse("academics:evaluate", args=[world["section"].pk]) in page


def test_grade_entry_post(client, world):
    url = _ui("grade_row", world["draft"].pk, world["draft_reg"].pk)
    check(client, world, "post", url, {"faculty": 403, "student": 403, "other_student": 403}, {"value": "12"})
    check(client, world, "post", url, {"instructor": 200}, {"value": "12.5"}, HTTP_HX_REQUEST="true")
    assert Grade.objects.get(registration=world["draft_reg"]).value == 12.5
    response = _as(client, world["users"]["instructor"]).post(url, {"value": "12.3"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert Grade.objects.get(registration=world["draft_reg"]).value == 12.5


def test_submit_and_finalise_posts(client, world):
    draft = world["draft"]
    grade_enter(actor=world["users"]["instructor"], registration=world["draft_reg"], value="15")
    submit = _ui("grade_sheet_action", draft.pk, "submit")
    check(client, world, "post", submit, {"faculty": 403, "student": 403})
    check(client, world, "post", submit, {"instructor": 302})
    draft.grade_sheet.refresh_from_db()
    assert draft.grade_sheet.status == GradeSheetStatus.SUBMITTED
    finalise = _ui("grade_sheet_action", draft.pk, "finalise")
    check(
        client, world, "post", finalise, {"instructor": 403, "faculty": 403, "student": 403}, {"reason": "x"}
    )
    check(client, world, "post", finalise, {"registrar": 302}, {"reason": "Early: no appeals expected"})
    draft.grade_sheet.refresh_from_db()
    assert draft.grade_sheet.status == GradeSheetStatus.FINALISED


def test_appeal_posts(client, world, student_reza):
    answer = _ui("appeal_answer", world["appeal"].pk)
    check(
        client,
        world,
        "post",
        answer,
        {"faculty": 403, "student": 403, "other_student": 403},
        {"answer": "ok"},
    )
    check(client, world, "post", answer, {"instructor": 302}, {"answer": "Re-checked", "new_value": "15"})
    assert GradeAppeal.objects.get(pk=world["appeal"].pk).status == "accepted"
    registrar = _as(client, world["users"]["registrar"])
    page = registrar.get(_ui("grade_sheet", world["section"].pk)).content.decode()
    assert "Re-checked" in page  # the change and its reason are listed on the sheet
    create = _ui("appeal_create", world["grade"].pk)
    check(client, world, "post", create, {"other_student": 403}, {"text": "not mine"})


def test_evaluation_form(client, world, student_reza, questionnaire):
    url = _ui("evaluate", world["section"].pk)
    check(client, world, "get", url, {"other_student": 200, "instructor": 403, "registrar": 403, ANON: 302})
    data = {f"q{q.pk}": "5" for q in questionnaire.questions.all()}
    check(client, world, "post", url, {"other_student": 302}, data)
    from shafa.academics.models import EvaluationReceipt

    assert EvaluationReceipt.objects.filter(student=student_reza, section=world["section"]).exists()


def test_verify_page_is_public(client, world):
    transcript = world["transcript"]
    response = _as(client, None).get(_ui("transcript_verify", transcript.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert transcript.content_hash in body and "سارا" in body
    assert _as(client, None).get(_ui("transcript_verify", "NOPE1234NOPE")).status_code == 404


def test_registrar_queues_a_batch(client, world, django_capture_on_commit_callbacks):
    _as(client, world["users"]["registrar"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _ui("registrar_transcripts"),
            {"student_numbers": "۴۰۳۱۱۰۰۰۰۱\n4031100002", "language": "en", "batch": "1"},
        )
    assert response.status_code == 302
    batch = TranscriptBatch.objects.get()
    assert batch.total == 2 and batch.status == "done"
    page = client.get(_ui("batch_progress", batch.pk)).content.decode()
    assert "100" in page or "۱۰۰" in page
    check(client, world, "get", _ui("batch_progress", batch.pk), {"instructor": 403, "student": 403})


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_query_counts_do_not_grow_with_the_roster(client, world, grade_term, faculty_tehrani):
    from shafa.people.tests.factories import StudentFactory

    section = world["section"]
    teacher = _as(client, world["users"]["instructor"])
    sheet_before = _queries(teacher, _ui("grade_sheet", section.pk))
    teaching_before = _queries(teacher, _ui("grades_teaching"))
    for _ in range(6):
        enrol(StudentFactory(), section)
        make_taught_section(grade_term, faculty_tehrani, number=10 + _)
    assert _queries(teacher, _ui("grade_sheet", section.pk)) == sheet_before
    assert _queries(teacher, _ui("grades_teaching")) == teaching_before
    student = _as(client, world["users"]["student"])
    mine_before = _queries(student, _ui("my_grades"))
    for index in range(4):
        enrol(world["sara"], make_taught_section(grade_term, faculty_tehrani, number=30 + index))
    assert _queries(student, _ui("my_grades")) == mine_before
