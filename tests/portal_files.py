"""A private copy of the real portal's sources, for tests that build or break it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PORTAL_FOLDERS = ("content", "data", "schemas", "hooks", "overrides")
PORTAL_FILES = ("mkdocs.yml",)
# the `crimeportal` console script beside this Python: .venv/bin/crimeportal, or .venv\\Scripts\\crimeportal.exe
CONSOLE_SCRIPT = Path(sys.executable).parent / ("crimeportal.exe" if os.name == "nt" else "crimeportal")


def posix_output(text: str) -> str:
    """What a command printed, with the platform's path separator written '/', so that one expected message serves
    every platform; on macOS and Linux it is the text itself. tests/test_windows.py checks the native form."""
    if os.sep == "/" or _is_json(text):  # JSON names files with '/' everywhere, and its escapes are backslashes
        return text
    return text.replace(os.sep, "/")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def copy_portal(target: Path) -> Path:
    """The portal's folders and mkdocs.yml, copied into `target` (made if need be); returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PORTAL_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in PORTAL_FILES:
        shutil.copy2(REPO / name, target / name)
    return target
