"""Every kind of block the hooks put into pages, declared once; one function writes markers, one fills them.

A page's markdown gets a marker, an HTML comment that Markdown passes through
untouched, wherever a block belongs; `fill` replaces each marker with the
block's HTML once Markdown has run. Blocks in the `late` phase are filled only
after the search plugin has indexed the page (charts and tables: search need
not parse them, and a measure's own page already gives its figures to search).

Editors cannot write these markers: validation reserves the `crimeportal:`
comment prefix, so every marker in a page was written by `marker`.
"""

from __future__ import annotations

import re
from typing import Callable

from ..core.errors import PortalError

BLOCK, LATE = "block", "late"

KINDS: dict[str, tuple[str, str]] = {
    # kind: (phase, what it puts on the page); the argument after the colon is empty or a metric id
    "problems": (BLOCK, "In a live preview of files with problems: the list of problems, in place of the page."),
    "cards": (BLOCK, "The home page's strand cards: each strand with its measures' latest figures and verdicts."),
    "metrics-index": (BLOCK, "The All measures page's text and table: every measure, its latest figure, the comparison and verdict; with too many measures, each strand's count by verdict."),
    "strand-counts": (BLOCK, "The board report's table of strands with their measures counted by verdict, when it has too many to show in full."),
    "board-strand-counts": (BLOCK, "In the board report, when it has too many measures to show in full: a strand's measures counted by verdict."),
    "data-zip": (BLOCK, "The Data page's opening: a link to the zip of every file, or that a live preview did not make it."),
    "data-files": (BLOCK, "The Data page's table of every download, with what it holds and its size."),
    "what-changed": (BLOCK, "The What changed page: what this release changed since the one before."),
    "releases": (BLOCK, "The table of every published release, newest first."),
    "draft": (BLOCK, "In a live preview, on a draft's page: that it is a draft, left out of the published site."),
    "strand-intro": (BLOCK, "A strand's summary, date of its latest update, lead, and whether it is planned."),
    "delivery-plan": (BLOCK, "The Delivery plan page's parts: the as-at date (`as-at`), counts by status (`counts`), every action (`table`), the whole strategy's actions in full (`whole-strategy`)."),
    "delivery-summary": (BLOCK, "The board report's delivery summary: counts by status (`counts`), actions for the board's attention (`attention`)."),
    "areas-index": (BLOCK, "The Areas page's table of districts (`district`) or of partnerships (`csp`)."),
    "area-facts": (BLOCK, "An area's page: its kind, ONS code, population, and the partnership over it or the districts under it."),
    "area-actions": (BLOCK, "An area's page: the delivery plan's actions for it (a partnership's, also its districts')."),
    "evaluation": (BLOCK, "The Evaluations page's table (`index`), the board report's (`board`), a strand's (`strand.<id>`), or one part of an evaluation's page (`<id>.<part>`, the parts in evaluation_pages.PARTS)."),
    "area-measures": (BLOCK, "An area's page: the measures published for it alone, or that there are none yet."),
    # Late blocks are filled after search has indexed the page: a measure's words are searchable on its own
    # page, and neither repeating them on strand pages nor indexing links and citations helps anyone find
    # anything, while the index is part of every reader's first download.
    "measure": (LATE, "One measure as a strand page shows it: headline, chart, table and a link to its page."),
    "board-compact-measures": (LATE, "The board report's measures of a strand when it has too many to show in full but few enough to list: a row each."),
    "compact-measures": (LATE, "A strand page's measures when it has too many to show in full: a row each, linked to its page."),
    "context-measure": (LATE, "A measure the board is not given, as a strand page shows it: headline, caveats and a link to its page."),
    "headline": (BLOCK, "A measure's headline sentence with its verdict badge."),
    "figures": (LATE, "A measure page's chart and table of figures."),
    "about": (BLOCK, "A measure page's facts: what it measures, unit, period, source, caveats, test."),
    "downloads": (LATE, "A measure page's links to its CSV and JSON files."),
    "cite": (LATE, "A measure page's citation, in the one format used everywhere."),
    "site-citation": (BLOCK, "How to cite the portal as a whole (an editor's `<!-- crimeportal:citation -->`)."),
    "licence": (BLOCK, "The licence and the attribution it asks for (an editor's `<!-- crimeportal:licence -->`)."),
    "contact": (BLOCK, "The portal's contact from mkdocs.yml, as a link (an editor's `<!-- crimeportal:contact -->`)."),
    "board-pack": (BLOCK, "A link to the board pack PDF with its size (filled in once the pack is made), or why there is none."),
    # a strand's actions are searchable once, on the Delivery plan page: repeating them would weigh down the index
    "delivery-strand": (LATE, "A strand page's Delivery plan: its actions by category, with owner, timescale, status and progress."),
    # a feed's link says "Subscribe to updates for ..." on every strand and area page: no search should find them all
    "topic-feed": (LATE, "A strand's or an area's page: a link to its own feed, of the releases that changed it."),
    "feeds": (LATE, "The Data page's table of every feed: the feed of releases, and each strand's and area's."),
    "chart": (LATE, "A measure's chart as SVG, drawn by the chart workers."),
    "table": (LATE, "A measure's table of figures."),
    "districts": (LATE, "A measure page's figures by district: rates against the force, a map, a table, each district's series."),
}

_MARKER = re.compile(r"<!-- crimeportal:(?P<phase>block|late) (?P<kind>[a-z-]+):(?P<arg>[^ ]*) -->")

Filler = Callable[[object, str], str]  # (the page's context, the argument) -> HTML
_FILLERS: dict[str, Filler] = {}


class UnknownBlock(PortalError):
    """A marker names a kind or a measure this build does not have: a bug in the portal, not in a page."""


def marker(kind: str, arg: str = "") -> str:
    phase = KINDS[kind][0]
    return f"<!-- crimeportal:{phase} {kind}:{arg} -->"


def late_marker(kind: str, arg: str) -> str:
    if KINDS[kind][0] != LATE:
        raise ValueError(f"{kind} is not a late block")
    return marker(kind, arg)


def fills(kind: str) -> Callable[[Filler], Filler]:
    """Register the function that makes a declared kind's HTML."""
    if kind not in KINDS:
        raise ValueError(f"undeclared block kind {kind!r}: declare it in KINDS first")

    def register(function: Filler) -> Filler:
        _FILLERS[kind] = function
        return function

    return register


def fill(html: str, context: object, phase: str) -> str:
    """Every marker of this phase in `html`, replaced by its block."""
    def replace(match: re.Match[str]) -> str:
        if match["phase"] != phase:
            return match[0]
        filler = _FILLERS.get(match["kind"])
        if filler is None:
            raise UnknownBlock(f"The page has a marker for a kind of block the portal does not know: {match[0]}")
        return str(filler(context, match["arg"]))  # plain text from here on: Markup would escape the page around it

    # a late block may hold late blocks of its own (a measure holds its chart and table): fill those too
    for _ in range(3):
        filled = _MARKER.sub(replace, html)
        if filled == html:
            break
        html = filled
    return html
