"""Changing a metric file's figures through ruamel.yaml's round trip, which keeps everything else as it was.

Comments, key order, quoting, indentation, a byte-order mark and Windows line ends all survive: adding a
figure adds only its own lines. A file the round trip would not write back exactly is refused, not rewritten.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
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
        after = _dump(self.yaml, self.data)
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


class MetricDocument(RoundTripFile):
    """A metric file read for a round trip: change its `observations`, then write `text()` back."""

    @property
    def observations(self) -> list[CommentedMap]:
        return self.data["observations"]

    def add(self, values: dict[str, Any]) -> None:
        """A new observation at the end, its keys in the order the data contract gives them."""
        self.observations.append(ordered_mapping(OBSERVATION_KEYS, values, _scalar))

    def revise(self, end: str, values: dict[str, Any]) -> None:
        """Change the observation for `end` in place: its other keys and comments stay where they are."""
        observation = next(o for o in self.observations if str(o["end"]) == end)
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
        if key in self.data:
            self.data[key] = value
        else:
            self.data.insert(list(self.data).index("observations"), key, value)


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
