"""The editors' workflow: `add-period`, `new metric`, `new strand`, the pre-commit hook and the live preview.

Every test works on a private copy of the real portal and checks what a person would see: the files written
(byte for byte), the messages printed, exit codes, a real build's pages and a real `mkdocs serve`.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from crimeportal.cli import main
from crimeportal.source.validate import load_portal
from portal_files import CONSOLE_SCRIPT as CRIMEPORTAL, copy_portal, posix_output

REPO = Path(__file__).resolve().parents[1]
METRICS = "data/metrics"
STRANDS = "content/strands"
KNIFE = "data/metrics/knife-enabled-crime.yml"
# one figure for every real metric, as an analyst would type them (the percent one with a note that has a comma)
QUARTER = {
    "domestic-abuse-solved-outcomes": "812",
    "hate-crime-solved-outcomes": "101",
    "knife-enabled-crime": "181",
    "personal-robbery-offences": "388",
    "personal-robbery-outcomes": "36",
    "repeat-domestic-abuse-incidents": "45.9",
    "residential-burglary-offences": "1,702",
    "residential-burglary-outcomes": "150",
}


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def crimeportal(capsys):
    """Run `crimeportal --root ROOT ARGS...` in this process."""

    def run(root: Path, *args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(["--root", str(root), *args])
        except SystemExit as stop:  # argparse mistakes
            code = stop.code if isinstance(stop.code, int) else 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        return Run(code, posix_output(captured.out), posix_output(captured.err))

    return run


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("data", "content") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def write_csv(folder: Path, text: str, name: str = "figures.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def inserted_lines(before: bytes, after: bytes) -> list[bytes]:
    """The lines `after` adds to `before`; fails unless every other byte is exactly as it was."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), f"lines {i1 + 1}-{i2} were changed or removed: {old[i1:i2]} -> {new[j1:j2]}"
        added += new[j1:j2] if tag == "insert" else []
    return added


# --------------------------------------------------------------------------- add-period


@pytest.mark.editor
def test_add_period_on_the_real_data_adds_only_the_new_lines(portal_copy, crimeportal):
    before = {name: (portal_copy / METRICS / f"{name}.yml").read_bytes() for name in QUARTER}
    rows = [f'{name},2019-10,"{value}"' for name, value in QUARTER.items()]
    rows[0] += ',provisional,"Figures to the end of October, to be confirmed"'
    csv = write_csv(portal_copy, "metric,end,value,status,note\n" + "\n".join(rows) + "\n")

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert result.code == 0, result.out + result.err
    assert "The portal's files check out: no problems found." in result.out
    for name, value in QUARTER.items():
        after = (portal_copy / METRICS / f"{name}.yml").read_bytes()
        expected = [b"  - end: 2019-10\n", f"    value: {value.replace(',', '')}\n".encode()]
        if name == "domestic-abuse-solved-outcomes":
            expected += [b"    status: provisional\n", b'    note: "Figures to the end of October, to be confirmed"\n']
        assert inserted_lines(before[name], after) == expected, name
        assert after.startswith(before[name]), "observations is the last field, so the new lines come at the end"
        assert f"{METRICS}/{name}.yml: added 2019-10" in result.out
    portal, problems = load_portal(portal_copy)
    assert problems == []
    assert portal.metric("residential-burglary-offences").observations[-1].value == 1702
    assert portal.metric("domestic-abuse-solved-outcomes").observations[-1].note == "Figures to the end of October, to be confirmed"
    assert not list((portal_copy / METRICS).glob(".*")), "no temporary file is left behind"


@pytest.mark.editor
def test_windows_line_ends_and_a_spreadsheets_empty_columns_are_kept_and_accepted(portal_copy, crimeportal):
    knife = portal_copy / KNIFE
    knife.write_bytes(knife.read_bytes().replace(b"\n", b"\r\n"))
    before = knife.read_bytes()
    csv = portal_copy / "figures.csv"
    csv.write_bytes("\ufeffmetric,end,value,,\r\nknife-enabled-crime,2019-10,181,,\r\n,,,,\r\n".encode("utf-8"))

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert result.code == 0, result.out + result.err
    assert knife.read_bytes() == before + b"  - end: 2019-10\r\n    value: 181\r\n"


