"""A private copy of the real portal's sources, for tests that build or break it."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PORTAL_FOLDERS = ("content", "data", "schemas", "hooks", "overrides")
PORTAL_FILES = ("mkdocs.yml",)


def copy_portal(target: Path) -> Path:
    """The portal's folders and mkdocs.yml, copied into `target` (made if need be); returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PORTAL_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in PORTAL_FILES:
        shutil.copy2(REPO / name, target / name)
    return target
