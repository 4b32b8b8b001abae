"""The Makefile passes what an editor types to the CLI exactly: no make or shell expansion on the way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TRICKY = ["Board $5m \"quoted\" 'single' `date` $(whoami) $(shell touch MADE-BY-MAKE) ${HOME} \\ end",
          "plain title"]


@pytest.fixture
def fake_cli(tmp_path: Path) -> Path:
    """A stand-in `crimeportal` that writes the arguments it was given."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "crimeportal"
    script.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n", encoding="utf-8")
    script.chmod(0o755)
    return bin_dir


def _make(target: str, bin_dir: Path, cwd: Path, **values: str) -> subprocess.CompletedProcess:
    args = ["make", "-s", "-f", str(REPO / "Makefile"), target, f"BIN={bin_dir}", "STAMP="]
    args += [f"{name}={value}" for name, value in values.items()]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("title", TRICKY)
def test_publish_passes_the_title_exactly_as_typed(fake_cli: Path, tmp_path: Path, title: str):
    done = _make("publish", fake_cli, tmp_path, VERSION="2019-09", TITLE=title, BOARD_MEETING="2019-09-12", REPLACE="1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["publish", "2019-09", "--title", title, "--board-meeting", "2019-09-12", "--replace"]
    assert not (tmp_path / "MADE-BY-MAKE").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_add_period_passes_the_file_name_exactly(fake_cli: Path, tmp_path: Path):
    name = "figures $(shell touch MADE-BY-MAKE) 'Q3' $HOME.csv"
    done = _make("add-period", fake_cli, tmp_path, CSV=name)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["add-period", name]
    assert not (tmp_path / "MADE-BY-MAKE").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_publish_without_a_title_says_how_to_give_one(fake_cli: Path, tmp_path: Path):
    done = _make("publish", fake_cli, tmp_path, VERSION="2019-09")
    assert done.returncode == 2
    assert 'make publish VERSION=2019-09 TITLE="September 2019 board update"' in done.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_add_period_check_is_passed_on(fake_cli: Path, tmp_path: Path):
    done = _make("add-period", fake_cli, tmp_path, CSV="figures.csv", CHECK="1")
    assert json.loads(done.stdout) == ["add-period", "figures.csv", "--check"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_strict_warnings_is_passed_on_by_check_and_add_period(fake_cli: Path, tmp_path: Path):
    done = _make("add-period", fake_cli, tmp_path, CSV="figures.csv", CHECK="1", STRICT="1")
    assert json.loads(done.stdout) == ["add-period", "figures.csv", "--check", "--strict-warnings"]
    assert json.loads(_make("check", fake_cli, tmp_path, STRICT="1").stdout) == ["validate", "--strict-warnings"]
    assert json.loads(_make("check", fake_cli, tmp_path).stdout) == ["validate"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["progress", "import-actions"])
def test_the_delivery_plan_targets_pass_the_file_name_exactly_and_check(fake_cli: Path, tmp_path: Path, target: str):
    name = "return $(shell touch MADE-BY-MAKE) 'Q3' $HOME.csv"
    done = _make(target, fake_cli, tmp_path, CSV=name)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [target, name]
    assert json.loads(_make(target, fake_cli, tmp_path, CSV="q.csv", CHECK="1").stdout) == [target, "q.csv", "--check"]
    assert not (tmp_path / "MADE-BY-MAKE").exists()
    missing = _make(target, fake_cli, tmp_path)
    assert missing.returncode == 2 and f"Say which file: make {target} CSV=" in missing.stderr
