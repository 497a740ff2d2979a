"""Mounted by shafa/api/urls.py under `v1/academics/`."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from shafa.academics.admission import admission_controlled

from . import views

app_name = "academics"

router = SimpleRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("sections", views.SectionViewSet, basename="section")

gated = admission_controlled()

urlpatterns = [
    path("registrations/", gated(views.RegistrationsView.as_view()), name="registrations"),
    path(
        "registrations/<int:pk>/drop/", gated(views.RegistrationDropView.as_view()), name="registration-drop"
    ),
    path(
        "registrations/<int:pk>/withdraw/",
        gated(views.RegistrationWithdrawView.as_view()),
        name="registration-withdraw",
    ),
    path("waitlist/", views.WaitlistView.as_view(), name="waitlist"),
    path("overrides/", views.OverridesView.as_view(), name="overrides"),
    *router.urls,
]

# Grades, appeals, standing, evaluation and transcripts (grades engineer).
from django.urls import include  # noqa: E402

urlpatterns.append(path("grades/", include("shafa.academics.api.grades_urls")))
