"""The API: `/api/v1/` routes of each app, the OpenAPI schema and its offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .views import OfflineRedocView

app_name = "api"


v1 = [
    path("auth/", include("shafa.accounts.api.urls")),
    path("institution/", include("shafa.institution.api.urls")),
    path("clinical/", include("shafa.clinical.api.urls")),
    path("academics/", include("shafa.academics.api.urls")),
    path("", include("shafa.people.api.urls")),
    path("", include("shafa.core.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api:schema"), name="redoc"),
]
