"""Shared fixtures: a private copy of the real portal, and two ways to run `crimeportal`."""

from __future__ import annotations

import os
import warnings
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from chromium import LAUNCH_ARGS, find_chromium
from portal_files import CONSOLE_SCRIPT, copy_portal, posix_output


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


@pytest.fixture
def portal_copy(tmp_path: Path) -> Path:
    """The real portal's sources, copied into tmp_path so a test may break them freely."""
    return copy_portal(tmp_path)


@pytest.fixture
def replace_in(portal_copy: Path) -> Callable[[str, str, str], str]:
    """Replace text that occurs exactly once in a file of the copied portal; returns the new text."""

    def replace(relative: str, old: str, new: str) -> str:
        path = portal_copy / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur exactly once in {relative}"
        changed = text.replace(old, new)
        path.write_bytes(changed.encode("utf-8", "surrogateescape"))  # "\udcff" writes the byte 0xff
        return changed

    return replace


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `crimeportal --root ROOT validate ARGS...` in this process."""

    def run(root: Path, *args: str, github_actions: bool = False) -> CliResult:
        if github_actions:
            monkeypatch.setenv("GITHUB_ACTIONS", "true")
        else:
            monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        from crimeportal.cli import main  # imported here so a broken CLI fails only the tests that use it

        capsys.readouterr()  # drop anything printed before
        try:
            code = main(["--root", str(root), "validate", *args])
        except SystemExit as stop:  # argparse mistakes
            code = stop.code if isinstance(stop.code, int) else 2
        captured = capsys.readouterr()
        return CliResult(code, posix_output(captured.out), posix_output(captured.err))

    return run


@pytest.fixture
def run_console():
    """Run the installed `crimeportal` console script as its own process."""
    assert CONSOLE_SCRIPT.exists(), f"the console script is not installed at {CONSOLE_SCRIPT}"

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
        environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
        environment.update(env or {})
        completed = subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            cwd=cwd, env=environment, capture_output=True, text=True, timeout=120,
        )
        return CliResult(completed.returncode, posix_output(completed.stdout), posix_output(completed.stderr))

    return run


# Stops every name lookup, so a request to another host fails fast instead of reaching the internet;
# the recorded requests still show it.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
NO_CHROMIUM = ("No Chromium was found, so the browser tests cannot run. Install Debian's package "
               "(apt-get install chromium), run `make browser`, or set CHROMIUM to a Chrome or Chromium program.")


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_CHROMIUM, pytrace=False)
        warnings.warn(pytest.PytestWarning("BROWSER TESTS SKIPPED. " + NO_CHROMIUM))
        pytest.skip("BROWSER TESTS SKIPPED. " + NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=[*LAUNCH_ARGS, OFFLINE])
        try:
            yield chromium
        finally:
            chromium.close()