@pytest.mark.editor
def test_one_bad_row_among_good_ones_changes_no_file_and_names_its_line(portal_copy, crimeportal):
    good = [f"{name},2019-10,{value.replace(',', '')}" for name, value in QUARTER.items() if name != "knife-enabled-crime"]
    rows = good[:3] + ["knife-enabled-crime,2019-10,about 180"] + good[3:]
    csv = write_csv(portal_copy, "metric,end,value\n" + "\n".join(rows) + "\n")
    before = hashes(portal_copy)

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert result.code == 1
    assert hashes(portal_copy) == before
    assert result.out.splitlines() == ["figures.csv:5:3: column 3 (value): must be a number, such as 176 or 46.43; found 'about 180'"]
    assert "nothing was written: 1 problem to fix first" in result.err


@pytest.mark.editor
def test_every_problem_in_the_csv_is_listed_in_one_run(portal_copy, crimeportal):
    csv = write_csv(portal_copy, "metric,end,value\nknife-enabled-crime,2019-10,181\nknife-enabled-crime,2019-10,182\n"
                                 "hate-crime-solved-outcomes,2019-07,98\nrepeat-domestic-abuse-incidents,2019-10,-1\n")

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert result.code == 1
    assert [line.split(": ")[0] for line in result.out.splitlines()] == [
        "figures.csv:3:2", "figures.csv:4:2", "figures.csv:5:3"]
    assert ("figures.csv:3:2: column 2 (end): knife-enabled-crime has another row for the figure for the 3 months to "
            "October 2019 (2019-10) on line 2: give each period once") in result.out.splitlines()


REJECTIONS = {
    "unknown metric": ("metric,end,value\nknife-crime,2019-10,181\n",
                       "figures.csv:2:1: column 1 (metric): there is no metric 'knife-crime' (no file data/metrics/knife-crime.yml)"),
    "period already there": ("metric,end,value\nknife-enabled-crime,2019-07,181\n",
                             "figures.csv:2:2: column 2 (end): knife-enabled-crime already has the figure for the 3 months"
                             " to July 2019 (2019-07), 176: to change it, run add-period again with --revise"),
    "period out of order": ("metric,end,value\nhate-crime-solved-outcomes,2019-10,5\nknife-enabled-crime,2019-01,181\n",
                            "figures.csv:3:2: column 2 (end): 2019-01 comes before knife-enabled-crime's latest figure, "
                            "the figure for the 3 months to July 2019 (2019-07): "
                            "new figures can only be added after it"),
    "value out of range": ("metric,end,value\nrepeat-domestic-abuse-incidents,2019-10,104.5\n",
                           "figures.csv:2:3: column 3 (value): repeat-domestic-abuse-incidents is measured as a percent: "
                           "a percent must be between 0 and 100; found 104.5"),
    "not a number": ("metric,end,value\nknife-enabled-crime,2019-10,n/a\n",
                     "figures.csv:2:3: column 3 (value): must be a number, such as 176 or 46.43; found 'n/a'"),
    "a month not written YYYY-MM": ("metric,end,value\nknife-enabled-crime,Oct-19,181\n",
                                    "figures.csv:2:2: column 2 (end): must be the last month the figure covers, written "
                                    "YYYY-MM; found 'Oct-19', which looks like 2019-10 turned into a date by the "
                                    "spreadsheet: type 2019-10 in a column formatted as Text (in Excel: select the "
                                    "column, Format Cells, Text), or type it as '2019-10 with an apostrophe first"),
    "missing column": ("metric,end\nknife-enabled-crime,2019-10\n",
                       "figures.csv:1:1: value: is missing: the first line must be the header row, "
                       "with at least the columns metric, end and value."),
    "unknown column": ("metric,end,value,notes\nknife-enabled-crime,2019-10,181,x\n",
                       "figures.csv:1:4: column 4 (notes): is not a column add-period knows; did you mean 'note'?"),
    "a row with too many cells": ("metric,end,value\nknife-enabled-crime,2019-10,1,948\n",
                                  "figures.csv:2:1: this row has 4 cells but the header row has 3 columns"),
}


