import os

from django.urls import include, path

from . import views

app_name = "academics"

urlpatterns = [
    path("register/", views.register_page, name="register"),
    path("register/add/<int:section_id>/", views.register_add, name="register_add"),
    path("register/form/", views.register_form, name="register_form"),
    path("register/drop/<int:pk>/", views.register_drop, name="register_drop"),
    path("register/withdraw/<int:pk>/", views.register_withdraw, name="register_withdraw"),
    path("courses/", views.course_list_page, name="courses"),
    path("registrar/sections/", views.section_admin_list, name="sections"),
    path("registrar/sections/<int:pk>/", views.section_admin_detail, name="section_detail"),
    path("registrar/windows/", views.window_list, name="windows"),
    path("registrar/overrides/", views.override_page, name="overrides"),
]

if os.environ.get("SHAFA_BENCH") == "1":
    # The benchmark's baseline: the cheapest Django view on the same server (bench/registration.py).
    urlpatterns.append(path("bench/bare/", views.bench_bare, name="bench_bare"))

# Grades, standing, evaluation and transcripts.
urlpatterns.append(path("grades/", include("shafa.academics.grades_urls")))  # type: ignore[arg-type]
