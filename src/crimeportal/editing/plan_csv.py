"""Reading a CSV of delivery-plan progress or of a partnership's actions, and checking its cells.

The two layouts are stated in `core.conventions` (`PROGRESS_CSV_COLUMNS`, `ACTIONS_CSV_COLUMNS`). The file is
read as `figures_csv` reads a quarter's figures (spreadsheets' encodings, quotes, stray empty columns); every
mistake is a `Problem` at the CSV's line and column. Progress entries are checked against each action's own
(`plan_entries`), for both commands.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.conventions import DATE_PATTERN, MONTH_PATTERN
from ..core.model import ACTION_STATUSES, Action
from ..core.problems import Problem
from ..source.rules import text_problem
from . import EditRefused
from .figures_csv import SAVE_AS_CSV, Row, _records, table_rows  # the one CSV reader, so both kinds of CSV are read alike


@dataclass(frozen=True)
class Layout:
    """A CSV layout: its columns, those a row must fill, and the command that reads it (for messages)."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    command: str


@dataclass
class Entry:
    """One progress entry from a CSV row, checked on its own."""

    row: Row
    action_id: str
    values: dict[str, Any] = field(default_factory=dict)  # as_at, status and (when given) note

    @property
    def as_at(self) -> str:
        return self.values["as_at"]


def read_plan_rows(path: Path, shown_as: str, layout: Layout) -> list[Row]:
    """The CSV's data rows with their line numbers; `EditRefused` with every problem when it cannot be read."""
    hint = "" if path.suffix.lower() == ".csv" else " Is it a CSV file?"
    header_text = ",".join(layout.columns)
    records = _records(path, shown_as, hint)
    if not records:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", f"the file is empty: it needs the header row {header_text}, "
                                                             "and one row below it for each action")])
    header_line, header = records[0]
    columns = [name.strip().lower() for name in header]
    at = Row(shown_as, header_line, {}, tuple(columns))  # the columns, so each problem names where its cell is
    problems = _header_problems(columns, at, layout, header_text, hint)
    rows, row_problems = table_rows(records, columns, shown_as, "a note")
    problems += row_problems
    if problems:
        raise EditRefused.because(problems)
    if not rows:
        raise EditRefused.because([at.problem("", "the file has a header row but no rows below it")])
    return rows


def _header_problems(columns: list[str], at: Row, layout: Layout, header_text: str, hint: str) -> list[Problem]:
    if len(columns) == 1 and ";" in columns[0]:
        return [at.problem("", f"the columns are separated by semicolons: save the file as CSV with commas, {SAVE_AS_CSV} in Excel")]
    if not set(columns) & set(layout.columns):
        return [at.problem("", f"this does not look like a CSV for {layout.command}: its first line must be the header row, "
                               f"{header_text}.{hint}")]
    problems = [at.problem(name, "is a column name that appears twice in the header row; remove one")
                for name in sorted(set(columns) - {""}) if columns.count(name) > 1]
    for name in columns:
        if name and name not in layout.columns:
            close = difflib.get_close_matches(name, layout.columns, n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            problems.append(at.problem(name, f"is not a column {layout.command} knows; {guess}the columns are {', '.join(layout.columns)}"))
    problems += [at.problem(name, f"is missing: the header row must be {header_text}") for name in layout.required if name not in columns]
    return problems


# --- cells ---------------------------------------------------------------------------------------------------


def date_message(text: str) -> str | None:
    """A progress date: YYYY-MM-DD and in the calendar."""
    if not text:
        return "is empty: give the date the progress is reported for, written YYYY-MM-DD, such as 2019-12-12"
    if not DATE_PATTERN.match(text):
        return f"must be a date written YYYY-MM-DD, such as 2019-12-12; found '{text}'"
    return _calendar(text)


def month_or_date_message(text: str) -> str | None:
    """A start or due date: YYYY-MM or YYYY-MM-DD (empty is fine: both are optional)."""
    if not text or MONTH_PATTERN.match(text):
        return None
    if not DATE_PATTERN.match(text):
        return f"must be a month written YYYY-MM or a date written YYYY-MM-DD, such as 2020-02; found '{text}'"
    return _calendar(text)


def _calendar(text: str) -> str | None:
    try:
        date.fromisoformat(text)
        return None
    except ValueError:
        return f"{text} is not a date in the calendar"


def status_message(text: str) -> str | None:
    """A status in any case; it is written lower case."""
    if text.lower() in ACTION_STATUSES:
        return None
    shown = f"found '{text}'" if text else "it is empty"
    return f"must be one of {', '.join(ACTION_STATUSES)}; {shown}"


def text_message(column: str, text: str) -> str | None:
    return text_problem(column, text) if text else None


def entry_from(row: Row, action_id: str) -> tuple[Entry, list[Problem]]:
    """The row's progress entry (as_at, status, note) and the problems with its cells."""
    cells = row.cells
    found = [("as_at", date_message(cells.get("as_at", ""))), ("status", status_message(cells.get("status", ""))),
             ("note", text_message("note", cells.get("note", "")))]
    values: dict[str, Any] = {"as_at": cells.get("as_at", ""), "status": cells.get("status", "").lower()}
    if cells.get("note"):
        values["note"] = cells["note"]
    return Entry(row, action_id, values), [row.problem(column, message) for column, message in found if message]


def unknown_action_message(action_id: str, actions: dict[str, Action]) -> str:
    close = difflib.get_close_matches(action_id, list(actions), n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    return f"there is no action '{action_id}' in the delivery plans{guess}"


# --- entries against the actions' progress -------------------------------------------------------------------


def plan_entries(entries: list[Entry], actions: dict[str, Action]) -> tuple[list[Entry], list[Entry], list[Problem]]:
    """The entries to add, those already there as given, and the problems with their dates."""
    adding: list[Entry] = []
    same: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for entry in sorted(entries, key=lambda e: (e.action_id, e.as_at, e.row.line)):
        key = (entry.action_id, entry.as_at)
        if key in seen:
            problems.append(entry.row.problem("as_at", f"{entry.action_id} has another entry for {entry.as_at} on line "
                                                       f"{seen[key]}: give each date once"))
            continue
        seen[key] = entry.row.line
        action = actions.get(entry.action_id)
        progress = {p.as_at: p for p in action.progress} if action else {}
        latest = action.latest if action else None
        old = progress.get(entry.as_at)
        if old is not None and old.status == entry.values["status"] and old.note == entry.values.get("note"):
            same.append(entry)
        elif old is not None:
            problems.append(entry.row.problem("as_at", f"{entry.action_id} already has progress for {entry.as_at} "
                                                       f"({old.status}): each date has one entry; to change it, edit its file"))
        elif latest is not None and entry.as_at < latest.as_at:
            problems.append(entry.row.problem("as_at", f"{entry.as_at} comes before {entry.action_id}'s latest progress, "
                                                       f"for {latest.as_at}: new progress can only be added after it"))
        else:
            adding.append(entry)
    return adding, same, problems
