"""What the MkDocs hooks do, one function per event.

All state for a build lives in a `PortalBuild` stored in that build's config:
`mkdocs serve` imports the hooks once and builds many times, and each build
must start from the files as they are now. Only the chart cache on disk
outlives a build, and the hooks' note of which mkdocs command is running,
which decides whether problems stop the build or are shown on its pages.
Chart workers are closed however a build ends: at its end, on its error, and
when the server shuts down.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
import logging
import os
import re
from pathlib import Path
from typing import Callable, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.pages import Page

from .pages import (area_pages, board_report, delivery_page, districts, engine_pages, evaluation_pages, pages,
                    problems_page, render, search_text, topic_feeds)
from . import block_content, blocks, board_pack, chart_images, escaping, preview, theme  # noqa: F401  (block_content registers the fillers)
from .charts import drawing, evaluation_chart, evaluation_map, specs, district_map
from .publishing import feed
from .publishing.open_data import download_files
from .publishing.publication import read_publication
from ..core.conventions import AREAS_REGISTER, BOUNDARIES, CHANGES_PAGE, CHART_CACHE, ENGINE_OVERRIDES, WRITE_JOURNAL
from ..core.errors import PortalError
from ..core.delivery import as_at
from ..core.model import Portal
from ..core.problems import Problem, count_words, format_problems
from ..core.stats import assess
from ..releases import current as release
from ..releases import history
from .pages import what_changed
from ..source.reuse import file_digest
from ..source.validate import check_portal
from .state import PageContext, PortalBuild, district_figures, metric_work

log = logging.getLogger("mkdocs.plugins.crimeportal")

_STATE = "crimeportal_build"
MIKE_BUILD = "MIKE_DOCS_VERSION"  # mike sets it for the builds it makes (mike.mkdocs_utils.docs_version_var)

T = TypeVar("T")


def _plainly(event: Callable[..., T]) -> Callable[..., T]:
    """MkDocs prints a traceback for anything but its own errors: ours become its PluginError, with our message."""
    @functools.wraps(event)
    def run(*args, **kwargs) -> T:
        try:
            return event(*args, **kwargs)
        except PortalError as error:
            raise PluginError(str(error)) from None
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            raise PluginError(f"The build could not read or write a file{where}: {error.strerror or error}.") from None

    return run


def current(config: MkDocsConfig) -> PortalBuild:
    return config[_STATE]


def problems_message(problems: list[Problem]) -> str:
    return f"The portal's files have {count_words(problems)}; nothing was built.\n{format_problems(problems, 'text')}"


@_plainly
def on_config(config: MkDocsConfig, serving: bool = False, session: preview.PreviewSession | None = None) -> MkDocsConfig:
    """`session`: a live preview's (`mkdocs serve --dirty`), whose builds rebuild only the pages a save changes."""
    root = Path(config.config_file_path).parent
    if (root / WRITE_JOURNAL).exists():
        raise PluginError("An add-period was interrupted before it finished writing the metric files. "
                          "Run `crimeportal validate` (or make check), which finishes it, then build again.")
    publication = read_publication(config.extra)
    _use_engine_theme(config)
    reuse = session.results if session else None
    if reuse:
        reuse.begin_build()
    checked = check_portal(root, reuse=reuse)
    # a live preview shows drafts, marked as such; every other build leaves them out
    portal, problems = (checked.portal if serving else checked.portal.published()), checked.problems
    for note in checked.notes:  # worth saying, never a reason to stop (and not a warning, which strict mode counts)
        log.info(f"crimeportal: note: {note.as_text()}")
    if problems and not serving:
        raise PluginError(problems_message(problems))
    if problems:
        problems_page.log_problems(problems)
    releases = _prepare_release(config, root, portal)
    portal = releases.dated(portal) if releases else portal  # a release's register can date an evaluation's design
    meeting = releases.current.board_meeting if releases and releases.current else None
    state = PortalBuild(
        root, portal, problems,
        # drafts' pages, and links and editors' leftovers under content/, as the checks found them
        unpublished=checked.never_published | {f"strands/{s.id}.md" for s in checked.portal.strands
                                               if s not in portal.strands},
        metric_ids=checked.metric_ids, releases=releases, publication=publication,
        site_name=config.site_name, site_url=config.site_url, abbreviations=pages.abbreviations(root / config.docs_dir),
        plan_as_at=as_at(portal, meeting),
        # the live preview rebuilds on every save, and laying out the PDF would slow each one by seconds
        makes_board_pack=not serving and os.environ.get(board_pack.SWITCH_ENV) != "off", session=session)
    if not problems:
        state.measures, state.charts = _measures(portal, root, session)
        # after the release: citations name it
        state.downloads = download_files(portal, root, state.open_data(), metric_work(reuse), with_zip=not serving)
        state.feed, state.topic_feeds = _feeds(state)
    config[_STATE] = state
    config.nav = pages.navigation(portal, root / config.docs_dir)
    return config


