"""`progress`: a quarter's progress entries for many actions from one CSV, every file changed or none.

Each row is checked on its own (`plan_csv`), then against its action's progress (`plan_entries`); then
each actions file is changed in memory (`plan_yaml`) and checked as it would be before any is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.conventions import ACTIONS_DIR, PROGRESS_CSV_COLUMNS
from ..core.model import Action
from ..core.problems import Problem
from ..source.validate import load_portal
from . import EditRefused
from .files import problems_if_written, shown_path, write_all
from .plan_csv import Entry, Layout, entry_from, plan_entries, read_plan_rows, unknown_action_message
from .plan_yaml import ActionsDocument, open_actions

PROGRESS_LAYOUT = Layout(PROGRESS_CSV_COLUMNS, ("id", "as_at", "status"), "crimeportal progress")


@dataclass
class FileChange:
    """What a command did (or, with --check, would do) to one actions file."""

    path: Path
    created: bool = False
    new_actions: list[str] = field(default_factory=list)
    added: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)


@dataclass
class PlanUpdate:
    """What was written, and what the portal's checks said afterwards."""

    changes: list[FileChange] = field(default_factory=list)
    problems_after: list[Problem] = field(default_factory=list)


def add_progress(root: Path, csv_path: Path, *, check: bool = False) -> PlanUpdate:
    """Add each row's progress entry to its action: all of them, or (with `EditRefused`) none.

    With `check`, everything is checked and planned exactly the same, and nothing is written.
    """
    rows = read_plan_rows(csv_path, shown_path(csv_path, root), PROGRESS_LAYOUT)
    portal, problems = load_portal(root)
    actions = {a.id: a for a in portal.actions}
    broken = sorted({p.file for p in problems if p.file.startswith(f"{ACTIONS_DIR.as_posix()}/")})
    entries, found = [], []
    for row in rows:
        action_id = row.cells.get("id", "")
        entry, cell_problems = entry_from(row, action_id)
        found += cell_problems
        if message := action_message(action_id, actions, broken):
            found.append(row.problem("id", message))
        elif not cell_problems:
            entries.append(entry)
    adding, same, date_problems = plan_entries(entries, actions)
    if found + date_problems:
        raise EditRefused.because(sorted(found + date_problems))
    changes: dict[Path, FileChange] = {}
    for entry in adding:
        changes.setdefault(actions[entry.action_id].path, FileChange(actions[entry.action_id].path)).added.append(entry)
    for entry in same:
        changes.setdefault(actions[entry.action_id].path, FileChange(actions[entry.action_id].path)).unchanged.append(entry)
    documents = open_documents(root, list(changes))
    for entry in adding:
        documents[actions[entry.action_id].path].add_progress(entry.action_id, entry.values)
    return write_documents(root, documents, [changes[p] for p in sorted(changes)], check)


def action_message(action_id: str, actions: dict[str, Action], broken: list[str]) -> str | None:
    """What is wrong with a row's action id, if anything."""
    if not action_id:
        return "is empty: give the action's id, such as operation-sceptre"
    if action_id in actions:
        return None
    message = unknown_action_message(action_id, actions)
    if broken:
        message += f" ({', '.join(broken)} cannot be read until its problems are fixed: crimeportal validate lists them)"
    return message


def refuse_if_broken(root: Path, paths: list[Path], problems: list[Problem]) -> None:
    """A file with problems of its own is not changed: its problems are listed, to be fixed first."""
    shown = {shown_path(path, root) for path in paths}
    if found := [p for p in problems if p.file in shown]:
        raise EditRefused.because(found)


def open_documents(root: Path, paths: list[Path]) -> dict[Path, ActionsDocument]:
    """Each file ready to change; refused, naming every file whose layout cannot be kept."""
    documents, problems = {}, []
    for path in paths:
        document = open_actions(path, shown_path(path, root))
        if isinstance(document, Problem):
            problems.append(document)
        else:
            documents[path] = document
    if problems:
        raise EditRefused.because(problems)
    return documents


def write_documents(root: Path, documents: dict[Path, ActionsDocument], changes: list[FileChange], check: bool) -> PlanUpdate:
    """Check the changed files as they would be; then, unless `check`, write them all at once."""
    texts = {path: document.text() for path, document in documents.items()}
    texts = {path: text for path, text in texts.items() if text != documents[path].before}
    found = problems_if_written(root, {shown_path(path, root): text for path, text in texts.items()})
    if found:
        raise EditRefused.because(sorted(found))
    if check:
        return PlanUpdate(changes, [])
    write_all(root, texts)
    return PlanUpdate(changes, load_portal(root)[1])
