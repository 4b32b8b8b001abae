"""Traps in YAML text found before the YAML is parsed: characters YAML refuses, tab indentation, and the
anchors, tags and nesting that would make the parser fail, take minutes, or build the wrong thing."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import accumulate, islice

import yaml

try:  # libyaml parses many times faster; fall back where PyYAML was built without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from ..core.conventions import MAX_DEPTH, MAX_VALUES
from ..core.problems import Problem
from .rules import CONTROLS_IN_FILE, character_problem


def control_problems(text: str, shown_as: str, offset: int) -> list[Problem]:
    problems = []
    for match in CONTROLS_IN_FILE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(Problem(shown_as, line + offset, column, "", f"the file {character_problem(match[0])}"))
        if len(problems) >= 20:  # a binary file pasted in holds thousands; these show where to look
            break
    return problems


_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
# libyaml's scanner (and ryaml's) takes time that grows with the square of bracket nesting (20,000 deep: a second; half a
# million: ten minutes), so nesting this deep is refused before libyaml sees it. Brackets inside quotes are
# counted too: no real file comes near.
_MAX_BRACKETS = 1000


def bracket_problems(text: str, shown_as: str, offset: int) -> list[Problem]:
    position = too_deep_brackets(text)
    if position is None:
        return []
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return [Problem(shown_as, line + offset, column, "", f"brackets are nested more than {_MAX_BRACKETS:,} deep here: "
                                                          "check the brackets")]


def too_deep_brackets(text: str) -> int | None:
    """Where brackets first open more than _MAX_BRACKETS deep, if they do; quick for files with few brackets."""
    if text.count("[") + text.count("{") <= _MAX_BRACKETS:
        return None
    depths = list(accumulate(map(_BRACKET_STEP.__getitem__, _NOT_A_BRACKET.sub("", text))))
    if max(depths) <= _MAX_BRACKETS:
        return None
    nth = depths.index(_MAX_BRACKETS + 1)
    return next(islice(re.finditer(r"[\[\]{}]", text), nth, None)).start()


def tab_problems(text: str, shown_as: str, offset: int) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(shown_as, number + offset, indent.index("\t") + 1, "",
                        "the line is indented with a tab; YAML needs spaces")
            )
    if len(problems) > _MAX_TAB_LINES:  # a whole file indented with tabs is one mistake, not thousands
        more = len(problems) - _MAX_TAB_LINES
        message = f"the line is indented with a tab, and so are {more - 1:,} more lines after it; YAML needs spaces"
        problems[_MAX_TAB_LINES:] = [replace(problems[_MAX_TAB_LINES], message=message)]
    return problems


_MAX_TAB_LINES = 50


def event_problems(text: str, shown_as: str, offset: int) -> list[Problem]:
    """Anchors, aliases and tags, each at its place; or where the file nests too deep or holds too much."""
    problems = []
    depth = values = 0
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        where = (shown_as, mark.line + 1 + offset, mark.column + 1, "")
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return problems + [Problem(*where, f"lists and fields are nested more than {MAX_DEPTH} deep here: "
                                                   "check the indentation and brackets")]
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if values > MAX_VALUES:
                return problems + [Problem(*where, f"the file holds more than {MAX_VALUES:,} values; no portal file needs "
                                                   "that many: check it")]
        if anchor := getattr(event, "anchor", None):
            what = "an alias (*" if isinstance(event, yaml.AliasEvent) else "an anchor (&"
            problems.append(Problem(*where, f"{what}{anchor}) is not allowed: write the value out in full"))
        if tag := getattr(event, "tag", None):
            written = tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(Problem(*where, f"the YAML tag {written} is not allowed: remove it and write the value "
                                            "plainly (in quotes if it is text that could be read as a number or true/false)"))
    return problems
