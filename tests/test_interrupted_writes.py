"""`add-period` killed at any point leaves all files old or, once the next command has run, all new."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
METRICS = ("knife-enabled-crime", "hate-crime-solved-outcomes", "personal-robbery-offences")
CSV = "metric,end,value\n" + "".join(f"{m},2020-07,{100 + i}\n" for i, m in enumerate(METRICS))

# Loaded by Python at start-up from PYTHONPATH: ends the process, as a kill would, at the Nth call of a function
_KILLER = '''
import os
where = os.environ.get("CP_DIE_AT")
if where:
    name, at = where.split(":")
    real = getattr(os, name)
    calls = [0]
    def dying(*args, **kwargs):
        if calls[0] == int(at):
            if os.environ.get("CP_DIE_BY") == "SIGKILL":  # the kernel ends it, as `kill -9` or a power cut would
                import signal
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(137)
        calls[0] += 1
        return real(*args, **kwargs)
    setattr(os, name, dying)
refuse = os.environ.get("CP_REFUSE_WRITING")  # as a folder the user may not write into would
if refuse:
    import builtins
    real_open = builtins.open
    def guarded(file, mode="r", *args, **kwargs):
        if refuse in str(file) and any(m in mode for m in "wxa"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)
    builtins.open = guarded
'''


def _files(root: Path) -> dict[str, str]:
    return {m: hashlib.sha256((root / "data" / "metrics" / f"{m}.yml").read_bytes()).hexdigest() for m in METRICS}


def _run(root: Path, *args: str, die_at: str | None = None, killer: Path | None = None,
         die_by: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CP_DIE_AT", "CP_DIE_BY")}
    if die_at:
        env.update(CP_DIE_AT=die_at, PYTHONPATH=str(killer), CP_DIE_BY=die_by)
    return subprocess.run([str(CRIMEPORTAL), "--root", str(root), *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture
def killer(tmp_path: Path) -> Path:
    folder = tmp_path / "killer"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(_KILLER, encoding="utf-8")
    return folder


@pytest.fixture
def after(portal_copy: Path, tmp_path: Path) -> dict[str, str]:
    """The metric files as a complete add-period writes them."""
    scratch = tmp_path / "complete"
    import shutil
    shutil.copytree(portal_copy, scratch)
    (scratch / "figures.csv").write_text(CSV, encoding="utf-8")
    assert _run(scratch, "add-period", str(scratch / "figures.csv")).returncode == 0
    return _files(scratch)


# fsync: while the new texts are written (each file, then the journal); replace: the journal, then each file
KILL_POINTS = ["fsync:0", "fsync:2", "fsync:3", "replace:0", "replace:1", "replace:2", "replace:3"]


@pytest.mark.parametrize("die_at", KILL_POINTS)
def test_a_killed_add_period_is_all_or_nothing_and_the_same_csv_can_be_run_again(portal_copy, killer, after, die_at):
    before = _files(portal_copy)
    csv = portal_copy / "figures.csv"
    csv.write_text(CSV, encoding="utf-8")

    killed = _run(portal_copy, "add-period", str(csv), die_at=die_at, killer=killer)
    assert killed.returncode == 137, killed.stderr

    checked = _run(portal_copy, "validate")
    now = _files(portal_copy)
    assert now in (before, after), f"killed at {die_at}: some files were updated and others not"
    if die_at.startswith("replace:") and die_at != "replace:0":
        assert now == after, "renames promised by the journal must be finished"
        assert "an earlier add-period was interrupted" in checked.stderr
    assert checked.returncode == 0, checked.stdout + checked.stderr
    leftovers = [p.name for p in (portal_copy / "data").rglob(".*") if p.is_file()]
    assert leftovers == [], f"left behind: {leftovers}"

    again = _run(portal_copy, "add-period", str(csv))
    assert again.returncode == 0, again.stdout + again.stderr
    assert _files(portal_copy) == after


def test_add_period_into_a_folder_it_cannot_write_says_so_and_changes_nothing(portal_copy: Path, killer: Path):
    before = _files(portal_copy)
    csv = portal_copy / "figures.csv"
    csv.write_text(CSV, encoding="utf-8")
    env = {**os.environ, "CP_REFUSE_WRITING": str(portal_copy / "data" / "metrics"), "PYTHONPATH": str(killer)}
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(portal_copy), "add-period", str(csv)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "could not read or write a file" in done.stderr and "Permission denied" in done.stderr
    assert _files(portal_copy) == before
    assert [p.name for p in (portal_copy / "data").rglob(".*") if p.is_file()] == []


# each rename add-period makes: the journal's (replace:0), then each of the three metric files
@pytest.mark.parametrize("die_at", ["replace:0", "replace:1", "replace:2", "replace:3"])
def test_sigkill_at_each_rename_leaves_all_old_or_all_new_and_the_same_csv_runs_again(portal_copy, killer, after, die_at):
    before = _files(portal_copy)
    csv = portal_copy / "figures.csv"
    csv.write_text(CSV, encoding="utf-8")
    killed = _run(portal_copy, "add-period", str(csv), die_at=die_at, killer=killer, die_by="SIGKILL")
    assert killed.returncode == -9, killed.stderr  # killed by the signal itself, not an exit it chose
    between = _files(portal_copy)
    assert die_at == "replace:0" or sum(between[m] != before[m] for m in METRICS) == int(die_at[-1]) - 1, \
        "the kill should have come between the renames"

    again = _run(portal_copy, "add-period", str(csv))  # the same CSV: the journal is finished first, then nothing to add
    assert again.returncode == 0, again.stdout + again.stderr
    assert _files(portal_copy) == after
    assert [p.name for p in (portal_copy / "data").rglob(".*") if p.is_file()] == []
