"""A measure's figures by district: rates per 1,000 people, each district against the force, a map of the
rates and a small chart of each district's series.

Only a count measure gets rates, comparisons and a map: a count can be set against the people it
happened among, and the comparison's test is one for counts. Raw counts are never mapped or ranked (a
large district has more of everything); the table lists districts in the register's order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator

from ...core.area_stats import AreaRate, compare_areas
from ...core.formats import in_period, period_words
from ...core.model import Area, Metric, Observation, Portal
from ...core.stats import PERIOD_MONTHS, month_index
from ..charts.specs import DARK_BLUE, FONT_SIZE, TEXT, ChartJob
from ..charts.district_map import MapArea, PreparedMap, map_spec
from .render import table as render_table
from ..templates import Markup, render

AREA_PAGES = "areas"  # areas/<id>/ is each area's page
VERDICT_WORDS = {"higher": "Higher than {force}", "similar": "Similar to {force}", "lower": "Lower than {force}"}
PANEL_WIDTH, PANEL_HEIGHT, COLUMNS = 112, 64, 2  # two small charts side by side fit the narrowest screen


@dataclass(frozen=True)
class DistrictFigure:
    area: Area
    count: int
    rate: AreaRate | None  # None: no rate (not a count measure, or no population for the district)


@dataclass(frozen=True)
class DistrictFigures:
    """What a measure page shows by district, for the latest period that has a breakdown."""

    metric: Metric
    latest: Observation
    rows: list[DistrictFigure]
    force_rate: float | None  # of the records placed in a district, per 1,000 people
    force_name: str
    population_year: int | None

    @property
    def period(self) -> str:
        return period_words(self.latest.end, self.metric.period)

    def verdict_words(self, row: DistrictFigure) -> str:
        return VERDICT_WORDS[row.rate.verdict].format(force=self.force_name) if row.rate else ""

    def link_words(self, row: DistrictFigure) -> str:
        """What a district's link on the map says: its name, rate and how it compares."""
        if row.rate is None:
            return f"{row.area.name}: {row.count:,}"
        return (f"{row.area.name}: {row.rate.rate:,.2f} per 1,000 people {in_period(self.latest.end, self.metric.period)}"
                f", {self.verdict_words(row).lower()}")


def district_figures(metric: Metric, portal: Portal, force_name: str) -> DistrictFigures | None:
    latest = next((o for o in reversed(metric.observations) if o.areas and o.value is not None), None)
    if latest is None:
        return None
    districts = {a.id: a for a in portal.areas if a.kind == "district"}
    counts = {area_id: int(count) for area_id, count in latest.areas if area_id in districts}
    populations = {area_id: districts[area_id].population for area_id in counts}
    with_rates = metric.unit == "count" and bool(counts) and all(populations.values())
    force_rate, rates = compare_areas(counts, populations) if with_rates else (None, [])  # type: ignore[arg-type]
    by_area = {r.area: r for r in rates}
    rows = [DistrictFigure(districts[area_id], count, by_area.get(area_id)) for area_id, count in counts.items()]
    year = portal.population.year if portal.population else None
    return DistrictFigures(metric, latest, rows, force_rate, force_name, year)


def map_areas(figures: DistrictFigures, link: Callable[[str], str]) -> list[MapArea]:
    """The districts as the map shows them; `link` makes an area page's address relative to the page."""
    return [MapArea(row.area.ons_code or "", row.area.name, link(area_page(row.area.id)),
                    row.rate.rate if row.rate else None, figures.link_words(row))
            for row in figures.rows if row.area.ons_code]


def area_page(area_id: str) -> str:
    return f"{AREA_PAGES}/{area_id}/"


def map_job_id(metric_id: str) -> str:
    return f"{metric_id}#map"


def series_job_id(metric_id: str) -> str:
    return f"{metric_id}#districts"


def map_job(figures: DistrictFigures, prepared: Callable[[], PreparedMap | None], shapes: str, version: str) -> ChartJob | None:
    """`prepared` projects the districts (a second of work, done only if some map must be drawn); `shapes` names
    what it projects, so that the map is keyed by what it is drawn from and a cached map costs nothing."""
    if figures.force_rate is None:
        return None
    areas = map_areas(figures, lambda target: target)
    return ChartJob(_key({"map": [shapes, areas]}, version), partial(_map_spec, prepared, areas), "", "")  # named on the page


def _map_spec(prepared: Callable[[], PreparedMap | None], areas: list[MapArea]) -> dict:
    shapes = prepared()
    assert shapes is not None  # map jobs are made only for districts with shapes
    return map_spec(shapes, areas, "Per 1,000 people")


def series_job(metric: Metric, portal: Portal, version: str) -> ChartJob | None:
    """Each district's series, one small chart each, all on one axis: per 1,000 people for a count."""
    districts = {a.id: a for a in portal.areas if a.kind == "district"}
    rates = metric.unit == "count" and all(a.population for a in districts.values())
    rows = []
    for segment, observation in _segments(metric):
        for area_id, value in observation.areas:
            if area_id in districts:
                population = districts[area_id].population
                shown = value / population * 1000 if rates and population else value
                rows.append({"end": observation.end + "-01", "area": districts[area_id].name, "value": shown,
                             "segment": segment, "final": observation.status == "final"})
    if len({r["end"] for r in rows}) < 2:
        return None
    names = [a.name for a in districts.values()]
    first, last = rows[0]["end"][:7], rows[-1]["end"][:7]
    description = (f"{len({r['area'] for r in rows})} small line charts, one per district, from "
                   f"{period_words(first, metric.period)} to {period_words(last, metric.period)}, all on one axis "
                   f"from zero{' in crimes per 1,000 people' if rates else ''}. A gap in a line is a period with no "
                   "figure. The table of the latest figures by district is on this page; the downloads have every figure.")
    key = _key({"series": [rows, names]}, version)
    return ChartJob(key, partial(_series_spec, rows, names), f"Chart: {metric.title}, each district", description)


