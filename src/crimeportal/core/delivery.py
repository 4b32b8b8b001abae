"""The delivery plan's facts as readers are told them: statuses in words, timescales, counts, and whether a
due date has passed.

"Due date passed" is judged against the build's as-at date, never the clock, so the same files always build
the same site: the board meeting date of the release being built or, for a plain build (or a release that
names no meeting), the date of the latest progress entry in the portal.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from .formats import long_date, month_name
from .model import ACTION_STATUSES, PLAN_STAGES, Action, Portal

STATUS_LABELS = {"planned": "Planned", "in-progress": "In progress", "complete": "Complete", "delayed": "Delayed",
                 "stopped": "Stopped"}
# A text symbol beside the word, hidden from screen readers (which read the word): shape, not colour, tells
# the statuses apart at a glance, and the word is always there.
STATUS_ICONS = {"planned": "○", "in-progress": "◔", "complete": "✓", "delayed": "!", "stopped": "■"}
CATEGORY_LABELS = {"prepare": "Prepare", "prevent": "Prevent", "protect": "Protect", "pursue": "Pursue"}
NO_CATEGORY_LABEL = "Other actions"  # actions whose source does not say which of the 4Ps they serve
OPEN_STATUSES = ("planned", "in-progress", "delayed")  # still to be done: only these can be past their due date
OVERDUE_LABEL = "Due date passed"
OVERDUE_ICON = "⚠"

AS_AT_MEETING, AS_AT_PROGRESS = "meeting", "progress"

WHOLE_STRATEGY = "Whole strategy"  # where a strand's name would be, for an action of the whole strategy (no strand)
ALL_ACTIONS = "All actions"  # the counts' last row: every strand's and the whole strategy's together


@dataclass(frozen=True)
class AsAt:
    """The date the plan is shown as at, and where it comes from (a board meeting, or the latest progress)."""

    date: str  # YYYY-MM-DD
    source: str  # AS_AT_MEETING | AS_AT_PROGRESS

    @property
    def words(self) -> str:
        return long_date(self.date)


def as_at(portal: Portal, board_meeting: str | None) -> AsAt | None:
    """The release's board meeting date; else the latest progress entry's; None when no action has progress."""
    if board_meeting:
        return AsAt(board_meeting, AS_AT_MEETING)
    latest = max((p.as_at for a in portal.actions for p in a.progress), default=None)
    return AsAt(latest, AS_AT_PROGRESS) if latest else None


def last_day(date: str) -> str:
    """'2019-11' -> '2019-11-30' (due in a month means by its end); a full date is itself."""
    if date.count("-") == 2:
        return date
    year, month = (int(part) for part in date.split("-"))
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def status_of(action: Action) -> str:
    latest = action.latest
    return latest.status if latest else "planned"


def is_overdue(action: Action, when: AsAt | None) -> bool:
    """Its due date is before the as-at date and it is neither complete nor stopped."""
    if when is None or not action.due or status_of(action) not in OPEN_STATUSES:
        return False
    return last_day(action.due) < when.date


def date_words(date: str) -> str:
    """'2019-11' -> 'November 2019'; '2019-11-05' -> '5 November 2019'."""
    return long_date(date) if date.count("-") == 2 else month_name(date)


def timescale_words(action: Action) -> str:
    """'June 2019 to June 2020', 'Due November 2019', 'From June 2019', or 'No dates given'."""
    if action.start and action.due:
        return f"{date_words(action.start)} to {date_words(action.due)}"
    if action.due:
        return f"Due {date_words(action.due)}"
    if action.start:
        return f"From {date_words(action.start)}"
    return "No dates given"


def by_category(actions: list[Action]) -> list[tuple[str, list[Action]]]:
    """(heading, actions) in 4P order, then the actions the source did not place; empty groups left out."""
    groups = [(CATEGORY_LABELS[stage], [a for a in actions if a.category == stage]) for stage in PLAN_STAGES]
    groups.append((NO_CATEGORY_LABEL, [a for a in actions if a.category not in PLAN_STAGES]))
    return [(heading, members) for heading, members in groups if members]


def overdue_first(actions: list[Action], when: AsAt | None) -> list[Action]:
    """Actions past their due date first, each part in the plan's order (strand order, then file order)."""
    return sorted(actions, key=lambda a: not is_overdue(a, when))


@dataclass(frozen=True)
class StatusCounts:
    """How many of a strand's actions are at each status, and how many are past their due date."""

    label: str
    counts: tuple[int, ...]  # in ACTION_STATUSES order
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts)


def counts_by_strand(portal: Portal, when: AsAt | None) -> list[StatusCounts]:
    """One row per strand that has actions, in strand order, one for the whole strategy's actions when there
    are any, then a row for the whole plan."""
    rows = []
    for strand in portal.strands:
        actions = portal.actions_of(strand.id)
        if actions:
            rows.append(_counts(strand.title, actions, when))
    if whole := portal.actions_of(None):
        rows.append(_counts(WHOLE_STRATEGY, whole, when))
    if rows:
        rows.append(_counts(ALL_ACTIONS, portal.actions, when))
    return rows


def _counts(label: str, actions: list[Action], when: AsAt | None) -> StatusCounts:
    statuses = [status_of(a) for a in actions]
    return StatusCounts(label, tuple(statuses.count(s) for s in ACTION_STATUSES), sum(is_overdue(a, when) for a in actions))
