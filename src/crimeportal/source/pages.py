"""Checks on the text of every page under content/: its markers, and characters that have no place in a page."""

from __future__ import annotations

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
    problems = []
    if "metric:" in text:
        for match in METRIC_MARKER.finditer(text):
            if match["id"] not in metric_ids:
                problems.append(_at(text, match.start(), shown_as, "metric marker",
                                    f"there is no metric with id '{match['id']}' in {METRICS_DIR}/"))
    if "crimeportal:" in text.lower():
        for match in BUILD_MARKER.finditer(text):
            if not text.startswith(EDITOR_BUILD_MARKERS, match.start()):
                allowed = " and ".join(EDITOR_BUILD_MARKERS)
                problems.append(_at(text, match.start(), shown_as, "", "comments beginning '<!-- crimeportal:' are the "
                                    f"build's own markers and cannot be written in a page (the ones for editors are "
                                    f"{allowed}); to place a measure, write <!-- metric: its-id -->"))
    # a strand's front matter is checked field by field, where the message can name the field
    start = (match.end() if (match := MKDOCS_FRONT_MATTER.match(text.replace("\r\n", "\n"))) else 0) if is_strand else 0
    for match in FORBIDDEN_IN_PAGES.finditer(text, _same_place(text, start)):
        problems.append(_at(text, match.start(), shown_as, "", f"the page {character_problem(match[0])}"))
        if len(problems) > 50:  # one bad paste can hold thousands; the first few show where to look
            break
    return problems


def _same_place(text: str, normalised_offset: int) -> int:
    """An offset in text with \\r\\n line ends, from one in the same text with \\n line ends."""
    if "\r\n" not in text or not normalised_offset:
        return normalised_offset
    lines = text.replace("\r\n", "\n")[:normalised_offset].count("\n")
    return normalised_offset + lines


def _at(text: str, offset: int, shown_as: str, field: str, message: str) -> Problem:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(shown_as, line, column, field, message)
