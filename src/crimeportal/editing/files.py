"""Writing several files so that none is ever half written, and checking them as they would be first."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from ..core.conventions import ACTIONS_DIR, AREAS_REGISTER, METRICS_DIR, SCHEMAS_DIR, STRANDS_DIR, WRITE_JOURNAL
from ..core.problems import Problem
from ..source.leftovers import CHECK_PREFIX, owned_prefix
from ..source.validate import load_portal


def shown_path(path: Path, root: Path) -> str:
    """The path as editors see it in messages: relative to the portal's folder when it is inside it."""
    absolute = path.resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path.as_posix()


JOURNAL = WRITE_JOURNAL


def write_all(root: Path, contents: dict[Path, str]) -> None:
    """Write every file, or (however the process ends) none until the next command finishes the rest.

    Each new text is written in full beside its target first; then a journal lists them; then each is
    renamed over its target; then the journal goes. A process killed after the journal was written is
    finished by `finish_interrupted_writes`, which every command runs first; one killed before it leaves
    every target as it was.
    """
    temporary: dict[Path, Path] = {}
    journal = root / JOURNAL
    promised = False
    try:
        for target, text in contents.items():
            temporary[target] = _write_beside(target, text)
        _write_journal(journal, root, temporary)
        promised = True
        for target, temp in temporary.items():
            os.replace(temp, target)
        journal.unlink()
        promised = False
    finally:
        if not promised:  # otherwise the journal and the new texts stay, for the next command to finish
            for temp in temporary.values():
                temp.unlink(missing_ok=True)


def _write_journal(journal: Path, root: Path, temporary: dict[Path, Path]) -> None:
    entries = [[temp.relative_to(root).as_posix(), target.relative_to(root).as_posix()] for target, temp in temporary.items()]
    os.replace(_write_beside(journal, json.dumps({"replace": entries})), journal)


def finish_interrupted_writes(root: Path) -> list[str]:
    """Finish the renames an interrupted `write_all` had promised, and remove its leftovers; the files finished."""
    journal = root / JOURNAL
    finished: list[str] = []
    if journal.is_file():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["replace"]
        except (ValueError, KeyError, TypeError, OSError):
            entries = []  # torn journal: it is written before any rename, so nothing was replaced yet
        for temp_name, target_name in entries:
            temp, target = root / temp_name, root / target_name
            if _inside(temp, root) and _inside(target, root) and temp.is_file():
                os.replace(temp, target)
                finished.append(target_name)
        journal.unlink()
    for folder in (root / METRICS_DIR, root / ACTIONS_DIR, root / JOURNAL.parent):
        for leftover in folder.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
    return finished


def _inside(path: Path, root: Path) -> bool:
    return not path.is_symlink() and path.resolve().is_relative_to(root.resolve())


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
    # named with this process's id, so that the next command removes it if this one is killed (source.leftovers)
    with tempfile.TemporaryDirectory(prefix=owned_prefix(CHECK_PREFIX)) as scratch:
        copy = Path(scratch)
        for folder in (SCHEMAS_DIR, STRANDS_DIR, METRICS_DIR, ACTIONS_DIR):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        if (root / AREAS_REGISTER).is_file():  # actions and figures by area name its areas
            (copy / AREAS_REGISTER).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / AREAS_REGISTER, copy / AREAS_REGISTER)
        for shown_as, text in contents.items():
            # a path shown as it is (not inside the portal) would write outside the scratch copy: never check there
            if Path(shown_as).is_absolute() or ".." in Path(shown_as).parts:
                raise ValueError(f"{shown_as} is not inside the portal's folder")
            (copy / shown_as).parent.mkdir(parents=True, exist_ok=True)  # a new actions file may be the folder's first
            (copy / shown_as).write_text(text, encoding="utf-8", newline="")
        _, problems = load_portal(copy)
    return [p for p in problems if p.file in contents]