def _series_spec(rows: list[dict], names: list[str]) -> dict:
    """The small multiples' Vega-Lite spec, made only when they are not in the cache."""
    import altair as alt

    base = alt.Chart().encode(
        x=alt.X("end:T", title=None, axis=alt.Axis(format="%b %y", tickCount=2, labelFontSize=FONT_SIZE - 1, labelOverlap=True, grid=False)),
        # the unit is said once, in the caption, rather than beside every small chart
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=True, nice=True), axis=alt.Axis(tickCount=3, labelFontSize=FONT_SIZE - 1, grid=False)))
    # a hollow point is a provisional or revised figure, as on the measure's own chart
    layer = alt.layer(base.mark_line(color=DARK_BLUE, strokeWidth=1.5).encode(detail="segment:N"),
                      base.mark_point(color=DARK_BLUE, size=16, opacity=1).encode(
                          fill=alt.condition("datum.final", alt.value(DARK_BLUE), alt.value("white"))),
                      data=alt.Data(values=rows)).properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
    return layer.facet(facet=alt.Facet("area:N", title=None, sort=names,
                                       header=alt.Header(labelFontSize=FONT_SIZE, labelColor=TEXT)),
                       columns=COLUMNS).configure(background="white", font="Arial, Helvetica, sans-serif", aria=False,
                                                  padding=4, view={"stroke": "#e6e6e6"}).to_dict(validate=False)


def _segments(metric: Metric) -> Iterator[tuple[int, Observation]]:
    """Observations with the line segment each belongs to: a period with no figure breaks every district's line."""
    step, segment, previous = PERIOD_MONTHS.get(metric.period, 12), 0, None
    for observation in metric.observations:
        if not observation.areas or observation.value is None:
            segment, previous = segment + 1, None
            continue
        if previous is not None and month_index(observation.end) - month_index(previous) > step:
            segment += 1
        previous = observation.end
        yield segment, observation


def _key(spec: dict, version: str) -> str:
    return hashlib.sha256(json.dumps([version, spec], sort_keys=True, default=repr).encode()).hexdigest()[:32]


def districts_html(figures: DistrictFigures, map_svg: str | None, series_svg: str | None, link: Callable[[str], str],
                   method: str, has_boundaries: bool = True, map_downloads: Markup | None = None,
                   series_downloads: Markup | None = None) -> Markup:
    """`has_boundaries`: whether the portal has the districts' boundaries, without which no map can be drawn."""
    rates = figures.force_rate is not None
    columns = [("District", False), ("Count", True)]
    if rates:
        columns += [(f"Population (mid-{figures.population_year})" if figures.population_year else "Population", True),
                    ("Rate per 1,000", True), ("95% interval", True), (f"Compared with {figures.force_name}", False)]
    rows = [render("districts_row.html", area=row.area.name, href=link(area_page(row.area.id)), count=f"{row.count:,}",
                   rates=rates, population=f"{row.rate.population:,}" if row.rate else "",
                   rate=f"{row.rate.rate:,.2f}" if row.rate else "",
                   interval=f"{row.rate.lower:,.2f} to {row.rate.upper:,.2f}" if row.rate else "",
                   verdict=figures.verdict_words(row)) for row in figures.rows]
    if rates:
        placed = sum(row.count for row in figures.rows)
        population = sum(row.rate.population for row in figures.rows if row.rate)
        rows.append(render("districts_row.html", area=f"{figures.force_name} (all districts)", href="", count=f"{placed:,}",
                           rates=True, population=f"{population:,}", rate=f"{figures.force_rate:,.2f}", interval="",
                           verdict=""))
    table = render_table(f"{figures.metric.title}: by district, {figures.period}", columns, rows)
    value = figures.latest.value
    return render("districts.html", rates=rates, period=figures.period, year=figures.population_year,
                  force=figures.force_name, method=method, not_located=f"{figures.latest.not_located:,}" if figures.latest.not_located else "",
                  total=f"{int(value):,}" if isinstance(value, (int, float)) else "", map=Markup(map_svg) if map_svg else "",
                  in_period=in_period(figures.latest.end, figures.metric.period), table=table,
                  series=Markup(series_svg) if series_svg else "", map_downloads=map_downloads or "",
                  series_downloads=series_downloads or "",
                  marked=any(o.status != "final" for o in figures.metric.observations if o.areas),
                  # a new portal has its districts before their populations and boundaries: say what is missing
                  needs_population=figures.metric.unit == "count" and not rates, needs_boundaries=rates and not has_boundaries)


FiguresOf = Callable[[Metric], "DistrictFigures | None"]  # a build's `district_figures`, worked out once a measure


def district_ids(area: Area) -> frozenset[str]:
    """The districts whose figures are an area's: a district's own, or those a partnership covers."""
    return frozenset(area.covers) if area.kind == "csp" else frozenset({area.id})


def figures_for_area(area: Area, portal: Portal, figures_of: FiguresOf) -> list[tuple[DistrictFigures, DistrictFigure]]:
    """Every measure's latest figure for a district (for a partnership, for each district it covers)."""
    wanted = district_ids(area)
    found = []
    for metric in portal.metrics:
        figures = figures_of(metric) if metric.has_breakdown else None
        for row in figures.rows if figures else ():
            if row.area.id in wanted:
                found.append((figures, row))
    return found
