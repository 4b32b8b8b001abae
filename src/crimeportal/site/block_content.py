"""What each kind of block declared in `blocks` shows: one small function per kind."""

from __future__ import annotations

from .pages import (area_pages, delivery_html, delivery_page, districts, embed, evaluation_pages, problems_page, render,
                    summaries, topic_feeds)
from . import board_pack
from .publishing import evaluation_data, feed, open_data
from .charts import evaluation_chart, evaluation_map, share
from .charts.district_map import linked, tenths
from .pages import what_changed
from .templates import Markup, render as render_template
from .blocks import UnknownBlock, fills
from .state import PageContext
from ..releases.current import LATEST

AREA_METHOD = "about/how-we-judge-change/#districts"  # where the comparison of districts is explained

@fills("problems")
def _problems(page: PageContext, _: str) -> str:
    return problems_page.problems_html(page.state.problems)


@fills("cards")
def _cards(page: PageContext, _: str) -> str:
    measures = list(page.state.measures.values())
    return render.strand_cards(page.state.portal.strands, measures, page.link,
                               listed=summaries.home_cards_list_every_measure(len(measures)),
                               counted=summaries.counts_sentence)


@fills("metrics-index")
def _metrics_index(page: PageContext, _: str) -> str:
    measures = list(page.state.measures.values())
    if not summaries.index_lists_every_measure(len(measures)):
        return summaries.index_summary(page.state.portal.strands, measures, page.link)
    strands = {s.id: s for s in page.state.portal.strands}
    return render_template("plain_paragraph.html", text=summaries.INDEX_INTRO) + render.metrics_index(
        measures, strands, page.link)


@fills("data-zip")
def _data_zip(page: PageContext, _: str) -> str:
    made = open_data.ZIP in page.state.downloads
    return render_template("data_zip.html", link=page.link(open_data.ZIP) if made else None)


@fills("data-files")
def _data_files(page: PageContext, _: str) -> str:
    listing = [(path, what, len(content)) for path, (content, what) in page.state.downloads.items()]
    measures = list(page.state.measures.values())
    if summaries.data_page_lists_every_measure(len(measures)):
        return render.data_files(listing, page.link)
    return summaries.data_files_summary(page.state.portal.strands, measures, listing, page.link)


@fills("compact-measures")
def _compact_measures(page: PageContext, strand_id: str) -> str:
    metrics = page.state.portal.metrics_of(strand_id)
    return summaries.compact_measures([page.measure(m.id) for m in metrics], page.link)


@fills("board-compact-measures")
def _board_compact_measures(page: PageContext, strand_id: str) -> str:
    metrics = page.state.portal.board_metrics_of(strand_id)
    return summaries.compact_measures([page.measure(m.id) for m in metrics], page.link)


def _board_measures(page: PageContext) -> list[render.Measure]:
    return [page.measure(m.id) for m in page.state.portal.metrics if m.board_report]


@fills("strand-counts")
def _strand_counts(page: PageContext, _: str) -> str:
    return summaries.strand_counts_table(page.state.portal.strands, _board_measures(page), page.link,
                                         "Measures the board is given, by strand and verdict")


@fills("board-strand-counts")
def _board_strand_counts(page: PageContext, strand_id: str) -> str:
    own = [m for m in _board_measures(page) if m.metric.strand == strand_id]
    return summaries.board_strand(own, page.link(f"strands/{strand_id}/") + "#measures")


@fills("what-changed")
def _what_changed(page: PageContext, arg: str) -> str:
    return what_changed.block("what-changed", arg, page.state.releases, page.page_url, lambda target, _: page.link(target))


@fills("releases")
def _releases(page: PageContext, arg: str) -> str:
    return what_changed.block("releases", arg, page.state.releases, page.page_url, lambda target, _: page.link(target))


@fills("draft")
def _draft(page: PageContext, _: str) -> str:
    return render_template("draft_banner.html")


@fills("strand-intro")
def _strand_intro(page: PageContext, strand_id: str) -> str:
    strand = page.state.portal.strand(strand_id)
    if strand is None:
        raise UnknownBlock(f"A page asks for the strand {strand_id!r}, which this build does not have.")
    return render.strand_intro(strand)


@fills("measure")
def _measure(page: PageContext, metric_id: str) -> str:
    measure = page.measure(metric_id)
    return render.measure_section(measure, page.link)


@fills("context-measure")
def _context_measure(page: PageContext, metric_id: str) -> str:
    return render.measure_section(page.measure(metric_id), page.link, brief=True)


