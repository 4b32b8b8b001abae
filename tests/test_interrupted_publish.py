"""A publish killed while mike deploys is found and undone by the next publish, which then succeeds;
the editor's own site/ is never lost, and no replacement is recorded that did not happen."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from test_release import CRIMEPORTAL, GIT_ENV, SEPTEMBER, git, new_repo, publish


def _kill_during_mike_deploy(repo: Path) -> None:
    started = subprocess.Popen([str(CRIMEPORTAL), "publish", SEPTEMBER[0], "--title", SEPTEMBER[1]], cwd=repo, env=GIT_ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    aside = repo / "site.before-publish"
    deadline = time.monotonic() + 120
    while not aside.exists() and started.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert aside.exists(), "the publish should have set the editor's site aside for mike"
    time.sleep(1.0)  # mike is building now
    os.killpg(started.pid, signal.SIGKILL)
    started.wait()


def test_a_publish_killed_during_mike_deploy_is_undone_then_published_afresh(tmp_path: Path):
    repo = new_repo(tmp_path / "repo")
    (repo / "site").mkdir()
    (repo / "site" / "my-own-build.txt").write_text("the editor's", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD").strip()

    _kill_during_mike_deploy(repo)
    assert git(repo, "rev-parse", "HEAD").strip() != head, "the register commit should be on the branch (killed after it)"

    again = publish(repo, *[SEPTEMBER[0], "--title", SEPTEMBER[1]])
    assert again.returncode == 0, again.stderr
    assert f"an earlier publish of {SEPTEMBER[0]} was interrupted; it has been undone" in again.stderr
    assert "REPLACING" not in again.stderr
    assert (repo / "site" / "my-own-build.txt").read_text(encoding="utf-8") == "the editor's"
    assert not (repo / "site.before-publish").exists()
    register = yaml.safe_load((repo / "data" / "releases.yml").read_text(encoding="utf-8"))["releases"]
    assert [(r["version"], r.get("replaced")) for r in register] == [(SEPTEMBER[0], None)]
    log = git(repo, "log", "--format=%s").splitlines()
    assert log[0] == f"Publish release {SEPTEMBER[0]}: {SEPTEMBER[1]}"
    assert sum(line.startswith("Publish release") for line in log) == 1
    assert git(repo, "rev-parse", "HEAD~1").strip() == head


def test_the_version_selector_gets_the_release_title_as_text(tmp_path: Path):
    repo = new_repo(tmp_path / "repo")
    title = 'Board <img src=x onerror="window.__xss=1"> & "friends"'
    done = publish(repo, SEPTEMBER[0], "--title", title)
    assert done.returncode == 0, done.stderr
    import json
    versions = json.loads(git(repo, "show", "gh-pages:versions.json"))
    assert versions[0]["title"] == "Board &lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; &amp; &quot;friends&quot;"
    register = yaml.safe_load((repo / "data" / "releases.yml").read_text(encoding="utf-8"))["releases"]
    assert register[0]["title"] == title


def _stop_during_mike_deploy(repo: Path, how: signal.Signals, whole_group: bool) -> subprocess.CompletedProcess:
    """Start a publish and send it `how` while mike builds: to the publish alone, or (as CI does) to every process."""
    started = subprocess.Popen([str(CRIMEPORTAL), "publish", SEPTEMBER[0], "--title", SEPTEMBER[1]], cwd=repo, env=GIT_ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    aside = repo / "site.before-publish"
    deadline = time.monotonic() + 120
    while not aside.exists() and started.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert aside.exists(), "the publish should have set the editor's site aside for mike"
    time.sleep(1.0)  # mike is building now
    if whole_group:
        os.killpg(started.pid, how)
    else:
        os.kill(started.pid, how)
    out, err = started.communicate(timeout=120)
    return subprocess.CompletedProcess(started.args, started.returncode, out, err)


@pytest.mark.parametrize("how, whole_group", [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGHUP, False)])
def test_a_publish_stopped_by_sigterm_or_sighup_during_mike_deploy_undoes_itself(tmp_path: Path, how, whole_group):
    repo = new_repo(tmp_path / "repo")
    (repo / "site").mkdir()
    (repo / "site" / "my-own-build.txt").write_text("the editor's", encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD").strip()

    stopped = _stop_during_mike_deploy(repo, how, whole_group)
    assert stopped.returncode != 0
    assert "Traceback" not in stopped.stderr
    assert f"publishing {SEPTEMBER[0]} failed" in stopped.stderr, stopped.stderr
    assert git(repo, "rev-parse", "HEAD").strip() == head, "the register commit must be taken off the branch"
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"], cwd=repo, env=GIT_ENV,
                          capture_output=True).returncode != 0, "no gh-pages was there before, so none is there now"
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "site" / "my-own-build.txt").read_text(encoding="utf-8") == "the editor's"
    assert not (repo / "site.before-publish").exists()
    assert not (repo / ".git" / "crimeportal-publish.json").exists(), "nothing is left for the next publish to undo"

    again = publish(repo, SEPTEMBER[0], "--title", SEPTEMBER[1])
    assert again.returncode == 0, again.stderr
    assert "interrupted" not in again.stderr
