"""`import police-uk FILES --evaluation ID`: counts equal to a hand count of the rows, all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.core.evaluation import Counts
from crimeportal.editing.police_uk import PUBLISHED_HEADER
from crimeportal.source.validate import check_portal

FILE = "data/evaluations/door-chains.yml"
EVALUATION = """\
# yaml-language-server: $schema=../../schemas/evaluation.schema.json
id: door-chains
title: Door chains trial
strand: house-burglary-and-street-robbery
question: Did door chains reduce burglary?
design: comparison-areas
registered: 2019-08-01
before: {start: 2019-05, end: 2019-06}
after: {start: 2019-07, end: 2019-08}
crime: Burglary
groups:
  test: [E01000001, E01000002]
  control: [castle-point]
  displacement: [E01000003]
  displacement_control: [csp-maldon]
caveats: []
"""
# (month, LSOA code, LSOA name, crime type): each row as police.uk places it
ROWS = [
    ("2019-05", "E01000001", "Braintree 001A", "Burglary"),      # test, before
    ("2019-05", "E01000002", "Braintree 002A", "Burglary"),      # test, before
    ("2019-06", "E01000001", "Braintree 001A", "Burglary"),      # test, before
    ("2019-06", "E01000001", "Braintree 001A", "Vehicle crime"),  # another type: not counted
    ("2019-07", "E01000002", "Braintree 002A", "Burglary"),      # test, after
    ("2019-05", "E01099001", "Castle Point 003B", "Burglary"),   # control (by district), before
    ("2019-06", "E01099002", "Castle Point 004C", "Burglary"),   # control, before
    ("2019-08", "E01099001", "Castle Point 003B", "Burglary"),   # control, after
    ("2019-07", "E01000003", "Braintree 003A", "Burglary"),      # displacement, after
    ("2019-08", "E01000003", "Braintree 003A", "Burglary"),      # displacement, after
    ("2019-05", "E01099100", "Maldon 001A", "Burglary"),         # displacement control (a partnership's district), before
    ("2019-04", "E01000001", "Braintree 001A", "Burglary"),      # before the before months: not counted
    ("2019-08", "", "", "Burglary"),                             # no location: in no group
]
MONTHS = ("2019-05", "2019-06", "2019-07", "2019-08")
HAND_COUNT = {"test": Counts(3, 1, tuple(zip(MONTHS, (2, 1, 1, 0)))),
              "control": Counts(2, 1, tuple(zip(MONTHS, (1, 1, 0, 1)))),
              "displacement": Counts(0, 2, tuple(zip(MONTHS, (0, 0, 1, 1)))),
              "displacement_control": Counts(1, 0, tuple(zip(MONTHS, (1, 0, 0, 0))))}


def _csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(PUBLISHED_HEADER)
        for number, (month, code, name, crime_type) in enumerate(rows):
            writer.writerow([f"id{number}", month, "Essex Police", "Essex Police", "0.5", "51.7", "On or near X",
                             code, name, crime_type, "Under investigation", ""])
    return path


def _run(root: Path, capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(["--root", str(root), "import", "police-uk", *args])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def portal(portal_copy: Path) -> Path:
    areas = (portal_copy / "data/areas.yml").read_text(encoding="utf-8")
    assert "id: csp-maldon" in areas
    (portal_copy / FILE).write_text(EVALUATION, encoding="utf-8")
    return portal_copy


def test_counts_equal_a_hand_count(portal: Path, tmp_path: Path, capsys) -> None:
    data = _csv(tmp_path / "street.csv", ROWS)
    code, out, err = _run(portal, capsys, str(data), "--evaluation", "door-chains")
    assert code == 0, out + err
    check = check_portal(portal, figures=False)
    assert not [p for p in check.problems if p.file == FILE]
    trial = next(e for e in check.portal.evaluations if e.id == "door-chains")
    assert trial.counts == HAND_COUNT
    assert "test" in out and "Traceback" not in out + err


def test_check_writes_nothing(portal: Path, tmp_path: Path, capsys) -> None:
    data = _csv(tmp_path / "street.csv", ROWS)
    code, out, _ = _run(portal, capsys, str(data), "--evaluation", "door-chains", "--check")
    assert code == 0 and "Nothing was written" in out
    assert (portal / FILE).read_text(encoding="utf-8") == EVALUATION


def test_a_missing_month_writes_nothing(portal: Path, tmp_path: Path, capsys) -> None:
    data = _csv(tmp_path / "street.csv", [r for r in ROWS if r[0] != "2019-08"])
    code, _, err = _run(portal, capsys, str(data), "--evaluation", "door-chains")
    assert code == 1 and "2019-08" in err and "nothing was written" in err
    assert (portal / FILE).read_text(encoding="utf-8") == EVALUATION


def test_a_bad_row_writes_nothing(portal: Path, tmp_path: Path, capsys) -> None:
    data = _csv(tmp_path / "street.csv", ROWS + [("August", "E01000001", "Braintree 001A", "Burglary")])
    code, out, err = _run(portal, capsys, str(data), "--evaluation", "door-chains")
    assert code == 1 and "street.csv" in out
    assert (portal / FILE).read_text(encoding="utf-8") == EVALUATION


def test_counts_already_there_need_revise(portal: Path, tmp_path: Path, capsys) -> None:
    data = _csv(tmp_path / "street.csv", ROWS)
    assert _run(portal, capsys, str(data), "--evaluation", "door-chains")[0] == 0
    code, _, err = _run(portal, capsys, str(data), "--evaluation", "door-chains")
    assert code == 1 and "--revise" in err
    assert _run(portal, capsys, str(data), "--evaluation", "door-chains", "--revise")[0] == 0
