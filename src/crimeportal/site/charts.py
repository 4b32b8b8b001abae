"""Altair charts rendered to accessible SVG at build time, cached on disk.

Building a spec with Altair and rendering it are the slow parts of a build,
so each SVG is stored under a hash of everything its Vega-Lite spec is made
from (the chart's data, this module's code) and the renderer's version. The
spec itself is built only when that hash is not in the cache: a rebuild does
neither for charts whose data did not change, and a cold build spreads both
over all cores.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from importlib.metadata import version as package_version

from ..core.formats import format_value, period_words
from ..core.model import Metric
from ..core.stats import Assessment

# Government Analysis Function colours (dark blue, orange, mid grey)
DARK_BLUE, ORANGE, GREY, TEXT = "#12436D", "#F46A25", "#707070", "#3D3D3D"
VARIATION_COLOURS = {"improvement": DARK_BLUE, "concern": ORANGE, "neutral": "#801650", "common-cause": GREY}
WIDTH, HEIGHT = 480, 220


@dataclass(frozen=True)
class ChartData:
    """Everything a chart's spec is made from, in plain data that worker processes can receive."""

    unit: str
    rows: list[dict]
    limits: dict[str, float] | None  # mean, upper and lower when control limits apply


@dataclass(frozen=True)
class ChartJob:
    key: str
    data: ChartData
    label: str
    description: str


def cache_version() -> str:
    """The renderer's version and this module's code: a change to either must redraw every chart."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return f"vl-convert {package_version('vl-convert-python')}, charts {code}"


def chart_job(metric: Metric, assessment: Assessment, version: str) -> ChartJob | None:
    rows = _rows(metric, assessment)
    if not rows:
        return None
    spc = assessment.spc
    limits = {"mean": spc.mean, "upper": spc.upper, "lower": spc.lower} if spc and len(rows) > 2 else None
    data = ChartData(metric.unit, rows, limits)
    key = hashlib.sha256(json.dumps([version, data.unit, data.rows, data.limits]).encode()).hexdigest()[:32]
    return ChartJob(key, data, f"Chart: {metric.title}", _description(metric, rows, assessment))


def vega_lite_spec(data: ChartData) -> dict:
    chart = _comparison(data.unit, data.rows) if len(data.rows) == 2 else _series(data.unit, data.rows, data.limits)
    return chart.properties(width=WIDTH, height=HEIGHT).configure(
        background="white", font="Arial, Helvetica, sans-serif", aria=False,
        axis={"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 13, "titleFontSize": 13, "gridColor": "#e6e6e6"},
        view={"stroke": None},
    ).to_dict(validate=False)


def _rows(metric: Metric, assessment: Assessment) -> list[dict]:
    variation = {p.end: p.variation for p in assessment.spc.points} if assessment.spc else {}
    return [
        {"end": o.end + "-01", "period": period_words(o.end, metric.period), "value": o.value,
         "label": format_value(o.value, metric.unit), "variation": variation.get(o.end, "common-cause")}
        for o in metric.observations if o.value is not None
    ]


def _axis_format(unit: str) -> str:
    return "format(datum.value, ',')" + (" + '%'" if unit == "percent" else "")


def _comparison(unit: str, rows: list[dict]) -> "alt.LayerChart":
    import altair as alt  # only when a chart must be drawn: importing it costs more than a warm build's other work

    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("period:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelLimit=WIDTH // 2)),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(labelExpr=_axis_format(unit), tickCount=5)),
    )
    bars = base.mark_bar(color=DARK_BLUE, size=72)
    labels = base.mark_text(dy=-8, fontSize=14, fontWeight="bold", color=TEXT).encode(text="label:N")
    return alt.layer(bars, labels)


def _series(unit: str, rows: list[dict], limits: dict[str, float] | None) -> "alt.LayerChart":
    import altair as alt

    x = alt.X("end:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=_axis_format(unit)))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x, y=y)
    layers = [base.mark_line(color=DARK_BLUE, strokeWidth=2)]
    if limits:
        lines = [{"y": limits["mean"], "dash": [1, 0]}, {"y": limits["upper"], "dash": [6, 4]}, {"y": limits["lower"], "dash": [6, 4]}]
        for line in lines:
            layers.append(alt.Chart(alt.Data(values=[line])).mark_rule(color=TEXT, strokeDash=line["dash"]).encode(y="y:Q"))
        points = base.mark_point(filled=True, size=60).encode(
            color=alt.Color("variation:N", scale=alt.Scale(domain=list(VARIATION_COLOURS), range=list(VARIATION_COLOURS.values())), legend=None),
            shape=alt.Shape("variation:N", scale=alt.Scale(domain=list(VARIATION_COLOURS), range=["triangle-up", "diamond", "square", "circle"]), legend=None),
        )
    else:
        points = base.mark_point(filled=True, size=40, color=DARK_BLUE)
    layers.append(points)
    return alt.layer(*layers)


def _description(metric: Metric, rows: list[dict], assessment: Assessment) -> str:
    first, last = rows[0], rows[-1]
    kind, joined_by = ("Bar chart comparing", "and") if len(rows) == 2 else (f"Line chart of {len(rows)} figures from", "to")
    text = f"{kind} {first['period']} ({first['label']}) {joined_by} {last['period']} ({last['label']})."
    if assessment.spc:
        spc = assessment.spc
        flagged = sum(1 for p in spc.points if p.variation != "common-cause")
        text += (f" Dashed lines mark process limits at {format_value(round(spc.lower, 2), metric.unit)} and "
                 f"{format_value(round(spc.upper, 2), metric.unit)} around a mean of {format_value(round(spc.mean, 2), metric.unit)}; "
                 f"{flagged} point{'s' if flagged != 1 else ''} show special-cause variation.")
    return text


def accessible(svg: str, label: str, description: str) -> str:
    """Give the SVG a name and description; the renderer drops Vega-Lite's own."""
    svg = re.sub(r'<\?xml[^>]*>\s*', "", svg)
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    # one class attribute: a second would be ignored by browsers (the renderer writes class="marks")
    head = head.replace(' class="', ' class="portal-chart ', 1) if ' class="' in head else head.replace("<svg ", '<svg class="portal-chart" ', 1)
    head = head.replace("<svg ", '<svg role="img" ', 1)
    # The chart is one image, named by its title; the renderer's roles on its marks
    # would ask for a name on every bar (axe: svg-img-alt).
    body = re.sub(r'\s(?:role|aria-roledescription)="[^"]*"', "", svg[head_end:])
    return f"{head}<title>{html.escape(label)}</title><desc>{html.escape(description)}</desc>{body}"


