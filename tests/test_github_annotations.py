"""`validate --format github` writes each problem as a workflow command; a file's name can neither end its
annotation early nor start a command of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crimeportal.core.problems import Problem, format_problems
from payloads import ANNOTATION_FILE_NAMES

# GitHub's runner: `::name key=value,key=value::message`, with %, CR, LF, ':' and ',' escaped in values
_COMMAND = re.compile(r"^::(?P<level>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)$")


def _unescape(value: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def _read(line: str) -> tuple[dict[str, str], str]:
    command = _COMMAND.match(line)
    assert command, f"not one workflow command: {line!r}"
    properties = dict(pair.split("=", 1) for pair in command["properties"].split(","))
    return {key: _unescape(value) for key, value in properties.items()}, command["message"]


@pytest.mark.parametrize("name", ANNOTATION_FILE_NAMES, ids=repr)
def test_a_file_name_is_escaped_as_github_reads_it(name: str):
    problem = Problem(f"data/metrics/{name}", 3, 1, "unit", "must be one of count, percent, rate; found '50%'\nsee")
    output = format_problems([problem], "github")
    assert len(output.splitlines()) == 1, output
    assert output.startswith("::error file=")  # the one command there is; a name's "::add-mask::" starts none
    properties, message = _read(output)
    assert properties == {"file": f"data/metrics/{name}", "line": "3", "col": "1"}
    assert "\n" not in message and "%0A" in message and "50%25" in message


def test_validate_in_github_format_annotates_a_file_named_with_a_comma_and_one_with_a_line_break(portal_copy: Path,
                                                                                               run_cli):
    metrics = portal_copy / "data" / "metrics"
    for name in ANNOTATION_FILE_NAMES[:2]:
        (metrics / name).write_bytes((metrics / "knife-enabled-crime.yml").read_bytes())
    result = run_cli(portal_copy, "--format", "github")
    assert result.code == 1
    files = [_read(line)[0]["file"] for line in result.lines]  # every line is one whole command
    assert "data/metrics/Knife crime, 2019.yml" in files
    assert not [line for line in result.lines if line.startswith("::add-mask::")]
    assert any("add-mask" in f for f in files)
