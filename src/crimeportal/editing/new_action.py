"""`new action`: one action added to a strand's delivery plan, with a fresh id and a first progress entry.

The action is appended to `data/actions/<strand>.yml` (the file is started, with its schema line, when the
strand has none yet); the file is checked as it would be before it is written. With no `--owner`, the
strand page's lead is the owner; a strand page with no lead needs `--owner`. With no strand (`--strategy-wide`)
the action goes in `data/actions/strategy-wide.yml`, names no strand, and needs `--owner`: there is no lead to use.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

from ..core.conventions import ACTIONS_DIR, ID_PATTERN, STRATEGY_WIDE_ACTIONS
from ..core.model import PLAN_STAGES, Portal
from ..source.validate import load_portal
from . import EditRefused
from .plan_csv import date_message, month_or_date_message
from .progress import FileChange, PlanUpdate, open_documents, refuse_if_broken, write_documents
from .scaffold import _check_strand_exists, slug

LONGEST_ID = 60  # an id made from a long title is cut at a word, so addresses and CSV cells stay readable


def new_action(root: Path, strand: str | None, title: str, *, owner: str | None = None, area: str | None = None,
               due: str | None = None, category: str | None = None, as_at: str | None = None) -> PlanUpdate:
    """Append the action to its strand's file (the strategy-wide file when `strand` is None); `EditRefused`
    (nothing written) if it cannot be."""
    if strand is not None:
        _check_strand_exists(root, strand)
    elif owner is None:
        raise EditRefused("give --owner, the role or body responsible: a strategy-wide action has no strand lead to use instead")
    portal, problems = load_portal(root)
    as_at = as_at or date.today().isoformat()
    _check_given(portal, title, area, due, category, as_at)
    owner = owner if owner is not None else _lead(portal, strand)
    path = root / ACTIONS_DIR / f"{strand or STRATEGY_WIDE_ACTIONS}.yml"
    refuse_if_broken(root, [path], problems)
    documents = open_documents(root, [path])
    document = documents[path]
    action_id = fresh_id(title, {a.id for a in portal.actions} | {str(a["id"]) for a in document.actions})
    document.add_action({"id": action_id, "title": title.strip(), "strand": strand, "area": area, "category": category,
                         "owner": owner, "due": due, "progress": [{"as_at": as_at, "status": "planned"}]})
    change = FileChange(path, created=document.before is None, new_actions=[action_id])
    return write_documents(root, documents, [change], check=False)


def fresh_id(title: str, taken: set[str]) -> str:
    """The title's words as an id, cut at a word to at most LONGEST_ID characters; -2, -3... when it is taken."""
    base = slug(title)
    if len(base) > LONGEST_ID:
        base = base[:LONGEST_ID + 1].rsplit("-", 1)[0] if "-" in base[:LONGEST_ID + 1] else base[:LONGEST_ID]
    if not ID_PATTERN.match(base):
        raise EditRefused(f"the title {title!r} has no letters or digits to make the action's id from: give a title in words")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _check_given(portal: Portal, title: str, area: str | None, due: str | None, category: str | None, as_at: str) -> None:
    if not title.strip():
        raise EditRefused("the action needs a title: give --title with some words in it")
    if area is not None and portal.area(area) is None:
        ids = [a.id for a in portal.areas]
        close = difflib.get_close_matches(area, ids, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        known = f"the areas are {', '.join(ids)}" if ids else "the portal has no areas register (data/areas.yml) yet"
        raise EditRefused(f"there is no area '{area}'; {hint}{known}")
    if category is not None and category not in PLAN_STAGES:
        raise EditRefused(f"--category must be one of {', '.join(PLAN_STAGES)}; found '{category}'")
    if due is not None and (message := month_or_date_message(due) or (None if due else "is empty")):
        raise EditRefused(f"--due {message}")
    if message := date_message(as_at):
        raise EditRefused(f"--as-at {message}")


def _lead(portal: Portal, strand: str) -> str:
    page = portal.strand(strand)
    if page is None or not page.lead:
        raise EditRefused(f"give --owner, the role or body responsible: the strand page {strand} names no lead to use instead")
    return re.sub(r"\s+", " ", page.lead).strip()
