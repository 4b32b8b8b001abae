"""Changing a metric file's figures through ruamel.yaml's round trip, which keeps everything else as it was.

Comments, key order, quoting, indentation, a byte-order mark and Windows line ends all survive: adding a
figure adds only its own lines. A file the round trip would not write back exactly is refused, not rewritten.

Figures added after the last one (add-period's and an import's usual change) are written as the YAML tool writes
them, but not by it beyond the first (`_appended`): it takes about a millisecond a figure, so that 100,000 new
figures took over a minute, and 20,000 months of figures by area several.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..core.problems import Problem
from .figures_csv import OBSERVATION_KEYS

BOM = "\ufeff"


class _Representer(RoundTripRepresenter):
    """ruamel's round trip writes nothing for null; the files say `value: null`, as the data contract shows."""


_Representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))


@dataclass
class RoundTripFile:
    """A YAML file read for a round trip (or a new one): change its `data`, then write `text()` back."""

    path: Path
    shown_as: str
    before: str | None  # the file's text exactly as read; None for a file not yet written
    data: CommentedMap
    yaml: YAML
    bom: bool = False
    crlf: bool = False
    header: str = ""  # the line a new file starts with (its schema line)

    def text(self) -> str:
        """The file as it would now be written, with its original line ends and byte-order mark."""
        return self._written(_dump(self.yaml, self.data))

    def _written(self, after: str) -> str:
        if self.before is None and self.header:
            after = f"{self.header}\n{after}"
        if self.crlf:
            after = after.replace("\n", "\r\n")
        return (BOM if self.bom else "") + after


def ordered_mapping(keys: tuple[str, ...], values: dict[str, Any], scalar: Callable[[str, Any], Any]) -> CommentedMap:
    """The values given, in the data contract's order of `keys`, each written as `scalar` says."""
    return CommentedMap([(key, scalar(key, values[key])) for key in keys if key in values])


def read_round_trip(path: Path, shown_as: str, added: str) -> RoundTripFile | Problem:
    """The file ready to change, or the problem that says why its layout cannot be kept when `added` (say,
    "figures") are added to it."""
    raw = path.read_bytes().decode("utf-8")  # not read_text: it would hide the file's \r\n line ends
    text = raw.removeprefix(BOM)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = _yaml(indent, offset)
    data = yaml.load(text)
    problem = _layout_problem(_dump(yaml, data), text, shown_as, added)
    return problem or RoundTripFile(path, shown_as, raw, data, yaml, raw.startswith(BOM), crlf)


@dataclass
class MetricDocument(RoundTripFile):
    """A metric file read for a round trip: change its `observations`, then write `text()` back."""

    added: list[CommentedMap] = field(default_factory=list)  # in the order added
    _by_end: dict[str, CommentedMap] | None = None

    @property
    def observations(self) -> list[CommentedMap]:
        return self.data["observations"]

    def add(self, values: dict[str, Any]) -> None:
        """A new observation at the end, its keys in the order the data contract gives them."""
        observation = ordered_mapping(OBSERVATION_KEYS, values, _scalar)
        self.observations.append(observation)
        self.added.append(observation)
        if self._by_end is not None:
            self._by_end[str(observation["end"])] = observation

    def revise(self, end: str, values: dict[str, Any]) -> None:
        """Change the observation for `end` in place: its other keys and comments stay where they are."""
        if self._by_end is None:  # found by period through an index made once: a search for each was quadratic
            self._by_end = {str(o["end"]): o for o in self.observations}
        observation = self._by_end[end]
        if "suppressed" in observation and not values.get("suppressed"):
            del observation["suppressed"]
        for key in OBSERVATION_KEYS[1:]:
            if key not in values:
                continue
            if key in observation:
                observation[key] = _scalar(key, values[key])
            else:
                position = sum(1 for k in observation if k in OBSERVATION_KEYS[: OBSERVATION_KEYS.index(key)])
                observation.insert(position, key, _scalar(key, values[key]))

    def set_field(self, key: str, value: Any) -> None:
        """A top-level field, changed in place or added just before the observations."""
        if key in self.data and self.data[key] == value:
            return  # already so
        if key in self.data:
            self.data[key] = value
        else:
            self.data.insert(list(self.data).index("observations"), key, value)

    def text(self) -> str:
        """The file as it would now be written, with its original line ends and byte-order mark."""
        appended = self._appended()
        return super().text() if appended is None else self._written(appended)

    def _appended(self) -> str | None:
        """The text with the added figures after the rest, the first written by the YAML tool with the rest of the
        file and the others after it; or None where that would not be the text written whole (the added figures not
        last, or something the tool writes after the last figure, such as a comment at the end of the file)."""
        observations, added = self.observations, self.added
        count = len(added)
        if (count < 2 or list(self.data)[-1] != "observations" or len(observations) < count
                or any(a is not b for a, b in zip(observations[-count:], added))):
            return None
        items = _items_text(self.yaml, added[1:])
        first = _quick_item(added[0], *_item_prefixes(self.yaml))
        later = [observations.pop() for _ in range(count - 1)]  # the file as far as the first added figure
        try:
            base = _dump(self.yaml, self.data)
        finally:
            observations.extend(reversed(later))
        if items is None or first is None or not base.endswith(first):
            return None
        return base + items


