"""Altair charts rendered to accessible SVG at build time, cached on disk.

Building a spec with Altair and rendering it are the slow parts of a build,
so each SVG is stored under a hash of everything its Vega-Lite spec is made
from (the chart's data, this module's code and worker.py's) and the
renderer's version. The spec itself is built only when that hash is not in the
cache: a rebuild does neither for charts whose data did not change, and a cold
build spreads both over all cores (chart_drawing.py runs the workers and collects what they draw).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Callable, TypeVar


from ...core.formats import format_value, period_words
from ...core.model import Metric
from ...core.stats import PERIOD_MONTHS, Assessment, month_index

# Government Analysis Function colours (dark blue, orange, mid grey)
DARK_BLUE, ORANGE, GREY, TEXT = "#12436D", "#F46A25", "#707070", "#3D3D3D"
VARIATION_COLOURS = {"improvement": DARK_BLUE, "concern": ORANGE, "neutral": "#801650", "common-cause": GREY}
# Shapes that no verdict badge uses (badges: ✓ ! ◆ = ?), so a chart's symbol never reads as a verdict.
VARIATION_SHAPES = {"improvement": "square", "concern": "triangle-up", "neutral": "cross", "common-cause": "circle"}
VARIATION_LEGEND = {"improvement": "Special cause: improvement", "concern": "Special cause: concern",
                    "neutral": "Special cause: neither", "common-cause": "Common cause"}
STATUS_LEGEND = {"final": "Final", "provisional": "Provisional", "revised": "Revised"}
# The SVG is drawn no wider than the narrowest screen's column (320 px less Material's margins), so it is
# never shrunk there and its text keeps the sizes below; wider screens may enlarge it (see portal.css).
WIDTH, HEIGHT = 190, 190
SVG_WIDTH = 280  # the drawn SVG's width at most, axes and padding included; portal.css sets it as min-width
FONT_SIZE, LABEL_FONT_SIZE = 13, 14  # CSS px, never below 12 at any width
MAX_BARS = 3  # up to this many figures: bars, each labelled; more: a line with a point per figure
HEADROOM = 1.15  # the value axis runs to 15% above the highest point, so it and its label sit inside the frame
Y_TITLES = {"percent": "Per cent", "rate": "Per 1,000 people"}
X_TITLES = {"month": "Month", "quarter": "3 months to the month shown",
            "rolling-3-months": "3 months to the month shown", "financial-year": "Financial year",
            "year": "12 months to the month shown"}


@dataclass(frozen=True)
class ChartData:
    """Everything a chart's spec is made from, in plain data that worker processes can receive."""

    unit: str
    rows: list[dict]
    limits: dict[str, float] | None  # mean, upper and lower when control limits apply
    y_title: str = "Number"
    x_title: str = "Period"


@dataclass(frozen=True)
class ChartJob:
    key: str
    # a chart's figures, or what makes a Vega-Lite spec of its own when the chart must be drawn (the maps and
    # small multiples, keyed by what they are drawn from)
    data: ChartData | Callable[[], dict]
    label: str
    description: str


def chart_job(metric: Metric, assessment: Assessment, version: str) -> ChartJob | None:
    rows = _rows(metric, assessment)
    if not rows:
        return None
    spc = assessment.spc
    limits = {"mean": spc.mean, "upper": spc.upper, "lower": spc.lower} if spc and len(rows) > 2 else None
    data = ChartData(metric.unit, rows, limits, y_title(metric), X_TITLES.get(metric.period, "Period"))
    key = hashlib.sha256(json.dumps([version, data.unit, data.rows, data.limits, data.y_title, data.x_title])
                         .encode()).hexdigest()[:32]
    return ChartJob(key, data, f"Chart: {metric.title}", _description(metric, rows, assessment))


def y_title(metric: Metric) -> str:
    """The value axis's unit: per cent, per 1,000 people, or for counts what is counted (the title's last word)."""
    if metric.unit in Y_TITLES:
        return Y_TITLES[metric.unit]
    last = metric.title.split()[-1] if metric.title.split() else ""
    return last.capitalize() if last.isalpha() and last.lower().endswith("s") else "Number"


def is_bar_chart(rows: list[dict]) -> bool:
    return len(rows) <= MAX_BARS


