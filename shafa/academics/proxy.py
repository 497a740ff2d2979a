"""The reverse proxy's configuration (deploy/nginx/shafa.conf.template), filled from the settings.

nginx admits at most `workers × SHAFA_REGISTRATION_MAX_INFLIGHT` registration writes at once and
answers the rest 429 with `Retry-After` before they reach Python (docs/adr/0002); the app's own
gate (`admission.py`) stays behind it for whatever reaches gunicorn directly.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from django.conf import settings

from .admission import RETRY_AFTER_SECONDS, registration_gate

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "shafa.conf.template"


def render_nginx_config(
    *,
    listen: str,
    upstream: str,
    workers: int,
    retry_after: int | None = None,
    slots_per_worker: int | None = None,
) -> str:
    """The template with its placeholders filled; nginx's own `$variables` are left as they are."""
    per_worker = registration_gate.limit if slots_per_worker is None else slots_per_worker
    rendered = string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
        LISTEN=listen,
        UPSTREAM=upstream,
        REGISTRATION_SLOTS=max(1, workers * per_worker),
        RETRY_AFTER=RETRY_AFTER_SECONDS if retry_after is None else retry_after,
    )
    left = re.findall(r"\$\{\w+\}", rendered)
    if left:
        raise ValueError(f"unfilled placeholders in {TEMPLATE.name}: {', '.join(sorted(set(left)))}")
    return rendered


def registration_write_patterns() -> list[re.Pattern[str]]:
    """The regular expressions the proxy's map matches against "METHOD:/path" for registration writes."""
    text = TEMPLATE.read_text(encoding="utf-8")
    block = re.search(r"map \"\$request_method:\$uri\" \$shafa_registration_write \{(.*?)\}", text, re.S)
    if block is None:
        raise ValueError(f"{TEMPLATE.name} has no $shafa_registration_write map")
    return [
        re.compile(expression) for expression in re.findall(r'"~([^"]+)"\s+"registration";', block.group(1))
    ]


def standalone_nginx_config(prefix: Path, server_config: Path, *, worker_processes: int = 1) -> str:
    """A whole nginx.conf that runs nginx in the foreground with every path under `prefix` and
    includes `server_config` (a rendered template): for the benchmark and the tests."""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes {worker_processes};
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
{temp_paths}
    include {server_config};
}}
"""
