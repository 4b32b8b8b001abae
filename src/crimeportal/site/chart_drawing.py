"""Drawing a build's charts: worker processes render the charts missing from the cache while MkDocs builds the
pages, and each page collects its charts when it needs them (the specs and the SVG's accessibility are in
charts.py). A build starts its own workers and stops them when it ends, however it ends; a live preview keeps one
`Renderer` for all its builds.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import tempfile
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from xml.sax.saxutils import escape

from . import charts
from .charts import ChartData, ChartJob, accessible


def _start_renderer(with_specs: bool = False) -> None:
    """Start the renderer's JavaScript engine (about half a second) as soon as the worker exists, and for a
    kept renderer import Altair too (two seconds), which then makes every spec."""
    _only_the_renderers_own_fonts()
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": []}})
    if with_specs:
        import altair  # noqa: F401


_NO_FONTS: list[tempfile.TemporaryDirectory] = []  # the worker's empty font folder, removed when it exits


def _only_the_renderers_own_fonts() -> None:
    """Measure every label with the Liberation Sans built into the renderer, never the system's fonts.

    The renderer measures each label by laying it out in a font; a font from the system is a file that it opens
    and maps into memory again for every label, about 800 times a chart, which was half of each chart's time.
    Its own copy is in memory. It finds the system's fonts through fontconfig's configuration, so on Linux the
    worker is given one that names an empty folder (with none, it would look in the usual folders instead).
    Liberation Sans has Arial's widths, which is what the charts ask for, so the charts are the same.
    """
    if os.name != "posix" or sys.platform == "darwin":  # Windows and macOS have no fontconfig to configure
        return
    folder = tempfile.TemporaryDirectory(prefix="crimeportal-no-fonts-")
    _NO_FONTS.append(folder)
    config = Path(folder.name) / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(folder.name)}</dir></fontconfig>\n',
                      encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)


def _render_pickled(batch: bytes) -> list[str]:
    return _render_batch(pickle.loads(batch))  # only ever the bytes Charts._start pickled itself


def _render_batch(batch: list[ChartData | dict]) -> list[str]:
    import vl_convert

    return [vl_convert.vegalite_to_svg(item) if isinstance(item, dict) else _svg(charts.vega_lite_spec(item)) for item in batch]


# Compiling a measure's chart from Vega-Lite to Vega takes a third of its time, and a portal's charts share a few
# dozen shapes: a worker compiles each shape once, its figures left out as named data, then puts each chart's
# figures into a copy of the compiled Vega by name. The SVG is the same as from compiling the chart whole.
_COMPILED: dict[str, str | None] = {}  # the shape (the spec without its figures) -> its Vega, or None: compile whole
_Y_PLACEHOLDER = [0, 1]


def _svg(spec: dict) -> str:
    import vl_convert

    parts = _without_figures(spec)
    key = json.dumps(parts[0], sort_keys=True) if parts else ""
    if parts and key not in _COMPILED and len(_COMPILED) < charts.MAX_TEMPLATES:
        _COMPILED[key] = _compiled_shape(*parts)
    if not parts or _COMPILED.get(key) is None:
        return vl_convert.vegalite_to_svg(spec)
    _, figures, y_domain = parts
    vega = json.loads(_COMPILED[key])
    for source in vega["data"]:
        if source["name"] in figures:
            source["values"] = figures[source["name"]]
    next(scale for scale in vega["scales"] if scale["name"] == "y")["domain"] = y_domain
    return vl_convert.vega_to_svg(vega)


def _without_figures(spec: dict) -> tuple[dict, dict[str, list], list] | None:
    """The spec with each layer's figures replaced by a named data source and the y scale's domain by a
    placeholder; the figures by name; the domain. None unless every layer gives the y scale the same domain."""
    figures: dict[str, list] = {}
    domains: list[list] = []

    def walk(node: object, under_y: bool) -> object:
        if isinstance(node, list):
            return [walk(item, under_y) for item in node]
        if not isinstance(node, dict):
            return node
        if set(node) == {"values"} and isinstance(node["values"], list):
            name = f"crimeportal_figures_{len(figures)}"
            figures[name] = node["values"]
            return {"name": name}
        copy = {key: walk(value, under_y or key == "y") for key, value in node.items()}
        if under_y and isinstance(copy.get("scale"), dict) and "domain" in copy["scale"]:
            domains.append(copy["scale"]["domain"])
            copy["scale"] = {**copy["scale"], "domain": _Y_PLACEHOLDER}
        return copy

    shape = walk(spec, False)
    if not domains or any(domain != domains[0] for domain in domains):
        return None
    return shape, figures, domains[0]


def _compiled_shape(shape: dict, figures: dict[str, list], _: list) -> str | None:
    """The shape's Vega, if its figures and y domain are where they can be put back by name; None if not."""
    import vl_convert

    vega = vl_convert.vegalite_to_vega(shape)
    names = {source["name"] for source in vega.get("data", [])}
    y_scales = [scale for scale in vega.get("scales", []) if scale.get("name") == "y"]
    placed = set(figures) <= names and len(y_scales) == 1 and y_scales[0].get("domain") == _Y_PLACEHOLDER
    return json.dumps(vega) if placed else None


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

    def pool(self, charts: int) -> ProcessPoolExecutor:
        if self._pool is None:
            workers = os.cpu_count() or 1
            workers = workers if self.kept else max(1, min(workers, charts // Charts.BATCH))
            # spawn, not fork: a forked copy of a process that already ran the renderer's threads can hang
            self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                                             initializer=_start_renderer, initargs=(self.kept,))
            self._pool.submit(int)  # workers start only when there is work: start them now
        return self._pool

    def close(self, cancel: bool = False) -> None:
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None


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
            work = [job.data() if callable(job.data) else charts.vega_lite_spec(job.data) if specs_here else job.data for job in batch]
            # pickled now, not when a worker is free: a queued batch then waits as a few kilobytes, not as
            # thousands of Python objects, and the figures are not kept here while charts wait to be drawn
            future = pool.submit(_render_pickled, pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL))
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
        _write_atomically(self.cache_dir / f"{key}.svg", svg)
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


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
