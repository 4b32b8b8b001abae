"""A private copy of the real portal's sources, for tests that build or break it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PORTAL_FOLDERS = ("content", "data", "schemas", "hooks")
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


# git's identity for the temporary repositories only; the machine's own git configuration is left out
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Release Test", "GIT_AUTHOR_EMAIL": "release-test@example.invalid",
    "GIT_COMMITTER_NAME": "Release Test", "GIT_COMMITTER_EMAIL": "release-test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
GIT_ENV.pop("GITHUB_ACTIONS", None)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_portal(target: Path) -> Path:
    """The portal's folders and mkdocs.yml, copied into `target` (made if need be); returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PORTAL_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in PORTAL_FILES:
        shutil.copy2(REPO / name, target / name)
    return target
