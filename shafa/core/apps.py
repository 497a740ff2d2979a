from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "shafa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .navigation import NavEntry, register

        # A context: django.contrib.admin translates a bare "Home" otherwise, and it is listed first.
        register(
            NavEntry("home", pgettext_lazy("navigation", "Home"), "core:home", None, icon="house", order=0)
        )
        register(NavEntry("about", _("About the university"), "core:about", None, icon="bank", order=90))
        register(
            NavEntry(
                "audit", _("Audit log"), "core:audit", "accounts.view_audit", icon="journal-check", order=95
            )
        )
