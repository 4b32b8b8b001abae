"""Rules on what editors write that a schema cannot state: text that shows nothing or hides something,
and figures beyond what the unit allows."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from ..core.conventions import MAX_COUNT, MAX_NUMBER_LENGTH, MAX_RATE
from ..core.problems import Problem

Path_ = tuple[str | int, ...]

# Characters that cannot be shown (C0 and C1 controls, DEL; tab and line feed are allowed), that reorder how
# text displays against how it is stored (the bidirectional embeddings, overrides and isolates behind "Trojan
# Source"), or that are half a character (lone surrogates, from a YAML escape such as "\ud800"). The marks
# U+200E, U+200F and U+061C stay allowed: right-to-left text needs them, and they reorder nothing around them.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# A page on disk may have Windows line ends; \r there is a line break, not a character
FORBIDDEN_IN_PAGES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In a YAML file as written: control characters, which YAML refuses to read (tab, line feed and CR are line ends or indentation)
CONTROLS_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters: a title of only these shows nothing

_CONTROL_NAMES = {0x00: "NULL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE"}

# The fields readers see as text, by where they sit; `int` stands for any place in a list, `str` any field name.
METRIC_TEXT = (("title",), ("description",), ("source",), ("caveats", int), ("observations", int, "note"))
STRAND_TEXT = (("title",), ("summary",), ("lead",), ("plan", str, int))
ONE_LINE = {"title", "lead", "source"}  # printed in headings, <title> and table cells, where a line break breaks them


def character_name(character: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', 'U+0000 NULL': how an editor can find it in an editor's search."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        name = "(half of a character, a lone surrogate)"
    else:
        name = unicodedata.name(character, None) or _CONTROL_NAMES.get(code, "(a control character)")
    return f"U+{code:04X} {name}"


def character_problem(character: str) -> str:
    code = ord(character)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        why = "which makes text display in a different order from the order it is stored and read in"
    elif 0xD800 <= code <= 0xDFFF:
        why = "which no web page or download can hold"
    else:
        why = "a control character, which cannot be shown"
    return f"contains {character_name(character)}, {why}: remove it"


def text_problem(field: str, value: str) -> str | None:
    """What is wrong with one text value, if anything (an empty value is the schema's to report)."""
    if value and not value.strip().strip(_INVISIBLE).strip():
        return "has no text, only spaces: write the text, or remove the field if it is optional"
    if (bad := FORBIDDEN_IN_TEXT.search(value)):
        return character_problem(bad[0])
    if field in ONE_LINE and "\n" in value.strip():
        return "must be one line: it is printed in headings and page titles; remove the line break"
    return None


def text_values(data: Any, shapes: tuple[Path_, ...]) -> list[tuple[Path_, str]]:
    """Each text value at the places `shapes` name, with its path; values of the wrong type are skipped."""
    found: list[tuple[Path_, str]] = []
    for shape in shapes:
        level: list[tuple[Path_, Any]] = [((), data)]
        for step in shape:  # one step of the shape at a time, for every value that reached it
            below: list[tuple[Path_, Any]] = []
            for path, value in level:
                if step is int and type(value) is list:
                    below.extend((path + (index,), item) for index, item in enumerate(value))
                elif step is str and type(value) is dict:
                    below.extend((path + (key,), item) for key, item in value.items())
                elif type(step) is str and type(value) is dict and step in value:
                    below.append((path + (step,), value[step]))
            level = below
        found.extend((path, value) for path, value in level if type(value) is str)
    return found


def text_field_problems(data: Any, shapes: tuple[Path_, ...]) -> list[tuple[Path_, str]]:
    found = []
    for path, value in text_values(data, shapes):
        field = next((part for part in reversed(path) if isinstance(part, str)), "")
        if (message := text_problem(field, value)):
            found.append((path, message))
    return found


def number_length_problem(written: str) -> str | None:
    """A number as written, too long to be a figure: said before it is converted, because Python refuses to
    convert a whole number of more than 4,300 digits (and a long one takes time), which ended commands in an
    unexpected error. Every reader of numbers (YAML, CSV, GeoJSON) asks this first."""
    if len(written) <= MAX_NUMBER_LENGTH:
        return None
    return f"is a number {len(written):,} characters long; no figure needs more than {MAX_NUMBER_LENGTH}: check it"


def show_number(value: float | int) -> str:
    # str() of a whole number with more than 4,300 digits raises; say how long it is instead
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"a number about {int(value.bit_length() * math.log10(2)) + 1:,} digits long"
    return str(value)


def range_problem(unit: str, value: float | int) -> str | None:
    """Why a figure cannot be published in this unit, if it cannot."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number; found {value}"
    if unit == "percent" and not 0 <= value <= 100:
        return f"a percent must be between 0 and 100; found {show_number(value)}"
    if unit == "count" and (value < 0 or value != int(value)):
        return f"a count must be a whole number, 0 or more; found {show_number(value)}"
    if unit == "count" and value > MAX_COUNT:
        return f"a count above {MAX_COUNT:,} is beyond any crime figure; found {show_number(value)}: check it"
    if unit == "rate" and value < 0:
        return f"a rate cannot be negative; found {show_number(value)}"
    if unit == "rate" and value > MAX_RATE:
        return f"a rate above {MAX_RATE:,} per 1,000 people is beyond any crime figure; found {show_number(value)}: check it"
    return None


def count_problem(value: int) -> str | None:
    """Numerators and denominators are counts of people or crimes."""
    if value > MAX_COUNT:
        return f"a count above {MAX_COUNT:,} is beyond any crime figure; found {show_number(value)}: check it"
    return None


def schema_line_notes(text: str, shown_as: str, expected: str) -> list[Problem]:
    """The first line only helps editors' tools find the schema: without it, say how to add it, and go on."""
    if text.startswith(expected):
        return []
    return [Problem(shown_as, 1, 1, "", f"the first line is usually '{expected}', which lets editors' "
                                        "tools check the file as you type; add it as the first line (nothing else "
                                        "depends on it)")]
