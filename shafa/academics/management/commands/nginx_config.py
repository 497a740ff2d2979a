"""Print the nginx configuration for Shafa (deploy/nginx/shafa.conf.template, filled in)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shafa.academics.proxy import render_nginx_config


class Command(BaseCommand):
    help = (
        "Print the nginx server configuration for Shafa: reverse proxy to gunicorn, and admission "
        "of registration writes (workers x SHAFA_REGISTRATION_MAX_INFLIGHT at once, the rest 429)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listen", default="8080", help="nginx's listen directive, e.g. '443 ssl'")
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's address")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes behind it")
        parser.add_argument("--retry-after", type=int, default=None, help="seconds (default: the setting)")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            render_nginx_config(
                listen=options["listen"],
                upstream=options["upstream"],
                workers=options["workers"],
                retry_after=options["retry_after"],
            ),
            ending="",
        )
