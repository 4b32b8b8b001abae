"""Editors' safety nets: the schema line is help, not a gate; `add-period --check` shows and writes nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from html_tree import parse
from portal_files import CONSOLE_SCRIPT as CRIMEPORTAL, posix_output
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/metric.schema.json\n"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(root), *args], capture_output=True, text=True, timeout=300)
    return subprocess.CompletedProcess(done.args, done.returncode, posix_output(done.stdout), posix_output(done.stderr))


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


@pytest.mark.editor
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


@pytest.mark.editor
def test_add_period_check_reports_problems_as_the_real_run_would(portal_copy: Path):
    csv = portal_copy / "figures.csv"
    csv.write_text("metric,end,value\nknife-enabled-crime,2020-07,lots\n", encoding="utf-8")
    before = _hashes(portal_copy)
    checked = _run(portal_copy, "add-period", str(csv), "--check")
    assert checked.returncode == 1
    assert "figures.csv:2:" in checked.stdout and "column 3 (value): must be a number" in checked.stdout
    assert _hashes(portal_copy) == before


@pytest.mark.editor
def test_python_dash_m_crimeportal_runs_the_same_command(portal_copy: Path):
    done = subprocess.run([sys.executable, "-m", "crimeportal", "--root", str(portal_copy), "validate"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "No problems found." in done.stderr


def test_publish_refuses_drafts_naming_their_placeholder_lines(tmp_path: Path):
    from test_release import SEPTEMBER, git, new_repo, publish

    repo = new_repo(tmp_path / "repo")
    made = _run(repo, "new", "metric", "--strand", "hate-crime", "--title", "Hate crime repeat victims", "--unit", "percent")
    assert made.returncode == 0, made.stdout + made.stderr
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "A draft measure")
    refused = publish(repo, SEPTEMBER[0], "--title", SEPTEMBER[1])
    assert refused.returncode == 1
    text = (repo / "data" / "metrics" / "hate-crime-repeat-victims.yml").read_text(encoding="utf-8").splitlines()
    lines = [n for n, line in enumerate(text, 1) if "Describe what" in line or "Say where" in line or "Placeholder:" in line]
    assert ("data/metrics/hate-crime-repeat-victims.yml is marked `draft: true`; placeholder text is still on "
            + ", ".join(f"line {n}" for n in lines)) in refused.stderr
    assert "not published; nothing was changed" in refused.stderr


_PREVIEW_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1])
config.plugins.on_startup(command="serve", dirty=False)
config["site_dir"] = sys.argv[2]
build(config)
"""


def test_the_live_preview_shows_a_draft_marked_as_a_draft(portal_copy: Path, tmp_path: Path):
    made = _run(portal_copy, "new", "metric", "--strand", "hate-crime", "--title", "Hate crime repeat victims",
                "--unit", "count", "--end", "2019-07", "--value", "12")
    assert made.returncode == 0
    preview = tmp_path / "preview"
    done = subprocess.run([sys.executable, "-c", _PREVIEW_BUILD, str(portal_copy / "mkdocs.yml"), str(preview)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    page = parse((preview / "metrics" / "hate-crime-repeat-victims" / "index.html").read_text(encoding="utf-8"))
    banner = page.find("div", class_="admonition")
    assert banner.find("p", class_="admonition-title").text == "Draft"
    assert "left out of the published site" in banner.text
