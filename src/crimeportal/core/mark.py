"""The portal's mark on every page it builds, and how to tell a page that lacks it or was left half-made.

Another generator, a mkdocs.yml without `hooks:`, or an engine that skips hooks
(Zensical ignores them) would still build pages that look like the portal's,
without a chart, a verdict or a download. The hooks put this mark on every
page, so the release's checks (releases/site_check.py) can refuse such a site.
"""

from __future__ import annotations

import re
from html import escape

from .. import __version__

GENERATOR = f"crimeportal {__version__}"
MARK = f'<meta name="generator" content="{escape(GENERATOR)}">'
# Material writes its own generator line, naming the engine and its version; the portal's replaces it, so a page
# is the same whichever engine built it, and says which program made what the reader sees
_ENGINE_GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)
_MARKED = re.compile(r'<meta name="generator" content="crimeportal [^"]+">')
# the markers the build fills (site/blocks.py's, and the home page's strand cards, which an editor's page names):
# one left in a page means the hooks never ran on it, or a block was never filled. Not every marker: the board
# report keeps its section markers, which the board pack finds its sections by.
UNFILLED = re.compile(r"<!-- crimeportal:(?:block|late|strand-cards)\b[^>]*-->")


def stamp(html: str) -> str:
    """The page with the portal's mark in its head (unchanged if it has no head, as a sitemap has not)."""
    if _MARKED.search(html):
        return html
    if _ENGINE_GENERATOR.search(html):
        return _ENGINE_GENERATOR.sub(MARK, html, count=1)
    head = _HEAD.search(html)
    return html if head is None else f"{html[:head.end()]}{MARK}{html[head.end():]}"


def is_marked(html: str) -> bool:
    return _MARKED.search(html) is not None


def unfilled(html: str) -> list[str]:
    """The markers of blocks the build left unfilled, as they appear in the page."""
    return [found.group(0) for found in UNFILLED.finditer(html)]
