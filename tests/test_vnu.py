"""The Nu HTML Checker (vnu, the W3C's own validator) finds no error on any page of the built seed.

vnu is the `vnu-jar` npm package at the version the Makefile pins (VNU_VERSION), installed by `make test`,
`make vnu` and `.ci/run` into tests/vendor-node/, and run with a Java runtime (Debian's default-jre-headless).
Without either the test is skipped, loudly; in CI (CI=true) it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
VNU_JAR = Path(__file__).resolve().parent / "vendor-node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NO_VNU = ("The Nu HTML Checker cannot run: it needs Java (apt-get install default-jre-headless) and the vnu-jar "
          "npm package in tests/vendor-node/ (make vnu).")


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(NO_VNU, pytrace=False)
        warnings.warn(pytest.PytestWarning("VNU TESTS SKIPPED. " + NO_VNU))
        pytest.skip("VNU TESTS SKIPPED. " + NO_VNU)
    return [java, "-Xss8m", "-jar", str(VNU_JAR)]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vnu") / "site"
    result = subprocess.run([str(CRIMEPORTAL), "--root", str(REPO), "build", "--site-dir", str(folder)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"the site did not build:\n{result.stderr}"
    return folder


def vnu_errors(command: list[str], folder: Path) -> tuple[int, list[str]]:
    """How many HTML files vnu read under the folder, and each error it found, as 'page:line: message'."""
    pages = sorted(folder.rglob("*.html"))
    completed = subprocess.run([*command, "--errors-only", "--format", "json", *map(str, pages)],
                               capture_output=True, text=True, timeout=900)
    report = json.loads(completed.stderr or completed.stdout)  # vnu writes its JSON report to stderr
    errors = [f"{Path(m.get('url', '?').removeprefix('file:')).relative_to(folder)}:{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]
    return len(pages), errors


def test_vnu_finds_no_error_on_any_page_of_the_built_seed(built_site: Path):
    command = vnu_command()
    pages, errors = vnu_errors(command, built_site)
    assert pages > 40, f"only {pages} pages were checked: the seed should build many more"
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(errors[:60])


def test_vnu_is_watching(tmp_path: Path):
    """The check can fail: the theme's own fault, put back in a page, is reported."""
    command = vnu_command()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title>'
        '<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off"></html>', encoding="utf-8")
    _, errors = vnu_errors(command, tmp_path)
    assert any("autocomplete" in e for e in errors), errors