def _use_engine_theme(config: MkDocsConfig) -> None:
    """The package's overrides of Material's templates, after a portal's own `theme.custom_dir` (which wins) and
    before Material's: `custom_dir` must be one folder, so the package's are added to the theme's list instead.
    Once only, though `mkdocs serve` builds many times from one configuration."""
    engine = str(ENGINE_OVERRIDES)
    if engine not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, engine)


def _feeds(state: PortalBuild) -> tuple[bytes, dict[str, topic_feeds.TopicFeed]]:
    """The feed of releases, and each strand's and area's, from one reading of what each release changed."""
    assert state.releases is not None and state.publication is not None
    releases = history.releases_so_far(state.releases)
    changes = history.changes_by_release(state.root, state.releases)
    latest_update = max((s.updated for s in state.portal.strands), default="1970-01-01")
    return (feed.feed_xml(state.releases, releases, changes, state.site_name, state.publication, latest_update),
            topic_feeds.topic_feeds(state.portal, state.releases, topic_feeds.ReleaseHistory(releases, changes),
                                    state.site_name, state.publication, latest_update))


def _prepare_release(config: MkDocsConfig, root: Path, portal: Portal) -> release.ReleaseBuild | None:
    try:
        releases = release.prepare(root, portal, config.site_url)
    except release.ReleaseBuildError as error:
        raise PluginError(str(error)) from None
    config.site_url = release.release_site_url(releases) or config.site_url
    if not os.environ.get(MIKE_BUILD):
        # Only mike writes versions.json; a plain build that kept `extra.version` would have Material's version
        # selector ask for it on every page, a failed request and a console error for nothing.
        config.extra.pop("version", None)
    config.extra["crimeportal_release"] = release.template_data(releases)  # for the outdated-release banner
    return releases


def _measures(portal: Portal, root: Path, session: preview.PreviewSession | None = None
              ) -> tuple[dict[str, render.Measure], drawing.Charts]:
    version = drawing.cache_version()
    per_metric = metric_work(session.results if session else None)
    assessments = {m.id: per_metric(m, "assessment", lambda m=m: assess(m)) for m in portal.metrics}
    jobs = {m.id: per_metric(m, ("chart", version), lambda m=m: specs.chart_job(m, assessments[m.id], version))
            for m in portal.metrics}
    # drawn in the order pages ask for them, so that no page waits on charts queued behind others: MkDocs
    # builds each evaluation's page (its map and chart by month) first; then the strand pages, in the order of
    # their file names, each showing the charts of the measures the board is given; then each measure's page, in
    # the portal's order, whose map and small multiples are filled in before its chart (which sits inside the
    # block of its figures, and so is filled a round later)
    maps = _map_base(portal, root, session)
    to_draw = ({m.id: job for m, job in ((m, jobs[m.id]) for m in portal.metrics) if job}
               | _district_jobs(portal, root, version, session, maps) | _evaluation_jobs(portal, version, maps))
    on_strand_pages = [m.id for m in sorted(portal.metrics, key=lambda m: m.strand) if m.board_report]  # stable
    on_own_pages = [job_id for m in portal.metrics
                    for job_id in (districts.map_job_id(m.id), districts.series_job_id(m.id), m.id)]
    on_evaluation_pages = [job_id for e in portal.evaluations
                           for job_id in (evaluation_map.map_job_id(e.id), evaluation_chart.job_id(e.id))]
    ordered = {job_id: to_draw[job_id] for job_id in on_evaluation_pages + on_strand_pages + on_own_pages if job_id in to_draw}
    drawn = drawing.Charts(ordered, root / CHART_CACHE, session.renderer if session else None)
    measures = {m.id: render.Measure(m, assessments[m.id], jobs[m.id] is not None, f"metrics/{m.id}/") for m in portal.metrics}
    return measures, drawn