@pytest.mark.editor
@pytest.mark.parametrize("kind", REJECTIONS)
def test_each_kind_of_mistake_is_refused_with_its_line(portal_copy, crimeportal, kind):
    text, message = REJECTIONS[kind]
    csv = write_csv(portal_copy, text)
    before = hashes(portal_copy)

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert result.code == 1
    assert hashes(portal_copy) == before
    assert result.out.startswith(message), result.out


@pytest.mark.editor
@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "figures.csv:1:1: this is not a CSV file: it holds binary data"),
    (b"metric,end,value,note\nknife-enabled-crime,2019-10,181,\xa35m\n",
     "figures.csv:2:1: the file is not saved as UTF-8 text: the character here is probably \u00a3, saved the Windows way "
     "(byte 0xa3). Save it from the spreadsheet as 'CSV UTF-8 (Comma delimited)'"),
    (b"", "figures.csv:1:1: the file is empty"),
    (b"id: knife-enabled-crime\ntitle: Knife crime\n", "figures.csv:1:1: this does not look like a CSV of figures"),
])
def test_a_file_that_is_not_a_csv_of_figures_is_refused(portal_copy, crimeportal, content, message):
    csv = portal_copy / "figures.csv"
    csv.write_bytes(content)
    before = hashes(portal_copy)

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert (result.code, hashes(portal_copy)) == (1, before)
    assert result.out.startswith(message), result.out


@pytest.mark.editor
def test_a_file_whose_layout_cannot_be_kept_is_left_alone(portal_copy, crimeportal, replace_in):
    text = replace_in(KNIFE, "    value: 176\n", "    value:   176\n")  # the YAML tool would write `value: 176`
    line = text.splitlines().index("    value:   176") + 1
    csv = write_csv(portal_copy, "metric,end,value\nknife-enabled-crime,2019-10,181\n")
    before = hashes(portal_copy)

    result = crimeportal(portal_copy, "add-period", str(csv))

    assert (result.code, hashes(portal_copy)) == (1, before)
    assert result.out.startswith(f"{KNIFE}:{line}:1: this file's layout cannot be kept when figures are added to it")


@pytest.mark.editor
def test_revise_changes_an_existing_figure_and_marks_it_revised(portal_copy, crimeportal):
    knife = portal_copy / KNIFE
    before = knife.read_text(encoding="utf-8")
    csv = write_csv(portal_copy, "metric,end,value\nknife-enabled-crime,2019-07,179\n")

    result = crimeportal(portal_copy, "add-period", "--revise", str(csv))

    assert result.code == 0, result.out + result.err
    assert f"{KNIFE}: revised 2019-07" in result.out
    after = knife.read_text(encoding="utf-8")
    assert after == before.replace("  - end: 2019-07\n    value: 176\n", "  - end: 2019-07\n    value: 179\n    status: revised\n")
    observation = load_portal(portal_copy)[0].metric("knife-enabled-crime").observations[-1]
    assert (observation.end, observation.value, observation.status) == ("2019-07", 179, "revised")


@pytest.mark.editor
def test_the_command_run_from_the_portal_folder_reads_a_csv_named_relative_to_it(tmp_path):
    root = copy_portal(tmp_path / "portal")
    (root / "updates").mkdir()
    write_csv(root / "updates", "metric,end,value\nknife-enabled-crime,2019-10,181\n", "2019-10.csv")

    result = subprocess.run([str(CRIMEPORTAL), "add-period", "updates/2019-10.csv"], cwd=root,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / KNIFE).read_text(encoding="utf-8").endswith("  - end: 2019-10\n    value: 181\n")


