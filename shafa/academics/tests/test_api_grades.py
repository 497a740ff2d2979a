"""Grades API: every endpoint, each role (same rules as the pages), and the OpenAPI schema."""
# ruff: noqa: F811  (pytest fixtures imported from grades_fixtures are redefined as arguments)

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from shafa.academics.models import GradeAppeal, GradeSheetStatus, Transcript, TranscriptBatch

from .grades_fixtures import answers_for, faculty_ahmadi, grade_term, questionnaire, taught_section  # noqa: F401
from .test_views_grades import ANON, media, world  # noqa: F401

BASE = "/api/v1/academics/grades"


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user=user)
    return api


def check(api, world, method, url, expected, data=None):
    for role, status in expected.items():
        response = getattr(_as(api, world["users"][role]), method)(url, data or {}, format="json")
        assert response.status_code == status, (
            role,
            method,
            url,
            response.status_code,
            getattr(response, "data", None),
        )
    return response


def test_grade_sheet_read(api, world):
    url = f"{BASE}/sections/{world['section'].pk}/"
    response = check(
        api,
        world,
        "get",
        url,
        {
            "faculty": 403,
            "student": 403,
            "other_student": 403,
            ANON: 403,
            "instructor": 200,
            "registrar": 200,
        },
    )
    assert response.data["status"] == "submitted"
    assert sorted(row["grade"] for row in response.data["roster"]) == ["14.00", "16.00"]


def test_grade_entry(api, world):
    url = f"{BASE}/sections/{world['draft'].pk}/grades/{world['draft_reg'].pk}/"
    check(api, world, "put", url, {"faculty": 403, "student": 403, ANON: 403}, {"value": "15"})
    response = check(api, world, "put", url, {"instructor": 200}, {"value": "۱۵٫۷۵"})
    assert response.data["value"] == "15.75"
    response = check(api, world, "put", url, {"instructor": 400}, {"value": "15.1"})
    assert response.data["code"] == "invalid_grade"
    # after submission: the instructor is refused, the registrar needs a reason
    locked = f"{BASE}/sections/{world['section'].pk}/grades/{world['grade'].registration_id}/"
    assert (
        check(api, world, "put", locked, {"instructor": 409}, {"value": "15"}).data["code"] == "sheet_locked"
    )
    assert (
        check(api, world, "put", locked, {"registrar": 400}, {"value": "15"}).data["code"]
        == "reason_required"
    )
    check(api, world, "put", locked, {"registrar": 200}, {"value": "15", "reason": "Transcription error"})


def test_sheet_actions(api, world):
    draft = world["draft"]
    check(api, world, "post", f"{BASE}/sections/{draft.pk}/submit/", {"faculty": 403, "student": 403})
    assert (
        check(api, world, "post", f"{BASE}/sections/{draft.pk}/submit/", {"instructor": 409}).data["code"]
        == "incomplete"
    )
    check(
        api,
        world,
        "put",
        f"{BASE}/sections/{draft.pk}/grades/{world['draft_reg'].pk}/",
        {"instructor": 200},
        {"value": "12"},
    )
    assert (
        check(api, world, "post", f"{BASE}/sections/{draft.pk}/submit/", {"instructor": 200}).data["status"]
        == "submitted"
    )
    finalise = f"{BASE}/sections/{draft.pk}/finalise/"
    check(api, world, "post", finalise, {"instructor": 403, "faculty": 403, "student": 403}, {"reason": "x"})
    assert check(api, world, "post", finalise, {"registrar": 409}).data["code"] == "appeal_window_open"
    response = check(
        api, world, "post", finalise, {"registrar": 200}, {"reason": "Early finalisation approved"}
    )
    assert response.data["status"] == GradeSheetStatus.FINALISED
    check(
        api,
        world,
        "post",
        f"{BASE}/sections/{draft.pk}/reopen/",
        {"instructor": 403, "registrar": 409},
        {"reason": "x"},
    )


def test_my_grades_and_appeals(api, world):
    response = check(
        api, world, "get", f"{BASE}/mine/", {"instructor": 403, "registrar": 403, ANON: 403, "student": 200}
    )
    row = next(r for r in response.data if r["section"] == world["section"].pk)
    assert row["visible"] and row["grade"] == "14.00"
    response = check(api, world, "get", f"{BASE}/mine/", {"other_student": 200})
    row = next(r for r in response.data if r["section"] == world["section"].pk)
    assert not row["visible"] and row["grade"] is None and row["needs_evaluation"]
    url = f"{BASE}/mine/{world['grade'].pk}/appeals/"
    check(api, world, "post", url, {"other_student": 403, "instructor": 403}, {"text": "x"})
    assert check(api, world, "post", url, {"student": 409}, {"text": "again"}).data["code"] == "appeal_open"
    answer = f"{BASE}/appeals/{world['appeal'].pk}/answer/"
    check(api, world, "post", answer, {"faculty": 403, "student": 403, "other_student": 403}, {"answer": "x"})
    response = check(api, world, "post", answer, {"instructor": 200}, {"answer": "Mark stands"})
    assert response.data["status"] == "rejected"
    assert GradeAppeal.objects.get(pk=world["appeal"].pk).answered_by == world["users"]["instructor"]


