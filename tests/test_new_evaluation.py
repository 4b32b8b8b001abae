"""`crimeportal new evaluation`: a checked file written, or with --check shown; refused with nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.source.validate import check_portal

STRAND = "house-burglary-and-street-robbery"
TARGET = "data/evaluations/door-chains.yml"


def _run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(["--root", str(root), "new", "evaluation", *args])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    out = capsys.readouterr()
    return code, out.out, out.err


ARGS = ("--strand", STRAND, "--title", "Door chains", "--question", "Did door chains reduce burglary?",
        "--after-start", "2020-02", "--after-end", "2020-05")


def test_writes_a_file_the_checks_accept(portal_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(portal_copy, capsys, *ARGS, "--registered", "2020-01-15")
    assert code == 0, out
    assert (portal_copy / TARGET).exists()
    check = check_portal(portal_copy, figures=False)
    assert not [p for p in check.problems if p.file == TARGET]
    made = next(e for e in check.portal.evaluations if e.id == "door-chains")
    assert made.after == ("2020-02", "2020-05") and made.groups == {}
    assert made.result(date(2019, 12, 1)).registered_in_advance is True


def test_check_writes_nothing(portal_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(portal_copy, capsys, *ARGS, "--check")
    assert code == 0
    assert "would be written as" in out and "id: door-chains" in out
    assert "Nothing was written" in out
    assert not (portal_copy / TARGET).exists()


@pytest.mark.parametrize("change,words", [
    (("--strand", "house-burglary"), "there is no strand 'house-burglary'"),
    (("--after-start", "2020-13"), "--after-start must be a month"),
    (("--design", "hunch"), "--design must be one of"),
    (("--question", "Did\u202e it work?"), "RIGHT-TO-LEFT OVERRIDE"),
])
def test_refused_with_nothing_written(portal_copy: Path, capsys: pytest.CaptureFixture[str], change, words) -> None:
    args = list(ARGS)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += list(change)
    code, out, err = _run(portal_copy, capsys, *args)
    assert code == 1
    assert words in out + err
    assert "nothing was written" in err
    assert "Traceback" not in out + err
    assert not (portal_copy / TARGET).exists()


def test_an_existing_id_is_refused(portal_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(portal_copy, capsys, *ARGS, "--id", "operation-meteor")
    assert code == 1 and "already" in err