# --------------------------------------------------------------------------- new metric, new strand


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """A copy of the portal with a new strand, a metric in it with a first figure, and a metric without figures,
    all made by the commands; then a real build of it."""
    root = copy_portal(tmp_path_factory.mktemp("scaffold"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(CRIMEPORTAL), *args], cwd=root, capture_output=True, text=True, timeout=300)  # a build among them; a busy machine is slow

    results = {
        "strand": run("new", "strand", "--title", "Road Safety", "--summary", "Fewer people killed or hurt on the roads."),
        "metric": run("new", "metric", "--strand", "road-safety", "--title", "People killed or seriously injured",
                      "--unit", "count", "--polarity", "lower-is-better", "--end", "2019-09", "--value", "212"),
        "empty metric": run("new", "metric", "--strand", "hate-crime", "--title", "Hate crime repeat victims",
                            "--unit", "percent"),
    }
    results["build"] = run("build")
    return root, results


def test_new_strand_and_new_metrics_are_written_and_validate(scaffolded):
    root, results = scaffolded
    for name in ("strand", "metric", "empty metric"):
        assert results[name].returncode == 0, results[name].stdout + results[name].stderr
        assert "The portal's files check out: no problems found." in results[name].stdout
    assert "Wrote content/strands/road-safety.md" in results["strand"].stdout
    assert "Wrote data/metrics/people-killed-or-seriously-injured.yml" in results["metric"].stdout
    portal, problems = load_portal(root)
    assert problems == []
    strand = portal.strand("road-safety")
    assert (strand.title, strand.order, strand.status, strand.summary) == (
        "Road Safety", 12, "active", "Fewer people killed or hurt on the roads.")
    metric = portal.metric("people-killed-or-seriously-injured")
    assert (metric.strand, metric.unit, metric.polarity, metric.order) == ("road-safety", "count", "lower-is-better", 1)
    assert [(o.end, o.value) for o in metric.observations] == [("2019-09", 212)]
    empty = portal.metric("hate-crime-repeat-victims")
    assert (empty.unit, empty.polarity, empty.period, empty.order) == ("percent", "neutral", "quarter", 2)


def test_a_new_metric_file_explains_its_fields(scaffolded):
    root, _ = scaffolded
    lines = (root / METRICS / "people-killed-or-seriously-injured.yml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/metric.schema.json"
    fields = [line for line in lines[1:] if re.match(r"^[a-z]+:", line)]
    assert [f.split(":")[0] for f in fields] == ["id", "title", "strand", "description", "unit", "polarity", "period",
                                                 "source", "caveats", "order", "draft", "observations"]
    assert all(" # " in f or "  # " in f for f in fields), "every field has a short comment"


def test_new_files_are_drafts_left_out_of_the_published_site(scaffolded):
    root, results = scaffolded
    assert results["build"].returncode == 0, results["build"].stderr
    site = root / "site"
    assert not (site / "strands" / "road-safety").exists()
    assert not (site / "metrics" / "people-killed-or-seriously-injured").exists()
    assert not (site / "metrics" / "hate-crime-repeat-victims").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "road-safety" not in home and "Road Safety" not in home
    all_metrics = (site / "data" / "all-metrics.csv").read_text(encoding="utf-8")
    assert "people-killed-or-seriously-injured" not in all_metrics and "hate-crime-repeat-victims" not in all_metrics


def test_a_finished_draft_is_published_and_placeholder_text_never_is(scaffolded, tmp_path):
    root = tmp_path / "portal"
    shutil.copytree(scaffolded[0], root, ignore=shutil.ignore_patterns("site", ".cache"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(CRIMEPORTAL), *args], cwd=root, capture_output=True, text=True, timeout=300)

    strand, metric = root / STRANDS / "road-safety.md", root / METRICS / "people-killed-or-seriously-injured.yml"
    for path in (strand, metric):
        path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                                if not line.startswith("draft: true")), encoding="utf-8")
    checked = run("validate")
    assert checked.returncode == 1
    placeholder_lines = [line.split(": ")[0] for line in checked.stdout.splitlines() if "placeholder text" in line]
    strand_lines = [n for n, line in enumerate(strand.read_text(encoding="utf-8").splitlines(), 1) if "Replace this" in line]
    metric_lines = [n for n, line in enumerate(metric.read_text(encoding="utf-8").splitlines(), 1)
                    if "Describe what" in line or "Say where" in line]
    assert sorted(placeholder_lines) == sorted([f"content/strands/road-safety.md:{n}:1" for n in strand_lines]
                                               + [f"data/metrics/people-killed-or-seriously-injured.yml:{n}:1" for n in metric_lines])

    strand.write_text(strand.read_text(encoding="utf-8").replace(
        "Replace this with what the strand has done since the last update, in plain words.", "Speed checks began.").replace(
        "Replace this with what the strand will do next.", "More checks in the spring."), encoding="utf-8")
    metric.write_text(metric.read_text(encoding="utf-8").replace(
        "Describe what is counted, in one or two sentences.", "People killed or seriously injured in road collisions.").replace(
        "Say where the figures come from.", "Essex Police collision records"), encoding="utf-8")
    assert run("validate").returncode == 0
    assert run("build").returncode == 0
    site = root / "site"
    strand_page = (site / "strands" / "road-safety" / "index.html").read_text(encoding="utf-8")
    assert "Fewer people killed or hurt on the roads." in strand_page
    assert "<caption>People killed or seriously injured: figures by period</caption>" in strand_page
    assert "212" in (site / "metrics" / "people-killed-or-seriously-injured" / "index.html").read_text(encoding="utf-8")
    assert 'href="strands/road-safety/"' in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "metrics" / "hate-crime-repeat-victims").exists(), "still a draft"