def _start_renderer() -> None:
    """Start the renderer's JavaScript engine (about half a second) as soon as the worker exists."""
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": []}})


def _render_batch(batch: list[ChartData | dict]) -> list[str]:
    import vl_convert

    return [vl_convert.vegalite_to_svg(item if isinstance(item, dict) else vega_lite_spec(item)) for item in batch]


_OPEN: set["Charts"] = set()  # builds with chart workers running; empty between builds


def abandon_all() -> None:
    """Stop the workers of every build still running them: a failed build, or a server shutting down."""
    for charts in list(_OPEN):
        charts.abandon()


class Charts:
    """One build's charts: cached ones are read at once; missing ones are drawn in worker processes
    while MkDocs builds the pages, and collected when a page needs them.

    The renderer holds Python's lock while it works and takes half a second to start, so it runs in
    other processes even for a handful of charts: the build goes on meanwhile.
    """

    BATCH = 8
    # Up to this many charts, the specs are built here while the workers start their renderers;
    # beyond it, building them is worth sharing out too.
    SPECS_HERE_UP_TO = 64

    def __init__(self, jobs: dict[str, ChartJob], cache_dir: Path) -> None:
        self.jobs = jobs  # metric id -> its chart, for metrics with figures to draw
        self.cache_dir = cache_dir
        self._svgs: dict[str, str] = {}  # cache key -> SVG as rendered
        self._accessible: dict[str, str] = {}  # metric id -> SVG as pages show it
        self._pending: dict[str, tuple[Future, int]] = {}
        missing: dict[str, ChartJob] = {}
        for job in jobs.values():
            cached = cache_dir / f"{job.key}.svg"
            if job.key in self._svgs or job.key in missing:
                continue
            if cached.exists():
                self._svgs[job.key] = cached.read_text(encoding="utf-8")
            else:
                missing[job.key] = job
        self.rendered, self.from_cache = len(missing), len(self._svgs)
        self._pool = self._start(list(missing.values())) if missing else None

    def _start(self, missing: list[ChartJob]) -> ProcessPoolExecutor:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        workers = max(1, min(os.cpu_count() or 1, len(missing) // self.BATCH))
        # spawn, not fork: a forked copy of a process that already ran the renderer's threads can hang
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_renderer)
        pool.submit(int)  # workers start only when there is work: start them now
        _OPEN.add(self)
        specs_here = len(missing) <= self.SPECS_HERE_UP_TO
        for start in range(0, len(missing), self.BATCH):
            batch = missing[start:start + self.BATCH]
            future = pool.submit(_render_batch, [vega_lite_spec(job.data) if specs_here else job.data for job in batch])
            for index, job in enumerate(batch):
                self._pending[job.key] = (future, index)
        return pool

    def svg(self, metric_id: str) -> str | None:
        """The metric's accessible chart, waiting for it to be drawn if need be."""
        job = self.jobs.get(metric_id)
        if job is None:
            return None
        if metric_id not in self._accessible:
            self._accessible[metric_id] = accessible(self._collect(job.key), job.label, job.description)
        return self._accessible[metric_id]

    def _collect(self, key: str) -> str:
        if key not in self._svgs:
            future, index = self._pending.pop(key)
            self._svgs[key] = future.result()[index]
            _write_atomically(self.cache_dir / f"{key}.svg", self._svgs[key])
        return self._svgs[key]

    def close(self) -> None:
        """Wait for every chart (pages may not have asked for all) so the cache is complete."""
        for key in list(self._pending):
            self._collect(key)
        self._stop(cancel=False)

    def abandon(self) -> None:
        """Stop the workers without waiting for charts nobody will show."""
        self._pending.clear()
        self._stop(cancel=True)

    def _stop(self, cancel: bool) -> None:
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
        _OPEN.discard(self)


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
