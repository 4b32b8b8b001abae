"""Changing an actions file through ruamel.yaml's round trip, as `yaml_edit` changes a metric file.

Comments, key order, quoting and layout survive: adding an action or a progress entry adds only its own
lines. A file the round trip would not write back exactly is refused, not rewritten. A new file starts
with the schema line, so editors' tools check it as they type.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..core.conventions import SCHEMA_LINE_ACTIONS
from ..core.problems import Problem
from .yaml_edit import RoundTripFile, _yaml, ordered_mapping, read_round_trip  # the same YAML settings as metric files, so both look alike

ACTION_KEYS = ("id", "title", "strand", "area", "category", "owner", "start", "due", "outcome", "progress")
PROGRESS_KEYS = ("as_at", "status", "note")
QUOTED = {"title", "owner", "outcome", "note"}  # free text is always quoted: YAML would read a bare yes as true


class ActionsDocument(RoundTripFile):
    """An actions file read for a round trip (or a new one): add to it, then write `text()`."""

    @property
    def actions(self) -> list[CommentedMap]:
        return self.data["actions"]

    def add_action(self, values: dict[str, Any]) -> None:
        """A new action at the end, its keys in the order of the data contract, with its progress so far."""
        given = {key: value for key, value in values.items() if value is not None}
        given["progress"] = CommentedSeq([_entry(entry) for entry in values["progress"]])
        self.actions.append(ordered_mapping(ACTION_KEYS, given, _scalar))

    def add_progress(self, action_id: str, entry: dict[str, Any]) -> None:
        """A progress entry after the action's others."""
        action = next(a for a in self.actions if a["id"] == action_id)
        action["progress"].append(_entry(entry))


def open_actions(path: Path, shown_as: str) -> ActionsDocument | Problem:
    """The file ready to change (an empty new one when it does not exist), or the problem with its layout."""
    if not path.exists():
        return ActionsDocument(path, shown_as, None, CommentedMap([("actions", CommentedSeq())]), _yaml(4, 2),
                               header=SCHEMA_LINE_ACTIONS)
    read = read_round_trip(path, shown_as, "actions or progress")
    return read if isinstance(read, Problem) else ActionsDocument(**vars(read))


def _entry(values: dict[str, Any]) -> CommentedMap:
    return ordered_mapping(PROGRESS_KEYS, {key: value for key, value in values.items() if value is not None}, _scalar)


def _scalar(key: str, value: Any) -> Any:
    if key in QUOTED:
        return DoubleQuotedScalarString(value)
    if key in ("as_at", "start", "due") and len(value) == 10:
        return date.fromisoformat(value)  # written plain, 2019-09-12, as the files write dates; a string would be quoted
    return value
