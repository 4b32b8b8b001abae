"""`crimeportal build` (make site) never leaves the reader without a site, however the build ends."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from crimeportal.site import output

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"


def _build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), "build"], capture_output=True, text=True, timeout=300)


def test_the_site_exists_at_every_instant_of_a_rebuild(portal_copy: Path):
    assert _build(portal_copy).returncode == 0
    home = portal_copy / "site" / "index.html"
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not home.exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert _build(portal_copy).returncode == 0
    finally:
        stop.set()
        watcher.join()
    assert missing == [], "site/index.html was missing for a moment during the swap"
    assert list(portal_copy.glob("site.*")) == []


def test_a_build_killed_at_any_point_leaves_a_whole_site_and_the_next_build_tidies_up(portal_copy: Path):
    assert _build(portal_copy).returncode == 0
    marker = portal_copy / "site" / "from-the-first-build.txt"
    marker.write_text("old", encoding="utf-8")
    rng = random.Random(7)
    for delay in sorted(rng.uniform(0.2, 6.0) for _ in range(5)):
        build = subprocess.Popen([str(CRIMEPORTAL), "--root", str(portal_copy), "build"], start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        assert (portal_copy / "site" / "index.html").is_file(), f"no whole site after a kill at {delay:.1f} s"
    assert _build(portal_copy).returncode == 0
    assert not marker.exists(), "the last build should have replaced the site"
    assert sorted(p.name for p in portal_copy.iterdir() if p.name.startswith("site")) == ["site"]


def test_a_site_moved_aside_by_a_killed_build_is_put_back(tmp_path: Path):
    target = tmp_path / "site"
    (tmp_path / "site.old").mkdir()
    (tmp_path / "site.old" / "index.html").write_text("old site", encoding="utf-8")
    dead = tmp_path / "site.building-999999999-abc"
    dead.mkdir()
    alive = tmp_path / f"site.building-{os.getpid()}-def"
    alive.mkdir()
    output.recover(target)
    assert (target / "index.html").read_text(encoding="utf-8") == "old site"
    assert not (tmp_path / "site.old").exists()
    assert not dead.exists(), "a killed build's staging folder should be removed"
    assert alive.exists(), "a running build's staging folder must be left alone"


def test_a_failed_build_leaves_the_site_as_it_was(portal_copy: Path, replace_in):
    assert _build(portal_copy).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in (portal_copy / "site").rglob("*")}
    replace_in("data/metrics/knife-enabled-crime.yml", "unit: count", "unit: percentage")
    failed = _build(portal_copy)
    assert failed.returncode == 1
    assert "the site in site/ was left as it was" in failed.stderr
    assert {p: p.stat().st_mtime_ns for p in (portal_copy / "site").rglob("*")} == before
