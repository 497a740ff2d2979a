from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("shafa.accounts.urls")),
    path("institution/", include("shafa.institution.urls")),
    path("people/", include("shafa.people.urls")),
    path("clinical/", include("shafa.clinical.urls")),
    path("academics/", include("shafa.academics.urls")),
    path("api/", include("shafa.api.urls")),
    path("verify/", include("shafa.academics.verify_urls")),
    path("", include("shafa.core.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
