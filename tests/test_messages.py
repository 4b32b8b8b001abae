"""Messages in an editor's words: each one asserted word for word on the mistake that triggers it.

A YAML mistake is explained by its likely cause, never in the parser's words; a figure is named by its period;
a missing field is reported where it belongs. Each case changes one real file by plain replacement and works
out the expected line from the text it wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crimeportal.core.commands import VIA_MAKE
from crimeportal.source import yaml_errors
from crimeportal.source.validate import load_portal

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
ENV_WITHOUT_MAKE = {name: value for name, value in os.environ.items() if name != VIA_MAKE}

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
def test_a_field_written_twice_names_the_figure_and_the_first_line(portal_copy):
    text = edit(portal_copy, KNIFE, "    value: 176\n", "    value: 176\n    value: 177\n")
    first, _ = at(text, "value: 176")
    line, _ = at(text, "value: 177")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:5: value in the figure for the 3 months to July 2019: appears twice (first on line {first}); "
        "YAML would silently keep only the last, so remove one")


def test_a_missing_field_is_reported_at_the_figure_it_belongs_to(portal_copy):
    text = edit(portal_copy, KNIFE, "  - end: 2019-07\n    value: 176\n", "  - end: 2019-07\n")
    line, column = at(text, "end: 2019-07")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:{column}: value in the figure for the 3 months to July 2019: is missing: this field is required")


def test_a_missing_top_level_field_is_reported_where_it_goes(portal_copy):
    text = edit(portal_copy, KNIFE, "period: rolling-3-months\n", "")
    line, _ = at(text, "source:")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:1: period: is missing: this field is required; add a line 'period: ...' above this one")


@pytest.mark.parametrize(("period", "name"), [
    ("month", "the figure for July 2019"),
    ("quarter", "the figure for the 3 months to July 2019"),
    ("year", "the figure for the 12 months to July 2019"),
])
def test_a_figure_is_named_by_its_period(portal_copy, period, name):
    edit(portal_copy, KNIFE, "period: rolling-3-months", f"period: {period}")
    text = edit(portal_copy, KNIFE, "value: 176", "value: -3")
    line, column = at(text, "-3")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:{column}: value in {name}: a count must be a whole number, 0 or more; found -3")


def test_a_figure_whose_month_cannot_be_read_is_named_by_its_place(portal_copy):
    text = edit(portal_copy, KNIFE, "end: 2019-07", "end: July 2019")
    line, column = at(text, "July 2019")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:{column}: end in the 2nd figure: must be a month written YYYY-MM, such as 2019-07; "
        "found 'July 2019'")


# --------------------------------------------------------------------------- a wrong encoding


def test_a_windows_pound_sign_in_a_metric_file_is_named(portal_copy):
    path = portal_copy / KNIFE
    text = path.read_text(encoding="utf-8").replace("Essex Police, Crime", "Essex Police, £5m Crime")
    path.write_bytes(text.encode("cp1252"))
    line, column = at(text, "£")
    assert only_problem(portal_copy) == (
        f"{KNIFE}:{line}:{column}: the file is not saved as UTF-8 text: the character here is probably £, saved the "
        "Windows way (byte 0xa3); save the file again as UTF-8 (in Notepad: Save As, then Encoding: UTF-8)")


# --------------------------------------------------------------------------- add-period's CSV


def add_period(root, csv_text: str, *options: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    csv = root / "figures.csv"
    csv.write_bytes(csv_text.encode("utf-8") if isinstance(csv_text, str) else csv_text)
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), "add-period", str(csv), *options],
                          capture_output=True, text=True, timeout=300, env={**ENV_WITHOUT_MAKE, **(env or {})})


def test_a_csv_problem_names_its_real_column_and_header(portal_copy):
    done = add_period(portal_copy, "metric,note,value,end\nknife-enabled-crime,,lots,2019-10\n")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "figures.csv:2:3: column 3 (value): must be a number, such as 176 or 46.43; found 'lots'"]


@pytest.mark.parametrize(("typed", "written"), [("Final", "final"), ("PROVISIONAL", "provisional"), ("Revised", "revised")])
def test_a_status_in_any_case_is_accepted_and_written_lower_case(portal_copy, typed, written):
    done = add_period(portal_copy, f"metric,end,value,status\nknife-enabled-crime,2019-10,181,{typed}\n")
    assert done.returncode == 0, done.stdout + done.stderr
    text = (portal_copy / KNIFE).read_text(encoding="utf-8")
    assert text.endswith(f"  - end: 2019-10\n    value: 181\n    status: {written}\n")


def test_a_status_that_is_not_one_says_so_as_typed(portal_copy):
    done = add_period(portal_copy, "metric,end,value,status\nknife-enabled-crime,2019-10,181,Draft\n")
    assert done.stdout.splitlines() == [
        "figures.csv:2:4: column 4 (status): must be one of provisional, final, revised, or empty for final; found 'Draft'"]


EXCEL_DATE = ("figures.csv:2:2: column 2 (end): must be the last month the figure covers, written YYYY-MM; found '{}', "
              "which looks like 2019-10 turned into a date by the spreadsheet: type 2019-10 in a column formatted as "
              "Text (in Excel: select the column, Format Cells, Text), or type it as '2019-10 with an apostrophe first")


@pytest.mark.parametrize("cell", ["Oct-19", "01/10/2019", "2019-10-01 00:00:00", "43739", "October 2019"])
def test_a_month_a_spreadsheet_turned_into_a_date_says_what_to_type(portal_copy, cell):
    done = add_period(portal_copy, f"metric,end,value\nknife-enabled-crime,{cell},181\n")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [EXCEL_DATE.format(cell)]


def test_a_month_that_is_not_a_date_at_all_is_only_refused(portal_copy):
    done = add_period(portal_copy, "metric,end,value\nknife-enabled-crime,autumn,181\n")
    assert done.stdout.splitlines() == [
        "figures.csv:2:2: column 2 (end): must be the last month the figure covers, written YYYY-MM, such as 2019-10; "
        "found 'autumn'"]


def test_a_windows_pound_sign_in_a_csv_is_named(portal_copy):
    done = add_period(portal_copy, "metric,end,value,note\nknife-enabled-crime,2019-10,181,Cost £5m\n".encode("cp1252"))
    assert done.stdout.splitlines() == [
        "figures.csv:2:1: the file is not saved as UTF-8 text: the character here is probably £, saved the Windows way "
        "(byte 0xa3). Save it from the spreadsheet as 'CSV UTF-8 (Comma delimited)'"]


# --------------------------------------------------------------------------- words for the command that was run

ALREADY_THERE = "metric,end,value\nknife-enabled-crime,2019-07,181\n"
ALREADY = ("figures.csv:2:2: column 2 (end): knife-enabled-crime already has the figure for the 3 months to July 2019 "
           "(2019-07), 176: to change it, run add-period again with {}")


def test_a_refusal_names_the_option_crimeportal_takes(portal_copy):
    assert add_period(portal_copy, ALREADY_THERE).stdout.splitlines() == [ALREADY.format("--revise")]


def test_a_refusal_through_make_names_the_make_variable(portal_copy):
    assert add_period(portal_copy, ALREADY_THERE, env={VIA_MAKE: "1"}).stdout.splitlines() == [ALREADY.format("REVISE=1")]


def test_check_through_make_says_to_run_without_check_1(portal_copy):
    done = add_period(portal_copy, "metric,end,value\nknife-enabled-crime,2019-10,181\n", "--check", env={VIA_MAKE: "1"})
    assert done.stdout.splitlines()[-1] == "Nothing was written: run the same command without CHECK=1 to make these changes."


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_add_period_tells_the_command_it_came_through_make(portal_copy):
    (portal_copy / "figures.csv").write_text(ALREADY_THERE, encoding="utf-8")
    done = subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "add-period", "CSV=figures.csv",
                           f"BIN={CRIMEPORTAL.parent}", "STAMP="], cwd=portal_copy, capture_output=True, text=True,
                          timeout=300, env=ENV_WITHOUT_MAKE)
    assert done.returncode != 0
    assert done.stdout.splitlines() == [ALREADY.format("REVISE=1")]


@pytest.mark.parametrize(("row", "message"), [
    ('knife-enabled-crime,2019-10,"181"x', "a cell goes on after its closing quote: a quote mark inside a quoted cell "
                                           "is written twice (\"\"), as spreadsheets save it"),
    ('knife-enabled-crime,2019-10,"181', "a quote opened in this line is never closed: close it, or remove it"),
])
def test_a_csv_quote_mistake_is_explained(portal_copy, row, message):
    done = add_period(portal_copy, f"metric,end,value\n{row}\n")
    assert done.stdout.splitlines() == [f"figures.csv:2:1: {message}."]


def test_a_mistake_in_mkdocs_yml_is_explained_when_publishing(tmp_path):
    from crimeportal.releases.publish import _site_config

    (tmp_path / "mkdocs.yml").write_text("site_name: Portal\nsite_description: Crime: prevention\n", encoding="utf-8")
    assert _site_config(tmp_path)[2] == [
        "mkdocs.yml:2:24: a colon followed by a space inside text: put the whole text in quotes (YAML reads 'word: ' "
        "as the start of a new field)"]


@pytest.mark.parametrize(("env", "how"), [({}, "crimeportal validate data/metrics/knife-enabled-crime.yml"),
                                          ({VIA_MAKE: "1"}, "make check")])
def test_a_broken_metric_file_says_how_to_list_its_problems(portal_copy, env, how):
    edit(portal_copy, KNIFE, "unit: count", "unit: counts")
    done = add_period(portal_copy, "metric,end,value\nknife-enabled-crime,2019-10,181\n", env=env)
    assert done.stdout.splitlines() == [
        f"figures.csv:2:1: column 1 (metric): {KNIFE} has problems of its own; fix them first ({how} lists them)"]


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n  - x: 1\n   y: 2\n", yaml_errors.LIST_ITEM),
    ("a: 'K's'\n", yaml_errors.TEXT_AFTER_QUOTE),
    ("a: 1\n b: 2\n", yaml_errors.INDENTED_TOO_FAR),
    ("a: x: y\n", yaml_errors.COLON_IN_TEXT),
    ('a: "x\n', yaml_errors.UNCLOSED_QUOTE),
])
@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_libyaml_and_pyyamls_own_parser_get_the_same_explanation(text, message, loader):
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=loader)
    assert yaml_errors.explain(raised.value, text) == message
