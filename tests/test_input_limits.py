"""Every file a command reads is bounded: one far too big, or one that never ends, is refused in plain words.

Each command is run as a real process with its memory capped, so that a reader that does not stop fails the
test (MemoryError, or the timeout) instead of filling the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.core import conventions
from crimeportal.editing import figures_csv, police_uk

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
NEVER_ENDS = "/dev/zero"
MEMORY_CAP = 1_500_000_000  # bytes of address space: ample for any command here, far short of an endless read


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), *args], capture_output=True, text=True, timeout=300,
                          preexec_fn=_capped)


@pytest.mark.skipif(not os.path.exists(NEVER_ENDS), reason="needs /dev/zero")
@pytest.mark.parametrize("args, expected", [
    (["add-period", NEVER_ENDS], f"{NEVER_ENDS}:1:1: the file is larger than 50 MB, the most a CSV given to a command may be"),
    (["progress", NEVER_ENDS], f"{NEVER_ENDS}:1:1: the file is larger than 50 MB"),
    (["import-actions", NEVER_ENDS], f"{NEVER_ENDS}:1:1: the file is larger than 50 MB"),
    (["import", "police-uk", NEVER_ENDS, "--crime-type", "Burglary", "--metric", "police-uk-burglary"],
     f"{NEVER_ENDS}:1:1: this line is longer than 100,000 characters"),
    (["import", "police-uk", NEVER_ENDS, "--mapping", "MAPPING"], "mapping.csv:1:1: the file is larger than 50 MB"),
])
def test_a_file_that_never_ends_is_refused_without_filling_the_memory(portal_copy: Path, tmp_path: Path, args, expected):
    mapping = tmp_path / "mapping.csv"  # a mapping CSV that never ends: a link, as a name given on the command line may be
    mapping.symlink_to(NEVER_ENDS)
    done = _run(portal_copy, *[str(mapping) if arg == "MAPPING" else arg for arg in args])
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr and "MemoryError" not in done.stdout + done.stderr
    assert expected in done.stdout + done.stderr


def test_an_oversized_csv_is_refused_naming_the_file_and_the_limit(portal_copy: Path, monkeypatch, capsys):
    monkeypatch.setattr(figures_csv, "MAX_CSV_BYTES", 1_000)
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value\n" + "knife-enabled-crime,2020-07,100\n" * 100, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(portal_copy), "add-period", str(csv)]) == 1
    out = capsys.readouterr().out
    assert "figures.csv:1:1: the file is larger than 1,000 bytes, the most a CSV given to a command may be" in out


def test_a_real_50_mb_csv_is_refused_and_one_just_under_is_read(portal_copy: Path):
    big = portal_copy / "big.csv"
    with open(big, "wb") as stream:  # sparse: no disk is used for the zeros
        stream.truncate(conventions.MAX_CSV_BYTES + 1)
    done = _run(portal_copy, "add-period", str(big))
    assert done.returncode == 1 and "big.csv:1:1: the file is larger than 50 MB" in done.stdout, done.stdout + done.stderr
    with open(big, "r+b") as stream:
        stream.truncate(conventions.MAX_CSV_BYTES)
    done = _run(portal_copy, "add-period", str(big))
    assert done.returncode == 1 and "larger than" not in done.stdout and "binary data" in done.stdout


def test_an_oversized_police_uk_file_is_refused_at_the_line_it_passes_the_limit(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(police_uk, "MAX_POLICE_UK_BYTES", 2_000)
    header = ",".join(police_uk.PUBLISHED_HEADER) + "\n"
    row = ",2018-01,Essex Police,Essex Police,0.1,51.7,On or near X,E01000001,Harlow 001A,Burglary,,\n"
    path = tmp_path / "big.csv"
    path.write_text(header + row * 100, encoding="utf-8")
    counts, problems = police_uk.count_files([path], ["big.csv"], {"harlow": "harlow"})
    assert len(problems) == 1
    assert problems[0].message.startswith("the file is larger than 2,000 bytes, the most one police.uk file may be")


def test_an_oversized_or_endless_yaml_file_is_refused(portal_copy: Path, capsys):
    metric = portal_copy / "data" / "metrics" / "knife-enabled-crime.yml"
    with open(metric, "ab") as stream:
        stream.truncate(conventions.MAX_SOURCE_BYTES + 1)
    boundaries = portal_copy / "data" / "boundaries" / "districts.geojson"
    if boundaries.exists():
        with open(boundaries, "ab") as stream:
            stream.truncate(conventions.MAX_SOURCE_BYTES + 1)
    capsys.readouterr()
    assert main(["--root", str(portal_copy), "validate"]) == 1
    out = capsys.readouterr().out
    assert "data/metrics/knife-enabled-crime.yml:1:1: is 1,000,001 bytes long; a source file over 1,000,000 bytes" in out
    if boundaries.exists():
        assert "data/boundaries/districts.geojson:1:1: is 1,000,001 bytes long" in out
