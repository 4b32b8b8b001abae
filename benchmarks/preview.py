"""The live preview, timed as an editor meets it: from saving a file to the server serving the page with the change.

`mkdocs serve --dirty` of a portal (as `make serve` runs it) against plain `mkdocs serve` of its baseline (the
same pages with no hooks, see generate.make_baseline), each in a fresh process. Each edit writes one file, then
asks for the page every 20 ms until what is served holds the change; the first build's time is not counted.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from crimeportal.core.formats import format_value

from .measure import BenchError

POLL_SECONDS = 0.02
FIRST_BUILD_SECONDS = 900.0  # a cold first build of 1,000 measures draws every chart
EDIT_SECONDS = 180.0


@dataclass
class Edit:
    """One save: `change` rewrites a file and gives back the text the page at `page` must then hold."""

    page: str
    change: Callable[[int], str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`mkdocs serve` of a portal in a process of its own, its log read as it runs (tests/test_live_preview.py
    uses it too)."""

    def __init__(self, folder: Path, dirty: bool, scratch: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"] + (["--dirty"] if dirty else [])
        env = {**os.environ, "TMPDIR": str(scratch), "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + FIRST_BUILD_SECONDS
        while not any("Serving on" in line for line in list(self.log)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BenchError("mkdocs serve did not start:\n" + "".join(self.log[-20:]))
            time.sleep(0.1)

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=EDIT_SECONDS) as response:
                return response.read().decode("utf-8", errors="replace")
        except (urllib.error.URLError, OSError):
            return ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def time_edits(folder: Path, dirty: bool, edits: list[Edit]) -> list[float]:
    """Seconds from each save to the page served with its change, in order."""
    with tempfile.TemporaryDirectory(prefix="crimeportal-serve-") as scratch:
        server = ServeProcess(folder, dirty, Path(scratch))
        try:
            server.wait_until_serving()
            return [_timed(server, edit, number) for number, edit in enumerate(edits)]
        finally:
            server.stop()


def _timed(server: ServeProcess, edit: Edit, number: int) -> float:
    time.sleep(0.5)  # the server is idle, as between an editor's saves
    start = time.monotonic()
    expected = edit.change(number)
    while expected not in server.page(edit.page):
        if server.process.poll() is not None or time.monotonic() - start > EDIT_SECONDS:
            raise BenchError(f"the served {edit.page or 'home page'} never showed the edit:\n" + "".join(server.log[-20:]))
        time.sleep(POLL_SECONDS)
    return time.monotonic() - start


def figure_edit(metric_file: Path, page: str, unit: str) -> Edit:
    """A new latest figure for a measure, different on every save."""
    original = metric_file.read_text(encoding="utf-8")
    last = list(re.finditer(r"^(\s+value: )(\S+)$", original, re.MULTILINE))
    if not last:
        raise BenchError(f"{metric_file.name} has no figure to change")

    def change(number: int) -> str:
        value = 900000 + 37 * number + 11 if unit == "count" else 71.5 + number / 10
        metric_file.write_text(original[:last[-1].start(2)] + str(value) + original[last[-1].end(2):], encoding="utf-8")
        return format_value(value, unit)

    return Edit(page, change)


def text_edit(markdown_file: Path, page: str) -> Edit:
    """A new last paragraph, different on every save."""
    original = markdown_file.read_text(encoding="utf-8")

    def change(number: int) -> str:
        words = f"Preview check {number} of the edits timed by the benchmark."
        markdown_file.write_text(original.rstrip("\n") + f"\n\n{words}\n", encoding="utf-8")
        return words

    return Edit(page, change)


def median(seconds: list[float]) -> float:
    return statistics.median(seconds)
