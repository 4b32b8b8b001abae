"""Find a Chromium for the browser tests: `python tests/chromium.py` prints its path, or exits 1.

Looked for in this order: $CHROMIUM; Debian's `chromium` package; Chrome or
Chromium on the PATH; the browser `playwright install chromium` downloads
(`make browser` does that where apt-get cannot install Debian's package).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

COMMANDS = ("chromium", "google-chrome", "google-chrome-stable", "chromium-browser")
# Chromium's own background traffic (updates, safe browsing, sync) would be requests to third parties.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for command in COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    return _playwright_download()


def _playwright_download() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        path = playwright.chromium.executable_path
    return path if path and Path(path).is_file() else None


if __name__ == "__main__":
    path = find_chromium()
    if path is None:
        sys.exit(1)
    print(path)
