"""Drawing a build's charts: worker processes render the charts missing from the cache while MkDocs builds the
pages, and each page collects its charts when it needs them (the specs and the SVG's accessibility are in
specs.py, what the workers run in worker.py). A build starts its own workers and stops them when it
ends, however it ends; a live preview keeps one `Renderer` for all its builds.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version as package_version
from multiprocessing import get_context
from pathlib import Path

from . import specs, worker
from .specs import ChartJob, accessible
from ..output import write_whole
from ...source.leftovers import RENDERER_PREFIX, owned_prefix


def cache_version() -> str:
    """The renderer's version and the code of the specs and the workers: a change to any of them must redraw
    every chart. Worked out here, where both modules are imported, so that neither needs the other's file."""
    code = hashlib.sha256(b"".join(Path(module.__file__).read_bytes() for module in (specs, worker)))
    return f"vl-convert {package_version('vl-convert-python')}, charts {code.hexdigest()[:12]}"


_OPEN: set["Charts"] = set()  # builds with chart workers running; empty between builds


def abandon_all() -> None:
    """Stop the workers of every build still running them: a failed build, or a server shutting down."""
    for drawing in list(_OPEN):
        drawing.abandon()


class Renderer:
    """The worker processes that draw charts. A build starts its own and stops it when it ends; a live preview
    keeps one for all its builds (`kept=True`), as starting one costs half a second of every save."""

    def __init__(self, kept: bool = False) -> None:
        self.kept = kept
        self._pool: ProcessPoolExecutor | None = None
        # the workers' font configuration, and where they share each chart shape's spec and Vega (worker.py)
        self._folder: tempfile.TemporaryDirectory | None = None

    def pool(self, charts: int) -> ProcessPoolExecutor:
        if self._pool is None:
            workers = os.cpu_count() or 1
            workers = workers if self.kept else max(1, min(workers, charts // Charts.BATCH))
            # named with this process's id, so that the next command removes it if this build is killed
            self._folder = tempfile.TemporaryDirectory(prefix=owned_prefix(RENDERER_PREFIX))
            worker.fonts_config(Path(self._folder.name))
            # spawn, not fork: a forked copy of a process that already ran the renderer's threads can hang
            self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=worker.start,
                                             initargs=(self.kept, self._folder.name))
            self._pool.submit(int)  # workers start only when there is work: start them now
        return self._pool

    def close(self, cancel: bool = False) -> None:
        try:
            if self._pool:
                self._pool.shutdown(wait=True, cancel_futures=cancel)
                self._pool = None
        finally:
            if self._folder:
                self._folder.cleanup()
                self._folder = None


@dataclass(frozen=True)
class _Shown:
    """What a page needs of a chart once it is drawn: not the figures it is drawn from, which at thousands of
    measures would be tens of megabytes kept for the whole build."""

    key: str
    label: str
    description: str


class Charts:
    """One build's charts: missing ones are drawn in worker processes while MkDocs builds the pages, and
    collected when a page needs them; cached ones are read from the cache when a page needs them.

    The renderer holds Python's lock while it works and takes half a second to start, so it runs in
    other processes even for a handful of charts: the build goes on meanwhile. Each chart is kept in memory
    once, as pages show it: the SVG as drawn only until the charts that share it have been made from it.
    """

    BATCH = 8
    # Up to this many charts, the specs are built here while the workers start their renderers;
    # beyond it, building them is worth sharing out too.
    SPECS_HERE_UP_TO = 64

    def __init__(self, jobs: dict[str, ChartJob], cache_dir: Path, renderer: Renderer | None = None) -> None:
        # metric id (or a metric's map, see districts.py) -> its chart, for those with figures to draw
        self.jobs = {job_id: _Shown(job.key, job.label, job.description) for job_id, job in jobs.items()}
        self.cache_dir = cache_dir
        self._renderer = renderer or Renderer()
        self._svgs: dict[str, str] = {}  # cache key -> SVG as rendered, while a page may still ask for it
        self._accessible: dict[str, str] = {}  # metric id -> SVG as pages show it
        self._pending: dict[str, tuple[Future, int]] = {}
        self._unmade = Counter(job.key for job in jobs.values())  # the charts not yet made from each SVG
        missing: dict[str, ChartJob] = {}
        cached: set[str] = set()
        for job in jobs.values():
            if job.key in cached or job.key in missing:
                continue
            if (cache_dir / f"{job.key}.svg").exists():
                cached.add(job.key)
            else:
                missing[job.key] = job
        self.rendered, self.from_cache = len(missing), len(cached)
        if missing:
            self._start(list(missing.values()))
        elif self._renderer.kept:  # started with the preview's first build, so the first edit need not wait for it
            self._renderer.pool(0)

    def _start(self, missing: list[ChartJob]) -> None:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        pool = self._renderer.pool(len(missing))
        _OPEN.add(self)
        # a kept renderer has Altair imported already: this process would take two seconds to import it
        specs_here = len(missing) <= self.SPECS_HERE_UP_TO and not self._renderer.kept
        for start in range(0, len(missing), self.BATCH):
            batch = missing[start:start + self.BATCH]
            work = [job.data() if callable(job.data) else specs.vega_lite_spec(job.data) if specs_here else job.data for job in batch]
            # pickled now, not when a worker is free: a queued batch then waits as a few kilobytes, not as
            # thousands of Python objects, and the figures are not kept here while charts wait to be drawn
            future = pool.submit(worker.render_pickled, pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL))
            for index, job in enumerate(batch):
                self._pending[job.key] = (future, index)

    def svg(self, metric_id: str) -> str | None:
        """The metric's accessible chart, waiting for it to be drawn if need be."""
        job = self.jobs.get(metric_id)
        if job is None:
            return None
        if metric_id not in self._accessible:
            self._accessible[metric_id] = accessible(self._collect(job.key), job.label, job.description)
            self._unmade[job.key] -= 1
            if self._unmade[job.key] <= 0:  # every chart drawn from it is made: the SVG as drawn is not needed
                self._svgs.pop(job.key, None)
        return self._accessible[metric_id]

    def plain_svg(self, job_id: str) -> str | None:
        """The job's SVG as the renderer drew it, for a caller that names and describes it itself (the maps)."""
        job = self.jobs.get(job_id)
        return self._collect(job.key) if job else None

    def _collect(self, key: str) -> str:
        if key not in self._svgs:
            self._svgs[key] = self._drawn(key) if key in self._pending else self._cached(key)
        return self._svgs[key]

    def _drawn(self, key: str) -> str:
        """A chart the workers drew, waiting for it if need be, and written to the cache."""
        future, index = self._pending.pop(key)
        svg = future.result()[index]
        write_whole(self.cache_dir / f"{key}.svg", svg.encode("utf-8"))
        return svg

    def _cached(self, key: str) -> str:
        return (self.cache_dir / f"{key}.svg").read_text(encoding="utf-8")

    def close(self) -> None:
        """Wait for every chart (pages may not have asked for all) so the cache is complete."""
        for key in list(self._pending):
            self._drawn(key)
        self._stop(cancel=False)

    def abandon(self) -> None:
        """Stop the workers without waiting for charts nobody will show."""
        for future, _ in self._pending.values():
            future.cancel()
        self._pending.clear()
        self._stop(cancel=True)

    def _stop(self, cancel: bool) -> None:
        if not self._renderer.kept:
            self._renderer.close(cancel)
        _OPEN.discard(self)

