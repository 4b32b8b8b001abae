"""Checks on the text of every page under content/: its markers, and characters that have no place in a page."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice
from pathlib import Path

from ..core.conventions import BUILD_MARKER, EDITOR_BUILD_MARKERS, METRIC_MARKER, METRICS_DIR
from ..core.problems import Problem
from .files import shown_path
from .load import MKDOCS_FRONT_MATTER, read_text
from .rules import FORBIDDEN_IN_PAGES, character_problem


def page_problems(pages: list[Path], root: Path, metric_ids: set[str], strand_pages: set[Path]) -> list[Problem]:
    """Every page's markers must be ones editors may write, naming metrics that exist."""
    problems: list[Problem] = []
    for page in pages:
        source = read_text(page, shown_path(page, root))
        if source.text is None:
            problems += [] if page in strand_pages else source.problems  # a strand's own check reports it
            continue
        problems += _text_problems(source.text, source.path, metric_ids, page in strand_pages)
    return problems


def _text_problems(text: str, shown_as: str, metric_ids: set[str], is_strand: bool) -> list[Problem]:
    found: list[tuple[int, str, str]] = []  # (offset, field, message)
    if "metric:" in text:
        found += [(match.start(), "metric marker", f"there is no metric with id '{match['id']}' in {METRICS_DIR}/")
                  for match in islice((m for m in METRIC_MARKER.finditer(text) if m["id"] not in metric_ids), _MOST)]
    if "crimeportal:" in text.lower():
        allowed = " and ".join(EDITOR_BUILD_MARKERS)
        message = ("comments beginning '<!-- crimeportal:' are the build's own markers and cannot be written in a page "
                   f"(the ones for editors are {allowed}); to place a measure, write <!-- metric: its-id -->")
        found += [(match.start(), "", message) for match in islice(
            (m for m in BUILD_MARKER.finditer(text) if not text.startswith(EDITOR_BUILD_MARKERS, m.start())), _MOST)]
    # a strand's front matter is checked field by field, where the message can name the field
    start = (match.end() if (match := MKDOCS_FRONT_MATTER.match(text.replace("\r\n", "\n"))) else 0) if is_strand else 0
    found += [(match.start(), "", f"the page {character_problem(match[0])}")
              for match in islice(FORBIDDEN_IN_PAGES.finditer(text, _same_place(text, start)), _MOST)]
    if not found:
        return []
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    return [_at(line_starts, offset, shown_as, field, message) for offset, field, message in found]


_MOST = 50  # of each kind in one page: one bad paste can hold thousands, and the first few show where to look


def _same_place(text: str, normalised_offset: int) -> int:
    """An offset in text with \\r\\n line ends, from one in the same text with \\n line ends."""
    if "\r\n" not in text or not normalised_offset:
        return normalised_offset
    lines = text.replace("\r\n", "\n")[:normalised_offset].count("\n")
    return normalised_offset + lines


def _at(line_starts: list[int], offset: int, shown_as: str, field: str, message: str) -> Problem:
    line = bisect_right(line_starts, offset)
    return Problem(shown_as, line, offset - line_starts[line - 1] + 1, field, message)
