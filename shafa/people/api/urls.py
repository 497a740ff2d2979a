from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "people"

router = SimpleRouter()
router.register("people/students", views.StudentViewSet, basename="student")
router.register("people/faculty", views.FacultyViewSet, basename="faculty")
router.register("people/preceptors", views.PreceptorViewSet, basename="preceptor")

urlpatterns = [path("me/", views.MeView.as_view(), name="me"), *router.urls]
