"""Tests for `crimeportal validate`: exit codes, the three output formats, and naming files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.editor  # runs on Windows too (pytest -m editor)

KNIFE = "data/metrics/knife-enabled-crime.yml"
REPEAT = "data/metrics/repeat-domestic-abuse-incidents.yml"
RURAL = "content/strands/rural-crime.md"

TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<field>[^:]+): (?P<message>.+)$")
GITHUB_LINE = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<column>\d+)::(?P<message>.+)$")
UNIT_MESSAGE = "must be one of count, percent, rate; found 'percentage'"


def line_of(text: str, needle: str) -> int:
    numbers = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(numbers) == 1, f"{needle!r} is on lines {numbers}"
    return numbers[0]


@pytest.fixture
def broken_unit(replace_in):
    """Break the knife crime metric's unit; returns where the problem must be reported."""
    text = replace_in(KNIFE, "unit: count", "unit: percentage")
    line = line_of(text, "unit: percentage")
    return KNIFE, line, text.splitlines()[line - 1].index("percentage") + 1


@pytest.fixture
def broken_percent(replace_in):
    text = replace_in(REPEAT, "value: 46.28", "value: 120")
    return REPEAT, line_of(text, "value: 120")


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout


# --------------------------------------------------------------------------- exit codes


def test_real_data_passes(portal_copy, run_cli):
    result = run_cli(portal_copy)
    assert (result.code, result.stdout) == (0, ""), result.stderr
    assert result.stderr.strip() == "No problems found."


def test_real_data_passes_as_a_command_run_in_the_portal_folder(portal_copy, run_console):
    result = run_console("validate", cwd=portal_copy)
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert_no_traceback(result)


def test_the_real_repository_passes(run_console):
    result = run_console("--root", str(Path(__file__).resolve().parents[1]), "validate")
    assert result.code == 0, result.stdout + result.stderr


def test_a_broken_file_exits_1_with_its_text_line(portal_copy, run_cli, broken_unit):
    file, line, column = broken_unit
    result = run_cli(portal_copy)
    assert result.code == 1
    assert result.lines == [f"{file}:{line}:{column}: unit: {UNIT_MESSAGE}"]
    assert result.stderr.strip() == "1 problem found."


def test_a_broken_file_exits_1_as_a_command(portal_copy, run_console, broken_unit):
    file, line, column = broken_unit
    result = run_console("validate", "--format", "text", cwd=portal_copy)
    assert result.code == 1
    assert f"{file}:{line}:{column}: unit: {UNIT_MESSAGE}" in result.stdout.splitlines()
    assert_no_traceback(result)


def test_every_problem_is_printed_in_one_run_sorted(portal_copy, run_cli, broken_unit, broken_percent, replace_in):
    rural = replace_in(RURAL, "title: Rural Crime", "title: no")
    result = run_cli(portal_copy)
    assert result.code == 1
    parsed = [TEXT_LINE.match(line) for line in result.lines]
    assert all(parsed), result.stdout
    assert [(m["file"], int(m["line"]), m["field"]) for m in parsed] == [
        (RURAL, line_of(rural, "title: no"), "title"),
        (KNIFE, broken_unit[1], "unit"),
        (REPEAT, broken_percent[1], "value in the figure for the 3 months to July 2019"),
    ]
    assert result.stderr.strip() == "3 problems found."


@pytest.mark.parametrize("run_in", ["process", "command"])
def test_a_folder_that_is_not_a_portal_exits_2(tmp_path, run_cli, run_console, run_in):
    (tmp_path / "notes.md").write_text("# Not a portal\n", encoding="utf-8")
    if run_in == "process":
        result = run_cli(tmp_path)
    else:
        result = run_console("--root", str(tmp_path), "validate")
    assert result.code == 2
    assert result.stdout == ""
    assert "is not a portal folder" in result.stderr
    assert_no_traceback(result)


def test_a_missing_folder_exits_2(tmp_path, run_console):
    result = run_console("--root", str(tmp_path / "nowhere"), "validate")
    assert result.code == 2
    assert "is not a portal folder" in result.stderr
    assert_no_traceback(result)


def test_a_schema_that_is_not_json_exits_2(portal_copy, run_console):
    (portal_copy / "schemas/metric.schema.json").write_text("{not json", encoding="utf-8")
    result = run_console("--root", str(portal_copy), "validate")
    assert result.code == 2
    assert "schemas/" in result.stderr
    assert_no_traceback(result)


def test_a_missing_schema_exits_2(portal_copy, run_console):
    (portal_copy / "schemas/strand.schema.json").unlink()
    result = run_console("--root", str(portal_copy), "validate")
    assert result.code == 2
    assert "strand.schema.json" in result.stderr
    assert_no_traceback(result)


# --------------------------------------------------------------------------- formats


def test_github_format(portal_copy, run_cli, broken_unit, broken_percent):
    result = run_cli(portal_copy, "--format", "github")
    assert result.code == 1
    matches = [GITHUB_LINE.match(line) for line in result.lines]
    assert all(matches), result.stdout
    assert [(m["file"], int(m["line"]), int(m["column"])) for m in matches][0] == broken_unit
    assert [(m["file"], int(m["line"])) for m in matches][1] == broken_percent
    assert UNIT_MESSAGE in matches[0]["message"]
    assert result.stderr == ""


def test_github_format_on_clean_data_prints_nothing(portal_copy, run_cli):
    result = run_cli(portal_copy, "--format", "github")
    assert (result.code, result.stdout) == (0, "")


