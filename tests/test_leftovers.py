"""What a killed command leaves behind is removed by the next command, and only what it can tell is stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_interrupted_writes import CSV, killer  # noqa: F401  (killer: a fixture)

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"


def _run(root: Path, scratch: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TMPDIR": str(scratch), **env})


def _ours(scratch: Path) -> list[str]:
    return sorted(p.name for p in scratch.iterdir() if p.name.startswith("crimeportal-"))


def test_a_killed_add_period_leaves_its_scratch_copy_and_the_next_command_removes_it(portal_copy, tmp_path, killer):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    csv = portal_copy / "figures.csv"
    csv.write_text(CSV, encoding="utf-8")
    # dies while copying the portal's data into its scratch folder, as a kill at that moment would
    killed = _run(portal_copy, scratch, "add-period", str(csv), CP_DIE_AT="makedirs:2", PYTHONPATH=str(killer))
    assert killed.returncode == 137, killed.stderr
    assert [name.split("-")[1] for name in _ours(scratch)] == ["check"], "the kill should have left a scratch copy"

    running = scratch / f"crimeportal-check-{os.getpid()}-inuse"  # a command still running: left alone
    running.mkdir()
    foreign = scratch / "crimeportal-check-notours"  # no process id: not the portal's to judge
    foreign.mkdir()
    assert _run(portal_copy, scratch, "validate").returncode == 0
    assert _ours(scratch) == sorted([running.name, foreign.name])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the build's processes in /proc")
def test_a_killed_build_leaves_nothing_the_next_command_does_not_remove(portal_copy: Path, tmp_path: Path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    for delay in (1.5, 4.0):
        # only the command is killed, not its MkDocs process: as a task manager ending "crimeportal" would
        build = subprocess.Popen([str(CRIMEPORTAL), "--root", str(portal_copy), "build"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(scratch)})
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 30
    while _processes_of(scratch) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_of(scratch) == [], "the build's MkDocs and chart workers should end with it"
    assert _run(portal_copy, scratch, "validate").returncode == 0
    assert [p.name for p in portal_copy.iterdir() if p.name.startswith("site.")] == []
    assert _ours(scratch) == []


def _processes_of(scratch: Path) -> list[int]:
    """The processes started with this TMPDIR: a killed build's MkDocs and chart workers (Linux's /proc)."""
    mark = f"TMPDIR={scratch}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if mark in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_running_builds_staging_folder_is_left_alone(portal_copy: Path, tmp_path: Path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    dead = portal_copy / "site.building-999999999-abc"
    alive = portal_copy / f"site.building-{os.getpid()}-def"
    for folder in (dead, alive, scratch / "crimeportal-renderer-999999999-x", scratch / f"crimeportal-renderer-{os.getpid()}-y"):
        folder.mkdir()
    assert _run(portal_copy, scratch, "validate").returncode == 0
    assert not dead.exists() and alive.exists()
    assert _ours(scratch) == [f"crimeportal-renderer-{os.getpid()}-y"]
