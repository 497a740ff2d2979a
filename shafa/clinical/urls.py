from django.urls import path

from . import views

app_name = "clinical"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:pk>/", views.year_detail, name="year_detail"),
    path("years/<int:pk>/holidays/", views.holiday_add, name="holiday_add"),
    path("holidays/<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
    path("years/<int:pk>/learners/", views.year_learners, name="year_learners"),
    path("years/<int:pk>/leave/", views.leave_add, name="leave_add"),
    path("leaves/<int:pk>/remove/", views.leave_remove, name="leave_remove"),
    path("enrollments/<int:pk>/eligibility/", views.enrollment_eligibility, name="enrollment_eligibility"),
    path("years/<int:pk>/window/", views.year_window, name="year_window"),
    path("years/<int:pk>/runs/", views.run_create, name="run_create"),
    path("years/<int:pk>/compare/", views.run_compare, name="run_compare"),
    path("years/<int:pk>/swaps/", views.swap_queue, name="swap_queue"),
    path("years/<int:pk>/replan/", views.replan, name="replan"),
    path("years/<int:pk>/offerings/", views.offering_add, name="offering_add"),
    path("offerings/capacity/", views.offering_capacity, name="offering_capacity"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("assignments/<int:pk>/move/", views.assignment_move, name="assignment_move"),
    path("assignments/<int:pk>/lock/", views.assignment_lock, name="assignment_lock"),
    path("swaps/<int:pk>/decide/", views.swap_decide, name="swap_decide"),
    path("me/", views.my_schedule, name="my_schedule"),
    path("me/<int:pk>/preferences/", views.my_preferences, name="my_preferences"),
    path("me/<int:pk>/swap/", views.my_swap_request, name="my_swap_request"),
    path("me/<int:pk>/calendar.ics", views.my_calendar, name="my_calendar"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views.agreement_edit, name="agreement_edit"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
]