def test_github_actions_makes_github_the_default(portal_copy, run_console, broken_unit):
    file, line, column = broken_unit
    result = run_console("--root", str(portal_copy), "validate", env={"GITHUB_ACTIONS": "true"})
    assert result.code == 1
    assert result.stdout.splitlines() == [
        f"::error file={file},line={line},col={column}::{file}:{line}:{column}: unit: {UNIT_MESSAGE}"
    ]
    assert_no_traceback(result)


def test_github_actions_default_in_process(portal_copy, run_cli, broken_unit):
    result = run_cli(portal_copy, github_actions=True)
    assert result.lines and all(GITHUB_LINE.match(line) for line in result.lines), result.stdout


def test_text_format_can_be_asked_for_inside_github_actions(portal_copy, run_console, broken_unit):
    file, line, column = broken_unit
    result = run_console("--root", str(portal_copy), "validate", "--format", "text", env={"GITHUB_ACTIONS": "true"})
    assert result.code == 1
    assert result.stdout.splitlines() == [f"{file}:{line}:{column}: unit: {UNIT_MESSAGE}"]


def test_without_github_actions_the_default_is_text(portal_copy, run_console, broken_unit):
    result = run_console("--root", str(portal_copy), "validate", env={"GITHUB_ACTIONS": "false"})
    assert result.code == 1
    assert TEXT_LINE.match(result.stdout.splitlines()[0]), result.stdout


def test_json_format(portal_copy, run_cli, broken_unit, broken_percent):
    result = run_cli(portal_copy, "--format", "json")
    assert result.code == 1
    problems = json.loads(result.stdout)
    assert isinstance(problems, list) and len(problems) == 2
    for problem in problems:
        assert isinstance(problem, dict)
        assert set(problem) == {"file", "line", "column", "field", "message"}
        assert isinstance(problem["line"], int) and isinstance(problem["column"], int)
    file, line, column = broken_unit
    assert problems[0] == {"file": file, "line": line, "column": column, "field": "unit", "message": UNIT_MESSAGE}
    assert (problems[1]["file"], problems[1]["line"], problems[1]["field"]) == (REPEAT, broken_percent[1],
                                                                                 "value in the figure for the 3 months to July 2019")


def test_json_format_on_clean_data_is_an_empty_list(portal_copy, run_console):
    result = run_console("--root", str(portal_copy), "validate", "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout) == []


# --------------------------------------------------------------------------- naming files


def test_naming_a_file_reports_only_its_problems(portal_copy, run_console, broken_unit, broken_percent):
    result = run_console("validate", "--format", "json", REPEAT, cwd=portal_copy)
    assert result.code == 1
    problems = json.loads(result.stdout)
    assert [(p["file"], p["line"]) for p in problems] == [broken_percent]


def test_naming_a_clean_file_passes_although_others_are_broken(portal_copy, run_console, broken_unit):
    result = run_console("validate", "data/metrics/residential-burglary-offences.yml", cwd=portal_copy)
    assert (result.code, result.stdout) == (0, ""), result.stdout


def test_naming_files_by_absolute_path(portal_copy, run_cli, broken_unit, broken_percent, replace_in):
    replace_in(RURAL, "title: Rural Crime", "title: no")
    result = run_cli(portal_copy, "--format", "json", str(portal_copy / KNIFE), str(portal_copy / RURAL))
    assert result.code == 1
    assert [p["file"] for p in json.loads(result.stdout)] == [RURAL, KNIFE]


# --------------------------------------------------------------------------- never a traceback

NASTY = [
    pytest.param(KNIFE, b"", id="empty-metric"),
    pytest.param(KNIFE, b"\xff\xfe\x00", id="binary-metric"),
    pytest.param(KNIFE, b"- just\n- a list\n", id="metric-is-a-list"),
    pytest.param(KNIFE, b"just some words\n", id="metric-is-text"),
    pytest.param(KNIFE, b"id: knife-enabled-crime\nobservations:\n  - 169\n", id="observation-not-a-mapping"),
    pytest.param(KNIFE, b"id: knife-enabled-crime\nobservations:\n  - end: 2019-07\n", id="observation-without-value"),
    pytest.param(KNIFE, b"id: knife-enabled-crime\nobservations:\n  - end: 201907\n    value: '1'\n", id="wrong-types"),
    pytest.param(KNIFE, b"key: [unclosed\n", id="syntax-error"),
    pytest.param(KNIFE, b"a: &x 1\nb: *x\n", id="alias"),
    pytest.param(KNIFE, b"? [a, b]\n: c\n", id="complex-key"),
    pytest.param(KNIFE, b"unit: !!python/object:os.system ls\n", id="python-tag"),
    pytest.param(RURAL, b"---\n- a\n---\n", id="front-matter-a-list"),
    pytest.param(RURAL, b"---\n", id="front-matter-not-closed"),
    pytest.param(RURAL, b"", id="empty-strand"),
    pytest.param("content/index.md", b"\xff<!-- metric: nope -->\n", id="content-page-not-utf-8"),
]


@pytest.mark.parametrize(("file", "content"), NASTY)
def test_no_traceback_for_any_broken_file(portal_copy, run_cli, file, content):
    (portal_copy / file).write_bytes(content)
    result = run_cli(portal_copy)  # in this process, so an exception fails the test outright
    assert_no_traceback(result)
    assert result.code == 1, result.stdout + result.stderr
    assert result.stdout.strip(), "a problem must be printed"
    for line in result.stdout.splitlines():
        assert re.match(r"^[^:]+:\d+:\d+: ", line), line


def test_validate_names_a_file_that_does_not_exist(portal_copy, run_console):
    result = run_console("validate", "data/metrics/no-such-metric.yml", cwd=portal_copy)
    assert result.code == 2
    assert "no such file: data/metrics/no-such-metric.yml" in result.stderr
