"""Changing an actions file through ruamel.yaml's round trip, as `yaml_edit` changes a metric file.

Comments, key order, quoting and layout survive: adding an action or a progress entry adds only its own
lines. A file the round trip would not write back exactly is refused, not rewritten. A new file starts
with the schema line, so editors' tools check it as they type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..core.conventions import SCHEMA_LINE_ACTIONS
from ..core.problems import Problem
from .yaml_edit import BOM, _dump, _yaml  # the same YAML settings as metric files, so both kinds look alike

ACTION_KEYS = ("id", "title", "strand", "area", "category", "owner", "start", "due", "outcome", "progress")
PROGRESS_KEYS = ("as_at", "status", "note")
QUOTED = {"title", "owner", "outcome", "note"}  # free text is always quoted: YAML would read a bare yes as true


@dataclass
class ActionsDocument:
    """An actions file read for a round trip (or a new one): add to it, then write `text()`."""

    path: Path
    shown_as: str
    before: str | None  # the file's text exactly as read; None for a file not yet written
    data: CommentedMap
    yaml: Any
    bom: bool = False
    crlf: bool = False

    @property
    def actions(self) -> list[CommentedMap]:
        return self.data["actions"]

    def add_action(self, values: dict[str, Any]) -> None:
        """A new action at the end, its keys in the order of the data contract, with its progress so far."""
        action = CommentedMap()
        for key in ACTION_KEYS:
            if key == "progress":
                action[key] = CommentedSeq([_entry(entry) for entry in values["progress"]])
            elif values.get(key) is not None:
                action[key] = _scalar(key, values[key])
        self.actions.append(action)

    def add_progress(self, action_id: str, entry: dict[str, Any]) -> None:
        """A progress entry after the action's others."""
        action = next(a for a in self.actions if a["id"] == action_id)
        action["progress"].append(_entry(entry))

    def text(self) -> str:
        """The file as it would now be written, with its original line ends and byte-order mark."""
        after = _dump(self.yaml, self.data)
        if self.before is None:
            after = f"{SCHEMA_LINE_ACTIONS}\n{after}"
        if self.crlf:
            after = after.replace("\n", "\r\n")
        return (BOM if self.bom else "") + after


def open_actions(path: Path, shown_as: str) -> ActionsDocument | Problem:
    """The file ready to change (an empty new one when it does not exist), or the problem with its layout."""
    if not path.exists():
        return ActionsDocument(path, shown_as, None, CommentedMap([("actions", CommentedSeq())]), _yaml(4, 2))
    raw = path.read_bytes().decode("utf-8")  # not read_text: it would hide the file's \r\n line ends
    text = raw.removeprefix(BOM)
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = _yaml(indent, offset)
    data = yaml.load(text)
    round_trip = _dump(yaml, data)
    if round_trip != text:
        old, new = text.splitlines(), round_trip.splitlines()
        line = next((i for i, (a, b) in enumerate(zip(old, new), start=1) if a != b), min(len(old), len(new)) + 1)
        return Problem(shown_as, line, 1, "", "this file's layout cannot be kept when actions or progress are added to "
                                              "it (the YAML tool would rewrite this line); add them by hand")
    return ActionsDocument(path, shown_as, raw, data, yaml, raw.startswith(BOM), crlf)


def _entry(values: dict[str, Any]) -> CommentedMap:
    entry = CommentedMap()
    for key in PROGRESS_KEYS:
        if values.get(key) is not None:
            entry[key] = _scalar(key, values[key])
    return entry


def _scalar(key: str, value: Any) -> Any:
    if key in QUOTED:
        return DoubleQuotedScalarString(value)
    if key in ("as_at", "start", "due") and len(value) == 10:
        return date.fromisoformat(value)  # written plain, 2019-09-12, as the files write dates; a string would be quoted
    return value
