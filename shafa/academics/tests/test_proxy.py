"""The reverse proxy's admission of registration writes (deploy/nginx/shafa.conf.template)."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from shafa.academics import proxy
from shafa.academics.admission import RETRY_AFTER_SECONDS, registration_gate
from shafa.academics.proxy import registration_write_patterns, render_nginx_config, standalone_nginx_config

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
# CI installs nginx and sets SHAFA_REQUIRE_NGINX=1: there a missing nginx fails instead of skipping.
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("SHAFA_REQUIRE_NGINX"),
    reason="nginx is not installed (apt install nginx-light)",
)
SAMPLE = {"int": "7", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x/y"}


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every route of the URLconf as a sample path (converters filled in) and its view."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # a regular-expression route (the admin's): no registration write lives there
        route = str(pattern.pattern)
        for kind, value in SAMPLE.items():
            while f"<{kind}:" in route:
                start = route.index(f"<{kind}:")
                route = route[:start] + value + route[route.index(">", start) + 1 :]
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route:
            yield "/" + prefix + route, pattern.callback


def _proxy_counts(method: str, path: str) -> bool:
    return any(expression.match(f"{method}:{path}") for expression in registration_write_patterns())


def test_the_proxy_admits_exactly_the_writes_the_app_gates() -> None:
    routes = list(_routes(get_resolver().url_patterns))
    gated = [path for path, view in routes if getattr(view, "admission_gate", None) is not None]
    assert len(gated) == 7  # the API's and the web UI's add, drop and withdraw, and the UI's form
    for path in gated:
        assert _proxy_counts("POST", path), path
        assert not _proxy_counts("GET", path), path
    for path, view in routes:
        if getattr(view, "admission_gate", None) is None:
            assert not _proxy_counts("POST", path), f"{path} is not gated by the app"


def test_rendering_fills_the_slots_from_the_workers_and_refuses_an_unknown_placeholder(
    tmp_path, monkeypatch
) -> None:
    text = render_nginx_config(
        listen="8080", upstream="127.0.0.1:8000", workers=3, slots_per_worker=4, retry_after=5
    )
    assert "limit_conn shafa_registration 12;" in text
    assert "add_header Retry-After 5 always;" in text
    assert "server 127.0.0.1:8000;" in text and "$request_method" in text  # nginx's own variables stay

    template = tmp_path / "t.conf"
    template.write_text("listen ${LISTEN}; ${SOMETHING_ELSE}", encoding="utf-8")
    monkeypatch.setattr(proxy, "TEMPLATE", template)
    with pytest.raises(ValueError, match="SOMETHING_ELSE"):
        render_nginx_config(listen="80", upstream="u", workers=1)


class _Upstream(BaseHTTPRequestHandler):
    """Stands in for gunicorn: holds each POST until `release` is set, answers everything 201."""

    release = threading.Event()
    arrived = threading.Semaphore(0)

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.command == "POST":
            type(self).arrived.release()
            type(self).release.wait(timeout=10)
        body = b'{"ok": true}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def nginx_in_front() -> Iterator[int]:
    """nginx with the rendered template (one registration slot) in front of the stand-in upstream."""
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    _Upstream.release.clear()
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = _free_port()
    prefix = Path(tempfile.mkdtemp(prefix="shafa-test-nginx-"))
    (prefix / "shafa.conf").write_text(
        render_nginx_config(
            listen=f"127.0.0.1:{port}",
            upstream=f"127.0.0.1:{upstream.server_address[1]}",
            workers=1,
            slots_per_worker=1,
            retry_after=3,
        ),
        encoding="utf-8",
    )
    (prefix / "nginx.conf").write_text(
        standalone_nginx_config(prefix, prefix / "shafa.conf"), encoding="utf-8"
    )
    assert NGINX is not None, "nginx is not installed (apt install nginx-light)"
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        _Upstream.release.set()
        server.terminate()
        server.wait(timeout=10)
        upstream.shutdown()
        shutil.rmtree(prefix, ignore_errors=True)


def _request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=b"{}" if method == "POST" else None, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@needs_nginx
def test_nginx_refuses_registration_writes_beyond_the_slots_in_the_users_language(nginx_in_front) -> None:
    port = nginx_in_front
    held: list[int] = []
    first = threading.Thread(
        target=lambda: held.append(_request(port, "POST", "/api/v1/academics/registrations/")[0])
    )
    first.start()
    assert _Upstream.arrived.acquire(timeout=10)  # the one slot is taken, held by the upstream

    status, headers, body = _request(port, "POST", "/academics/register/add/7/")
    assert status == 429
    assert headers["retry-after"] == "3"
    assert headers["content-type"].startswith("application/json")
    refusal = json.loads(body)
    assert refusal["code"] == "overloaded" and "انتخاب واحد" in refusal["detail"]  # Persian by default

    _status, _headers, body = _request(
        port, "POST", "/api/v1/academics/registrations/", {"Accept-Language": "en-US,en;q=0.9"}
    )
    assert "Registration is very busy" in json.loads(body)["detail"]
    _status, _headers, body = _request(
        port,
        "POST",
        "/api/v1/academics/registrations/",
        {"Cookie": "shafa_language=fa", "Accept-Language": "en"},
    )
    assert "انتخاب واحد" in json.loads(body)["detail"]  # the chosen language wins over the browser's

    # Reads are not counted: they reach the upstream while the slot is held.
    assert _request(port, "GET", "/api/v1/academics/registrations/")[0] == 201
    _Upstream.release.set()
    first.join(timeout=10)
    assert held == [201]
    assert _request(port, "POST", "/api/v1/academics/registrations/")[0] == 201  # the slot is free again


def test_the_command_prints_the_configuration_for_the_workers_behind_it() -> None:
    out = io.StringIO()
    call_command(
        "nginx_config", "--workers", "3", "--upstream", "10.0.0.5:8000", "--listen", "443 ssl", stdout=out
    )
    text = out.getvalue()
    assert f"limit_conn shafa_registration {3 * registration_gate.limit};" in text
    assert "server 10.0.0.5:8000;" in text and "listen 443 ssl;" in text
    assert f"add_header Retry-After {RETRY_AFTER_SECONDS} always;" in text
