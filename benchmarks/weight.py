"""Page weight from a built site's files, with no browser: each page's HTML, and what a first visit downloads.

A first visit to a page downloads its HTML and every file of the same site it
names with `<link href>` (stylesheets, icons, preloads: the `rel`s a browser
fetches, not `canonical`, `alternate`, `prev` or `next`), `<script src>` and
`<img src>`, each once; and what Material's bundle itself asks for on every
page: the search worker its `__config` names, and the site's `sitemap.xml` (at
the config's `base`, which grows with every page) where a link's rel is exactly
`alternate`, which Material takes for a translation (the portal's feed link is
`alternate feed`, so Material leaves it alone). Not counted: the search index, which
downloads only when a reader starts to search
(overrides/assets/javascripts/search-on-demand.js), files named only from a
stylesheet (Material's icons are inside its stylesheets; the portal sets
`font: false`), and mike's `versions.json`, which a single build does not
have. tests/test_browser.py::test_pages_stay_light weighs the same first
visits in a real Chromium, on the seed site.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

KB = 1024  # as the site's own download sizes count them
PAGE_KB = 150.0  # the most HTML one page may have
FIRST_VISIT_KB = 450.0  # the most a first visit to any page may download
# the kinds of <link> a browser downloads as the page loads
DOWNLOADED_RELS = frozenset({"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload"})


@dataclass(frozen=True)
class PageWeight:
    page: str  # the HTML file, from the site's root: "index.html", "strands/hate-crime/index.html"
    html_bytes: int
    first_visit_bytes: int  # the HTML and every file it names, each once
    files: tuple[str, ...]  # those files, from the site's root


@dataclass(frozen=True)
class SiteWeight:
    largest: PageWeight  # the page with the most HTML
    heaviest: PageWeight  # the page whose first visit downloads the most
    pages: int


# The tags that name downloads, found before parsing: a gathering page can be megabytes of inline charts, which an
# HTML parser would take many seconds to read through for a few tags in its head. Quoted values may hold ">".
_TAGS = re.compile(r"""<(?:link|script|img)\b(?:"[^"]*"|'[^']*'|[^'">])*>""", re.IGNORECASE)
_CONFIG = re.compile(r"""<script\b[^>]*\bid=["']?__config\b[^>]*>(.*?)</script>""", re.IGNORECASE | re.DOTALL)


class _References(HTMLParser):
    """The addresses named by the tags it is fed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and DOWNLOADED_RELS & set(values.get("rel", "").lower().split()):
            self.addresses.append(values.get("href", ""))
        elif tag in ("script", "img") and values.get("src"):
            self.addresses.append(values["src"])


def _addresses(html: str) -> list[str]:
    """What a page makes the browser download as it loads: its tags' addresses, then what Material's bundle asks for."""
    parser = _References()
    for tag in _TAGS.finditer(html):
        parser.feed(tag.group(0))
        parser.reset()
    return parser.addresses + _bundle_addresses(html)


_TRANSLATION = re.compile(r"""<link\b[^>]*\brel\s*=\s*(?:"alternate"|'alternate'|alternate[\s>])""", re.IGNORECASE)


def _bundle_addresses(html: str) -> list[str]:
    """The search worker, as the page's `__config` names it, and the sitemap where Material asks for it."""
    config = _CONFIG.search(html)
    try:
        settings = json.loads(config.group(1)) if config else None
    except ValueError:
        settings = None
    if not isinstance(settings, dict) or not isinstance(settings.get("base"), str):
        return []
    worker = settings.get("search")
    # Material reads the sitemap for each link whose rel is exactly "alternate" (a translation, to it)
    sitemap = [settings["base"].rstrip("/") + "/sitemap.xml"] if _TRANSLATION.search(html) else []
    return ([worker] if isinstance(worker, str) else []) + sitemap


def _site_file(site: Path, page: Path, address: str) -> Path | None:
    """The built file an address on `page` names, or None when it is on another host, not a file, or outside."""
    parts = urlsplit(address.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    base = PurePosixPath("/") / page.relative_to(site).parent.as_posix()
    target = PurePosixPath(unquote(parts.path)) if parts.path.startswith("/") else base / unquote(parts.path)
    resolved = (site / target.as_posix().lstrip("/")).resolve()
    if resolved.is_dir():
        resolved = resolved / "index.html"
    if not resolved.is_relative_to(site.resolve()) or not resolved.is_file():
        return None
    return resolved


def page_weight(site: Path, page: Path) -> PageWeight:
    """One page's HTML and its first visit's downloads, from the files of the built site `site`."""
    html = page.read_bytes()
    files: dict[Path, None] = {}
    for address in _addresses(html.decode("utf-8", errors="replace")):
        found = _site_file(site, page, address)
        if found is not None and found != page.resolve():
            files.setdefault(found)
    total = len(html) + sum(path.stat().st_size for path in files)
    root = site.resolve()
    return PageWeight(page.relative_to(site).as_posix(), len(html), total,
                      tuple(path.relative_to(root).as_posix() for path in files))


def site_weight(site: Path) -> SiteWeight | None:
    """The largest page and the heaviest first visit of a built site; None when it has no HTML page."""
    weights = [page_weight(site, page) for page in sorted(site.rglob("*.html"))]
    if not weights:
        return None
    return SiteWeight(max(weights, key=lambda weight: weight.html_bytes),
                      max(weights, key=lambda weight: weight.first_visit_bytes), len(weights))


def _verdict(size_kb: float, limit_kb: float) -> str:
    return "ok" if size_kb <= limit_kb else "MISSED"


def weight_lines(portal: str, weight: SiteWeight) -> list[str]:
    """What the benchmark prints of one build's weight: each figure with its target and verdict."""
    largest, heaviest = weight.largest, weight.heaviest
    page_kb, visit_kb = largest.html_bytes / KB, heaviest.first_visit_bytes / KB
    return [
        f"largest page of '{portal}': {page_kb:,.1f} KB of HTML ({largest.page}); "
        f"target <= {PAGE_KB:g} KB: {_verdict(page_kb, PAGE_KB)}",
        f"heaviest first visit of '{portal}': {visit_kb:,.1f} KB ({heaviest.page}: {heaviest.html_bytes / KB:,.1f} KB "
        f"of HTML and {len(heaviest.files)} files; not the search index, which downloads only when a reader "
        f"searches); target <= {FIRST_VISIT_KB:g} KB: {_verdict(visit_kb, FIRST_VISIT_KB)}",
    ]
