"""The live preview, `mkdocs serve --dirty` (make serve): after every kind of edit, what the server serves equals a
fresh full build of the same files, and an edit to one measure or one strand's text rebuilds only its pages.

A real server: the seed portal copied to a temporary folder, served by MkDocs with the hooks, edited as an editor
would, each rebuild waited for on the server's own log. The full build to compare with is MkDocs' build run as
`mkdocs serve` runs it (the same address, drafts shown), into a folder of its own.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.generate import copy_site_files
from benchmarks.preview import ServeProcess
from crimeportal.site.preview import MANIFEST

REPO = Path(__file__).resolve().parents[1]
# MkDocs never repeats a line of its build log ("Documentation built in 0.26 seconds" twice shows once), so builds
# are counted by the server's own lines: the first build ends when it starts serving, each rebuild with a reload
SERVING, RELOADED = re.compile(r"Serving on http"), re.compile(r"Reloading browsers")
REBUILT = re.compile(r"live preview: rebuilt (\d+) of (\d+) pages")
METRIC = "data/metrics/domestic-abuse-solved-outcomes.yml"
STRAND = "content/strands/domestic-abuse.md"

_FULL_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

def main():
    config = load_config(config_file="mkdocs.yml", site_dir=sys.argv[1])
    config.site_url = sys.argv[2]
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=sys.argv[2], dirty=False)
    finally:
        config.plugins.on_shutdown()

if __name__ == "__main__":
    main()
"""


class Server(ServeProcess):
    """`mkdocs serve --dirty` of a portal, waited for until its first build is served."""

    def __init__(self, portal: Path, scratch: Path) -> None:
        self.portal = portal
        scratch.mkdir()
        super().__init__(portal, True, scratch)
        self.wait_for_build(0, timeout=240)
        self.site = next(scratch.glob("mkdocs_*"))  # MkDocs serves from a temporary folder of its own

    def builds(self) -> int:
        return sum(1 for line in list(self.log) if SERVING.search(line) or RELOADED.search(line))

    def wait_for_build(self, done: int, timeout: float = 120) -> tuple[int, int]:
        """Wait until build number `done` + 1 has finished; how many pages it rebuilt, of how many."""
        deadline = time.monotonic() + timeout
        while self.builds() <= done:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the server did not finish a build:\n" + "".join(line for line in self.log[-400:] if not line.startswith("  - ")))
            time.sleep(0.05)
        counts = [REBUILT.search(line) for line in list(self.log) if REBUILT.search(line)]
        return int(counts[-1][1]), int(counts[-1][2])

    def get(self, path: str) -> str:
        """The served page; an HTTPError for a page the server does not have."""
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    portal = tmp_path_factory.mktemp("preview") / "portal"
    portal.mkdir()
    copy_site_files(REPO, portal, with_strands=True, with_data=True)
    if (REPO / ".cache").is_dir():  # the charts already drawn: the first build need not draw them again
        shutil.copytree(REPO / ".cache", portal / ".cache", ignore=shutil.ignore_patterns("*.pdf", "board-pack*"))
    server = Server(portal, portal.parent / "scratch")
    yield server
    server.stop()


def _edit(server: Server, path: str, change) -> tuple[int, int]:
    """Change one of the portal's files as an editor would, and wait for the rebuild it causes."""
    done = server.builds()
    target = server.portal / path
    change(target)
    return server.wait_for_build(done)


