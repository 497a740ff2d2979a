from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionConfig(AppConfig):
    name = "shafa.institution"
    label = "institution"
    verbose_name = _("Institution")

    def ready(self) -> None:
        from shafa.accounts.models import Role
        from shafa.core.dashboard import DashboardPanel, register_about, register_panel
        from shafa.core.navigation import NavEntry, register

        from .views import about_context, coordinator_panel

        register(
            NavEntry("schools", _("Schools"), "institution:school_list", None, icon="building", order=40)
        )
        register(
            NavEntry(
                "programs", _("Programs"), "institution:program_list", None, icon="mortarboard", order=41
            )
        )
        register(NavEntry("terms", _("Terms"), "institution:term_list", None, icon="calendar3", order=42))
        register(
            NavEntry("sites", _("Clinical sites"), "institution:site_list", None, icon="hospital", order=43)
        )
        register_panel(
            DashboardPanel(
                "coordinator",
                Role.CLINICAL_COORDINATOR,
                "institution/panels/coordinator.html",
                coordinator_panel,
                order=50,
            )
        )
        register_about("institution", about_context)
