"""What the search index reads: a page's text as words a reader can follow in a result's snippet.

The search plugin keeps the text of a table's cells but not the tags between them, so cells written with
nothing between them (as the portal's templates write them) would run together: "all-metrics.csvEvery
figure". A space between cells and rows changes nothing on screen, since browsers ignore it inside a table.
"""

from __future__ import annotations

import re

_TABLE_PART = "td|th|tr|thead|tbody|caption"
_ADJACENT_PARTS = re.compile(rf"</({_TABLE_PART})>(?=<(?:{_TABLE_PART})[\s>])")


def spaced_cells(html: str) -> str:
    """A space between each cell, row and caption of every table and the next."""
    return _ADJACENT_PARTS.sub(r"</\1> ", html)