_CHECKED_BY_THE_TOOL = 50  # new figures written both ways, the quick way trusted only when all agree
_WORDS_YAML_READS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}  # words YAML may read as other values: left to the tool
_PLAIN_TEXT = re.compile(r"\A[0-9]{4}-[0-9]{2}\Z|\A[a-z][a-z0-9-]*\Z")  # a period, a status or an area id


def _items_text(yaml: YAML, observations: list[CommentedMap]) -> str | None:
    """The observations as the YAML tool writes them as items of `observations:`, or None if that cannot be told.

    The tool takes about a millisecond a figure; figures of plain numbers, periods and words are written here
    instead, in the tool's layout (learnt from the tool), and the first `_CHECKED_BY_THE_TOOL` are written by the
    tool too: any difference, and the tool writes them all. A figure with a note is always the tool's to write."""
    by_tool = _tool_items(yaml, observations[:_CHECKED_BY_THE_TOOL])
    first, rest = _item_prefixes(yaml)
    quick = [_quick_item(o, first, rest) for o in observations]
    if by_tool is None or any(text is None for text in quick) or "".join(quick[:_CHECKED_BY_THE_TOOL]) != by_tool:  # type: ignore[arg-type]
        return _tool_items(yaml, observations)
    return "".join(quick)  # type: ignore[arg-type]


def _tool_items(yaml: YAML, observations: list[CommentedMap]) -> str | None:
    tail = CommentedMap()
    tail["observations"] = observations
    heading, _, items = _dump(yaml, tail).partition("\n")
    return items if heading == "observations:" else None


def _item_prefixes(yaml: YAML) -> tuple[str, str]:
    """What comes before an item's first key ('  - ') and before its other keys ('    '), as the tool indents them."""
    sample = CommentedMap()
    sample["end"], sample["value"] = "x", 1
    lines = (_tool_items(yaml, [sample]) or "").splitlines()
    if len(lines) != 2 or not lines[0].endswith("end: x") or not lines[1].endswith("value: 1"):
        return "\0", "\0"  # a layout not learnt: no quick text will match the tool's
    return lines[0][: -len("end: x")], lines[1][: -len("value: 1")]


def _quick_item(observation: CommentedMap, first: str, rest: str) -> str | None:
    lines = []
    for key, value in observation.items():
        text = _quick_scalar(value)
        if text is None:
            return None
        lines.append(f"{rest if lines else first}{key}: {text}\n")
    return "".join(lines) if lines else None


def _quick_scalar(value: Any) -> str | None:
    """A value as the tool writes it, for the kinds a figure holds; None for any other (a note, a long number)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        shown = repr(value)
        return shown if "." in shown and "e" not in shown and "n" not in shown else None
    if type(value) is str and _PLAIN_TEXT.match(value) and value not in _WORDS_YAML_READS:
        return value
    if isinstance(value, CommentedMap) and value.fa.flow_style():  # figures by area: {basildon: 136, ...}
        parts = [(k, _quick_scalar(v)) for k, v in value.items()]
        if any(type(k) is not str or not _PLAIN_TEXT.match(k) or k in _WORDS_YAML_READS or v is None
               or isinstance(value[k], CommentedMap) for k, v in parts):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in parts) + "}"
    return None


def open_metric(path: Path, shown_as: str) -> MetricDocument | Problem:
    """The file ready to change, or the problem that says why its layout cannot be kept."""
    read = read_round_trip(path, shown_as, "figures")
    return read if isinstance(read, Problem) else MetricDocument(**vars(read))


def _yaml(indent: int | None, offset: int | None) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never fold a long caveat onto a second line
    sequence = indent or 4
    dash = offset if offset is not None else 2
    yaml.indent(mapping=max(sequence - dash, 2), sequence=sequence, offset=dash)
    yaml.Representer = _Representer
    return yaml


def _layout_problem(round_trip: str, text: str, shown_as: str, added: str) -> Problem | None:
    """Refuse a file the YAML tool would not write back exactly as it is: the edit would then change other lines."""
    if round_trip == text:
        return None
    old, new = text.splitlines(), round_trip.splitlines()
    line = next((i for i, (a, b) in enumerate(zip(old, new), start=1) if a != b), min(len(old), len(new)) + 1)
    return Problem(shown_as, line, 1, "", f"this file's layout cannot be kept when {added} are added to it "
                                          f"(the YAML tool would rewrite this line); add them by hand")


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _scalar(key: str, value: Any) -> Any:
    if key == "areas":  # figures by area on one line, {basildon: 136, ...}: 14 areas x 60 periods stay readable
        areas = CommentedMap(value)
        areas.fa.set_flow_style()
        return areas
    # notes are always quoted, as the files' other text is: YAML would read a bare yes or 1:30 as something else
    return DoubleQuotedScalarString(value) if key == "note" else value
