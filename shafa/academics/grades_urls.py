"""Grades, standing, evaluation and transcript pages; included by `academics/urls.py` under `grades/`."""

from django.urls import path

from . import grades_views as views

urlpatterns = [
    path("teaching/", views.teaching, name="grades_teaching"),
    path("sections/<int:pk>/", views.grade_sheet, name="grade_sheet"),
    path("sections/<int:pk>/grade/<int:registration_id>/", views.grade_row, name="grade_row"),
    path("sections/<int:pk>/export.<str:fmt>", views.grade_sheet_export, name="grade_sheet_export"),
    path("sections/<int:pk>/evaluation/", views.evaluation_results, name="evaluation_results"),
    path("sections/<int:pk>/<str:action>/", views.grade_sheet_action, name="grade_sheet_action"),
    path("appeals/<int:pk>/answer/", views.appeal_answer, name="appeal_answer"),
    path("mine/", views.my_grades, name="my_grades"),
    path("mine/<int:grade_id>/appeal/", views.appeal_create, name="appeal_create"),
    path("evaluate/<int:section_id>/", views.evaluate, name="evaluate"),
    path("standing/", views.standing_page, name="my_standing"),
    path("standing/<int:student_id>/", views.standing_page, name="student_standing"),
    path("transcripts/", views.my_transcripts, name="my_transcripts"),
    path("transcripts/<int:pk>/download/", views.transcript_download, name="transcript_download"),
    path("registrar/sheets/", views.registrar_grade_sheets, name="registrar_grade_sheets"),
    path("registrar/transcripts/", views.registrar_transcripts, name="registrar_transcripts"),
    path("registrar/batches/<int:pk>/", views.batch_progress, name="batch_progress"),
    path("verify/<str:code>/", views.transcript_verify, name="transcript_verify"),
]
