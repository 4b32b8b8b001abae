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
