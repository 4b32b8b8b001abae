"""The charts as files to share, written after the pages (outside a live preview, which would redraw every PNG on
each save): each measure's chart, district map and small multiples and each evaluation's chart by month, as an SVG
and a PNG with title, period, source and licence drawn in (charts/share.py), and each measure's embeddable page."""

from __future__ import annotations

from pathlib import Path

from ..core.formats import period_words
from ..core.model import Metric, Observation
from .charts import evaluation_chart, share
from .output import write_whole
from .pages import districts, embed, render
from .state import PortalBuild


def write_chart_images(state: PortalBuild, site_dir: Path) -> None:
    """Each measure's chart as an SVG and a PNG with its title, period, source and licence drawn in, and its
    embeddable page (pages/embed.py); and each evaluation's chart by month as an SVG and a PNG."""
    assert state.charts is not None and state.publication is not None
    folder = site_dir / share.FOLDER
    folder.mkdir(exist_ok=True)
    for metric_id, measure in state.measures.items():
        chart = state.charts.svg(metric_id) if measure.has_chart else None
        if chart is None:
            continue
        metric = measure.metric
        period = _span_words(metric, [o for o in metric.observations if o.value is not None]) or ""
        caption = share.ChartCaption(metric.title, period, metric.source, state.publication.licence.name,
                                     state.release_name)
        _write_shared(folder, share.file_stem(metric_id, state.release_name), chart, caption)
        _write_district_images(state, measure, folder)
        page = embed.embed_page(measure, chart, state.site_name, state.release_name,
                                (state.publication.licence.name, state.publication.licence.url))
        (site_dir / embed.page_path(metric_id)).mkdir(parents=True, exist_ok=True)
        write_whole(site_dir / embed.page_path(metric_id) / "index.html", page.encode("utf-8"))
    for evaluation in state.portal.evaluations:
        chart = state.charts.svg(evaluation_chart.job_id(evaluation.id))
        if chart is not None:
            _write_shared(folder, evaluation_chart.file_stem(evaluation.id, state.release_name),
                          chart, evaluation_chart.caption(evaluation, state.publication.licence.name, state.release_name))


def _write_district_images(state: PortalBuild, measure: render.Measure, folder: Path) -> None:
    """The measure's map of its districts and its small multiples, with what they show drawn in, as its chart."""
    assert state.charts is not None and state.publication is not None
    metric = measure.metric
    figures = state.district_figures(metric)
    if figures is None:
        return
    drawn = {share.MAPS: state.charts.plain_svg(districts.map_job_id(metric.id)),
             share.DISTRICT_SERIES: state.charts.svg(districts.series_job_id(metric.id))}
    titles = {share.MAPS: f"{metric.title}: rate per 1,000 people by district",
              share.DISTRICT_SERIES: f"{metric.title}: each district"}
    periods = {share.MAPS: figures.period,
               share.DISTRICT_SERIES: _span_words(metric, [o for o in metric.observations if o.areas]) or figures.period}
    for kind, stem in share.district_paths(metric.id, state.release_name).items():
        if drawn[kind]:
            caption = share.ChartCaption(titles[kind], periods[kind], metric.source, state.publication.licence.name,
                                         state.release_name)
            _write_shared(folder.parent, stem, share.unlinked(drawn[kind]), caption)


def _span_words(metric: Metric, shown: list[Observation]) -> str | None:
    """'January 2018 – July 2018': the first and last of the periods a chart shows, or None if it shows none."""
    if not shown:
        return None
    return f"{period_words(shown[0].end, metric.period)} – {period_words(shown[-1].end, metric.period)}"


def _write_shared(folder: Path, stem: str, chart: str, caption: share.ChartCaption) -> None:
    framed = share.framed_svg(chart, caption)
    (folder / stem).parent.mkdir(parents=True, exist_ok=True)
    write_whole(folder / f"{stem}.svg", framed.encode("utf-8"))
    write_whole(folder / f"{stem}.png", share.png(framed))