@dataclass(frozen=True)
class _MapBase:
    """The districts as every map draws them, projected only if some map must be drawn: every map's key names
    what they are made from (`shapes`), so that a cached map costs nothing."""
    prepare: Callable[[], district_map.PreparedMap | None]
    shapes: str
    has_shapes: bool


def _map_base(portal: Portal, root: Path, session: preview.PreviewSession | None) -> _MapBase:
    names = {a.ons_code: a.name for a in portal.areas if a.kind == "district" and a.ons_code}
    digest = session.results.digest if session else file_digest
    shapes = f"{digest(root / BOUNDARIES)} {repr(names)} {file_digest(Path(district_map.__file__))}"
    return _MapBase(_once(functools.partial(district_map.prepare_map, names, portal.boundaries)), shapes,
                    any(code in portal.boundaries for code in names))


def _evaluation_jobs(portal: Portal, version: str, base: _MapBase) -> dict[str, specs.ChartJob]:
    """Each evaluation's chart by month, for those counted month by month, and its map of districts."""
    jobs = {evaluation_chart.job_id(e.id): evaluation_chart.evaluation_job(e, version) for e in portal.evaluations}
    if base.has_shapes:
        jobs |= {evaluation_map.map_job_id(e.id): evaluation_map.map_job(e, portal, base.prepare, base.shapes, version)
                 for e in portal.evaluations}
    return {job_id: job for job_id, job in jobs.items() if job}


def _district_jobs(portal: Portal, root: Path, version: str, session: preview.PreviewSession | None, base: _MapBase
                   ) -> dict[str, specs.ChartJob]:
    """The map and the small multiples of every measure with figures by district."""
    with_breakdowns = [m for m in portal.metrics if m.has_breakdown]
    if not with_breakdowns:
        return {}
    reuse = session.results if session else None
    register = (reuse.digest if reuse else file_digest)(root / AREAS_REGISTER)
    per_metric = metric_work(reuse)
    jobs: dict[str, specs.ChartJob | None] = {}
    for metric in with_breakdowns:
        figures = district_figures(metric, portal, root, reuse)
        if figures and base.has_shapes:
            jobs[districts.map_job_id(metric.id)] = per_metric(
                metric, ("map job", register, base.shapes, version),
                lambda f=figures: districts.map_job(f, base.prepare, base.shapes, version))
        jobs[districts.series_job_id(metric.id)] = per_metric(
            metric, ("series job", register, version), lambda m=metric: districts.series_job(m, portal, version))
    return {job_id: job for job_id, job in jobs.items() if job}


def _once(make: Callable[[], T]) -> Callable[[], T]:
    made: list[T] = []

    def once() -> T:
        if not made:
            made.append(make())
        return made[0]
    return once


@_plainly
def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = current(config)
    for refused in [f for f in files if f.src_uri in state.unpublished]:
        files.remove(refused)
    files = _with_engine_files(files, config, state)
    pack_link = f"\n\n## The board pack\n\n{blocks.marker('board-pack')}\n"
    generated = {pages.MEASURES_INDEX: pages.measures_index(),
                 pages.DATA_PAGE: pages.data_page() + pack_link,
                 CHANGES_PAGE: what_changed.changes_markdown(state.releases) + pack_link,
                 board_report.PAGE: board_report.markdown(state.portal),
                 delivery_page.PAGE: delivery_page.page_markdown(state.portal), **area_pages.generated_pages(state.portal),
                 **evaluation_pages.generated_pages(state.portal)}
    per_metric = metric_work(state.reuse)
    for metric in state.portal.metrics:
        generated[pages.metric_page_path(metric.id)] = per_metric(metric, "page", lambda m=metric: pages.metric_page(
            m.id, m.title, m.draft, m.has_breakdown))
    for metric_id in state.metric_ids if state.problems else ():
        generated.setdefault(pages.metric_page_path(metric_id), pages.metric_page(metric_id, metric_id))
    written = set(files.src_uris)  # looked up once: Files rebuilds its index after every append
    for path, content in generated.items():
        if path not in written:
            files.append(File.generated(config, path, content=content))
    for path, (content, _) in state.downloads.items():
        files.append(File.generated(config, path, content=content))
    if state.feed:
        files.append(File.generated(config, feed.FEED, content=state.feed))
    for made in state.topic_feeds.values():
        files.append(File.generated(config, made.topic.path, content=made.xml))
    if state.session:
        state.changes = _preview_changes(files, config, state)
    return files


