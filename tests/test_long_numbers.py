"""Numbers are bounded before they are converted, wherever a number is read: a figure of thousands of digits is
a plain message at its file, line and field, never "an unexpected error ... Exceeds the limit (4300 digits)"."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.source.validate import check_portal
from payloads import HUGE_COORDINATE, HUGE_DECIMAL, HUGE_WHOLE_NUMBER
from portal_files import posix_output

BOUNDARIES = "data/boundaries/districts.geojson"


def _run(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and "unexpected error" not in captured.err, captured.err
    return code, posix_output(captured.out), posix_output(captured.err)


@pytest.mark.parametrize("huge", [HUGE_COORDINATE, HUGE_DECIMAL, "-" + HUGE_COORDINATE], ids=["whole", "decimal", "negative"])
def test_a_geojson_coordinate_of_thousands_of_digits_is_a_plain_problem_at_its_line(portal_copy: Path, capsys, huge: str):
    path = portal_copy / BOUNDARIES
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace("[[[[", f"[[[[{huge},", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    problems = [p for p in check_portal(portal_copy, figures=False).problems if p.file == BOUNDARIES]
    assert [p.line for p in problems] == [3]
    assert "characters long; no figure needs more than 30" in problems[0].message
    code, out, _ = _run(portal_copy, capsys, "validate")
    assert code == 1 and f"{BOUNDARIES}:3:" in out


@pytest.mark.parametrize("column", ["value", "numerator", "denominator"])
def test_an_add_period_figure_of_thousands_of_digits_is_refused_at_its_line_and_column(portal_copy: Path, capsys,
                                                                                      column: str):
    cells = {"value": "180", "numerator": "", "denominator": ""}
    cells[column] = HUGE_WHOLE_NUMBER
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value,numerator,denominator\n"
                   f"knife-enabled-crime,2019-10,{cells['value']},{cells['numerator']},{cells['denominator']}\n",
                   encoding="utf-8")
    code, out, err = _run(portal_copy, capsys, "add-period", str(csv))
    assert code == 1
    number = ("metric", "end", "value", "numerator", "denominator").index(column) + 1
    assert f"figures.csv:2:{number}: column {number} ({column}): is a number 5,000 characters long" in out, out + err


def test_a_yaml_figure_of_thousands_of_digits_is_a_plain_problem(portal_copy: Path):
    path = portal_copy / "data/metrics/knife-enabled-crime.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 176", f"value: {HUGE_WHOLE_NUMBER}"), encoding="utf-8")
    problems = check_portal(portal_copy, figures=False).problems
    assert [p.line for p in problems] == [18] and "5,000 characters long" in problems[0].message
