"""The package's contracts that no single feature test covers: facts stated once, the block registry,
the comparison script that showed the refactor changed nothing, and a build's clean-up on failure."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crimeportal.core import model
from crimeportal.site import block_content, blocks  # noqa: F401  (block_content registers the fillers)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import compare_sites  # noqa: E402
from import_graph import LAYERS, SITE_ROOMS, circles, import_graph, upward_imports
from portal_files import copy_portal


def _schema(name: str) -> dict:
    return json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))


def test_the_model_and_the_schemas_name_the_same_choices():
    metric = _schema("metric.schema.json")["properties"]
    observation = _schema("metric.schema.json")["definitions"]["observation"]["properties"]
    strand = _schema("strand.schema.json")["properties"]
    assert tuple(metric["unit"]["enum"]) == model.UNITS
    assert tuple(metric["polarity"]["enum"]) == model.POLARITIES
    assert tuple(metric["period"]["enum"]) == model.PERIODS
    assert tuple(observation["status"]["enum"]) == model.OBSERVATION_STATUSES
    assert tuple(strand["status"]["enum"]) == model.STRAND_STATUSES
    assert tuple(strand["plan"]["properties"]) == model.PLAN_STAGES


def test_every_declared_block_has_a_filler_and_nothing_else_does():
    assert set(blocks._FILLERS) == set(blocks.KINDS)
    with pytest.raises(ValueError, match="undeclared block kind"):
        blocks.fills("no-such-kind")


def test_a_marker_for_an_unknown_block_is_a_plain_error_not_a_crash():
    with pytest.raises(blocks.UnknownBlock, match="does not know"):
        blocks.fill("<p><!-- crimeportal:block no-such-kind: --></p>", object(), blocks.BLOCK)


def test_markers_of_the_other_phase_are_left_for_later():
    late = blocks.marker("chart", "x")
    assert late == "<!-- crimeportal:late chart:x -->"
    assert blocks.fill(f"<p>{late}</p>", object(), blocks.BLOCK) == f"<p>{late}</p>"


def _built_site(tmp_path: Path) -> Path:
    copy_portal(tmp_path)
    crimeportal = Path(sys.executable).parent / "crimeportal"
    done = subprocess.run([str(crimeportal), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tmp_path / "site"


def test_compare_sites_ignores_whitespace_and_entities_and_finds_every_other_difference(tmp_path: Path):
    site = _built_site(tmp_path / "portal")
    same, changed = tmp_path / "same", tmp_path / "changed"
    shutil.copytree(site, same)
    shutil.copytree(site, changed)
    home = (same / "index.html").read_text(encoding="utf-8")
    (same / "index.html").write_text(re.sub(r">\s*<", ">\n  <", home).replace("’", "&#8217;"), encoding="utf-8")
    assert compare_sites.differences(site, same) == []

    strand = changed / "strands" / "domestic-abuse" / "index.html"
    strand.write_text(strand.read_text(encoding="utf-8").replace("Domestic Abuse", "Domestic abuse", 1), encoding="utf-8")
    (changed / "data" / "index.html").unlink()
    found = compare_sites.differences(site, changed)
    assert any(line.startswith("strands/domestic-abuse/index.html: differs") for line in found)
    assert any(line.endswith("only in " + str(site) + ": data/index.html") or "data/index.html" in line for line in found)
    assert compare_sites.main([str(site), str(changed)]) == 1


def test_compare_sites_leaves_out_the_hashes_of_material_s_assets_only_when_told_of_a_theme_upgrade(tmp_path: Path):
    page = ('<link rel="stylesheet" href="../assets/stylesheets/main.{}.min.css"><p>{}</p>'
            '<script>{{"search": "assets/javascripts/workers/search.{}.min.js"}}</script>')
    for name, hashes, words in (("old", ("484c7ddc", "2c215733"), "Same"), ("new", ("57a0d79d", "a7633da7"), "Same"),
                                ("changed", ("57a0d79d", "a7633da7"), "Other")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(page.format(hashes[0], words, hashes[1]), encoding="utf-8")
    old, new, changed = (tmp_path / name for name in ("old", "new", "changed"))
    assert len(compare_sites.differences(old, new)) == 1
    assert compare_sites.differences(old, new, theme_upgrade=True) == []
    assert len(compare_sites.differences(old, changed, theme_upgrade=True)) == 1
    assert compare_sites.main(["--theme-upgrade", str(old), str(new)]) == 0


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _wait_for(lines: list[str], text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in line for line in lines):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list a process's children")
def test_a_rebuild_that_fails_after_the_chart_workers_start_leaves_no_worker_running(tmp_path: Path):
    copy_portal(tmp_path)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
    try:
        assert _wait_for(lines, "Serving on", 120), "".join(lines)
        # no chart cache, so the rebuild starts workers; the release register, read after them, then stops it
        shutil.rmtree(tmp_path / ".cache")
        (tmp_path / "data" / "releases.yml").write_text("releases: [unclosed\n", encoding="utf-8")
        assert _wait_for(lines, "Aborted with a BuildError", 120) or _wait_for(lines, "releases.yml", 5), "".join(lines)
        time.sleep(1)
        assert server.poll() is None, "the live preview should keep running after a failed rebuild"
        left = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode() for pid in _children(server.pid)]
        # the resource tracker is multiprocessing's own, one per server for its whole life
        assert [cmd for cmd in left if "resource_tracker" not in cmd] == [], "a chart worker outlived the failed rebuild"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------------------------------ the import graph


PACKAGE = REPO / "src" / "crimeportal"


def test_the_package_has_no_import_circle():
    assert circles(import_graph(PACKAGE)) == []


def test_no_module_imports_from_a_higher_layer_or_room_or_a_sibling():
    assert upward_imports(import_graph(PACKAGE)) == []


def test_every_module_is_placed_in_a_layer_and_every_site_room_is_known():
    graph = import_graph(PACKAGE)
    layers = {module.split(".")[1] for module in graph if "." in module}
    assert layers <= set(LAYERS), layers - set(LAYERS)
    rooms = {path.parent.name for path in (PACKAGE / "site").glob("*/__init__.py")}
    assert rooms == set(SITE_ROOMS) - {"shared", "build"}


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A copy of the package, to plant a wrong import in."""
    copy = tmp_path / "crimeportal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    return copy


