"""A measure's figures by area for its latest period: each area's count, population, rate per 1,000 people, and
whether it is higher or lower than the force's rate by more than chance explains (`core.stats.area_verdict`).

Raw counts are never ranked: the table keeps the register's order, and every comparison is of rates.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..core.formats import in_period, period_words
from ..core.model import Area, Metric, Observation, Portal
from ..core.stats import area_verdict
from . import render
from .templates import render as render_template

METHOD_PAGE = "about/how-we-judge-change/#comparing-districts"


@dataclass(frozen=True)
class AreaFigure:
    name: str
    count: int
    population: int | None
    rate: float | None  # per 1,000 people
    verdict: str | None  # higher | similar | lower, or None without a population


def latest_breakdown(metric: Metric) -> Observation | None:
    """The latest observation with figures by area (a withheld one has none)."""
    return next((o for o in reversed(metric.observations) if o.areas), None)


def population_of(area: Area, portal: Portal) -> int | None:
    """The area's population; a partnership without one of its own has its districts' together."""
    if area.population is not None:
        return area.population
    covered = [portal.area(a) for a in area.covers]
    if covered and all(c is not None and c.population is not None for c in covered):
        return sum(c.population for c in covered)  # type: ignore[union-attr]
    return None


def area_figures(observation: Observation, portal: Portal) -> tuple[list[AreaFigure], AreaFigure]:
    """Each area in the breakdown, in its order, and the areas together, compared with their rate together."""
    areas = [(portal.area(area_id), count) for area_id, count in observation.areas]
    known = [(area, count, population_of(area, portal)) for area, count in areas if area is not None]
    with_population = [(count, population) for _, count, population in known if population]
    total_count = sum(count for _, count, _ in known)
    total_population = sum(population for _, population in with_population) if len(with_population) == len(known) else None
    force_rate = sum(c for c, _ in with_population) / sum(p for _, p in with_population) if with_population else None
    rows = []
    for area, count, population in known:
        verdict = area_verdict(count, population, force_rate)[0] if population and force_rate is not None else None
        rows.append(AreaFigure(area.name, count, population, _per_1000(count, population), verdict))
    kinds = {area.kind for area, _, _ in known}
    what = "districts" if kinds == {"district"} else "partnerships" if kinds == {"csp"} else "areas"
    whole = AreaFigure(f"All {len(known)} {what}", total_count, total_population, _per_1000(total_count, total_population), None)
    return rows, whole


def _per_1000(count: int, population: int | None) -> float | None:
    return 1000 * count / population if population else None


def areas_block(metric: Metric, portal: Portal, force_name: str, link) -> Markup:
    """The table of every area for the latest period, and the note on what it shows and how it compares."""
    observation = latest_breakdown(metric)
    if observation is None:
        return Markup("")
    rows, whole = area_figures(observation, portal)
    year = portal.population.year if portal.population else None
    words = {"higher": f"higher than {force_name}", "similar": "similar", "lower": f"lower than {force_name}",
             None: "not compared (no population)"}
    cells = [render_template("area_row.html", area_name=row.name, count=f"{row.count:,}", population=_shown(row.population),
                             rate=_rate(row.rate), compared=words[row.verdict]) for row in rows]
    cells.append(render_template("area_row.html", area_name=whole.name, count=f"{whole.count:,}",
                                 population=_shown(whole.population), rate=_rate(whole.rate), compared=""))
    period = in_period(observation.end, metric.period)
    caption = f"{metric.title}, {period}: each area's count and rate per 1,000 people"
    columns = [("Area", False), ("Count", True), (f"Population ({year})" if year else "Population", True),
               ("Rate per 1,000", True), (f"Compared with {force_name}", False)]
    note = render_template("areas_note.html", population_source=portal.population.source if portal.population else "the areas register",
                           population_year=year or "year not given", not_located=f"{observation.not_located:,}" if observation.not_located else "",
                           force_name=force_name, value=f"{observation.value:,}", period=period_words(observation.end, metric.period), method_link=link(METHOD_PAGE))
    return render.table(caption, columns, cells) + note


def _shown(population: int | None) -> str:
    return f"{population:,}" if population else "–"


def _rate(rate: float | None) -> str:
    return f"{rate:,.2f}" if rate is not None else "–"
