"""What the search index reads: a page's text as words a reader can follow in a result's snippet.

The search plugin keeps the text of a table's cells but not the tags between them, so cells written with
nothing between them (as the portal's templates write them) would run together: "all-metrics.csvEvery
figure". A space between cells and rows changes nothing on screen, since browsers ignore it inside a table.

The index is part of every reader's first visit, so each measure adds only its own words to it (its page's
title and headline, what it measures, its strand, source and caveats). Everything else about a measure is
marked `data-search-exclude` where it is written, which Material's search skips: the sections of its page that
late blocks fill, the status of each figure, the basis line, and the rows of pages that list every measure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

_TABLE_PART = "td|th|tr|thead|tbody|caption"
_ADJACENT_PARTS = re.compile(rf"</({_TABLE_PART})>(?=<(?:{_TABLE_PART})[\s>])")


def spaced_cells(html: str) -> str:
    """A space between each cell, row and caption of every table and the next."""
    return _ADJACENT_PARTS.sub(r"</\1> ", html)


_LAYOUT_TAGS = re.compile(r"\s*</?(?:p|ul|ol|li)>\s*")
# Each result's text is kept to its opening words: a section is found by its title and by what it begins with,
# and a long page (the glossary, How we judge change) does not make every reader download all of its prose. A
# measure's own page keeps all of its words (what it measures, its source, its caveats), and the Data page all of
# its own (file names, columns), which are what people search those pages for.
TEXT_LIMIT = 350
WHOLE_PAGES = ("metrics/", "data/")


def board_report_by_strand(index_file: Path, report: str, strand_ids: Iterable[str]) -> None:
    """Keep the board report in the search index as one result per strand (its title and summary) and drop
    its other sections: they repeat the strand pages word for word, which search already holds, and the
    index is part of every reader's first download."""
    if not index_file.is_file():  # search is switched off
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    wanted = {report} | {f"{report}#{strand_id}" for strand_id in strand_ids}
    index["docs"] = [doc for doc in index.get("docs", [])
                     if not str(doc.get("location", "")).startswith(report) or doc.get("location") in wanted]
    for doc in index["docs"]:  # paragraphs and lists become plain text: results show a snippet, not the layout
        if isinstance(doc.get("text"), str):
            text = _LAYOUT_TAGS.sub(" ", doc["text"]).strip()
            doc["text"] = text if str(doc.get("location", "")).startswith(WHOLE_PAGES) else opening_words(text)
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def opening_words(text: str, limit: int = TEXT_LIMIT) -> str:
    """The text, or its first words up to `limit` characters, cut between words."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > 0 else limit].rstrip() + " …"