@pytest.mark.editor
def test_add_period_replaces_a_new_metrics_placeholder(tmp_path, crimeportal):
    root = copy_portal(tmp_path)
    assert crimeportal(root, "new", "metric", "--strand", "hate-crime", "--title", "Hate crime reports").code == 0
    csv = write_csv(tmp_path, "metric,end,value\nhate-crime-reports,2019-07,640\nhate-crime-reports,2019-04,610\n")

    result = crimeportal(root, "add-period", str(csv))

    assert result.code == 0, result.out + result.err
    assert "added 2019-04, 2019-07; removed the placeholder" in result.out
    text = (root / METRICS / "hate-crime-reports.yml").read_text(encoding="utf-8")
    assert text.endswith("observations:                   # the figures, oldest first; add more with crimeportal add-period\n"
                         "  - end: 2019-04\n    value: 610\n  - end: 2019-07\n    value: 640\n")
    assert load_portal(root)[1] == []


@pytest.mark.editor
@pytest.mark.parametrize("args, message", [
    (("new", "metric", "--strand", "gangs-and-knife-crime", "--title", "Knife-enabled crime"),
     "there is already a metric with id 'knife-enabled-crime' (data/metrics/knife-enabled-crime.yml)"),
    (("new", "metric", "--strand", "knife-crime", "--title", "Knife arrests"),
     "there is no strand 'knife-crime' (no file content/strands/knife-crime.md)"),
    (("new", "metric", "--strand", "hate-crime", "--title", "Reports", "--unit", "percentage"),
     "--unit must be one of count, percent, rate; found 'percentage'"),
    (("new", "strand", "--title", "Hate Crime"),
     "there is already a strand with id 'hate-crime' (content/strands/hate-crime.md)"),
    (("new", "strand", "--title", "Road Safety", "--order", "3"),
     "order 3 is already used by the strand 'night-time-economy'"),
])
def test_new_refuses_an_existing_id_or_an_unknown_strand(portal_copy, crimeportal, args, message):
    before = hashes(portal_copy)

    result = crimeportal(portal_copy, *args)

    assert result.code == 1
    assert hashes(portal_copy) == before
    assert result.err.startswith(f"crimeportal: nothing was written: {message}"), result.err


# --------------------------------------------------------------------------- editor tooling


