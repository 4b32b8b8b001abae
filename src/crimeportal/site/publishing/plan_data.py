"""The delivery plan as downloads: every action as CSV and JSON, and blank spreadsheets in the two CSV layouts
a partner fills in (a partnership's actions return, and a quarter's progress).

The actions CSV is laid out exactly as a partnership's return (`ACTIONS_CSV_COLUMNS`), one row per action with
its latest progress, so a partner can start from it; the JSON holds every progress entry. Text cells are made
safe for spreadsheets as the figures' CSV files are; the JSON keeps every text exactly as written.
"""

from __future__ import annotations

from typing import Any

from ...core.conventions import (ACTIONS_CSV, ACTIONS_CSV_COLUMNS, ACTIONS_JSON, ACTIONS_TEMPLATE, PROGRESS_CSV_COLUMNS,
                                 PROGRESS_TEMPLATE)
from ...core.model import ACTION_STATUSES, PLAN_STAGES, Action, Portal
from ...core.records import action_record
from .downloads import BOM, _row, _text, to_json

# One sentence per column, for the Data page and the data package alike.
COLUMN_WORDS = {
    "id": "The action's id: lowercase letters, digits and hyphens, unique in the portal, such as da-governance-board.",
    "strand": "The id of the strand the action belongs to, as in the address of its page, such as domestic-abuse; "
              "empty for an action of the whole strategy.",
    "area": "The id of a district or Community Safety Partnership from the Areas pages; empty for a force-wide action.",
    "category": "prepare, prevent, protect or pursue; empty where the source does not say.",
    "title": "What will be done, in plain words.",
    "owner": "The role or body responsible, as the source names it.",
    "start": "When the action starts or started, written YYYY-MM or YYYY-MM-DD; empty if not given.",
    "due": "When the action is due, written YYYY-MM (by the end of that month) or YYYY-MM-DD; empty if not given.",
    "outcome": "The outcome the action is meant to bring about; empty if not given.",
    "as_at": "The date the progress is reported for, written YYYY-MM-DD.",
    "status": "planned, in-progress, complete, delayed or stopped.",
    "note": "What the update says about the action's progress, in plain words; may be empty.",
}
PROGRESS_COLUMN_WORDS = {**COLUMN_WORDS, "id": "The id of an action already in the portal, as in the actions CSV."}
_CHOICES = {"category": PLAN_STAGES, "status": ACTION_STATUSES}


def actions_csv(actions: list[Action]) -> bytes:
    lines = [BOM + _row([_text(c) for c in ACTIONS_CSV_COLUMNS])]
    for action in actions:
        latest = action.latest
        values = {"id": action.id, "strand": action.strand, "area": action.area, "category": action.category,
                  "title": action.title, "owner": action.owner, "start": action.start, "due": action.due,
                  "outcome": action.outcome, "as_at": latest.as_at if latest else None,
                  "status": latest.status if latest else None, "note": latest.note if latest else None}
        lines.append(_row([_text(values[c]) for c in ACTIONS_CSV_COLUMNS]))
    return "".join(lines).encode()


def template_csv(columns: tuple[str, ...]) -> bytes:
    """A blank spreadsheet: the header row alone."""
    return (BOM + _row(list(columns))).encode()


PLAN_FILES = (ACTIONS_CSV, ACTIONS_JSON, ACTIONS_TEMPLATE, PROGRESS_TEMPLATE)  # what plan_files makes


def plan_files(portal: Portal) -> dict[str, tuple[bytes, str]]:
    return {
        ACTIONS_CSV: (actions_csv(portal.actions), "Every action of the delivery plan with its latest progress, one row per action"),
        ACTIONS_JSON: (to_json([action_record(a) for a in portal.actions]), "Every action of the delivery plan with all its progress"),
        ACTIONS_TEMPLATE: (template_csv(ACTIONS_CSV_COLUMNS), "Blank spreadsheet for a partnership's return of its actions"),
        PROGRESS_TEMPLATE: (template_csv(PROGRESS_CSV_COLUMNS), "Blank spreadsheet for a quarter's progress on many actions"),
    }


def table_schema(path: str) -> dict[str, Any] | None:
    """The Table Schema of one of these CSV files; None for any other path."""
    layouts = {ACTIONS_CSV: (ACTIONS_CSV_COLUMNS, COLUMN_WORDS), ACTIONS_TEMPLATE: (ACTIONS_CSV_COLUMNS, COLUMN_WORDS),
               PROGRESS_TEMPLATE: (PROGRESS_CSV_COLUMNS, PROGRESS_COLUMN_WORDS)}
    if path not in layouts:
        return None
    columns, words = layouts[path]
    fields = []
    for name in columns:
        field: dict[str, Any] = {"name": name, "type": "date" if name == "as_at" else "string", "description": words[name]}
        if name in _CHOICES:
            field["constraints"] = {"enum": list(_CHOICES[name])}
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def columns_markdown(columns: tuple[str, ...], words: dict[str, str]) -> str:
    """A Data page table of a layout's columns, in order; the words are the portal's own."""
    rows = "".join(f"| {name} | {words[name]} |\n" for name in columns)
    return "| Column | What it holds |\n|---|---|\n" + rows