# Each chart's spec, made from its shape's first spec by putting its own data in place of that chart's:
# Altair takes tens of milliseconds to build a spec, and a portal's charts share a handful of shapes.
# Only the code decides a template, so keeping them for the process's life carries nothing between builds.
_TEMPLATES: dict[tuple, tuple[ChartData, str]] = {}
MAX_TEMPLATES = 256


T = TypeVar("T")
# Gives what `make` gives (under a kind and a key that name it), or an equal value another process made: see
# worker.py, whose workers share each shape's template.
Share = Callable[[str, str, Callable[[], T]], T]


def _made_here(kind: str, key: str, make: Callable[[], T]) -> T:
    return make()


def vega_lite_spec(data: ChartData, share: Share = _made_here) -> dict:
    shape = _shape(data)
    template = _TEMPLATES.get(shape)
    if template is None:
        if not _parts_told_apart(data):
            return spec_from_scratch(data)
        template = share("vega-lite", repr(shape), lambda: (data, json.dumps(spec_from_scratch(data))))
        if len(_TEMPLATES) < MAX_TEMPLATES:
            _TEMPLATES[shape] = template
    first, text = template
    return _with_data(json.loads(text), _data_parts(first), _data_parts(data))


def _shape(data: ChartData) -> tuple:
    """Everything but the figures themselves that decides a spec."""
    variations = tuple(v for v in VARIATION_COLOURS if any(r["variation"] == v for r in data.rows)) if data.limits else ()
    return (is_bar_chart(data.rows), data.unit, data.limits is not None, tuple(_statuses(data.rows)), variations,
            data.y_title, data.x_title)


def _data_parts(data: ChartData) -> dict[str, object]:
    parts: dict[str, object] = {"rows": data.rows, "domain": _value_domain(data)}
    for name, line in zip(("mean", "upper", "lower"), _limit_lines(data)):
        parts[name] = [line]
    return parts


def _parts_told_apart(data: ChartData) -> bool:
    """Whether each layer's data differs from every other's, as a template's must: `_with_data` finds each layer by
    its data, and a steady series (its upper and lower limits at its mean) would give every later chart of its
    shape a lower limit drawn at its upper one."""
    parts = [value for name, value in _data_parts(data).items() if name != "domain"]
    return all(part != other for index, part in enumerate(parts) for other in parts[index + 1:])


def _with_data(spec: dict, old: dict[str, object], new: dict[str, object]) -> dict:
    def walk(node: object, under_y: bool) -> None:
        if isinstance(node, dict):
            if "values" in node:
                part = next((name for name, value in old.items() if name != "domain" and node["values"] == value), None)
                if part:
                    node["values"] = new[part]
            if under_y and isinstance(node.get("scale"), dict) and node["scale"].get("domain") == old["domain"]:
                node["scale"]["domain"] = new["domain"]
            for key, value in node.items():
                walk(value, under_y or key == "y")
        elif isinstance(node, list):
            for item in node:
                walk(item, under_y)

    walk(spec, False)
    return spec


def spec_from_scratch(data: ChartData) -> dict:
    chart = _bars(data) if is_bar_chart(data.rows) else _series(data)
    return chart.properties(width=WIDTH, height=HEIGHT).configure(
        background="white", font="Arial, Helvetica, sans-serif", aria=False, padding=4,
        axis={"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE,
              "titleFontWeight": "normal", "gridColor": "#e6e6e6"},
        legend={"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": TEXT, "titleColor": TEXT,
                "orient": "bottom", "direction": "vertical", "labelLimit": SVG_WIDTH - 40, "symbolSize": 90},
        view={"stroke": None},
    ).to_dict(validate=False)


def _rows(metric: Metric, assessment: Assessment) -> list[dict]:
    """One row per published figure, with the line segment it belongs to: a new segment starts after a
    withheld figure or a missing period, so no line is ever drawn across months without data."""
    variation = {p.end: p.variation for p in assessment.spc.points} if assessment.spc else {}
    step = PERIOD_MONTHS.get(metric.period, 12)
    rows, segment, previous = [], 0, None
    for o in metric.observations:
        if o.value is None or o.suppressed:
            segment, previous = segment + 1, None
            continue
        if previous is not None and month_index(o.end) - month_index(previous) > step:
            segment += 1
        previous = o.end
        words = period_words(o.end, metric.period)
        rows.append({"end": o.end + "-01", "period": words, "short": short_period(words), "value": o.value,
                     "figure": format_value(o.value, metric.unit),
                     "label": format_value(o.value, metric.unit) + ("" if o.status == "final" else f", {o.status}"),
                     "status": o.status, "variation": variation.get(o.end, "common-cause"), "segment": segment})
    return rows