def test_a_planted_circle_is_found(planted: Path):
    (planted / "core" / "spc.py").write_text((PACKAGE / "core" / "spc.py").read_text(encoding="utf-8")
                                             + "\nfrom . import stats  # planted\n", encoding="utf-8")
    assert ["crimeportal.core.spc", "crimeportal.core.stats"] in circles(import_graph(planted))


@pytest.mark.parametrize("module,line,arrow", [
    ("core/stats.py", "from ..site.pages import render", ("crimeportal.core.stats", "crimeportal.site.pages.render")),
    ("releases/current.py", "from ..site.publishing import downloads",
     ("crimeportal.releases.current", "crimeportal.site.publishing.downloads")),
    ("editing/files.py", "from ..releases import git", ("crimeportal.editing.files", "crimeportal.releases.git")),
    ("site/charts/specs.py", "from ..pages import verdicts", ("crimeportal.site.charts.specs", "crimeportal.site.pages.verdicts")),
    ("site/publishing/feed.py", "from ..charts import specs", ("crimeportal.site.publishing.feed", "crimeportal.site.charts.specs")),
    ("site/pages/render.py", "from .. import state", ("crimeportal.site.pages.render", "crimeportal.site.state")),
])
def test_a_planted_upward_import_is_found(planted: Path, module: str, line: str, arrow: tuple[str, str]):
    path = planted / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # planted\n", encoding="utf-8")
    assert arrow in upward_imports(import_graph(planted))
