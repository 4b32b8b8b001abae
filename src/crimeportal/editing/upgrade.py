"""`crimeportal upgrade`: the files a portal keeps of the engine's, brought to the installed package's.

A portal keeps its own copy of the JSON Schemas (editors' YAML tooling reads them beside the files they check,
and the site publishes them) and the hooks file MkDocs loads; `crimeportal init` wrote both from the package.
After the package is upgraded, `plan_upgrade` says which of them the new version would change, and
`apply_upgrade` writes them all or none (editing/files.py). A schema the package no longer has is the
portal's own business, and is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.conventions import ENGINE_HOOKS, ENGINE_SCHEMAS, HOOKS_FILE, SCHEMAS_DIR
from . import EditRefused
from .files import write_all


@dataclass(frozen=True)
class EngineFile:
    """One file the package writes into a portal: its '/'-separated path there, and what the package says it holds."""

    path: str
    text: str
    is_new: bool = False  # the portal has no such file yet


def engine_files() -> dict[str, str]:
    """Every file the installed package writes into a portal, by its path in the portal."""
    files = {f"{SCHEMAS_DIR.as_posix()}/{schema.name}": schema.read_text(encoding="utf-8")
             for schema in sorted(ENGINE_SCHEMAS.glob("*.json"))}
    files[HOOKS_FILE.as_posix()] = ENGINE_HOOKS.read_text(encoding="utf-8")
    return files


def plan_upgrade(root: Path) -> list[EngineFile]:
    """The engine's files in the portal that differ from the installed package's, or that it lacks."""
    changes = []
    for path, text in engine_files().items():
        current = root / path
        if not current.is_file():
            changes.append(EngineFile(path, text, is_new=True))
        elif current.read_bytes().replace(b"\r\n", b"\n") != text.encode("utf-8"):  # a Windows checkout is the same
            changes.append(EngineFile(path, text))
    return changes


def apply_upgrade(root: Path, changes: list[EngineFile]) -> None:
    """Write every change, or none (however the process ends); refused where a link would take it elsewhere."""
    for change in changes:
        linked = [p for p in (root / change.path, *(root / change.path).parents) if p.is_symlink() and p != root]
        if linked or not (root / change.path).resolve().is_relative_to(root.resolve()):
            where = linked[0].relative_to(root).as_posix() if linked else change.path
            raise EditRefused(f"{where} is a link: the portal refuses every link (its files are checked where they "
                              "are), and upgrade would write through it. Put the real folder or file there.")
    write_all(root, {root / change.path: change.text for change in changes})