@fills("headline")
def _headline(page: PageContext, metric_id: str) -> str:
    return render.headline_paragraph(page.measure(metric_id), page.link, "#caveats")


@fills("figures")
def _figures(page: PageContext, metric_id: str) -> str:
    measure = page.measure(metric_id)
    release = page.state.release_name
    releases = page.state.releases
    latest_url = f"{releases.site_root}{LATEST}/" if releases and releases.site_root else None
    shared = (render.chart_downloads(measure, page.link, release)
              + embed.snippet(measure, page.site_url, release, latest_url) if measure.has_chart else "")
    return render.chart_figure(measure, page.link) + shared + page.state.table(metric_id)


@fills("about")
def _about(page: PageContext, metric_id: str) -> str:
    metric = page.measure(metric_id).metric
    strand = page.state.portal.strand(metric.strand)
    return render.about_measure(page.measure(metric_id), strand, page.link(f"strands/{metric.strand}/"), page.link)


@fills("downloads")
def _downloads(page: PageContext, metric_id: str) -> str:
    return render.downloads(page.measure(metric_id).metric, page.link("data/metrics/"), page.state.download_sizes)


@fills("cite")
def _cite(page: PageContext, metric_id: str) -> str:
    measure = page.measure(metric_id)
    return citation_block(page.state.citation(measure.metric.title, measure.url).text)


@fills("site-citation")
def _site_citation(page: PageContext, _: str) -> str:
    return citation_block(page.state.citation(page.site_name, "").text)


def citation_block(text: str) -> Markup:
    # selectable as one block with a single click or tap, so it can be copied without JavaScript
    return render_template("citation.html", text=text)


@fills("licence")
def _licence(page: PageContext, _: str) -> str:
    publication = page.state.publication
    assert publication is not None
    return render_template("licence.html", licence=publication.licence, publisher=publication.publisher)


@fills("contact")
def _contact(page: PageContext, _: str) -> str:
    publication = page.state.publication
    assert publication is not None
    return render_template("contact.html", contact=publication.contact)


@fills("board-pack")
def _board_pack(page: PageContext, _: str) -> str:
    # the size is known only once the pack is made, after every page: a placeholder stands for it until then
    return render.board_pack_link(page.link(board_pack.PDF), board_pack.SIZE_PLACEHOLDER, not page.state.makes_board_pack)


@fills("chart")
def _chart(page: PageContext, metric_id: str) -> str:
    charts = page.state.charts
    return (charts.svg(metric_id) if charts else None) or ""


@fills("table")
def _table(page: PageContext, metric_id: str) -> str:
    return page.state.table(metric_id)


# The delivery plan: each block reads the build's as-at date, so "due date passed" never depends on the clock.

@fills("delivery-strand")
def _delivery_strand(page: PageContext, strand_id: str) -> str:
    portal = page.state.portal
    return delivery_html.action_list(portal.actions_of(strand_id), portal, page.state.plan_as_at, page.link)


@fills("delivery-plan")
def _delivery_plan(page: PageContext, part: str) -> str:
    state = page.state
    if part == "as-at":
        return delivery_html.paragraph(delivery_html.as_at_sentence(state.plan_as_at))
    if part == "counts":
        return delivery_page.counts_block(state.portal, state.plan_as_at)
    if part == delivery_html.WHOLE_STRATEGY_SECTION:
        return delivery_html.action_list(state.portal.actions_of(None), state.portal, state.plan_as_at, page.link,
                                         anchor_prefix=delivery_html.WHOLE_STRATEGY_SECTION)
    if not state.portal.actions:
        return delivery_html.paragraph(delivery_page.NO_ACTIONS)
    return delivery_html.actions_table(state.portal, state.plan_as_at, page.link)


@fills("delivery-summary")
def _delivery_summary(page: PageContext, part: str) -> str:
    state = page.state
    if part == "counts":
        return delivery_html.paragraph(delivery_html.as_at_sentence(state.plan_as_at)) + delivery_page.counts_block(
            state.portal, state.plan_as_at)
    releases = state.releases
    changes = releases.changes.actions if releases and releases.changes else None
    return delivery_page.attention(state.portal, state.plan_as_at, changes, releases.previous if releases else None, page.link)


def _area(page: PageContext, area_id: str):
    area = page.state.portal.area(area_id)
    if area is None:
        raise UnknownBlock(f"A page asks for the area {area_id!r}, which this build does not have.")
    return area