def test_standing(api, world):
    check(api, world, "get", f"{BASE}/standing/", {"student": 200, "instructor": 404, ANON: 403})
    url = f"{BASE}/standing/{world['sara'].pk}/"
    response = check(
        api,
        world,
        "get",
        url,
        {"other_student": 403, "instructor": 403, "faculty": 403, "student": 200, "registrar": 200},
    )
    assert set(response.data) >= {"gpa", "terms", "graduation", "gates", "over_max_duration"}


def test_evaluation(api, world, questionnaire):
    url = f"{BASE}/evaluation/{world['section'].pk}/"
    response = check(api, world, "get", url, {"instructor": 403, "registrar": 403, "student": 200})
    assert response.data["answered"] and len(response.data["questions"]) == 3
    data = {"answers": {str(k): v for k, v in answers_for(questionnaire, 3).items()}}
    check(api, world, "post", url, {"instructor": 403})
    check(api, world, "post", url, {"other_student": 204}, data)
    assert check(api, world, "post", url, {"other_student": 409}, data).data["code"] == "already_evaluated"
    summary = f"{BASE}/evaluation/{world['section'].pk}/summary/"
    response = check(
        api, world, "get", summary, {"faculty": 403, "student": 403, "instructor": 200, "registrar": 200}
    )
    assert response.data["responses"] == 2 and not response.data["shown"] and response.data["questions"] == []


def test_transcripts(api, world):
    check(api, world, "post", f"{BASE}/transcripts/", {"instructor": 404})
    sara = world["sara"]
    check(api, world, "post", f"{BASE}/transcripts/", {"other_student": 403}, {"student": sara.pk})
    response = check(api, world, "post", f"{BASE}/transcripts/", {"student": 201}, {"language": "en"})
    assert len(response.data["code"]) == 12
    response = check(
        api, world, "post", f"{BASE}/transcripts/", {"registrar": 201}, {"student": sara.pk, "language": "fa"}
    )
    transcript = Transcript.objects.get(pk=response.data["id"])
    check(api, world, "get", f"{BASE}/transcripts/", {"student": 200})
    check(
        api,
        world,
        "get",
        f"{BASE}/transcripts/?student={sara.pk}",
        {"other_student": 403, "instructor": 403, "registrar": 200},
    )
    pdf = f"{BASE}/transcripts/{transcript.pk}/pdf/"
    check(api, world, "get", pdf, {"other_student": 403, "instructor": 403, ANON: 403})
    response = _as(api, world["users"]["student"]).get(pdf)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_batches(api, world, django_capture_on_commit_callbacks):
    url = f"{BASE}/transcript-batches/"
    check(
        api,
        world,
        "post",
        url,
        {"instructor": 403, "student": 403, ANON: 403},
        {"students": [world["sara"].pk]},
    )
    _as(api, world["users"]["registrar"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"students": [world["sara"].pk], "language": "fa"}, format="json")
    assert response.status_code == 202
    batch = TranscriptBatch.objects.get(pk=response.data["id"])
    response = check(api, world, "get", f"{url}{batch.pk}/", {"student": 403, "registrar": 200})
    assert response.data["progress"] == 100 and response.data["status"] == "done"


def test_verify_is_anonymous(api, world):
    transcript = world["transcript"]
    api.force_authenticate(user=None)
    response = api.get(f"{BASE}/verify/{transcript.code}/")
    assert (
        response.status_code == 200
        and response.data["valid"]
        and response.data["content_hash"] == transcript.content_hash
    )
    assert api.get(f"{BASE}/verify/XXXX/").status_code == 404


def test_schema_lists_the_grades_endpoints(api, registrar_maryam):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    grades_paths = [path for path in paths if path.startswith(BASE)]
    assert len(grades_paths) == 17
    for suffix in (
        "mine/",
        "standing/",
        "evaluation/{section_id}/",
        "transcripts/",
        "transcript-batches/",
        "verify/{code}/",
    ):
        assert f"{BASE}/{suffix}" in paths, suffix
