"""Writing several files so that none is ever half written, and checking them as they would be first."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from ..core.conventions import METRICS_DIR, SCHEMAS_DIR, STRANDS_DIR
from ..core.problems import Problem
from ..source.validate import load_portal


def shown_path(path: Path, root: Path) -> str:
    """The path as editors see it in messages: relative to the portal's folder when it is inside it."""
    absolute = path.resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path.as_posix()


def write_all(contents: dict[Path, str]) -> None:
    """Write every file beside its target first, then rename each over its target, so no file is ever half written."""
    temporary: dict[Path, Path] = {}
    try:
        for target, text in contents.items():
            temporary[target] = _write_beside(target, text)
        for target, temp in temporary.items():
            os.replace(temp, target)
    finally:
        for temp in temporary.values():
            temp.unlink(missing_ok=True)


def _write_beside(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    with open(temp, "x", encoding="utf-8", newline="") as stream:  # "x": a new file, with the usual permissions
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    if target.exists():
        os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
    return temp


def problems_if_written(root: Path, contents: dict[str, str]) -> list[Problem]:
    """The problems the changed files (keyed as shown) would have, checked in a scratch copy of the portal's data."""
    if not contents:
        return []
    with tempfile.TemporaryDirectory(prefix="crimeportal-check-") as scratch:
        copy = Path(scratch)
        for folder in (SCHEMAS_DIR, STRANDS_DIR, METRICS_DIR):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        for shown_as, text in contents.items():
            (copy / shown_as).write_text(text, encoding="utf-8", newline="")
        _, problems = load_portal(copy)
    return [p for p in problems if p.file in contents]