def short_period(words: str) -> str:
    """A bar's label under the axis title that names the kind of period: '3 months to July 2019' -> 'Jul 2019'."""
    for prefix in ("3 months to ", "12 months to ", "financial year ", "year "):
        if words.startswith(prefix):
            words = words[len(prefix):]
    name, _, year = words.rpartition(" ")
    return f"{name[:3]} {year}" if name.isalpha() else words


def _value_domain(data: ChartData) -> list[float]:
    """Always from zero (counts, rates and percentages alike), to a little above the highest point or limit."""
    values = [r["value"] for r in data.rows] + ([data.limits["upper"]] if data.limits else [])
    top, bottom = max(values), min(values + [0])
    top = top * HEADROOM if top > 0 else 1
    if data.unit == "percent":
        top = min(top, 100) if max(values) <= 100 else top
    return [bottom, top]


def _value_scale(data: ChartData) -> "alt.Scale":
    import altair as alt

    return alt.Scale(domain=_value_domain(data), zero=True, nice=True)


def _limit_lines(data: ChartData) -> list[dict]:
    if not data.limits:
        return []
    return [{"y": data.limits["mean"], "dash": [1, 0]}, {"y": data.limits["upper"], "dash": [6, 4]},
            {"y": data.limits["lower"], "dash": [6, 4]}]


def _y(data: ChartData) -> "alt.Y":
    import altair as alt

    return alt.Y("value:Q", title=data.y_title, scale=_value_scale(data),
                 axis=alt.Axis(labelExpr=_axis_format(data.unit), tickCount=5, titlePadding=8))


def _axis_format(unit: str) -> str:
    return "format(datum.value, ',')" + (" + '%'" if unit == "percent" else "")


def _statuses(rows: list[dict]) -> list[str]:
    return [s for s in STATUS_LEGEND if any(r["status"] == s for r in rows)]


def _bars(data: ChartData) -> "alt.LayerChart":
    import altair as alt  # only when a chart must be drawn: importing it costs more than a warm build's other work

    statuses = _statuses(data.rows)
    base = alt.Chart(alt.Data(values=data.rows)).encode(
        x=alt.X("short:N", sort=None, title=data.x_title, axis=alt.Axis(labelAngle=0, labelLimit=WIDTH)),
        y=_y(data),
    )
    # fill tells the statuses apart (solid, hollow, light with a dashed edge) and the legend names them
    fills = {"final": DARK_BLUE, "provisional": "#ffffff", "revised": "#9fc3e7"}
    bars = base.mark_bar(size=44, stroke=DARK_BLUE, strokeWidth=2).encode(
        fill=alt.Fill("status:N", scale=alt.Scale(domain=statuses, range=[fills[s] for s in statuses]),
                      legend=alt.Legend(title="Status of figure", labelExpr=_legend_labels(STATUS_LEGEND)) if statuses != ["final"] else None),
        strokeDash=alt.StrokeDash("status:N", scale=alt.Scale(domain=statuses,
                                  range=[[6, 3] if s == "revised" else [1, 0] for s in statuses]), legend=None),
    )
    labels = base.mark_text(dy=-9, fontSize=LABEL_FONT_SIZE, fontWeight="bold", color=TEXT).encode(text="figure:N")
    return alt.layer(bars, labels)


def _legend_labels(words: dict[str, str]) -> str:
    cases = " : ".join(f"datum.value === '{key}' ? '{label}'" for key, label in words.items())
    return f"{cases} : datum.value"


