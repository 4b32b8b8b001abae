"""The board pack: the board report as a paginated, tagged PDF that a board files with its meeting papers.

It is made after the build, from the HTML of the built board report page (each
strand's section, between the markers `board_report` writes), with a title
page, contents, a summary of every measure, annexes and a back page around it,
through the autoescaping template `board_pack.html` and the paged-media
stylesheet `board_pack.css`. WeasyPrint lays it out.

The PDF is cached in `.cache/board-pack/` under a hash of the document it is
made from, so a warm build copies it instead of laying it out again, and its
dates come from the release, never the clock, so the same inputs give the same
bytes. Nothing is fetched: the only URLs WeasyPrint may open are files of the
built site and `data:` URLs, and the fonts are the machine's own, embedded.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import time
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from .pages import board_report
from .output import write_whole
from .pages.render import Measure, human_size
from .templates import markup, render
from ..core.conventions import BOARD_PACK_CACHE, BOARD_PACK_PDF
from ..core.errors import PortalError
from ..core.formats import format_change, format_percent, long_date
from ..core.model import Portal
from ..core.stats import VERDICT_LABELS
from ..releases.current import ReleaseBuild

PDF = BOARD_PACK_PDF
SWITCH_ENV = "CRIMEPORTAL_BOARD_PACK"  # "off": build without the pack (make bench's portal of 1,000 measures)
# Written into the pages that link to the pack, and replaced by its size once the pack exists (after every page).
SIZE_PLACEHOLDER = "<!-- crimeportal:board-pack-size -->"
LINKING_PAGES = ("board-report/index.html", "data/index.html", "what-changed/index.html")
ANNEX_PAGE = "about/how-we-judge-change/index.html"  # the annex on how change is judged is this page's text
FORMAT = "2"  # part of the cache key: change it when the pack changes in a way its document does not show
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.DOTALL)
_SECTION = re.compile(re.escape(board_report.SECTION_MARKER.format("@")).replace("@", "(?P<id>[a-z0-9-]+)"))
_HREF = re.compile(r'href="(?P<target>[^"]*)"')
_HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")
_CHART_TEXT = re.compile(r"<title>(?P<title>[^<]*)</title><desc>(?P<desc>[^<]*)</desc>")
# a measure's table of figures (its caption says so), not the compact rows of a report with many measures
_FIGURES_TABLE = re.compile(r'(?P<head><table class="portal-table"><caption>[^<]*: figures by period</caption>.*?<tbody>)'
                            r'(?P<rows>.*?)(?P<tail></tbody></table>)', re.DOTALL)
_ROW = re.compile(r"<tr>.*?</tr>", re.DOTALL)
LATEST_ROWS = 8  # a measure's table in the pack: two years of quarters; the chart shows the whole series
_KEEP_CACHED = 8  # packs kept in the cache: enough for each release a publish builds, and a plain build


class BoardPackFailed(PortalError):
    """The board pack could not be made from the built board report."""


@dataclass(frozen=True)
class PackFacts:
    """What the title page, the running heads and the metadata say; every text is escaped by the template."""

    force: str
    strategy: str
    marking: str | None  # the protective marking the force's papers carry, such as OFFICIAL
    title: str
    version: str | None
    published: str | None  # in words
    board_meeting: str | None  # in words
    created: str  # YYYY-MM-DD: the release's date, or the latest strand update in a plain build
    address: str | None  # the public address of this build's pages
    copyright: str | None

    @property
    def as_at(self) -> str:
        return long_date(self.created)


def pack_facts(portal: Portal, releases: ReleaseBuild | None, settings: Mapping[str, object],
               site_name: str, site_url: str | None, copyright: str | None) -> PackFacts:
    """The pack's facts from the release being built, or from the strands in a plain build (a preview)."""
    current = releases.current if releases else None
    latest = max((s.updated for s in portal.strands), default="2000-01-01")
    marking = settings.get("marking")
    if current is None:
        title, published, meeting, created = f"Board report as at {long_date(latest)}", None, None, latest
    else:
        title, created = current.title, current.published
        published = long_date(current.published)
        meeting = long_date(current.board_meeting) if current.board_meeting else None
    return PackFacts(force=str(settings.get("force") or site_name), strategy=str(settings.get("strategy") or ""),
                     marking=str(marking) if marking else None, title=title,
                     version=current.version if current else None, published=published, board_meeting=meeting,
                     created=created, address=site_url, copyright=copyright)


@dataclass(frozen=True)
class SummaryRow:
    metric_id: str
    title: str
    strand: str
    latest: str
    earlier: str
    change: str
    verdict: str
    caveat_note: int | None  # its number in the annex of caveats