@fills("areas-index")
def _areas_index(page: PageContext, kind: str) -> str:
    return area_pages.index_table(page.state.portal, kind, page.link)


@fills("area-facts")
def _area_facts(page: PageContext, area_id: str) -> str:
    return area_pages.facts(page.state.portal, _area(page, area_id), page.link)


@fills("area-actions")
def _area_actions(page: PageContext, area_id: str) -> str:
    return area_pages.actions(page.state.portal, _area(page, area_id), page.state.plan_as_at, page.link)


@fills("area-measures")
def _area_measures(page: PageContext, area_id: str) -> str:
    return area_pages.measures(page.state.portal, _area(page, area_id), page.link, page.state.district_figures)


@fills("districts")
def _districts(page: PageContext, metric_id: str) -> str:
    figures = page.state.district_figures(page.measure(metric_id).metric)
    if figures is None:
        return ""
    drawn = page.state.charts
    rendered_map = drawn.plain_svg(districts.map_job_id(metric_id)) if drawn else None
    map_svg = linked(rendered_map, districts.map_areas(figures, page.link),
                     f"Map: {figures.metric.title}, by district, {figures.period}") if rendered_map else None
    series = drawn.svg(districts.series_job_id(metric_id)) if drawn else None
    series = tenths(series).replace('class="portal-chart ', 'class="portal-chart portal-small-multiples ', 1) if series else None
    has_boundaries = any(a.ons_code in page.state.portal.boundaries for a in page.state.portal.areas if a.ons_code)
    downloads = {kind: render.image_downloads(page.link, path) for kind, path in
                 share.district_paths(metric_id, page.state.release_name).items()}
    return districts.districts_html(figures, map_svg, series, page.link, page.link(AREA_METHOD), has_boundaries,
                                    map_downloads=downloads.get(share.MAPS) if map_svg else None,
                                    series_downloads=downloads.get(share.DISTRICT_SERIES) if series else None)


@fills("evaluation")
def _evaluation_block(page: PageContext, arg: str) -> str:
    portal, when = page.state.portal, page.state.plan_as_at
    results = evaluation_data.results_of(portal, when)
    strands = {s.id: s.title for s in portal.strands}
    if arg == "index":
        return evaluation_pages.index_table(portal.evaluations, results, page.link, strands, "Every evaluation")
    if arg == "board":
        return evaluation_pages.index_table(portal.evaluations, results, page.link, strands, "Evaluations of operations")
    head, _, rest = arg.partition(".")
    if head == "strand":
        found = [e for e in portal.evaluations if e.strand == rest]
        return evaluation_pages.index_table(found, results, page.link, strands, "Evaluations of this strand's operations")
    evaluation = next((e for e in portal.evaluations if e.id == head), None)
    if evaluation is None or rest not in evaluation_pages.PARTS:
        raise UnknownBlock(f"A page asks for the evaluation {arg!r}, which this build does not have.")
    drawn = page.state.charts
    if rest == "chart":
        chart = drawn.svg(evaluation_chart.job_id(head)) if drawn else None
        return evaluation_pages.chart_html(evaluation, results[head], chart, page.link, page.state.release_name)
    if rest == "areas":
        rendered = drawn.plain_svg(evaluation_map.map_job_id(head)) if drawn else None
        area_map = linked(rendered, evaluation_map.map_areas(evaluation, portal, page.link),
                          f"Map: {evaluation.title}, districts by group") if rendered else None
        return evaluation_pages.areas_html(portal, evaluation, page.link, area_map)
    return evaluation_pages.part_html(portal, evaluation, results[head], rest, page.link)


def _feed_href(page: PageContext, path: str) -> str:
    releases = page.state.releases
    return topic_feeds.latest_href(path, page.page_url) if releases and releases.current else page.link(path)


@fills("topic-feed")
def _topic_feed(page: PageContext, source: str) -> str:
    made = page.state.topic_feeds.get(source)
    if made is None:
        raise UnknownBlock(f"A page asks for the feed of {source!r}, which this build does not have.")
    return topic_feeds.subscribe_link(made.topic, _feed_href(page, made.topic.path))


@fills("feeds")
def _feeds(page: PageContext, _: str) -> str:
    rows = [(_feed_href(page, feed.FEED), "New releases", "Every release of the portal, with what it changed.")]
    rows += [(_feed_href(page, made.topic.path), made.topic.name, f"Each release that changed {made.topic.follows}.")
             for made in page.state.topic_feeds.values()]
    return topic_feeds.feeds_table(rows)
