"""HTML for the delivery plan: a strand's or an area's actions, the table of every action, the counts by status.

Every text comes from an editor's file and reaches the page only through the autoescaping templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from ...core.conventions import ACTIONS_LISTED_ON_DELIVERY_PAGE, DELIVERY_PLAN_PAGE, EVALUATION_PAGES
from ...core.evaluation import STATUS_WORDS
from ...core.delivery import (AS_AT_MEETING, OVERDUE_ICON, OVERDUE_LABEL, STATUS_ICONS, STATUS_LABELS, WHOLE_STRATEGY, AsAt,
                             StatusCounts, by_category, date_words, is_overdue, overdue_first, status_of, timescale_words)
from ...core.formats import long_date
from ...core.model import ACTION_STATUSES, Action, Portal, Strand
from ..publishing.evaluation_data import day_of
from .render import table as render_table
from ..templates import Markup, render
from .verdicts import Link as LinkFrom  # a URL from the site's root, as a link from the page being written

FORCE_WIDE = "Force-wide"


@dataclass(frozen=True)
class Link:
    href: str
    title: str


def status_badge(status: str) -> Markup:
    return render("action_status.html", status=status, icon=STATUS_ICONS[status], label=STATUS_LABELS[status])


def overdue_mark() -> Markup:
    return render("action_overdue.html", icon=OVERDUE_ICON, label=OVERDUE_LABEL)


def as_at_sentence(when: AsAt | None) -> str:
    if when is None:
        return "No progress has been reported yet."
    where = ("the date of the board meeting this release reports to" if when.source == AS_AT_MEETING
             else "the date of the latest progress reported")
    return f"Progress as at {when.words}, {where}; a due date before then has passed."


WHOLE_STRATEGY_SECTION = "whole-strategy"  # the Delivery plan page's section of the whole strategy's actions


def action_anchor(action: Action) -> str:
    """Where an action is shown in full: on its strand's page, or the whole strategy's on the Delivery plan page."""
    return record_anchor({"id": action.id, "strand": action.strand})


def record_anchor(record: dict) -> str:
    """The same address for an action as the JSON download records it (What changed reads those)."""
    if record.get("strand") is None:
        return f"{DELIVERY_PLAN_PAGE.removesuffix('.md')}/#action-{record['id']}"
    return f"strands/{record['strand']}/#action-{record['id']}"


def strand_words(action: Action, strands: dict[str, str]) -> str:
    """The strand's title as a table shows it; "Whole strategy" for an action of no strand."""
    return WHOLE_STRATEGY if action.strand is None else strands.get(action.strand, action.strand)


def area_page(area_id: str) -> str:
    return f"areas/{area_id}/"


def _facts(action: Action, portal: Portal, when: AsAt | None, link: LinkFrom, show_strand: bool) -> dict:
    area = portal.area(action.area) if action.area else None
    strand = portal.strand(action.strand) if action.strand else None
    latest = action.latest
    return {
        "id": action.id, "title": action.title, "owner": action.owner, "outcome": action.outcome or "",
        "status": status_badge(status_of(action)), "timescale": timescale_words(action),
        "overdue": overdue_mark() if is_overdue(action, when) else "",
        "area": Link(link(area_page(area.id)), area.name) if area else None,
        "strand": _strand_link(action, strand, link) if show_strand else None,
        "progress_date": long_date(latest.as_at) if latest else "", "note": (latest.note or "") if latest else "",
        "evaluations": _evaluations_of(action, portal, when, link),
    }


def _evaluations_of(action: Action, portal: Portal, when: AsAt | None, link: LinkFrom) -> list[dict]:
    """The evaluations that say whether this action worked, each with where it has got to by the as-at date."""
    return [{"href": link(f"{EVALUATION_PAGES}/{e.id}/"), "title": e.title,
             "status": STATUS_WORDS[e.result(day_of(when)).status].lower()}
            for e in portal.evaluations if action.id in e.actions]


