from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraduatesConfig(AppConfig):
    name = "shafa.graduates"
    label = "graduates"
    verbose_name = _("Graduates")
