"""Read metric YAML files and strand front matter strictly, remembering where every value sits.

PyYAML on its own hides mistakes editors make: it keeps the last of two
duplicate keys, turns `no` into false, and expands aliases. This module reads
the YAML node tree itself so each of those becomes a located problem instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ryaml
import yaml

try:  # libyaml parses many times faster; fall back where PyYAML was built without it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from ..core.conventions import MAX_DEPTH, MAX_SOURCE_BYTES, MAX_VALUES
from ..core.encodings import UTF16_MARKS, bad_bytes
from ..core.problems import Problem, field_name
from .rules import number_length_problem
from .traps import bracket_problems, control_problems, event_problems, tab_problems, too_deep_brackets
from .yaml_errors import FALLBACK, syntax_problem

Path_ = tuple[str | int, ...]
Location = tuple[int, int]

_TRUE_FALSE = {"true", "false"}
_NOT_A_NUMBER = {".nan", ".inf", "+.inf", "-.inf"}
# YAML 1.1 gives a lone `<<` or `=` a tag of its own; to every other reader it is text
_TEXT_TO_OTHERS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass
class Document:
    """A parsed YAML document: plain data plus where each part of it was written."""

    data: Any
    value_at: dict[Path_, Location] = field(default_factory=dict)
    key_at: dict[Path_, Location] = field(default_factory=dict)
    yes_no_words: dict[Path_, str] = field(default_factory=dict)

    def locate(self, path: Path_) -> Location:
        """The closest known location for a path (a missing key points at its parent)."""
        while path and path not in self.value_at:
            path = path[:-1]
        return self.value_at.get(path, (1, 1))


@dataclass
class SourceText:
    """A file's text as read, or the problems that stopped it being read."""

    path: str
    text: str | None
    problems: list[Problem]


