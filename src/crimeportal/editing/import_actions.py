"""`import-actions`: a partnership's return, one CSV row per action, into `data/actions/<csp-id>.yml`.

A row whose id is already an action of that file adds a progress entry to it (its other cells may repeat
the action's, or be empty, but not differ: the action itself is changed in its file). A row with a new id
adds an action with that first progress entry. The partnership is `--area`, or else the one the rows' areas
belong to (a partnership, or a district it covers); one return is one partnership's. Every row is checked
before anything is written, and then every file or none is written.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ..core.conventions import ACTIONS_CSV_COLUMNS, ACTIONS_DIR, ID_PATTERN
from ..core.model import PLAN_STAGES, Action, Portal
from ..core.problems import Problem
from ..source.plan_rules import first_day, last_day
from ..source.validate import load_portal
from . import EditRefused
from .figures_csv import Row
from .files import shown_path
from .plan_csv import Entry, Layout, entry_from, month_or_date_message, plan_entries, read_plan_rows, text_message
from .progress import FileChange, PlanUpdate, open_documents, refuse_if_broken, write_documents

ACTIONS_LAYOUT = Layout(ACTIONS_CSV_COLUMNS, ("id", "strand", "title", "owner", "as_at", "status"), "crimeportal import-actions")
ACTION_CELLS = ("strand", "area", "category", "title", "owner", "start", "due", "outcome")


def import_actions(root: Path, csv_path: Path, *, area: str | None = None, check: bool = False) -> PlanUpdate:
    """Add the return's actions and progress to its partnership's file: all of it, or (`EditRefused`) nothing."""
    rows = read_plan_rows(csv_path, shown_path(csv_path, root), ACTIONS_LAYOUT)
    portal, portal_problems = load_portal(root)
    partnership, problems = _partnership(rows, portal, area)
    target = root / ACTIONS_DIR / f"{partnership}.yml"
    refuse_if_broken(root, [target], portal_problems)
    actions = {a.id: a for a in portal.actions}
    new_actions: list[tuple[Row, dict[str, Any]]] = []
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    for row in rows:
        action_id = row.cells.get("id", "")
        entry, found = entry_from(row, action_id)
        id_problems = _id_problems(row, action_id, first_line, actions, target, root)
        existing = actions.get(action_id)
        if id_problems:  # the row's other cells cannot be judged against an action it may not name
            found += id_problems
        else:
            found += _differences(row, existing) if existing else _new_action_problems(row, portal)
        problems += found
        if found:
            continue
        if existing:
            entries.append(entry)
        else:
            new_actions.append((row, _action_values(row, partnership, entry)))
    adding, same, date_problems = plan_entries(entries, actions)
    if problems + date_problems:
        raise EditRefused.because(sorted(problems + date_problems))
    document = open_documents(root, [target])[target]
    for _, values in new_actions:
        document.add_action(values)
    for entry in adding:
        document.add_progress(entry.action_id, entry.values)
    change = FileChange(target, created=document.before is None, new_actions=[v["id"] for _, v in new_actions],
                        added=adding, unchanged=same)
    return write_documents(root, {target: document}, [change], check)


def _partnership(rows: list[Row], portal: Portal, given: str | None) -> tuple[str, list[Problem]]:
    """The partnership whose return this is, and the rows whose area is not its own."""
    partnerships = [a for a in portal.areas if a.kind == "csp"]
    if given is not None and given not in {a.id for a in partnerships}:
        close = difflib.get_close_matches(given, [a.id for a in partnerships], n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise EditRefused(f"--area must be a partnership of data/areas.yml; there is no partnership '{given}'; {hint}"
                          f"the partnerships are {', '.join(a.id for a in partnerships) or 'none'}")
    problems: list[Problem] = []
    owners: list[tuple[Row, str]] = []
    for row in rows:
        area = row.cells.get("area", "")
        found = [a.id for a in partnerships if area == a.id or area in a.covers]
        if not area and given is None:
            problems.append(row.problem("area", "is empty: give the partnership or district the action is for, "
                                                "or name the partnership with --area"))
        elif area and portal.area(area) is None:
            problems.append(row.problem("area", f"there is no area '{area}' in data/areas.yml"))
        elif area and len(found) != 1:
            problems.append(row.problem("area", f"'{area}' is covered by {len(found)} partnerships in data/areas.yml; "
                                                "name the partnership itself"))
        elif area:
            owners.append((row, found[0]))
    partnership = given or (owners[0][1] if owners else "")
    for row, owner in owners:
        if owner != partnership:
            why = f"this return is {partnership}'s" + ("" if given else f" (line {owners[0][0].line})")
            problems.append(row.problem("area", f"'{row.cells['area']}' belongs to {owner}, but {why}: import each "
                                                "partnership's return on its own"))
    if not partnership:
        raise EditRefused.because(problems)
    return partnership, problems


def _id_problems(row: Row, action_id: str, first_line: dict[str, int], actions: dict[str, Action],
                 target: Path, root: Path) -> list[Problem]:
    if not action_id:
        return [row.problem("id", "is empty: give the action's id, lowercase letters, digits and hyphens, such as "
                                  "colchester-street-patrols")]
    if not ID_PATTERN.match(action_id):
        return [row.problem("id", f"must be lowercase letters, digits and single hyphens, such as colchester-street-patrols; "
                                  f"found '{action_id}'")]
    if action_id in first_line:
        return [row.problem("id", f"{action_id} is on line {first_line[action_id]} already: one row per action")]
    first_line[action_id] = row.line
    existing = actions.get(action_id)
    if existing and existing.path != target:
        return [row.problem("id", f"{action_id} is an action of {shown_path(existing.path, root)}, not of this "
                                  f"partnership's return ({shown_path(target, root)}): give the return's own actions new ids")]
    return []


def _differences(row: Row, action: Action) -> list[Problem]:
    """Cells of an existing action's row that differ from its file: this command adds progress, never rewrites."""
    problems = []
    for column in ACTION_CELLS:
        given, written = row.cells.get(column, ""), getattr(action, column) or ""
        if given and (given.lower() if column == "category" else given) != written:
            problems.append(row.problem(column, f"is '{given}' but {action.id} has '{written}': a return adds progress "
                                                "to an action; change the action itself in its file"))
    return problems


