"""The markdown of the Delivery plan page and of a strand page's Delivery plan section, and the board
report's delivery summary.

The page's words are the portal's own; every action's text is filled in by blocks, through the
autoescaping templates.
"""

from __future__ import annotations

import yaml

from ...core.conventions import ACTIONS_LISTED_IN_BOARD_REPORT, ACTIONS_CSV, ACTIONS_JSON, DATA_PAGE, DELIVERY_PLAN_PAGE
from ...core.delivery import STATUS_LABELS, AsAt, counts_by_strand, date_words, is_overdue, status_of
from ...core.model import Action, Portal
from ...releases.changes import ActionChanges
from ...releases.register import Release
from ..blocks import marker
from .delivery_html import (WHOLE_STRATEGY_SECTION, action_anchor, counts_table, not_listed, overdue_mark, paragraph,
                            status_badge, strand_words)
from .render import table as render_table
from ..templates import Markup, render
from .verdicts import Link as LinkFrom

PAGE = DELIVERY_PLAN_PAGE
TITLE = "Delivery plan"
ABOUT = "about/delivery-plans.md"  # what the statuses mean and how "due date passed" is decided
NO_ACTIONS = "No action of the delivery plan has been published yet."


def page_markdown(portal: Portal) -> str:
    front = yaml.safe_dump({"title": TITLE})
    # the whole strategy's actions are on no strand page, so this page shows them in full
    whole = (f"## The whole strategy {{#{WHOLE_STRATEGY_SECTION}}}\n\nCommitments for the strategy as a whole rather "
             f"than for one strand.\n\n{marker('delivery-plan', WHOLE_STRATEGY_SECTION)}\n\n"
             if portal.actions_of(None) else "")
    return (f"---\n{front}---\n\n# {TITLE}\n\n"
            "Every commitment in the strands' delivery plans: what will be done, who owns it, when it is due "
            f"and how it stands. [How to read the delivery plan]({ABOUT}) says what each status means and how "
            "a passed due date is decided.\n\n"
            f"{marker('delivery-plan', 'as-at')}\n\n## Progress by strand\n\n{marker('delivery-plan', 'counts')}\n\n"
            f"## Every action\n\n{marker('delivery-plan', 'table')}\n\n{whole}## Download the plan\n\n"
            f"[actions.csv]({ACTIONS_CSV}) has one row per action with its latest progress; "
            f"[actions.json]({ACTIONS_JSON}) has every progress entry. The [Data page]({DATA_PAGE}) says what "
            "each column holds, and offers blank spreadsheets for a partnership's return and a quarter's progress.\n")


def strand_section(portal: Portal, strand_id: str) -> str:
    """A strand page's Delivery plan section; nothing at all for a strand without actions."""
    if not portal.actions_of(strand_id):
        return ""
    return f"\n\n## Delivery plan\n\n{marker('delivery-strand', strand_id)}\n"


def board_markdown(portal: Portal) -> str:
    """The board report's one-page delivery summary; nothing when the portal has no actions."""
    if not portal.actions:
        return ""
    return (f"## Delivery summary {{#delivery-summary .portal-report-strand}}\n\n{marker('delivery-summary', 'counts')}\n\n"
            f"### Actions for the board's attention\n\n{marker('delivery-summary', 'attention')}\n\n")


def counts_block(portal: Portal, when: AsAt | None) -> Markup:
    rows = counts_by_strand(portal, when)
    if not rows:
        return paragraph(NO_ACTIONS)
    return counts_table(rows, "Actions by status, strand by strand")


def attention(portal: Portal, when: AsAt | None, changes: ActionChanges | None, previous: Release | None,
              link: LinkFrom) -> Markup:
    """Every action past its due date or whose status changed since the last release, with why it is listed."""
    moved = {c.new["id"]: c for c in changes.restatused} if changes and changes.compared else {}
    listed = [a for a in portal.actions if is_overdue(a, when) or a.id in moved]
    since = f"the {previous.title}" if previous else "the last release"
    if not listed:
        return paragraph(f"No action is past its due date, and none has changed status since {since}.")
    strands = {s.id: s.title for s in portal.strands}
    listed, rest = listed[:ACTIONS_LISTED_IN_BOARD_REPORT], listed[ACTIONS_LISTED_IN_BOARD_REPORT:]
    rows = []
    for action in listed:
        reasons = [overdue_mark()] if is_overdue(action, when) else []
        if action.id in moved:
            old = moved[action.id].old_status
            reasons.append(Markup("Was {} in {}").format(STATUS_LABELS.get(old, old), since))
        rows.append(render("attention_row.html", row=_row(action, strands, portal, link), reasons=reasons))
    columns = [("Action", False), ("Strand", False), ("Owner", False), ("Due", False), ("Status", False), ("Why listed", False)]
    return render_table(caption=f"Actions past their due date or with a new status since {since}",
                        columns=columns, rows=rows) + not_listed(rest, portal, when, link)


def _row(action: Action, strands: dict[str, str], portal: Portal, link: LinkFrom) -> dict:
    area = portal.area(action.area) if action.area else None
    strand = strand_words(action, strands)
    return {"href": link(action_anchor(action)), "title": action.title,
            "strand": f"{strand} ({area.name})" if area else strand, "owner": action.owner,
            "due": date_words(action.due) if action.due else "Not given", "status": status_badge(status_of(action))}

