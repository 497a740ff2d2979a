from django.urls import path

from .views import AuditEventListView

app_name = "core"
urlpatterns = [path("audit-events/", AuditEventListView.as_view(), name="audit-event-list")]
