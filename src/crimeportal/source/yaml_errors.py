"""PyYAML's complaints about a file it cannot read, put in an editor's words with the likely cause.

The parser says what it expected ("did not find expected '-' indicator"); an editor needs to know what they
typed that led there and what to type instead. Each known complaint is matched by a phrase common to libyaml
and PyYAML's own parser; anything else gets a plain sentence that shows no parser words at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import yaml

try:  # the same loader as load.py, so that the complaints have the same words and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from ..core.problems import Problem

COLON_IN_TEXT = ("a colon followed by a space inside text: put the whole text in quotes (YAML reads 'word: ' as the "
                 "start of a new field)")
INDENTED_TOO_FAR = ("this line is indented further than the field above it, which already has its value: line it up "
                    "with the field above, using spaces")
NOT_LINED_UP = ("this line does not line up with the fields above it: each field starts at the same indentation as "
                "the one before it, using spaces")
LIST_ITEM = ("this line is not lined up with the list it is in: each figure (each item of a list) starts with '- ', "
             "and the fields under it line up with the first field after the '- '")
TEXT_AFTER_QUOTE = ("the text goes on after its closing quote: if the text holds a quote mark itself, put it in the "
                    "other kind of quotes (\"Knife's\"), or write it twice inside single quotes ('Knife''s')")
UNCLOSED_QUOTE = "the quoted text that starts here is never closed: add the closing quote at the end of the text"
NO_COLON = ("this line has no colon: each line must be a field, 'name: value', or a list item starting '- '; if it "
            "continues the text above, put the whole text in quotes")
UNCLOSED_BRACKET = ("a bracket opened here is not closed: close it, or if the bracket is part of the text, put the "
                    "whole text in quotes")
STRAY_BRACKET = "this closing bracket has no opening one: remove it, or put the whole text in quotes"
BACKSLASH = ("a backslash inside double quotes starts a code YAML does not know: put the text in single quotes "
             "instead, or write the backslash twice")
LIST_AFTER_FIELD = ("a list item ('- ') cannot follow a field's name on the same line: start the list on the next "
                    "line, indented, or put the text in quotes")
SECOND_DOCUMENT = "a line '---' here starts a second document, and a file holds only one: remove the line"
BLOCK_TEXT = ("text after '>' or '|' must start on the next line, indented: move it there, or put the text in "
              "quotes instead")
TAB = "there is a tab character here; YAML needs spaces: replace the tab with spaces"
FALLBACK = ("the file cannot be read from here: check this line and the one above it for indentation (spaces, lined "
            "up with the lines around), colons and quotes")


def reserved_start(character: str) -> str:
    return f"text cannot begin with {character} in YAML: put the text in quotes"


@dataclass(frozen=True)
class _Where:
    """What an explanation needs: the complaint, the line it points at, and the character there."""

    problem: str
    context: str
    line_text: str
    column: int  # 0-based, where the parser gave up

    @property
    def before(self) -> str:
        return self.line_text[: self.column]

    @property
    def character(self) -> str:
        return self.line_text[self.column: self.column + 1]


_EARLIER_FIELD = re.compile(r"^\s*(- +)?[^\s#'\"][^:]*:\s")


def _mapping_values(where: _Where) -> str:
    # "name: text: more": a field already starts earlier on the line, so this colon is inside its text
    return COLON_IN_TEXT if _EARLIER_FIELD.match(where.before) else INDENTED_TOO_FAR


def _expected_key(where: _Where) -> str:
    if where.character in ("]", "}"):
        return STRAY_BRACKET
    return TEXT_AFTER_QUOTE if where.before.rstrip().endswith(("'", '"')) else NOT_LINED_UP


def _block_end(where: _Where) -> str:
    return LIST_ITEM if "collection" in where.context else _expected_key(where)


def _cannot_start(where: _Where) -> str:
    if where.character == "\t":
        return TAB
    return reserved_start(where.character) if where.character.strip() else FALLBACK


def _node_content(where: _Where) -> str:
    return reserved_start(where.character) if where.character.strip() else FALLBACK


# (a phrase of the complaint, or of where it was found; the explanation): the first that matches is used
_KNOWN: tuple[tuple[str, Callable[[_Where], str]], ...] = (
    ("mapping values are not allowed", _mapping_values),
    ("expected '-' indicator", lambda where: LIST_ITEM),
    ("expected <block end>", _block_end),  # PyYAML's own parser, where libyaml says "did not find expected ..."
    ("did not find expected key", _expected_key),
    ("could not find expected ':'", lambda where: NO_COLON),
    ("while scanning a quoted scalar", lambda where: UNCLOSED_QUOTE),
    ("while parsing a flow", lambda where: UNCLOSED_BRACKET),
    ("unknown escape character", lambda where: BACKSLASH),
    ("block sequence entries are not allowed", lambda where: LIST_AFTER_FIELD),
    ("but found another document", lambda where: SECOND_DOCUMENT),
    ("while scanning a block scalar", lambda where: BLOCK_TEXT),
    ("tab character", lambda where: TAB),
    ("mapping keys are not allowed", lambda where: reserved_start("?")),
    ("while scanning an anchor", lambda where: reserved_start("&")),
    ("while scanning an alias", lambda where: reserved_start("*")),
    ("while scanning a directive", lambda where: reserved_start("%")),
    ("cannot start any token", _cannot_start),
    ("expected node content", _node_content),
    ("expected the node content", _node_content),
)


def explain(error: yaml.MarkedYAMLError, text: str) -> str:
    """The complaint in plain words, for the place `syntax_problem` points at."""
    mark = error.problem_mark or error.context_mark
    lines = text.splitlines()
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    where = _Where(error.problem or "", error.context or "", line_text, mark.column if mark else 0)
    for phrase, explanation in _KNOWN:
        if phrase in where.problem or phrase in where.context:
            return explanation(where)
    return FALLBACK


def syntax_problem(error: yaml.MarkedYAMLError, shown_as: str, offset: int, text: str) -> Problem:
    """Where the file stops being YAML, and why in plain words; `offset` is the lines before `text` in the file."""
    mark = error.problem_mark or error.context_mark
    message = explain(error, text)
    if error.context_mark and (error.context or "").startswith(("while scanning", "while parsing a flow")):
        mark = error.context_mark  # where the unfinished key, quote or bracket began, not where reading gave up
    elif mark and (quote := _quote_ending_at(text, mark.line)):
        # an unclosed quote swallows the lines after it; point at where it opened
        mark = quote.start_mark
        message = (f"the quoted text that starts here runs on to line {quote.end_mark.line + 1 + offset}: is a "
                   "closing quote missing?")
    line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (1 + offset, 1)
    return Problem(shown_as, line, column, "", message)


def _quote_ending_at(text: str, line: int) -> yaml.ScalarToken | None:
    """A quoted scalar that began on an earlier line and ends on `line`, if there is one."""
    quote = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.start_mark.line < line == token.end_mark.line):
                quote = token
    except yaml.YAMLError:
        pass
    return quote
