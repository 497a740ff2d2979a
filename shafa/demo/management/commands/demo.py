"""`shafa demo`: load the demo university (fictional people) at a chosen scale."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from shafa.core.text import digits_to_persian
from shafa.demo import generate


class Command(BaseCommand):
    help = "Load the demo university (Qazvin University of Medical Sciences, fictional people)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(generate.SCALES),
            default="qums",
            help="small (≈200 students), qums (≈5,000) or large (≈25,000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=generate.DEFAULT_SEED,
            help="Seed of the generator; the same seed gives the same people.",
        )
        parser.add_argument("--reset", action="store_true", help="Delete the demo data first.")
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument(
            "--language",
            choices=["fa", "en"],
            default="fa",
            help="Language of the output (default: Persian).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        if options["logins"]:
            self.print_logins()
            return
        if options["reset"]:
            try:
                deleted = generate.reset()
            except generate.DemoError as exc:
                raise CommandError(_("The demo could not be reset: %(error)s") % {"error": exc}) from exc
            if deleted:
                self.say(_("Demo data deleted: %(rows)s rows.") % {"rows": sum(deleted.values())})
        started = time.perf_counter()
        try:
            result = generate.load(
                scale=options["scale"], seed=options["seed"], password=settings.SHAFA_DEMO_PASSWORD
            )
        except generate.DemoError as exc:
            raise CommandError(_("The demo could not be loaded: %(error)s") % {"error": exc}) from exc
        seconds = time.perf_counter() - started
        if result.already_loaded:
            self.say(
                _("The demo (scale %(scale)s, seed %(seed)s) is already loaded; nothing changed.")
                % {"scale": result.scale, "seed": result.seed}
            )
        else:
            self.say(
                _("Demo loaded: scale %(scale)s, seed %(seed)s, in %(seconds).1f s.")
                % {"scale": result.scale, "seed": result.seed, "seconds": seconds},
                style=self.style.SUCCESS,
            )
        for name, count in result.counts.items():
            self.say(f"  {name}: {count}")
        self.say(_("The people in the demo are fictional."))
        self.print_logins()

    def say(self, text: str, style: Any = None) -> None:
        """Persian digits in Persian output (but never inside usernames or the password)."""
        if translation.get_language() == "fa":
            text = digits_to_persian(text)
        self.stdout.write(style(text) if style else text)

    def print_logins(self) -> None:
        logins = generate.persona_logins()
        if not logins:
            self.say(_("No demo logins: load the demo first with `shafa demo`."))
            return
        # The password is printed as it must be typed: ASCII digits even in Persian.
        self.stdout.write(
            _("Demo logins (password: %(password)s):") % {"password": settings.SHAFA_DEMO_PASSWORD}
        )
        for role, username, name in logins:
            self.stdout.write(f"  {username:<12} {role:<22} {name}")