def _replace(old: str, new: str):
    def change(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{path.name} no longer holds {old!r}: the test needs updating"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _assert_equals_full_build(server: Server, reference: Path) -> None:
    shutil.rmtree(reference, ignore_errors=True)
    subprocess.run([sys.executable, "-c", _FULL_BUILD, str(reference), server.url], cwd=server.portal, check=True,
                   capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    # a live preview makes no chart images and no embeddable pages (each save would redraw every PNG), as it makes
    # no board pack and no data zip: everything else must equal a full build's
    made_by_full_builds_only = ("charts/", "embed/")
    served = _files(server.site) - {MANIFEST}
    full = {name for name in _files(reference) if not name.startswith(made_by_full_builds_only)}
    assert served == full, f"only served: {sorted(served - full)[:10]}; only in the full build: {sorted(full - served)[:10]}"
    index = "search/search_index.json"
    assert json.loads((server.site / index).read_text("utf-8")) == json.loads((reference / index).read_text("utf-8"))
    differ = [name for name in sorted(full - {index}) if not filecmp.cmp(server.site / name, reference / name, shallow=False)]
    assert not differ, f"the preview differs from a full build in {differ[:10]}"


def test_the_first_build_equals_a_full_build(served, tmp_path):
    _assert_equals_full_build(served, tmp_path / "full")


def test_the_preview_leaves_out_the_zip_and_says_so(served):
    data_page = served.get("data/")
    assert "portal-data.zip, every file listed below in one zip" in data_page
    assert "this build, a live preview, did not make it." in data_page
    assert 'href="portal-data.zip"' not in data_page
    assert not (served.site / "data" / "portal-data.zip").exists()
    assert "all-metrics.csv" in data_page  # the other files are made as a full build makes them


def test_a_figure_rebuilds_its_pages_only(served, tmp_path):
    rebuilt, pages = _edit(served, METRIC, _replace("value: 707", "value: 717"))
    assert 0 < rebuilt <= 10 < pages, f"{rebuilt} of {pages} pages rebuilt for one figure"
    assert "717" in served.get("metrics/domestic-abuse-solved-outcomes/")
    _assert_equals_full_build(served, tmp_path / "full")


def test_a_measure_title(served, tmp_path):
    rebuilt, pages = _edit(served, METRIC, _replace("title: Domestic abuse solved outcomes", "title: Domestic abuse outcomes solved"))
    assert rebuilt < pages
    assert "Domestic abuse outcomes solved" in served.get("strands/domestic-abuse/")
    _assert_equals_full_build(served, tmp_path / "full")


def test_a_strand_page_text_rebuilds_its_pages_only(served, tmp_path):
    rebuilt, pages = _edit(served, STRAND, lambda path: path.write_text(
        path.read_text(encoding="utf-8") + "\nA paragraph added in the live preview.\n", encoding="utf-8"))
    assert 0 < rebuilt <= 10 < pages, f"{rebuilt} of {pages} pages rebuilt for one strand's text"
    assert "A paragraph added in the live preview." in served.get("strands/domestic-abuse/")
    _assert_equals_full_build(served, tmp_path / "full")


def test_a_strand_title_rebuilds_every_page(served, tmp_path):
    text = (served.portal / STRAND).read_text(encoding="utf-8")
    title = re.search(r"^title: *(.+)$", text, re.MULTILINE)
    assert title, "the strand page has no title line: the test needs updating"
    rebuilt, pages = _edit(served, STRAND, _replace(title[0], "title: Domestic Abuse, Stalking and Harassment"))
    assert rebuilt == pages  # the navigation of every page names the strand
    assert "Domestic Abuse, Stalking and Harassment" in served.get("about/")
    _assert_equals_full_build(served, tmp_path / "full")


def test_a_new_measure_and_then_its_removal(served, tmp_path):
    source = (served.portal / METRIC).read_text(encoding="utf-8")
    added = source.replace("id: domestic-abuse-solved-outcomes", "id: domestic-abuse-repeat-victims", 1) \
                  .replace("title: Domestic abuse outcomes solved", "title: Domestic abuse repeat victims", 1)
    new = "data/metrics/domestic-abuse-repeat-victims.yml"
    _edit(served, new, lambda path: path.write_text(added, encoding="utf-8"))
    assert "Domestic abuse repeat victims" in served.get("metrics/domestic-abuse-repeat-victims/")
    _assert_equals_full_build(served, tmp_path / "full")
    _edit(served, new, lambda path: path.unlink())
    with pytest.raises(urllib.error.HTTPError):
        served.get("metrics/domestic-abuse-repeat-victims/")
    _assert_equals_full_build(served, tmp_path / "full")


def test_the_release_register(served, tmp_path):
    release = ("releases:\n  - version: 2019-09\n    title: September 2019 board update\n"
               "    published: 2019-09-20\n    board_meeting: 2019-09-12\n")
    _edit(served, "data/releases.yml", _replace("releases: []\n", release))
    assert "September 2019 board update" in served.get("what-changed/")
    _assert_equals_full_build(served, tmp_path / "full")