def summary_rows(portal: Portal, measures: Mapping[str, Measure]) -> list[SummaryRow]:
    """Every measure, strand by strand, as the summary table lists it; caveats are numbered in the same order."""
    rows, note = [], 0
    for strand in portal.strands:
        for metric in portal.board_metrics_of(strand.id):
            measure = measures[metric.id]
            numbered = None
            if metric.caveats:
                note += 1
                numbered = note
            verdict = VERDICT_LABELS[measure.verdict] if measure.verdict else "Not compared"
            rows.append(SummaryRow(metric.id, metric.title, strand.title, measure.latest_words, measure.earlier_words,
                                   change_words(measure), verdict, numbered))
    return rows


def change_words(measure: Measure) -> str:
    comparison = measure.assessment.comparison
    if comparison is None:
        return "None"
    if comparison.change == 0:
        return "No change"
    direction = "Up" if comparison.change > 0 else "Down"
    size = format_change(comparison.change, measure.metric.unit)
    if measure.metric.unit != "percent" and comparison.change_percent is not None:
        size += f" ({format_percent(comparison.change_percent)})"
    return f"{direction} {size}"


def article(page_html: str, shown: str) -> str:
    """The content of a built page: what the theme puts around it is for the screen."""
    found = _ARTICLE.search(page_html)
    if found is None:
        raise BoardPackFailed(f"The board pack could not be made: the built page {shown} has no article to take text from.")
    return found["body"]


def strand_sections(report_html: str) -> dict[str, str]:
    """Each strand's section of the built board report, by strand id, between the markers the report writes."""
    body = article(report_html, "board-report/index.html")
    body = body.split(board_report.END_MARKER, 1)[0]
    pieces = _SECTION.split(body)  # [before, id, section, id, section, ...]
    return {pieces[i]: pieces[i + 1] for i in range(1, len(pieces) - 1, 2)}


def delivery_summary(report_html: str) -> str:
    """The board report's delivery summary, between its marker and the first strand's section; empty without one."""
    body = article(report_html, "board-report/index.html").split(board_report.END_MARKER, 1)[0]
    before = _SECTION.split(body)[0]
    return before.split(board_report.DELIVERY_MARKER, 1)[1] if board_report.DELIVERY_MARKER in before else ""


def absolute_links(fragment: str, page_address: str | None) -> str:
    """Links as addresses a reader can type from paper; links within the pack stay as they are."""
    def absolute(match: re.Match[str]) -> str:
        target = html.unescape(match["target"])
        if target.startswith("#") or page_address is None:
            return match[0]
        return f'href="{html.escape(urljoin(page_address, target))}"'

    return _HREF.sub(absolute, fragment)


def demoted(fragment: str) -> str:
    """A page's headings one level down, so that its title sits under the annex's own heading."""
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", fragment)


def with_chart_descriptions(fragment: str) -> str:
    """A chart's title becomes its PDF alternative text, so it gets the description too."""
    return _CHART_TEXT.sub(lambda m: f"<title>{m['title']}. {m['desc']}</title><desc>{m['desc']}</desc>", fragment)


def latest_rows(fragment: str, keep: int = LATEST_ROWS) -> str:
    """Each table of figures cut to its latest periods (rows run oldest first), saying where the rest are.

    A board reads the recent periods; a long series would make the pack hundreds of pages longer, and laying
    out its rows is most of the time WeasyPrint takes."""
    def shorten(match: re.Match[str]) -> str:
        rows = _ROW.findall(match["rows"])
        if len(rows) <= keep:
            return match[0]
        note = (f'<p class="pack-earlier">The table lists the latest {keep} periods; the {len(rows) - keep} '
                "earlier ones are on the measure's page, linked below, and in its data files.</p>")
        return match["head"] + "".join(rows[-keep:]) + match["tail"] + note

    return _FIGURES_TABLE.sub(shorten, fragment)


def document(portal: Portal, measures: Mapping[str, Measure], facts: PackFacts, site_dir: Path) -> str:
    """The pack's whole HTML document, made from the built pages and the portal's figures."""
    report_html = (site_dir / "board-report" / "index.html").read_text(encoding="utf-8")
    sections = strand_sections(report_html)
    annex_path = site_dir / ANNEX_PAGE
    annex = article(annex_path.read_text(encoding="utf-8"), ANNEX_PAGE) if annex_path.exists() else ""
    report_address = urljoin(facts.address, "board-report/") if facts.address else None
    annex_address = urljoin(facts.address, "about/how-we-judge-change/") if facts.address else None

    def section(strand_id: str) -> str:
        return markup(latest_rows(with_chart_descriptions(absolute_links(sections.get(strand_id, ""), report_address))))

    active = [(s, section(s.id)) for s in portal.strands if s.status != "planned"]
    planned = [(s, section(s.id)) for s in portal.strands if s.status == "planned"]
    caveats = [(m, portal.strand(m.strand)) for s in portal.strands for m in portal.board_metrics_of(s.id) if m.caveats]
    sources = sorted({m.source for m in portal.metrics if m.board_report})
    delivery = markup(absolute_links(delivery_summary(report_html), report_address))
    return str(render("board_pack.html", facts=facts, heading=board_report.heading, active=active, planned=planned,
                      delivery=delivery,
                      summary=summary_rows(portal, measures), caveats=caveats, sources=sources,
                      annex=markup(demoted(absolute_links(annex, annex_address)))))