def test_the_pre_commit_hook_checks_only_the_changed_data_and_pages(portal_copy, replace_in):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert (config["repos"][0]["repo"], hook["language"], hook["entry"]) == ("local", "system", ".venv/bin/crimeportal validate")
    files = re.compile(hook["files"])
    assert files.search(KNIFE) and files.search("content/strands/hate-crime.md")
    assert not files.search("src/crimeportal/cli.py") and not files.search("content/stylesheets/portal.css")
    replace_in(KNIFE, "unit: count", "unit: percentage")
    command = [str(CRIMEPORTAL), *hook["entry"].split()[1:]]  # .venv/bin/crimeportal of this checkout

    broken = subprocess.run(command + [KNIFE, "content/strands/hate-crime.md"], cwd=portal_copy,
                            capture_output=True, text=True, timeout=60)
    unrelated = subprocess.run(command + ["content/strands/hate-crime.md"], cwd=portal_copy,
                               capture_output=True, text=True, timeout=60)

    assert broken.returncode == 1 and f"{KNIFE}:6:7: unit: must be one of count, percent, rate" in broken.stdout
    assert unrelated.returncode == 0, unrelated.stdout


@pytest.mark.editor
def test_vscode_maps_the_metric_schema_to_the_metric_files():
    import json

    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert (REPO / schema).resolve() == (REPO / "schemas" / "metric.schema.json").resolve()
    assert globs == ["data/metrics/*.yml"] and list(REPO.glob(globs[0]))


# --------------------------------------------------------------------------- live preview


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Preview:
    """`mkdocs serve` on a free loopback port, in its own process, with its terminal output in a file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.log = root / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def fetch(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for(self, path: str, wanted, timeout: float = 90) -> str:
        """Poll a page until `wanted(text)` holds; the server must stay up all the while."""
        deadline, text = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            assert self.alive(), f"mkdocs serve stopped:\n{self.terminal()}"
            text = self.fetch(path)
            if text is not None and wanted(text):
                return text
            time.sleep(0.3)
        raise AssertionError(f"/{path} never showed what was expected; last answer:\n{text}\n{self.terminal()}")

    def terminal(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


@pytest.fixture
def preview_portal(tmp_path):
    root = copy_portal(tmp_path)
    servers: list[Preview] = []

    def start() -> Preview:
        servers.append(Preview(root))
        return servers[-1]

    yield root, start
    for server in servers:
        server.stop()


def article(text: str) -> str:
    """The page's main content as a reader sees the words: markup dropped, entities turned back into characters."""
    return html.unescape(re.sub(r"<[^>]+>", "", text[text.index("<article"):text.index("</article>")]))


BROKEN_UNIT = "unit: <i>percentage</i>"
UNIT_PROBLEM = f"{KNIFE}:6:7: unit: must be one of count, percent, rate; found '<i>percentage</i>'"
TABLE = "<caption>Knife-enabled crime offences: figures by period</caption>"


def test_the_preview_shows_problems_on_the_page_and_recovers_when_they_are_fixed(preview_portal):
    root, start = preview_portal
    knife = root / KNIFE
    good = knife.read_text(encoding="utf-8")
    server = start()
    server.wait_for("metrics/knife-enabled-crime/", lambda text: TABLE in text)

    knife.write_text(good.replace("unit: count", BROKEN_UNIT), encoding="utf-8")
    page = server.wait_for("metrics/knife-enabled-crime/", lambda text: UNIT_PROBLEM in article(text))
    home = server.wait_for("", lambda text: UNIT_PROBLEM in article(text))

    assert "<i>percentage</i>" not in page and "&lt;i&gt;percentage&lt;/i&gt;" in page, "the message is escaped"
    assert TABLE not in page and "The portal's files have 1 problem" in article(home)
    knife.write_text(good, encoding="utf-8")
    page = server.wait_for("metrics/knife-enabled-crime/", lambda text: TABLE in text)
    assert "The portal's files have" not in page
    assert server.alive()
    terminal = server.terminal()
    assert f"ERROR   -  {UNIT_PROBLEM}" in terminal
    assert "Traceback" not in terminal and "Aborted" not in terminal


def test_the_preview_starts_on_broken_data_and_shows_the_problem(preview_portal):
    root, start = preview_portal
    knife = root / KNIFE
    knife.write_text(knife.read_text(encoding="utf-8").replace("unit: count", BROKEN_UNIT), encoding="utf-8")
    server = start()

    page = server.wait_for("strands/gangs-and-knife-crime/", lambda text: "<article" in text)

    assert UNIT_PROBLEM in article(page)
    assert server.alive()
