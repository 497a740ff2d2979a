"""`shafa registration_prepare --term 14041`: every active student's credit limit for a term, ahead
of registration day (the registrar's windows page does it for a new window's students by itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shafa.academics.services.registration import ledgers_prepare
from shafa.institution.models import Term


class Command(BaseCommand):
    help = "Work out every active student's credit limit for a term before registration opens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--term", type=int, required=True, help="Term code, e.g. 14041.")

    def handle(self, *args: Any, **options: Any) -> None:
        term = Term.objects.filter(code=options["term"]).first()
        if term is None:
            raise CommandError(f"No term {options['term']}.")
        created = ledgers_prepare(term=term)
        self.stdout.write(f"{created} credit limits prepared for term {term.code}.")
