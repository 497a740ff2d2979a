"""The public transcript check for the site root.

Mounted by `path("verify/", include("shafa.academics.verify_urls"))` in config/urls.py.
"""

from django.urls import path

from . import grades_views

app_name = "verify"

urlpatterns = [path("<str:code>/", grades_views.transcript_verify, name="transcript")]
