from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("students/", views.student_list, name="student_list"),
    path("students/admit/", views.student_admit, name="student_admit"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/status/", views.student_status, name="student_status"),
    path("faculty/", views.faculty_list, name="faculty_list"),
    path("faculty/<int:pk>/", views.faculty_detail, name="faculty_detail"),
    path("preceptors/", views.preceptor_list, name="preceptor_list"),
]
