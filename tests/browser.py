"""Finding and launching the system Chromium for the real-browser tests (no download)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .conftest import ROOT

#: Launch flags that keep a headless Chromium quiet on a closed network: without the
#: background-networking flags it keeps trying to reach update and sync services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Screenshots and PDFs the tests take: kept for people to look at, never committed.
ARTIFACTS = ROOT / "build" / "test-artifacts"


def chromium_path() -> str | None:
    """The browser to drive: $FORCECHECK_CHROMIUM, else Debian's /usr/bin/chromium."""
    chosen = os.environ.get("FORCECHECK_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed: pip install -e '.[test]'"
    if chromium_path() is None:
        return (
            "no Chromium ($FORCECHECK_CHROMIUM or /usr/bin/chromium): "
            "run `sh scripts/install-browser`"
        )
    return None
