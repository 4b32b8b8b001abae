"""Checks on the text of every page under content/: its markers, and characters that have no place in a page."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice
from pathlib import Path

from ..core.addresses import loads_from_elsewhere, shown_address
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
    found += [(offset, "image", _ELSEWHERE_MESSAGE.format(address=shown_address(address)))
              for offset, address in islice(external_loads(text), _MOST)]
    if not found:
        return []
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    return [_at(line_starts, offset, shown_as, field, message) for offset, field, message in found]


_ELSEWHERE_MESSAGE = ("the page loads '{address}' from another website; a page may show only the site's own files, "
                      "because the portal promises readers that nothing it serves comes from elsewhere (no other "
                      "website learns who reads the page, and it works offline). Save the picture under content/, "
                      "for example content/images/, and use that, or make it a link instead of an image")

# What a page's Markdown may make its reader's browser fetch: raw HTML elements, attr_list's `{: ...}` attributes,
# and images written in Markdown, inline or by reference. Code and comments are text, never fetched.
_CODE_OR_COMMENT = re.compile(r"^ {0,3}(?P<fence>```+|~~~+)[^\n]*\n.*?(?:^ {0,3}(?P=fence)[ \t]*$|\Z)"
                              r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)|<!--.*?(?:-->|\Z)", re.M | re.S)
_TAG = re.compile(r"<(?P<tag>[a-zA-Z][a-zA-Z0-9:-]*)(?P<attributes>(?:\s[^>]*)?)>|\{:?(?P<attr_list>[^}\n]*)\}")
_ATTRIBUTE = re.compile(r"(?P<name>[^\s\"'>/=]+)\s*=\s*(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<bare>[^\s\"'=<>`]+))")
_INLINE_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>[^\s)]+))")
_REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\](?!\()(?:\s?\[(?P<label>[^\]]*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:[ \t]*\n?[ \t]*(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))", re.M)


def external_loads(text: str) -> list[tuple[int, str]]:
    """(offset, address) of everything in a page's Markdown that a browser would fetch from another host."""
    text = _CODE_OR_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)  # same offsets, nothing to match
    found: list[tuple[int, str]] = []
    for tag in _TAG.finditer(text):
        name = tag["tag"] or "img"  # attr_list's attributes land on the element before them, an image or other
        attributes = tag["attributes"] if tag["tag"] else tag["attr_list"]
        start = tag.start("attributes") if tag["tag"] else tag.start("attr_list")
        for attribute in _ATTRIBUTE.finditer(attributes or ""):
            value = next(v for v in (attribute["double"], attribute["single"], attribute["bare"]) if v is not None)
            if loads_from_elsewhere(name, attribute["name"], value):
                found.append((start + attribute.start(), value))
    found += [(m.start(), address) for m in _INLINE_IMAGE.finditer(text)
              if loads_from_elsewhere("img", "src", address := m["angle"] if m["angle"] is not None else m["bare"])]
    definitions = {_label(m["label"]): m["angle"] if m["angle"] is not None else m["bare"]
                   for m in reversed(list(_DEFINITION.finditer(text)))}  # the first definition of a label wins
    for image in _REFERENCE_IMAGE.finditer(text):
        address = definitions.get(_label(image["label"] or image["alt"]))
        if address is not None and loads_from_elsewhere("img", "src", address):
            found.append((image.start(), address))
    return sorted(found)


def _label(label: str) -> str:
    """A reference's label as Markdown matches it: case and runs of spaces do not matter."""
    return " ".join(label.split()).casefold()


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