def _new_action_problems(row: Row, portal: Portal) -> list[Problem]:
    cells = row.cells
    strands = sorted(s.id for s in portal.strands)
    found: list[tuple[str, str | None]] = []
    if cells.get("strand", "") not in strands:
        found.append(("strand", f"there is no strand '{cells.get('strand', '')}'; the strands are {', '.join(strands)}"))
    for column in ("title", "owner"):
        found.append((column, "is empty: a new action needs it" if not cells.get(column) else text_message(column, cells[column])))
    found.append(("outcome", text_message("outcome", cells.get("outcome", ""))))
    category = cells.get("category", "").lower()
    if category and category not in PLAN_STAGES:
        found.append(("category", f"must be one of {', '.join(PLAN_STAGES)}, or empty where the plan does not say; found '{cells['category']}'"))
    dates = [(c, month_or_date_message(cells.get(c, ""))) for c in ("start", "due")]
    found += dates
    start, due = cells.get("start", ""), cells.get("due", "")
    if start and due and not any(m for _, m in dates) and last_day(due) < first_day(start):
        found.append(("due", f"{due} comes before the start, {start}: an action is due after it starts"))
    return [row.problem(column, message) for column, message in found if message]


def _action_values(row: Row, partnership: str, entry: Entry) -> dict[str, Any]:
    cells = row.cells
    values: dict[str, Any] = {column: cells.get(column) or None for column in ACTION_CELLS}
    values.update(id=cells["id"], area=cells.get("area") or partnership, progress=[entry.values])
    values["category"] = values["category"].lower() if values["category"] else None
    return values
