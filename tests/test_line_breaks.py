"""Ids, file names and dates cannot end in (or hold) a line break: `^...$` in Python lets a final one through."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.core import conventions
from crimeportal.source.validate import check_portal
from payloads import NAMES_WITH_LINE_BREAKS, TRAILING_LINE_BREAKS


@pytest.mark.parametrize(("file", "old", "new"), TRAILING_LINE_BREAKS, ids=[t[2] for t in TRAILING_LINE_BREAKS])
def test_an_id_or_a_date_ending_in_a_line_break_is_refused_at_its_line(portal_copy: Path, file: str, old: str, new: str):
    path = portal_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = text[: text.index(old)]
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [p for p in check_portal(portal_copy, figures=False).problems if p.file == file]
    assert problems, f"{new} in {file} passed"
    assert before.count("\n") + 1 in [p.line for p in problems], problems


@pytest.mark.parametrize("name", NAMES_WITH_LINE_BREAKS, ids=repr)
def test_a_file_name_with_a_line_break_is_refused_and_never_read(portal_copy: Path, name: str):
    path = portal_copy / name
    path.parent.mkdir(parents=True, exist_ok=True)
    like = portal_copy / ("data/metrics/knife-enabled-crime.yml" if name.startswith("data/metrics") else
                          "content/strands/domestic-abuse.md" if name.startswith("content/strands") else
                          "data/actions/domestic-abuse.yml" if name.startswith("data/actions") else
                          "content/about/index.md")
    path.write_bytes(like.read_bytes())
    problems = check_portal(portal_copy, figures=False).problems
    shown = name.replace("\n", "\\n")
    assert [p.file for p in problems if "line break" in p.message] == [shown], problems


@pytest.mark.parametrize("pattern", [conventions.ID_PATTERN, conventions.MONTH_PATTERN, conventions.DATE_PATTERN,
                                     conventions.VERSION_PATTERN, conventions.ONS_CODE_PATTERN])
def test_the_conventions_patterns_refuse_a_final_line_break(pattern):
    good = {"I": "knife-crime", "M": "2019-07", "D": "2019-09-12", "V": "2019-09", "O": "E07000066"}
    sample = next(v for v in good.values() if pattern.match(v))
    assert not pattern.match(sample + "\n") and not pattern.match(sample + "\r\n")