def _with_engine_files(files: Files, config: MkDocsConfig, state: PortalBuild) -> Files:
    """The engine's About pages and stylesheet that the portal has not replaced with its own (pages/engine_pages.py),
    in the order MkDocs gives the portal's own files, so the search index and sitemap list them where they would
    be had they been in content/."""
    assert state.publication is not None
    added = []
    for default in engine_pages.defaults(Path(config.docs_dir)):
        if default.is_page:
            text = engine_pages.page_text(default.source, state.publication.publisher, state.portal.area_name)
            added.append(File.generated(config, default.uri, content=text))
        else:
            added.append(File.generated(config, default.uri, abs_src_path=str(default.source)))
    if not added:
        return files
    own = [f for f in files if f.src_dir == config.docs_dir]  # the rest are the theme's
    return Files(sorted(own + added, key=file_sort_key) + [f for f in files if f.src_dir != config.docs_dir])


def _preview_changes(files: Files, config: MkDocsConfig, state: PortalBuild) -> preview.Changes:
    """Which pages this live-preview build rebuilds (see preview.py)."""
    reuse = state.reuse
    assert reuse is not None
    sources = preview.source_digests(state.root, reuse.digest) | preview.strand_facts(state.portal) | {
        preview.engine_source(default.uri): reuse.digest(default.source)
        for default in engine_pages.defaults(Path(config.docs_dir)) if default.is_page}
    shown_everywhere = [config.nav, state.abbreviations, config.extra, config.site_url, config.site_name,
                        repr(state.releases), repr(state.plan_as_at), [p.as_text() for p in state.problems]]
    preview.without_search_merge(config.plugins.values())
    return preview.plan(files, Path(config.site_dir), preview.shared_digest(sources, shown_everywhere), sources,
                        preview.PageSources(state.portal, sources, state.root).of, reuse.content_digest)


@_plainly
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig) -> str:
    state = current(config)
    if "title" in page.meta:  # the theme prints it into <title> and the navigation as it is
        page.meta["title"] = escaping.title_text(str(page.meta["title"]))
    if state.problems:
        page.meta.pop("status", None)
        return blocks.marker("problems") + "\n"
    markdown = pages.with_blocks(markdown, set(state.measures)) + state.abbreviations
    if page.file.src_uri in state.topic_feeds:  # overrides/main.html links the page's own feed in its head
        topic = state.topic_feeds[page.file.src_uri].topic
        page.meta["crimeportal_feed"] = {"path": topic.path, "title": topic.link_title}
    strand = state.portal.strand(Path(page.file.src_uri).stem) if page.file.src_uri.startswith("strands/") else None
    if strand is None:
        return markdown
    # Material reads a page's `status` as its own page-status badge; ours means something else
    page.meta.pop("status", None)
    return pages.strand_page(strand, state.portal, markdown)


def _page_context(page: Page, config: MkDocsConfig) -> PageContext:
    return PageContext(current(config), page.url, config.site_name, config.site_url)


@_plainly
def on_page_content(html: str, page: Page, config: MkDocsConfig) -> str:
    # the editor's page first, then the portal's own blocks, which are safe by construction
    html = blocks.fill(escaping.sanitised(html), _page_context(page, config), blocks.BLOCK)
    return search_text.spaced_cells(html)  # search indexes this HTML next


@_plainly
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = release.canonical(output, page.url, current(config).releases)  # before the page grows by its charts and tables
    return theme.mend(blocks.fill(output, _page_context(page, config), blocks.LATE))


def on_post_template(output: str, template_name: str) -> str:
    """The theme's own pages (404.html) carry the same base template, so the same mends."""
    return theme.mend(output) if template_name.endswith(".html") else output


