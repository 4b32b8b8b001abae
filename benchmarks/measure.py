"""How the benchmark measures: each build or validation in a fresh Python process, timed from outside it.

A run's peak memory is the largest resident size of its whole process tree
(the build and its chart or validation workers together), sampled every
50 ms, and at least the process's own peak as it reports at exit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .weight import SiteWeight, site_weight

MIB = 1024 * 1024

# Every measured child first arranges to write, at exit, its own peak resident size: VmHWM, which starts afresh
# at exec. (ru_maxrss does not: on Linux it carries over the forking parent's peak, so it would count the
# benchmark's own memory as the build's.)
_REPORT_PEAK = """
import atexit, json, os, resource
def _report_peak():
    try:
        with open("/proc/self/status") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(os.environ["CRIMEPORTAL_BENCH_PEAK"], "w") as out:
        json.dump({"kib": kib}, out)
atexit.register(_report_peak)
"""

# `python -m mkdocs`, measured.
_MKDOCS = _REPORT_PEAK + """
import sys
sys.argv = ["mkdocs"] + sys.argv[1:]
from mkdocs.__main__ import cli
cli()
"""

# `crimeportal validate`, as a pull request's check runs it: the whole command in a fresh process, from the
# interpreter's start to its exit, timed from outside.
_VALIDATE = _REPORT_PEAK + """
import sys
from crimeportal.cli import main
sys.exit(main(["--root", sys.argv[1], "validate"]))
"""


@dataclass
class Run:
    seconds: float
    peak_mib: float
    own_mib: float = 0.0  # the measured process's own peak (VmHWM), as it reported at exit
    worker_mib: float = 0.0  # the largest resident size seen of any one process it started (chart workers)
    log: str = ""
    pages: int = 0  # HTML pages in the built site
    search_bytes: int = 0  # the site's search index, which downloads when a reader first searches (0: none)
    weight: SiteWeight | None = None  # its largest page and heaviest first visit, from the built files


class BenchError(Exception):
    """Something the benchmark needed did not run."""


def _tree_rss(root_pid: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants together, and of its largest descendant, from /proc.

    Resident sizes of processes are added up, so pages they share (the interpreter, libraries) count once
    per process: the total is, if anything, an overestimate. Both are 0 where /proc is not available.
    """
    parents: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0, 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    total, largest, todo, page = 0, 0, [root_pid], os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                size = int(statm.read().split()[1]) * page
        except OSError:
            continue
        total += size
        if pid != root_pid:
            largest = max(largest, size)
    return total, largest


def run_measured(args: list[str], cwd: Path, script: str = _MKDOCS) -> Run:
    """Run `python -c script args` in `cwd`; time it and follow the memory of its whole process tree."""
    with tempfile.NamedTemporaryFile(prefix="peak-", suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRIMEPORTAL_BENCH_PEAK": str(report)}
    peak = worker = 0
    done = threading.Event()
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", script, *args], cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sample() -> None:
        nonlocal peak, worker
        while not done.wait(0.05):
            total, largest = _tree_rss(child.pid)
            peak, worker = max(peak, total), max(worker, largest)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise BenchError(f"`{' '.join(args[:2])}` in {cwd} failed (exit {child.returncode}):\n{output[-4000:]}")
    try:
        own = json.loads(report.read_text())["kib"] / 1024
    except (OSError, ValueError, KeyError):
        own = 0.0
    finally:
        report.unlink(missing_ok=True)
    return Run(seconds, max(peak / MIB, own), own, worker / MIB, output)


def build(folder: Path, sites: Path, name: str) -> Run:
    """`mkdocs build --strict` of the portal in `folder`, into `sites/name`, counting and weighing the HTML pages it wrote."""
    site = sites / name
    run = run_measured(["build", "--strict", "--site-dir", str(site)], folder)
    run.pages = sum(1 for _ in site.rglob("*.html"))
    run.weight = site_weight(site)
    index = site / "search" / "search_index.json"
    run.search_bytes = index.stat().st_size if index.is_file() else 0
    return run


def validation_run(folder: Path) -> Run:
    """`crimeportal validate` of `folder` in a fresh process; a BenchError if it found any problem (exit 1)."""
    return run_measured([str(folder)], folder, _VALIDATE)


def charts_line(run: Run) -> str:
    """The build's own note of how many charts it drew and how many came from the cache."""
    match = re.search(r"rendered \d+ chart\(s\); \d+ came from the cache", run.log)
    return match.group(0) if match else ""


def board_pack_line(run: Run) -> str:
    """The build's own note of the board pack PDF: its size, whether it was laid out or copied, and how long it took."""
    match = re.search(r"the board pack PDF \([^)]*\) (was made|came from the cache) in [0-9.]+ s", run.log)
    return match.group(0) if match else ""