def _series(data: ChartData) -> "alt.LayerChart":
    import altair as alt

    x = alt.X("end:T", title=data.x_title, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=3, labelOverlap=True))
    base = alt.Chart(alt.Data(values=data.rows)).encode(x=x, y=_y(data))
    # one line per segment: a gap in the periods stays a gap (detail splits the path; nothing is interpolated)
    layers = [base.mark_line(color=DARK_BLUE, strokeWidth=2).encode(detail="segment:N")]
    if data.limits:
        for line in _limit_lines(data):
            layers.append(alt.Chart(alt.Data(values=[line])).mark_rule(color=TEXT, strokeDash=line["dash"]).encode(y="y:Q"))
        present = [v for v in VARIATION_COLOURS if any(r["variation"] == v for r in data.rows)]
        layers.append(base.mark_point(filled=True, size=70, opacity=1).encode(
            color=alt.Color("variation:N", scale=alt.Scale(domain=present, range=[VARIATION_COLOURS[v] for v in present]),
                            legend=alt.Legend(title="Variation", orient="top", labelExpr=_legend_labels(VARIATION_LEGEND))),
            shape=alt.Shape("variation:N", scale=alt.Scale(domain=present, range=[VARIATION_SHAPES[v] for v in present]),
                            legend=alt.Legend(title="Variation", orient="top", labelExpr=_legend_labels(VARIATION_LEGEND))),
        ))
    else:
        layers.append(base.transform_filter("datum.status === 'final'").mark_point(filled=True, size=50, color=DARK_BLUE, opacity=1))
    marked = [s for s in _statuses(data.rows) if s != "final"]
    if marked:  # provisional: a hollow ring; revised: a hollow diamond around the point; named in the legend
        rings = {"provisional": "circle", "revised": "diamond"}
        layers.append(base.transform_filter("datum.status !== 'final'").mark_point(
            filled=False, size=170, strokeWidth=2, color=DARK_BLUE, opacity=1).encode(
            shape=alt.Shape("status:N", scale=alt.Scale(domain=marked, range=[rings[s] for s in marked]),
                            legend=alt.Legend(title="Status of figure", orient="bottom",
                                              labelExpr=_legend_labels(STATUS_LEGEND)))))
    return alt.layer(*layers).resolve_scale(shape="independent", color="independent")


def _description(metric: Metric, rows: list[dict], assessment: Assessment) -> str:
    first, last = rows[0], rows[-1]
    if is_bar_chart(rows):
        kind, joined_by = ("Bar chart comparing", "and") if len(rows) == 2 else (f"Bar chart of {len(rows)} figures,", "to")
    else:
        kind, joined_by = f"Line chart of {len(rows)} figures from", "to"
    text = f"{kind} {first['period']} ({first['label']}) {joined_by} {last['period']} ({last['label']}), on an axis from zero."
    gaps = len({r["segment"] for r in rows}) - 1
    if gaps and not is_bar_chart(rows):
        text += f" The line breaks {gaps} time{'s' if gaps != 1 else ''} where periods have no figure."
    if assessment.spc:
        spc = assessment.spc
        flagged = sum(1 for p in spc.points if p.variation != "common-cause")
        text += (f" Dashed lines mark process limits at {format_value(round(spc.lower, 2), metric.unit)} and "
                 f"{format_value(round(spc.upper, 2), metric.unit)} around a mean of {format_value(round(spc.mean, 2), metric.unit)}; "
                 f"{flagged} point{'s' if flagged != 1 else ''} show special-cause variation.")
    return text


_INTERACTIVE_ONLY = re.compile(r' (?:pointer-events="none"|aria-hidden="true"|opacity="1")|'
                               r'<path class="(?:foreground|background)" d="(?:|M0,0h0v0h0Z)"(?: display="none")?/>')


def _shared_font(head: str, body: str) -> tuple[str, str]:
    """A font every text in the chart shares is said once, on the chart: SVG text inherits it."""
    for attribute in ("font-family", "font-size"):
        values = set(re.findall(rf' {attribute}="([^"]*)"', body))
        if len(values) == 1:
            value = values.pop()
            body = body.replace(f' {attribute}="{value}"', "")
            head = f'{head[:-1]} {attribute}="{value}">'  # the renderer's own value, already escaped
    return head, body


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
    # what only an interactive view needs: the whole image is one picture, so these change nothing a reader
    # sees or hears, and strand pages carry several charts within their page-weight budget
    body = _INTERACTIVE_ONLY.sub("", _INTERACTIVE_ONLY.sub("", body))
    head, body = _shared_font(head, body)
    return f"{head}<title>{html.escape(label)}</title><desc>{html.escape(description)}</desc>{body}"
