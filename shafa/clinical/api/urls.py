from django.urls import path

from . import views

urlpatterns = [
    path("years/", views.YearListView.as_view(), name="clinical-year-list"),
    path("years/<int:pk>/blocks/", views.BlockListView.as_view(), name="clinical-year-blocks"),
    path("years/<int:pk>/holidays/", views.HolidayListCreateView.as_view(), name="clinical-year-holidays"),
    path("holidays/<int:pk>/", views.HolidayDetailView.as_view(), name="clinical-holiday-detail"),
    path("years/<int:pk>/learners/", views.LearnerListEnrolView.as_view(), name="clinical-year-learners"),
    path(
        "enrollments/<int:pk>/eligibility/",
        views.LearnerEligibilityView.as_view(),
        name="clinical-enrollment-eligibility",
    ),
    path("enrollments/<int:pk>/leave/", views.LearnerLeaveView.as_view(), name="clinical-enrollment-leave"),
    path("leaves/<int:pk>/", views.LeaveDetailView.as_view(), name="clinical-leave-detail"),
    path("years/<int:pk>/offerings/", views.OfferingListView.as_view(), name="clinical-year-offerings"),
    path("years/<int:pk>/runs/", views.RunListCreateView.as_view(), name="clinical-year-runs"),
    path("years/<int:pk>/replan/", views.ReplanView.as_view(), name="clinical-year-replan"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="clinical-run-detail"),
    path("runs/<int:pk>/schedule/", views.RunScheduleView.as_view(), name="clinical-run-schedule"),
    path("runs/<int:pk>/publish/", views.RunPublishView.as_view(), name="clinical-run-publish"),
    path("me/schedule/", views.MyScheduleView.as_view(), name="clinical-my-schedule"),
    path("sites/<int:pk>/schedule/", views.SiteScheduleView.as_view(), name="clinical-site-schedule"),
    path("agreements/", views.AgreementListCreateView.as_view(), name="clinical-agreements"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="clinical-agreement-detail"),
    path("swap-requests/", views.SwapRequestListCreateView.as_view(), name="clinical-swap-requests"),
    path("swap-requests/<int:pk>/decide/", views.SwapDecisionView.as_view(), name="clinical-swap-decide"),
    path(
        "programs/<int:pk>/rotations/",
        views.RotationListCreateView.as_view(),
        name="clinical-program-rotations",
    ),
    path("rotations/<int:pk>/", views.RotationDetailView.as_view(), name="clinical-rotation-detail"),
    path(
        "programs/<int:pk>/rotation-groups/",
        views.RotationGroupListCreateView.as_view(),
        name="clinical-program-groups",
    ),
    path("rotation-groups/<int:pk>/", views.RotationGroupDetailView.as_view(), name="clinical-group-detail"),
    path(
        "programs/<int:pk>/precedences/",
        views.PrecedenceListCreateView.as_view(),
        name="clinical-program-precedences",
    ),
    path("precedences/<int:pk>/", views.PrecedenceDetailView.as_view(), name="clinical-precedence-detail"),
]
