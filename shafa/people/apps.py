from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shafa.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from shafa.accounts.models import Role
        from shafa.core.dashboard import DashboardPanel, register_panel
        from shafa.core.navigation import NavEntry, register

        from . import views

        register(
            NavEntry(
                "students",
                _("Students"),
                "people:student_list",
                "people.list_students",
                icon="people",
                order=20,
            )
        )
        register(
            NavEntry(
                "faculty",
                _("Faculty members"),
                "people:faculty_list",
                "people.view_facultymember",
                icon="person-badge",
                order=21,
            )
        )
        register(
            NavEntry(
                "preceptors",
                _("Preceptors"),
                "people:preceptor_list",
                "people.view_office_lists",
                icon="clipboard2-pulse",
                order=22,
            )
        )
        for order, (key, role, build) in enumerate(
            [
                ("student", Role.STUDENT, views.student_panel),
                ("faculty", Role.FACULTY, views.faculty_panel),
                ("preceptor", Role.PRECEPTOR, views.preceptor_panel),
                ("registrar", Role.REGISTRAR, views.registrar_panel),
                ("leadership", Role.LEADERSHIP, views.leadership_panel),
                ("research", Role.RESEARCH_OFFICE, views.research_panel),
                ("graduates", Role.GRADUATES_OFFICE, views.graduates_panel),
            ]
        ):
            register_panel(
                DashboardPanel(key, role, f"people/panels/{key}.html", build, order=10 + order * 10)
            )
