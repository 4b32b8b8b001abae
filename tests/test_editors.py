"""Editors' safety nets: the schema line is help, not a gate; `add-period --check` shows and writes nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/metric.schema.json\n"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), *args], capture_output=True, text=True, timeout=300)


def _hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("data", "content") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def test_a_metric_file_without_the_schema_line_builds_with_a_note(portal_copy: Path):
    metric = portal_copy / "data" / "metrics" / "knife-enabled-crime.yml"
    metric.write_text(metric.read_text(encoding="utf-8").replace(SCHEMA_LINE, ""), encoding="utf-8")
    checked = _run(portal_copy, "validate")
    assert checked.returncode == 0, checked.stdout
    assert ("note: data/metrics/knife-enabled-crime.yml:1:1: the first line is usually "
            "'# yaml-language-server: $schema=../../schemas/metric.schema.json'") in checked.stderr
    assert "No problems found." in checked.stderr
    built = _run(portal_copy, "build")
    assert built.returncode == 0, built.stderr
    assert (portal_copy / "site" / "metrics" / "knife-enabled-crime" / "index.html").is_file()
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value\nknife-enabled-crime,2020-07,181\n", encoding="utf-8")
    added = _run(portal_copy, "add-period", str(csv))
    assert added.returncode == 0, added.stdout + added.stderr
    assert "value: 181" in metric.read_text(encoding="utf-8")


def test_add_period_check_says_what_would_change_and_writes_nothing(portal_copy: Path):
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value\nknife-enabled-crime,2020-07,181\nhate-crime-solved-outcomes,2019-07,99\n"
                   "personal-robbery-offences,2020-07,400\n", encoding="utf-8")
    before = _hashes(portal_copy)
    checked = _run(portal_copy, "add-period", str(csv), "--check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert _hashes(portal_copy) == before
    assert checked.stdout.splitlines() == [
        "data/metrics/knife-enabled-crime.yml: would add 2020-07",
        "data/metrics/hate-crime-solved-outcomes.yml: 2019-07 already as given",
        "data/metrics/personal-robbery-offences.yml: would add 2020-07",
        "Nothing was written: run the same command without --check to make these changes.",
    ]
    done = _run(portal_copy, "add-period", str(csv))
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "data/metrics/knife-enabled-crime.yml: added 2020-07"


def test_add_period_check_reports_problems_as_the_real_run_would(portal_copy: Path):
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value\nknife-enabled-crime,2020-07,lots\n", encoding="utf-8")
    before = _hashes(portal_copy)
    checked = _run(portal_copy, "add-period", str(csv), "--check")
    assert checked.returncode == 1
    assert "figures.csv:2:" in checked.stdout and "value: must be a number" in checked.stdout
    assert _hashes(portal_copy) == before


def test_python_dash_m_crimeportal_runs_the_same_command(portal_copy: Path):
    done = subprocess.run([sys.executable, "-m", "crimeportal", "--root", str(portal_copy), "validate"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "No problems found." in done.stderr
