"""What the MkDocs hooks do, one function per event.

All state for a build lives in a `PortalBuild` stored in that build's config:
`mkdocs serve` imports the hooks once and builds many times, and each build
must start from the files as they are now. Only the chart cache on disk
outlives a build, and the hooks' note of which mkdocs command is running,
which decides whether problems stop the build or are shown on its pages.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import problems_page as preview
from ..releases import current as release
from . import what_changed
from . import render
from . import board_report as report
from .charts import Charts, cache_version, chart_job
from ..core.model import Portal
from ..core.problems import Problem, count_words, format_problems
from .downloads import download_files
from ..core.stats import assess
from ..core.conventions import METRIC_MARKER
from ..source.validate import load_portal

log = logging.getLogger("mkdocs.plugins.crimeportal")

_STATE = "crimeportal_build"
CARDS_MARKER = "<!-- crimeportal:strand-cards -->"
BLOCK = re.compile(r"<!-- crimeportal:block (?P<kind>[a-z-]+):(?P<arg>[^ ]*) -->")
GENERATED_PAGES = ("metrics/index.md", "data.md")


@dataclass
class PortalBuild:
    root: Path
    portal: Portal
    measures: dict[str, render.Measure]
    downloads: dict[str, tuple[bytes, str]]
    problems: list[Problem] = field(default_factory=list)  # only in a live preview, which shows them on every page
    releases: release.ReleaseBuild | None = None  # the version being published, and what changed since the last
    charts: Charts | None = None  # None in a live preview of files with problems
    tables: dict[str, str] = field(default_factory=dict)  # metric id -> its table, made once for every page

    def late(self, kind: str, metric_id: str) -> str:
        if kind == "chart":
            return (self.charts.svg(metric_id) if self.charts else None) or ""
        if metric_id not in self.tables:
            self.tables[metric_id] = render.data_table(self.measures[metric_id])
        return self.tables[metric_id]

    @cached_property
    def download_sizes(self) -> dict[str, int]:
        return {path: len(content) for path, (content, _) in self.downloads.items()}


def current(config: MkDocsConfig) -> PortalBuild:
    return config[_STATE]


def problems_message(problems: list[Problem]) -> str:
    return f"The portal's files have {count_words(problems)}; nothing was built.\n{format_problems(problems, 'text')}"


def on_config(config: MkDocsConfig, serving: bool = False) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    portal, problems = load_portal(root)
    if problems and not serving:
        raise PluginError(problems_message(problems))
    if problems:
        preview.log_problems(problems)
        config[_STATE] = PortalBuild(root, portal, {}, {}, problems)
    else:
        measures, charts = _measures(portal, root)
        config[_STATE] = PortalBuild(root, portal, measures, download_files(portal, root), charts=charts)
    _prepare_release(config, root, portal)
    config.nav = navigation(portal, root / config.docs_dir)
    return config


def _prepare_release(config: MkDocsConfig, root: Path, portal: Portal) -> None:
    try:
        releases = release.prepare(root, portal, config.site_url)
    except release.ReleaseBuildError as error:
        raise PluginError(str(error)) from None
    current(config).releases = releases
    config.site_url = release.release_site_url(releases) or config.site_url
    config.extra["crimeportal_release"] = release.template_data(releases)  # for the outdated-release banner


def _measures(portal: Portal, root: Path) -> tuple[dict[str, render.Measure], Charts]:
    version = cache_version()
    assessments = {m.id: assess(m) for m in portal.metrics}
    jobs = {m.id: chart_job(m, assessments[m.id], version) for m in portal.metrics}
    charts = Charts({metric_id: job for metric_id, job in jobs.items() if job}, root / ".cache" / "charts")
    measures = {m.id: render.Measure(m, assessments[m.id], jobs[m.id] is not None, f"metrics/{m.id}/") for m in portal.metrics}
    return measures, charts


def navigation(portal: Portal, docs: Path) -> list:
    strands = [
        {report.heading(s): f"strands/{s.id}.md"}
        for s in portal.strands
    ]
    about = sorted(p.relative_to(docs).as_posix() for p in (docs / "about").glob("*.md"))
    about.sort(key=lambda path: path != "about/index.md")
    return [{"Home": "index.md"}, {"Strands": strands}, {"Measures": "metrics/index.md"}, {"Data": "data.md"},
            {report.TITLE: report.PAGE}, {"What changed": what_changed.CHANGES_PAGE}, {"About": about}]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = current(config)
    pages = {"metrics/index.md": "# All measures\n\n"
             "Every published measure, with its latest figure and whether it has changed significantly.\n\n"
             "<!-- crimeportal:block metrics-index: -->\n",
             "data.md": _data_page(),
             what_changed.CHANGES_PAGE: what_changed.changes_markdown(state.releases),
             report.PAGE: report.markdown(state.portal)}
    for metric in state.portal.metrics:
        pages[f"metrics/{metric.id}.md"] = _metric_page(metric.id, metric.title)
    for metric_id in preview.metric_page_ids(state.root) if state.problems else ():
        pages.setdefault(f"metrics/{metric_id}.md", _metric_page(metric_id, metric_id))
    for path, content in pages.items():
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=content))
    for path, (content, _) in state.downloads.items():
        files.append(File.generated(config, path, content=content))
    return files


def _metric_page(metric_id: str, title: str) -> str:
    # MkDocs and Material print the page title into <title> without escaping it
    front_matter = yaml.safe_dump({"title": render.esc(title)}, allow_unicode=True)
    sections = "".join(f"## {heading}\n\n<!-- crimeportal:block {kind}:{metric_id} -->\n\n" for heading, kind in (
        ("Chart and table", "figures"), ("About this measure", "about"), ("Download the data", "downloads"), ("Cite this", "cite")))
    # a markdown title, not raw HTML, so that it heads the table of contents, where Material's skip link points
    return f"---\n{front_matter}---\n\n# {render.esc(title)}\n\n<!-- crimeportal:block headline:{metric_id} -->\n\n{sections}"


def _data_page() -> str:
    return ("# Data downloads\n\n"
            "Every figure on this site can be downloaded. The CSV files have a header row and one row per figure; "
            "periods are written YYYY-MM, the last month the period covers. The JSON files hold each measure's "
            "details as well as its figures. Both hold exactly what the portal's data files hold, including each "
            "figure's status, notes and whether it was withheld.\n\n"
            "<!-- crimeportal:block data-files: -->\n")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig) -> str:
    state = current(config)
    if state.problems:
        page.meta.pop("status", None)
        return preview.PROBLEMS_BLOCK
    markdown = METRIC_MARKER.sub(lambda match: f"<!-- crimeportal:block measure:{match['id']} -->", markdown)
    markdown = markdown.replace(CARDS_MARKER, "<!-- crimeportal:block cards: -->")
    strand = state.portal.strand(Path(page.file.src_uri).stem) if page.file.src_uri.startswith("strands/") else None
    if strand is None:
        return markdown
    # Material reads a page's `status` as its own page-status badge; ours means something else
    page.meta.pop("status", None)
    # the title heads the table of contents, where Material's skip link points, so the skip keeps the summary
    return f"# {render.esc(strand.title)}\n\n" + render.strand_intro(strand) + markdown + _measures_section(state, strand.id)


def _measures_section(state: PortalBuild, strand_id: str) -> str:
    metrics = state.portal.metrics_of(strand_id)
    if not metrics:
        return "\n\n## Measures\n\nThis strand has no published measures yet.\n"
    parts = [f"### {render.esc(m.title)} {{#{m.id}}}\n\n<!-- crimeportal:block measure:{m.id} -->\n" for m in metrics]
    return "\n\n## Measures\n\n" + "\n".join(parts)


def on_page_content(html: str, page: Page, config: MkDocsConfig) -> str:
    state = current(config)
    return BLOCK.sub(lambda match: _block(state, match["kind"], match["arg"], page.url, config), html)


def _relative(target: str, page_url: str) -> str:
    return get_relative_url(target, page_url or ".") if target else "."


def _block(state: PortalBuild, kind: str, arg: str, page_url: str, config: MkDocsConfig) -> str:
    portal = state.portal
    if kind == "problems":
        return preview.problems_html(state.problems)
    if kind == "cards":
        return render.strand_cards(portal.strands, list(state.measures.values()), page_url, _relative)
    if kind == "metrics-index":
        return render.metrics_index(list(state.measures.values()), {s.id: s for s in portal.strands}, page_url, _relative)
    if kind == "data-files":
        listing = [(path, what, len(content)) for path, (content, what) in state.downloads.items()]
        return render.data_files(listing, page_url, _relative)
    if kind in what_changed.BLOCK_KINDS:
        return what_changed.block(kind, arg, state.releases, page_url, _relative)
    measure = state.measures[arg]
    metric = measure.metric
    if kind == "measure":
        return render.measure_section(measure, page_url, _relative)
    if kind == "headline":
        return render.headline_paragraph(measure)
    if kind == "figures":
        return render.chart_figure(measure) + state.late("table", arg)
    if kind == "about":
        strand = portal.strand(metric.strand)
        return render.about_measure(measure, strand, _relative(f"strands/{metric.strand}/", page_url))
    if kind == "downloads":
        return render.downloads(metric, _relative("data/metrics/", page_url), state.download_sizes)
    return render.citation(metric, config.site_name, config.site_url and config.site_url + measure.url or measure.url)


LATE = re.compile(r"<!-- crimeportal:late (?P<kind>chart|table):(?P<id>[^ ]+) -->")


THIRD_PARTY_FALLBACK = "https://unpkg.com/"


def on_post_build(config: MkDocsConfig) -> None:
    _drop_third_party_fallbacks(Path(config.site_dir))
    charts = current(config).charts
    if charts:
        charts.close()
        log.info(f"crimeportal: rendered {charts.rendered} chart(s); {charts.from_cache} came from the cache")


def _drop_third_party_fallbacks(site_dir: Path) -> None:
    """Material's script would fetch a polyfill (for browsers without ResizeObserver) and Mermaid from
    unpkg.com; this site uses neither, and serves nothing from another host, so they become local
    addresses that simply are not there."""
    for script in (site_dir / "assets" / "javascripts").glob("bundle.*.js*"):
        text = script.read_text(encoding="utf-8")
        if THIRD_PARTY_FALLBACK in text:
            script.write_text(text.replace(THIRD_PARTY_FALLBACK, "../../"), encoding="utf-8")


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    state = current(config)
    output = release.canonical(output, page.url, state.releases)  # before the page grows by its charts and tables
    return LATE.sub(lambda match: state.late(match["kind"], match["id"]), output)
