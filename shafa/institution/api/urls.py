from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "institution"

router = SimpleRouter()
router.register("schools", views.SchoolViewSet, basename="school")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("academic-years", views.AcademicYearViewSet, basename="academic-year")
router.register("terms", views.TermViewSet, basename="term")
router.register("campuses", views.CampusViewSet, basename="campus")
router.register("counties", views.CountyViewSet, basename="county")
router.register("clinical-sites", views.ClinicalSiteViewSet, basename="clinical-site")

urlpatterns = [path("university/", views.UniversityView.as_view(), name="university"), *router.urls]
