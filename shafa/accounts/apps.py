from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shafa.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from shafa.core.dashboard import DashboardPanel, register_panel
        from shafa.core.navigation import NavEntry, register

        from .models import Role
        from .views import administrator_panel

        register(NavEntry("security", _("Security"), "accounts:security", None, icon="shield-lock", order=98))
        register_panel(
            DashboardPanel(
                "administrator",
                Role.ADMINISTRATOR,
                "accounts/panels/administrator.html",
                administrator_panel,
                order=90,
            )
        )
