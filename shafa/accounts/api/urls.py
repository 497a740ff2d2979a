from django.urls import path

from .views import TokenObtainView

app_name = "auth"
urlpatterns = [path("token/", TokenObtainView.as_view(), name="token")]
