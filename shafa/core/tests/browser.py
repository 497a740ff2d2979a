"""Browser tests drive Debian's chromium through Playwright (`playwright install` cannot download)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "Debian's chromium is not installed at /usr/bin/chromium (apt install chromium)"


def chromium_available() -> bool:
    """CI sets SHAFA_REQUIRE_BROWSER=1: there a missing chromium fails the browser tests."""
    return CHROMIUM.exists() or bool(os.environ.get("SHAFA_REQUIRE_BROWSER"))


# Mark a browser test module with `pytestmark = BROWSER` (the `browser_page` fixture is in conftest).
BROWSER = [pytest.mark.browser, pytest.mark.skipif(not chromium_available(), reason=NO_CHROMIUM)]
