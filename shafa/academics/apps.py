from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademicsConfig(AppConfig):
    name = "shafa.academics"
    label = "academics"
    verbose_name = _("Academics")

    def ready(self) -> None:
        from shafa.academics import grades_rules  # noqa: F401  (grade permissions and menu entries)
        from shafa.core.navigation import NavEntry, register

        register(
            NavEntry(
                "registration",
                _("Course registration"),
                "academics:register",
                "academics.register",
                icon="journal-plus",
                order=10,
            )
        )
        register(NavEntry("courses", _("Courses"), "academics:courses", None, icon="book", order=43))
        register(
            NavEntry(
                "registrar_sections",
                _("Sections"),
                "academics:sections",
                "academics.manage_registration",
                icon="grid-3x3-gap",
                order=30,
            )
        )
        register(
            NavEntry(
                "registrar_windows",
                _("Registration windows"),
                "academics:windows",
                "academics.manage_registration",
                icon="clock",
                order=31,
            )
        )
        register(
            NavEntry(
                "registrar_overrides",
                _("Registrar overrides"),
                "academics:overrides",
                "academics.manage_registration",
                icon="shield-exclamation",
                order=32,
            )
        )
