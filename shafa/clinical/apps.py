from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    name = "shafa.clinical"
    label = "clinical"
    verbose_name = _("Clinical training")

    def ready(self) -> None:
        from shafa.accounts.models import Role
        from shafa.core.dashboard import DashboardPanel, register_panel
        from shafa.core.navigation import NavEntry, register
        from shafa.people.access import register_learner_scope

        from . import (
            rules,  # noqa: F401  (registers the permissions)
            views,
        )
        from .access import preceptor_learner_scope

        register_learner_scope(preceptor_learner_scope)
        register(
            NavEntry(
                key="clinical-coordinator",
                label=_("Clinical years"),
                url_name="clinical:year_list",
                permission="clinical.manage",
                icon="calendar3-range",
                order=40,
            )
        )
        register(
            NavEntry(
                key="clinical-agreements",
                label=_("Site agreements"),
                url_name="clinical:agreement_list",
                permission="clinical.manage",
                icon="file-earmark-text",
                order=43,
            )
        )
        register(
            NavEntry(
                key="clinical-mine",
                label=_("My rotations"),
                url_name="clinical:my_schedule",
                permission="clinical.view_my_schedule",
                icon="calendar-check",
                order=41,
            )
        )
        register(
            NavEntry(
                key="clinical-sites",
                label=_("Learners at my site"),
                url_name="clinical:site_list",
                permission="clinical.view_site_schedules",
                icon="hospital",
                order=42,
            )
        )
        for order, (key, role, build) in enumerate(
            [
                ("clinical-coordinator", Role.CLINICAL_COORDINATOR, views.coordinator_panel),
                ("clinical-learner", Role.STUDENT, views.learner_panel),
                ("clinical-preceptor", Role.PRECEPTOR, views.preceptor_panel),
            ]
        ):
            register_panel(
                DashboardPanel(key, role, f"clinical/panels/{key[9:]}.html", build, order=15 + order)
            )