def _strand_link(action: Action, strand: Strand | None, link: LinkFrom) -> Link | None:
    if action.strand is None:
        return Link(link(f"{DELIVERY_PLAN_PAGE.removesuffix('.md')}/#{WHOLE_STRATEGY_SECTION}"), WHOLE_STRATEGY)
    return Link(link(f"strands/{strand.id}/"), strand.title) if strand else None


def action_list(actions: list[Action], portal: Portal, when: AsAt | None, link: LinkFrom, *, level: int = 3,
                anchor_prefix: str = "plan", show_strand: bool = False) -> Markup:
    """Actions grouped by their 4P category (those the source did not place last), each with its facts."""
    groups = [{"heading": heading, "anchor": f"{anchor_prefix}-{heading.lower().replace(' ', '-')}",
               "actions": [_facts(a, portal, when, link, show_strand) for a in members]}
              for heading, members in by_category(actions)]
    return render("action_list.html", groups=groups, level=level, as_at=as_at_sentence(when))


def actions_table(portal: Portal, when: AsAt | None, link: LinkFrom) -> Markup:
    """Every action, those past their due date first: strand, area, owner, due date and status; beyond
    ACTIONS_LISTED_ON_DELIVERY_PAGE, the rest named strand by strand with a link to each strand's full list."""
    strands = {s.id: s.title for s in portal.strands}
    ordered = overdue_first(portal.actions, when)
    shown, rest = ordered[:ACTIONS_LISTED_ON_DELIVERY_PAGE], ordered[ACTIONS_LISTED_ON_DELIVERY_PAGE:]
    rows = []
    for action in shown:
        area = portal.area(action.area) if action.area else None
        rows.append(render("action_row.html", action={
            "href": link(action_anchor(action)), "title": action.title, "strand": strand_words(action, strands),
            "area": area.name if area else FORCE_WIDE, "owner": action.owner,
            "due": date_words(action.due) if action.due else "Not given",
            "overdue": overdue_mark() if is_overdue(action, when) else "", "status": status_badge(status_of(action))}))
    columns = [("Action", False), ("Strand", False), ("Area", False), ("Owner", False), ("Due", False), ("Status", False)]
    caption = (f"The first {len(shown):,} of {len(ordered):,} actions, those past their due date first" if rest
               else "Every action, those past their due date first")
    return render_table(caption=caption, columns=columns, rows=rows) + not_listed(rest, portal, when, link)


def not_listed(actions: list[Action], portal: Portal, when: AsAt | None, link: LinkFrom) -> Markup:
    """Where the actions a table leaves out are listed in full: each strand's page (the whole strategy's, this
    page's own section), with how many of them, and how many are past their due date; nothing when none is left out."""
    if not actions:
        return Markup("")
    by_strand: dict[str | None, list[Action]] = {}
    for action in actions:
        by_strand.setdefault(action.strand, []).append(action)
    strands = {s.id: s.title for s in portal.strands}
    places = []
    for strand_id, members in by_strand.items():
        href = (link(f"{DELIVERY_PLAN_PAGE.removesuffix('.md')}/#{WHOLE_STRATEGY_SECTION}") if strand_id is None
                else link(f"strands/{strand_id}/#delivery-plan"))
        overdue = sum(is_overdue(a, when) for a in members)
        late = f", {overdue:,} past their due date" if overdue else ""
        title = WHOLE_STRATEGY if strand_id is None else strands.get(strand_id, strand_id)
        places.append(Markup('<a href="{}">{}</a> ({:,}{})').format(href, title, len(members), late))
    return Markup('<p class="portal-not-listed">{:,} more {} not listed here; each strand\'s page lists all of its own: '
                  "{}.</p>").format(len(actions), "action is" if len(actions) == 1 else "actions are",
                                   Markup("; ").join(places))


def counts_table(rows: list[StatusCounts], caption: str) -> Markup:
    columns = [("Strand", False)] + [(STATUS_LABELS[s], True) for s in ACTION_STATUSES]
    columns += [(OVERDUE_LABEL, True), ("All actions", True)]
    return render_table(caption=caption, columns=columns,
                  rows=[render("status_counts_row.html", row=row) for row in rows])


def paragraph(text: str) -> Markup:
    return render("plain_paragraph.html", text=text)

