"""Messages in an editor's words: each one asserted word for word on the mistake that triggers it.

A YAML mistake is explained by its likely cause, never in the parser's words; a figure is named by its period;
a missing field is reported where it belongs. Each case changes one real file by plain replacement and works
out the expected line from the text it wrote.
"""

from __future__ import annotations

import pytest

from crimeportal.source.validate import load_portal

KNIFE = "data/metrics/knife-enabled-crime.yml"  # count, rolling-3-months: 2018-07 and 2019-07
REPEAT = "data/metrics/repeat-domestic-abuse-incidents.yml"  # percent
RURAL = "content/strands/rural-crime.md"

# words PyYAML uses that mean nothing to an editor: none may reach a message
PARSER_WORDS = ("mapping", "scalar", "token", "indicator", "<block", "expected", "stream", "node", "context")


def edit(root, file: str, old: str, new: str) -> str:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """(line, column) of the nth occurrence of needle, both from 1."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def only_problem(root) -> str:
    problems = load_portal(root)[1]
    assert len(problems) == 1, "\n".join(p.as_text() for p in problems)
    return problems[0].as_text()


YAML_MISTAKES = [
    pytest.param(KNIFE, "description: \"The number", "description: Offences: the number", ": the",
                 "a colon followed by a space inside text: put the whole text in quotes (YAML reads 'word: ' as the "
                 "start of a new field)", id="colon-in-text"),
    pytest.param(KNIFE, "    value: 169", "  value: 169", "value: 169",
                 "this line is not lined up with the list it is in: each figure (each item of a list) starts with "
                 "'- ', and the fields under it line up with the first field after the '- '", id="list-item-dedented"),
    pytest.param(KNIFE, "unit: count\npolarity", "unit: count\n  polarity", ": lower",
                 "this line is indented further than the field above it, which already has its value: line it up "
                 "with the field above, using spaces", id="indented-too-far"),
    pytest.param(KNIFE, "order: 1", "- order: 1", "- order",
                 "this line does not line up with the fields above it: each field starts at the same indentation as "
                 "the one before it, using spaces", id="not-lined-up"),
    pytest.param(KNIFE, "title: Knife-enabled crime offences", "title: 'Knife's crime offences'", "s crime",
                 "the text goes on after its closing quote: if the text holds a quote mark itself, put it in the other "
                 "kind of quotes (\"Knife's\"), or write it twice inside single quotes ('Knife''s')",
                 id="text-after-quote"),
    pytest.param(KNIFE, "order: 1", "order: \"1", "\"1",
                 "the quoted text that starts here is never closed: add the closing quote at the end of the text",
                 id="quote-never-closed"),
    pytest.param(KNIFE, "order: 1", "order: [1]]", "]\n",
                 "this closing bracket has no opening one: remove it, or put the whole text in quotes",
                 id="stray-bracket"),
    pytest.param(KNIFE, "order: 1", "order: {1", "{",
                 "a bracket opened here is not closed: close it, or if the bracket is part of the text, put the whole "
                 "text in quotes", id="unclosed-brace"),
    pytest.param(KNIFE, "order: 1", "order: @1", "@1", "text cannot begin with @ in YAML: put the text in quotes",
                 id="reserved-at"),
    pytest.param(KNIFE, "order: 1", "order: `1`", "`1`", "text cannot begin with ` in YAML: put the text in quotes",
                 id="reserved-backtick"),
    pytest.param(KNIFE, "order: 1", "order: - 1", "- 1",
                 "a list item ('- ') cannot follow a field's name on the same line: start the list on the next line, "
                 "indented, or put the text in quotes", id="list-after-field"),
    pytest.param(KNIFE, "order: 1\n", "order: 1\n---\n", "---",
                 "a line '---' here starts a second document, and a file holds only one: remove the line",
                 id="second-document"),
    pytest.param(KNIFE, "order: 1", "order: > 1", ">",
                 "text after '>' or '|' must start on the next line, indented: move it there, or put the text in "
                 "quotes instead", id="block-text"),
    pytest.param(KNIFE, "order: 1", 'order: "1\\q"', '\\q',
                 "a backslash inside double quotes starts a code YAML does not know: put the text in single quotes "
                 "instead, or write the backslash twice", id="backslash"),
    pytest.param(KNIFE, "order: 1\n", "order: 1\nlast\n", "last",
                 "this line has no colon: each line must be a field, 'name: value', or a list item starting '- '; if "
                 "it continues the text above, put the whole text in quotes", id="no-colon"),
    pytest.param(RURAL, "status: planned", "status: planned: later", ": later",
                 "a colon followed by a space inside text: put the whole text in quotes (YAML reads 'word: ' as the "
                 "start of a new field)", id="colon-in-front-matter"),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "message"), YAML_MISTAKES)
def test_a_yaml_mistake_is_explained_by_its_cause(portal_copy, file, old, new, where, message):
    text = edit(portal_copy, file, old, new)
    line, column = at(text, where)
    said = only_problem(portal_copy)
    assert said == f"{file}:{line}:{column}: {message}"
    assert not any(word in message.lower() for word in PARSER_WORDS)


def test_a_tab_is_named(portal_copy):
    text = edit(portal_copy, KNIFE, "    value: 176", "\tvalue: 176")
    line, _ = at(text, "\tvalue")
    assert only_problem(portal_copy) == f"{KNIFE}:{line}:1: the line is indented with a tab; YAML needs spaces"