def stylesheet() -> str:
    return resources.files("crimeportal.site").joinpath("templates/board_pack.css").read_text(encoding="utf-8")


def cache_key(document_html: str, css: str) -> str:
    # the installed version, read without importing WeasyPrint (and Pango), which a warm build never needs
    digest = hashlib.sha256()
    for part in (FORMAT, metadata.version("weasyprint"), css, document_html):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Made:
    size: int
    from_cache: bool
    seconds: float  # making the document and, unless it came from the cache, laying it out


def make(portal: Portal, measures: Mapping[str, Measure], facts: PackFacts, root: Path, site_dir: Path) -> Made:
    """Write site/board-report/board-pack.pdf, from the cache when the same document was laid out before."""
    start = time.perf_counter()
    document_html, css = document(portal, measures, facts, site_dir), stylesheet()
    key = cache_key(document_html, css)
    cached = root / BOARD_PACK_CACHE / f"{key}.pdf"
    from_cache = cached.exists()
    if from_cache:
        content = cached.read_bytes()
        os.utime(cached)  # recently used, so kept when the cache is trimmed
    else:
        content = lay_out(document_html, css, site_dir, key)
        write_whole(cached, content)
        _trim(cached.parent)
    (site_dir / PDF).write_bytes(content)
    return Made(len(content), from_cache, time.perf_counter() - start)


def lay_out(document_html: str, css: str, site_dir: Path, key: str) -> bytes:
    import weasyprint

    base = (site_dir / "board-report" / "index.html").resolve().as_uri()
    pdf = weasyprint.HTML(string=document_html, base_url=base, url_fetcher=local_fetcher(site_dir)).write_pdf(
        stylesheets=[weasyprint.CSS(string=css)], pdf_variant="pdf/ua-1", pdf_identifier=key[:32].encode("ascii"),
        custom_metadata=False, uncompressed_pdf=False)
    if not pdf:
        raise BoardPackFailed("The board pack could not be made: WeasyPrint wrote nothing.")
    return pdf


def local_fetcher(site_dir: Path):
    """WeasyPrint's URL fetcher, limited to the built site's own files and data: URLs.

    A subclass, as WeasyPrint asks of a fetcher, made when a pack is laid out so that a warm build never loads it.
    A refused or missing file is logged by WeasyPrint and left out of the pack, as a browser would. A file is
    read here, from the very path that was checked, never handed back to urllib to decode and open differently."""
    import mimetypes

    import weasyprint
    from weasyprint.urls import URLFetcherResponse

    site = site_dir.resolve()

    class Fetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":
                path = site_file(url, site)
                if path is None:
                    raise ValueError(f"the board pack only reads files of the built site, not {url}")
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})
            if scheme != "data":
                raise ValueError(f"the board pack fetches nothing from another host: {url}")
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"file", "data"})


def site_file(url: str, site: Path) -> Path | None:
    """The file of the built site that a file: URL names, or None when it names anything else.

    The path is decoded as the system decodes it (once) before it is checked: checked encoded, `%2e%2e/` passed
    for a name and then opened as `../`. A name that still holds `%` after decoding (encoded twice), a backslash
    (a Windows separator) or a NUL is never one the build writes, so it is refused rather than interpreted."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):  # file://host/share: another machine's file
        return None
    name = unquote(parts.path)
    if any(char in name for char in "%\\\0"):
        return None
    path = Path(name).resolve()
    return path if path.is_relative_to(site) and path.is_file() else None


def _trim(cache: Path) -> None:
    packs = sorted(cache.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in packs[_KEEP_CACHED:]:
        old.unlink(missing_ok=True)


def size_words(size: int) -> str:
    return human_size(size)


def write_sizes(site_dir: Path, size: int, pages: Iterable[str] = LINKING_PAGES) -> None:
    """Put the pack's size into the pages that link to it, now that it exists."""
    for page in pages:
        path = site_dir / page
        if path.exists():
            text = path.read_text(encoding="utf-8")
            if SIZE_PLACEHOLDER in text:
                path.write_text(text.replace(SIZE_PLACEHOLDER, size_words(size)), encoding="utf-8")