def read_at_most(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it holds more than `limit`: reading stops there, so a file that never ends
    (/dev/zero, a pipe) or one far too big for what it claims to be never fills the memory."""
    with open(path, "rb") as stream:
        raw = stream.read(limit + 1)
    return None if len(raw) > limit else raw


def size_words(limit: int) -> str:
    """A limit in bytes as an editor reads it: '50 MB'."""
    return f"{limit / 1_000_000:,.0f} MB" if limit >= 1_000_000 else f"{limit:,} bytes"


def read_text(path: Path, shown_as: str) -> SourceText:
    def refused(message: str) -> SourceText:
        return SourceText(shown_as, None, [Problem(shown_as, 1, 1, "", message)])

    if path.is_symlink():  # also found by the folder scan; refused here too so no reader ever follows one
        return refused("is a symbolic link: put the file itself here instead")
    try:
        if not path.is_file():
            return refused("is not an ordinary file: it cannot be read as text")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return refused(f"is {size:,} bytes long; a source file over {MAX_SOURCE_BYTES:,} bytes is not read: check it")
        raw = read_at_most(path, MAX_SOURCE_BYTES)  # it may have grown since
    except OSError as error:
        return refused(f"could not be read: {error.strerror or error}")
    if raw is None:
        return refused(f"is over {MAX_SOURCE_BYTES:,} bytes long; a source file over {MAX_SOURCE_BYTES:,} bytes is not "
                       "read: check it")
    if raw.startswith(UTF16_MARKS):
        return refused("the file is saved as UTF-16 (\"Unicode\"): save it again as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = bad_bytes(raw, error)
        message = (f"the file is not saved as UTF-8 text: {bad.described()}; save the file again as UTF-8 "
                   "(in Notepad: Save As, then Encoding: UTF-8)")
        return SourceText(shown_as, None, [Problem(shown_as, bad.line, bad.column, "", message)])
    return SourceText(shown_as, text.removeprefix("\ufeff"), [])


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document strictly; `first_line` is where `text` starts in the file."""
    offset = first_line - 1
    problems = control_problems(text, shown_as, offset) + tab_problems(text, shown_as, offset)
    problems += bracket_problems(text, shown_as, offset)
    if problems:
        return None, problems
    try:
        # before composing: a tag, an alias or deep nesting would make the composer fail, or build the wrong thing
        problems = event_problems(text, shown_as, offset)
        if problems:
            return None, problems
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [syntax_problem(error, shown_as, offset, text)]
    except yaml.YAMLError:
        return None, [Problem(shown_as, first_line, 1, "", FALLBACK)]
    if node is None:
        return None, [Problem(shown_as, first_line, 1, "", "the file is empty: it has no fields")]
    document = Document(data=None)
    builder = _Builder(document, shown_as, offset)
    document.data = builder.build(node, ())
    return document, builder.problems


# MkDocs 1.6 finds front matter with exactly this (mkdocs/utils/meta.py, YAML_RE), in the text as Python's
# universal newlines read it; a page it does not match is published with its front matter shown as text.
MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_FENCE_LINE = re.compile(r"(\.{3}|-{3})[ \t]*")


def split_front_matter(text: str, shown_as: str) -> tuple[str, int, str] | Problem:
    """Split a markdown page into (front matter YAML, its first line number, body), exactly where MkDocs would."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = MKDOCS_FRONT_MATTER.match(text)
    if match:
        return match[1], 2, text[match.end():]
    lines = text.split("\n")
    if not re.fullmatch(r"-{3}[ \t]*", lines[0]):
        return Problem(shown_as, 1, 1, "", "the page must start with front matter: a line '---', the fields, then '---'")
    closing = next((number for number in range(1, len(lines)) if _FENCE_LINE.fullmatch(lines[number])), None)
    if closing is None:
        return Problem(shown_as, 1, 1, "", "the front matter has no closing '---' line")
    if closing == 1:
        return Problem(shown_as, 2, 1, "", "the front matter is empty: put the page's fields between the two '---' lines")
    return Problem(shown_as, closing + 1, 1, "", "the closing '---' ends the file without a line break, so MkDocs would "
                                                 "show the front matter as page text: end the line with a line break")


class _Builder:
    """Turns a composed node tree into plain data, recording locations and traps."""

    def __init__(self, document: Document, shown_as: str, offset: int) -> None:
        self.document = document
        self.shown_as = shown_as
        self.offset = offset
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def where(self, node: yaml.Node) -> Location:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def problem(self, node: yaml.Node, path: Path_, message: str) -> None:
        line, column = self.where(node)
        self.problems.append(Problem(self.shown_as, line, column, field_name(path), message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.document.value_at[path] = self.where(node)
        if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_TO_OTHERS:
            return node.value
        if node.tag not in _CORE_TAGS:
            self.problem(node, path, f"the YAML tag {node.tag} is not allowed: remove it")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a field name must be a plain word")
                continue
            key = key_node.value
            if path + (key,) in self.document.key_at:
                first_line = self.document.key_at[path + (key,)][0]
                self.problem(key_node, path + (key,),
                             f"appears twice (first on line {first_line}); YAML would silently keep only the last, so remove one")
                continue
            self.document.key_at[path + (key,)] = self.where(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        tag = node.tag.rsplit(":", 1)[-1]
        if tag in ("str", "timestamp"):
            return node.value  # dates stay text; the schema checks their form
        if tag == "null":
            return None
        if tag == "bool":
            if node.value.lower() not in _TRUE_FALSE:
                self.document.yes_no_words[path] = node.value
            return self.constructor.construct_yaml_bool(node)
        return self.number(node, path, tag)

    def number(self, node: yaml.ScalarNode, path: Path_, tag: str) -> int | float | None:
        written = node.value
        if (too_long := number_length_problem(written)):
            self.problem(node, path, too_long)
            return None
        if ":" in written or (tag == "int" and re.fullmatch(r"[-+]?0[0-9_]+", written)):
            # YAML 1.1 reads 017 as octal (15) and 1:30 as base 60 (90)
            number = getattr(self.constructor, f"construct_yaml_{tag}")(node)
            self.problem(node, path, f"YAML reads {written} as {number}: write the number plainly, or put text in quotes")
            return None
        if written.lower() in _NOT_A_NUMBER:
            self.problem(node, path, f"{written} is not a number that can be published: write a figure, or null with suppressed: true")
            return None
        number = getattr(self.constructor, f"construct_yaml_{tag}")(node)
        if not _PLAIN_NUMBER.fullmatch(written):
            # 0x1F, 0b101 and 1_000 are numbers to YAML 1.1 but text, or another number, to other readers
            self.problem(node, path, f"YAML 1.1 reads {written} as {number}, but other YAML readers (editors' tools among "
                                     f"them) read it differently: write the plain number, {number}")
            return None
        if not math.isfinite(number):
            self.problem(node, path, f"{written} is too large to be a number that can be published (it reads as infinity)")
            return None
        return number


_PLAIN_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")


# A plain scalar that PyYAML reads as a number in a way editors do not expect (1e3 is text to it,
# 0x1A and 1_000 are numbers), or a special float: such files go the careful way.
# `[ ]*`, not `\s*`: \s spans line ends, and from every line of a file of blank lines it would scan to the end
_UNUSUAL_NUMBER = re.compile(r"(?m)(:|^[ ]*-)[ ]+[-+]?(\.(nan|inf)|0[xob]|[0-9.][0-9_.]*[eE_:])", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def quick_load(text: str) -> Any | None:
    """The file's data when it has none of the traps `parse_yaml` reports, else None.

    Most files are clean, and ryaml (a YAML 1.2 parser in Rust) reads them ten
    times faster than PyYAML. Where YAML 1.2 and PyYAML's YAML 1.1 could read a
    value differently, or where a trap might hide, None sends the file to the
    careful parser, which has the last word.
    """
    if "\t" in text or "&" in text or "*" in text or "!" in text or _UNUSUAL_NUMBER.search(text):
        return None
    if too_deep_brackets(text) is not None:  # ryaml, like libyaml, would take minutes over it
        return None
    try:
        data = ryaml.loads(text)  # refuses duplicate keys itself
    except Exception:  # ryaml's errors have no common base; the careful parser will explain
        return None
    return data if _reads_the_same_in_yaml_1_1(data, yaml.resolver.Resolver()) else None


def _reads_the_same_in_yaml_1_1(data: Any, resolver: yaml.resolver.Resolver) -> bool:
    """True when PyYAML would have read every plain scalar in `data` the same way, and nothing is out of bounds."""
    level, depth, values = [data], 0, 0  # level by level, not recursion: the nesting is the editor's to choose
    while level:
        depth, values = depth + 1, values + len(level)
        if depth > MAX_DEPTH + 1 or values > MAX_VALUES:
            return False
        below: list[Any] = []
        for value in level:
            kind = type(value)
            if kind is str:
                # "no", "off", "017" and the like are text only when quoted, which ryaml does not tell us
                if not (_YEAR_MONTH.fullmatch(value) or resolver.resolve(yaml.ScalarNode, value, (True, False)) in _TEXT_TAGS):
                    return False
            elif kind is dict:
                if not all(type(key) is str for key in value):
                    return False
                below.extend(value.values())
            elif kind is list:
                below.extend(value)
            elif kind is int or kind is float:
                # ryaml reads a long whole number as an approximate float: let PyYAML read it exactly
                if not (math.isfinite(value) and -_EXACT_BELOW < value < _EXACT_BELOW):
                    return False
            elif not (value is None or kind is bool):
                return False
        level = below
    return True


_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
_EXACT_BELOW = 2**53


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_]+):[ \t]*", re.MULTILINE)


def top_level_locations(text: str, first_line: int = 1) -> dict[str, Location]:
    """Where each top-level field's value starts, found from the text alone."""
    found: dict[str, Location] = {}
    for match in _TOP_LEVEL_KEY.finditer(text):
        line = text.count("\n", 0, match.start()) + first_line
        found.setdefault(match[1], (line, match.end() - match.start() + 1))
    return found
