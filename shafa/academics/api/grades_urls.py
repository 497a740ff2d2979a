"""Grades API; included by `api/urls.py` of academics under `grades/` (→ /api/v1/academics/grades/)."""

from django.urls import path

from . import grades_views as views

urlpatterns = [
    path("sections/<int:pk>/", views.GradeSheetView.as_view(), name="grade-sheet"),
    path(
        "sections/<int:pk>/grades/<int:registration_id>/", views.GradeEntryView.as_view(), name="grade-entry"
    ),
    path(
        "sections/<int:pk>/submit/",
        views.GradeSheetActionView.as_view(action_name="submit"),
        name="grade-sheet-submit",
    ),
    path(
        "sections/<int:pk>/finalise/",
        views.GradeSheetActionView.as_view(action_name="finalise"),
        name="grade-sheet-finalise",
    ),
    path(
        "sections/<int:pk>/reopen/",
        views.GradeSheetActionView.as_view(action_name="reopen"),
        name="grade-sheet-reopen",
    ),
    path("mine/", views.MyGradesView.as_view(), name="my-grades"),
    path("mine/<int:grade_id>/appeals/", views.AppealCreateView.as_view(), name="appeal-create"),
    path("appeals/<int:pk>/answer/", views.AppealAnswerView.as_view(), name="appeal-answer"),
    path("standing/", views.StandingView.as_view(), name="my-standing"),
    path("standing/<int:student_id>/", views.StudentStandingView.as_view(), name="student-standing"),
    path("evaluation/<int:section_id>/", views.EvaluationView.as_view(), name="evaluation"),
    path(
        "evaluation/<int:section_id>/summary/",
        views.EvaluationSummaryView.as_view(),
        name="evaluation-summary",
    ),
    path("transcripts/", views.TranscriptsView.as_view(), name="transcripts"),
    path("transcripts/<int:pk>/pdf/", views.TranscriptPdfView.as_view(), name="transcript-pdf"),
    path("transcript-batches/", views.TranscriptBatchesView.as_view(), name="transcript-batches"),
    path("transcript-batches/<int:pk>/", views.TranscriptBatchView.as_view(), name="transcript-batch"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="transcript-verify"),
]