THIRD_PARTY_FALLBACK = "https://unpkg.com/"


@_plainly
def on_post_build(config: MkDocsConfig) -> None:
    _drop_third_party_fallbacks(Path(config.site_dir))
    _compact_stylesheets(Path(config.site_dir), config.extra_css)
    _compact_sitemap(Path(config.site_dir) / "sitemap.xml")
    # hooks run after the plugins, so the search plugin has written its index by now
    search_text.board_report_by_strand(Path(config.site_dir) / "search" / "search_index.json",
                                       board_report.PAGE.removesuffix(".md") + "/", [s.id for s in current(config).portal.strands])
    state = current(config)
    if state.changes:
        preview.finish(state.changes)
        log.info(f"crimeportal: live preview: rebuilt {len(state.changes.rebuilt)} of {len(state.changes.pages)} pages")
    if state.reuse:
        state.reuse.end_build()
    drawn = state.charts
    if drawn:
        drawn.close()
        if not state.session:  # a live preview would redraw every PNG on each save
            chart_images.write_chart_images(state, Path(config.site_dir))
        log.info(f"crimeportal: rendered {drawn.rendered} chart(s); {drawn.from_cache} came from the cache")
    if state.makes_board_pack and not state.problems:
        _make_board_pack(state, config)


def _make_board_pack(state: PortalBuild, config: MkDocsConfig) -> None:
    settings = config.extra.get("board_pack") or {}
    facts = board_pack.pack_facts(state.portal, state.releases, settings if isinstance(settings, dict) else {},
                                  config.site_name, config.site_url, config.copyright)
    made = board_pack.make(state.portal, state.measures, facts, state.root, Path(config.site_dir))
    board_pack.write_sizes(Path(config.site_dir), made.size)
    log.info(f"crimeportal: the board pack PDF ({board_pack.size_words(made.size)}) "
             + ("came from the cache" if made.from_cache else "was made") + f" in {made.seconds:.1f} s")


def on_env(env: "jinja2.Environment", session: preview.PreviewSession | None) -> "jinja2.Environment":
    """A live preview compiles the theme's templates once, not on every save (MkDocs makes a new environment
    for each build); Jinja still recompiles any template whose source changed."""
    if session:
        env.bytecode_cache = session.templates
    return env


def on_build_error() -> None:
    """A build that fails part-way leaves no chart worker behind (under `mkdocs serve` it would outlive the server)."""
    drawing.abandon_all()


def on_shutdown(session: preview.PreviewSession | None = None) -> None:
    drawing.abandon_all()
    if session:
        session.close()


def _compact_stylesheets(site_dir: Path, stylesheets: list) -> None:
    """The portal's own stylesheet is written for its editors, with comments on every rule; readers get it
    without them, which keeps a first visit within its weight budget."""
    for name in stylesheets:
        path = site_dir / str(name)
        if path.suffix == ".css" and path.is_file() and not path.is_symlink():
            path.write_text(escaping.compact_css(path.read_text(encoding="utf-8")), encoding="utf-8")


_BETWEEN_TAGS = re.compile(r">\s+<")
_LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")


def _compact_sitemap(path: Path) -> None:
    """The sitemap without the indentation between its tags, nor MkDocs' <lastmod> (the day of the build, not of
    any change to a page, and the one thing that would make two builds of the same files differ): Material's
    version selector fetches it on a first visit, and with a page per area these would be kilobytes of it."""
    if path.is_file() and not path.is_symlink():
        text = _BETWEEN_TAGS.sub("><", path.read_text(encoding="utf-8"))
        path.write_text(_LASTMOD.sub("", text), encoding="utf-8")


def _drop_third_party_fallbacks(site_dir: Path) -> None:
    """Material's script would fetch a polyfill (for browsers without ResizeObserver) and Mermaid from
    unpkg.com; this site uses neither, and serves nothing from another host, so they become local
    addresses that simply are not there."""
    for script in (site_dir / "assets" / "javascripts").glob("bundle.*.js*"):
        text = script.read_text(encoding="utf-8")
        if THIRD_PARTY_FALLBACK in text:
            script.write_text(text.replace(THIRD_PARTY_FALLBACK, "../../"), encoding="utf-8")
