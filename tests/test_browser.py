"""The built site in a real Chromium: WCAG 2.2 AA with axe-core, keyboard, privacy, no JavaScript, print, weight.

The site is built once, served from 127.0.0.1, and opened in one browser for
the whole run. Run only these tests with
`.venv/bin/python -m pytest tests/test_browser.py`; docs/testing.md says how to read
their report. Without a Chromium they are skipped, loudly, except in CI
(CI=true), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest


REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import audit  # noqa: E402

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ("light", "dark")
WIDTHS = (1280, 320)
KB = 1024  # as the site's own download sizes count them (render.human_size)
PAGE_LIMIT = 150 * KB
FIRST_VISIT_LIMIT = 450 * KB


# ------------------------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Site:
    folder: Path
    base: str  # http://127.0.0.1:PORT/
    pages: list[str]  # every built page, as a path from the base: "", "strands/hate-crime/", "404.html"

    def url(self, path: str) -> str:
        return self.base + path

    def html(self, path: str) -> str:
        return self.file(path).read_text(encoding="utf-8")

    def file(self, path: str) -> Path:
        return self.folder / path / "index.html" if not path.endswith(".html") else self.folder / path

    @property
    def strand_pages(self) -> list[str]:
        return [p for p in self.pages if p.startswith("strands/")]

    @property
    def metric_pages(self) -> list[str]:
        return [p for p in self.pages if p.startswith("metrics/") and p != "metrics/"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real portal, built once into a temporary folder and served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run([str(CRIMEPORTAL), "--root", str(REPO), "build", "--site-dir", str(folder)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the site did not build:\n{result.stderr}"
    # embed/: a measure's chart alone, for another site's frame, with no menu, skip link or footer by design; it has
    # its own checks (test_axe_finds_no_violation_on_the_embeddable_pages, tests/test_embed_pages.py)
    pages = sorted(("" if p.parent == folder else p.parent.relative_to(folder).as_posix() + "/")
                   for p in folder.rglob("index.html") if p.relative_to(folder).parts[0] != "embed")
    pages += sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_address[1]}/", pages)
    finally:
        server.shutdown()
        server.server_close()


def _context(browser, scheme: str = "light", width: int = 1280, **options):
    # Reduced motion: Material then skips its slide-in transitions, so what is on screen has settled.
    return browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                               reduced_motion="reduce", **options)


def _open(page, site: Site, path: str, scheme: str | None = None) -> None:
    response = page.goto(site.url(path), wait_until="load")
    assert response is not None and response.ok, f"{path or '/'} did not load"
    if scheme:
        shown = page.evaluate("() => document.body.dataset.mdColorScheme")
        assert shown == {"light": "default", "dark": "slate"}[scheme], f"{path or '/'} is not in the {scheme} scheme"


# ------------------------------------------------------------------------------------------ contrast


def _rgb(css: str) -> tuple[float, float, float, float] | None:
    match = re.search(r"rgba?\(([^)]*)\)", css)
    if not match:
        return None
    parts = [float(x) for x in re.split(r"[,\s/]+", match[1].strip()) if x]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def _hex(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over(colour: tuple[float, float, float, float], background: tuple[float, ...]) -> tuple[float, float, float]:
    alpha = colour[3]
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3]))  # type: ignore[return-value]


def test_contrast_arithmetic_matches_wcag():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast(_hex("#767676"), (255, 255, 255)), 2) == 4.54
    assert _rgb("rgba(255, 221, 0, 0.5) 0px 0px 0px 6px") == (255, 221, 0, 0.5)


# ------------------------------------------------------------------------------------------------ axe

AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' '))}));
}"""


def _axe(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, tags)


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {node[:300]}" for node in v["nodes"][:5]]
            if len(v["nodes"]) > 5:
                lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_page(browser, site: Site, scheme: str, width: int):
    context = _context(browser, scheme, width)
    page = context.new_page()
    found, overflowing = {}, []
    try:
        for path in site.pages:
            _open(page, site, path, scheme)
            violations = _axe(page)
            if violations:
                found[path or "/"] = violations
            # 320 px is a 1280 px screen zoomed to 400%: the page must not scroll sideways (WCAG 1.4.10)
            if page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                overflowing.append(path or "/")
    finally:
        context.close()
    assert not found, f"axe-core found WCAG A/AA violations ({scheme} scheme, {width} px):\n{_report(found)}"
    assert not overflowing, f"these pages scroll sideways at {width} px: {overflowing}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_in_the_open_menu_and_search(browser, site: Site, scheme: str):
    """The narrow screen's menu drawer and the search results only appear when asked for, so axe checks them open."""
    found = {}
    context = _context(browser, scheme, 320)
    try:
        page = context.new_page()
        _open(page, site, "strands/domestic-abuse/", scheme)
        page.click('label.md-header__button[for="__drawer"]')
        page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
        found["menu drawer at 320 px"] = _axe(page)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 800})
        _open(page, site, "", scheme)
        _search(page, "burglary")
        found["search results at 1280 px"] = _axe(page)
    finally:
        context.close()
    found = {where: v for where, v in found.items() if v}
    assert not found, f"axe-core found WCAG A/AA violations ({scheme} scheme):\n{_report(found)}"


def test_axe_finds_no_violation_on_the_embeddable_pages(browser, site: Site):
    embeds = sorted(p.parent.relative_to(site.folder).as_posix() + "/" for p in site.folder.glob("embed/*/index.html"))
    assert embeds, "the build made no embeddable pages"
    context = _context(browser, "light", 320)
    found: dict[str, list[dict]] = {}
    try:
        page = context.new_page()
        for path in embeds:
            _open(page, site, path)
            violations = _axe(page)
            if violations:
                found[path] = violations
            assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls sideways"
    finally:
        context.close()
    assert not found, _report(found)


def test_the_statement_names_the_axe_core_version_the_tests_use(site: Site):
    version = re.match(r"/\*! axe v(\S+)", AXE.read_text(encoding="utf-8")).group(1)
    text = _text(site.html("about/accessibility/"))
    assert f"axe-core {version}" in text, "the accessibility statement must name the axe-core version tests/vendor holds"
    for required in ("WCAG 2.0, 2.1 and 2.2 A and AA", "Chromium", "Equality and Human Rights Commission",
                     "Equality Advisory and Support Service", "Equality Commission for Northern Ireland",
                     "every time it changes", "different format", "Enforcement procedure", "Compliance status"):
        assert required in text, f"the accessibility statement does not say {required!r}"


def test_every_page_links_to_the_accessibility_statement(site: Site):
    statement = site.url("about/accessibility/")
    missing = [p for p in site.pages
               if statement not in {urljoin(site.url(p), href)
                                    for href in re.findall(r'<a href="([^"]*)">Accessibility statement</a>', site.html(p))}]
    assert not missing, f"pages without a link to the accessibility statement in their footer: {missing}"


# ------------------------------------------------------------------------------------------- keyboard

# What a focused element looks like: its focus ring, what lies behind it, whether it can be seen.
FOCUS_STATE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  if (!element.dataset.walk) element.dataset.walk = 'extra-' + Math.random();
  // the palette switch is a pair of zero-sized radio buttons: the label on show draws their focus
  const proxy = element.getBoundingClientRect().width === 0 && element.form?.querySelector('label:not([hidden])');
  const shown = proxy || element;
  const style = getComputedStyle(shown);
  const box = shown.getClientRects()[0] || shown.getBoundingClientRect();
  // the middle of the part on screen: a focused table taller than the window is scrolled to its top
  let x = (Math.max(box.left, 0) + Math.min(box.right, innerWidth)) / 2;
  let y = (Math.max(box.top, 0) + Math.min(box.bottom, innerHeight)) / 2;
  // a district on a map is a shape, not a box: the middle of its box may lie in its neighbour or the sea,
  // so judge it at a point inside its own shape
  const shape = element instanceof SVGElement && element.querySelector('path');
  if (shape) {
    const matrix = shape.getScreenCTM();
    const inside = (px, py) => shape.isPointInFill(new DOMPoint(px, py).matrixTransform(matrix.inverse()));
    // of the points inside it, the one nearest the middle of its box: away from its edges, where a neighbour's outline lies
    const [cx, cy] = [x, y];
    let best = Infinity;
    for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
      const px = box.left + box.width * i / 16, py = box.top + box.height * j / 16;
      const distance = Math.hypot(px - cx, py - cy);
      if (distance < best && px > 0 && py > 0 && px < innerWidth && py < innerHeight && inside(px, py)) {
        [x, y, best] = [px, py, distance];
      }
    }
  }
  const hit = document.elementFromPoint(x, y);
  let background = [];
  for (let node = shown; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') background.push(colour);
    if (colour && /^rgb\\(/.test(colour)) break;
  }
  const previous = window.__walkPrevious;
  window.__walkBefore = previous;  // so that the same stop can be judged again against the same one before it
  window.__walkPrevious = element;
  return {
    id: element.dataset.walk,
    what: `${element.tagName.toLowerCase()}${element.className ? '.' + String(element.className).trim().split(/\\s+/).join('.') : ''}`
          + ` "${(element.innerText || element.getAttribute('aria-label') || element.title || '').trim().slice(0, 40)}"`
          + (element.getAttribute('href') ? ` -> ${element.getAttribute('href')}` : ''),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
    boxShadow: style.boxShadow, background,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
              && box.left < innerWidth && box.top < innerHeight && style.visibility === 'visible',
    uncovered: !!hit && (hit === shown || shown.contains(hit)),
    inOrder: !previous || !!(previous.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING),
  };
}"""

DARK_KEYBOARD_PAGES = ("", "strands/house-burglary-and-street-robbery/", "metrics/knife-enabled-crime/", "metrics/",
                       "board-report/", "about/accessibility/", "404.html")

# Every link and control a keyboard user should be able to reach, marked so the walk can tick them off.
TAB_STOPS = """() => {
  const candidates = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]');
  const stops = [...candidates].filter(e => e.tabIndex >= 0 && !e.disabled && !e.closest('[inert]')
    && e.checkVisibility({visibilityProperty: true}));
  // Tab stops once in a group of radio buttons, so the group counts as one stop
  stops.forEach((e, i) => { e.dataset.walk = e.type === 'radio' ? 'radios-' + e.name : 'stop-' + i; });
  return [...new Set(stops.map(e => e.dataset.walk))];
}"""


@dataclass
class FocusStop:
    id: str
    what: str
    outlineStyle: str
    outlineWidth: float
    outlineColor: str
    boxShadow: str
    background: list[str]
    onScreen: bool
    uncovered: bool
    inOrder: bool

    def background_rgb(self, page_background: tuple[float, ...]) -> tuple[float, ...]:
        colour = page_background
        for layer in reversed(self.background):
            colour = _over(_rgb(layer), colour)
        return colour

    def ring_contrast(self, page_background: tuple[float, ...]) -> float:
        """The better of the outline's and the focus shadow's contrast with what lies behind the element."""
        behind = self.background_rgb(page_background)
        rings = []
        if self.outlineStyle not in ("none", "hidden") and self.outlineWidth >= 2 and _rgb(self.outlineColor):
            rings.append(_rgb(self.outlineColor))
        if self.boxShadow != "none" and _rgb(self.boxShadow):
            rings.append(_rgb(self.boxShadow))
        return max((contrast(_over(ring, behind), behind) for ring in rings), default=1.0)


def _walk(page, limit: int = 600) -> tuple[list[str], list[FocusStop]]:
    expected = page.evaluate(TAB_STOPS)
    page.evaluate("() => { window.__walkPrevious = null; }")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        for _ in range(5):
            if state is None or (state["uncovered"] and state["onScreen"]):
                break
            # Material fits its sticky sidebars and scrolls to the focus a frame or two later; judge after it has
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            page.evaluate("() => { window.__walkPrevious = window.__walkBefore; }")
            state = page.evaluate(FOCUS_STATE)
        if state is None or (stops and state["id"] == stops[0].id):
            break
        stops.append(FocusStop(**state))
    return expected, stops


def _keyboard_problems(page, path: str) -> list[str]:
    expected, stops = _walk(page)
    white_or_slate = _rgb(page.evaluate("() => getComputedStyle(document.body).backgroundColor")) or (255, 255, 255, 1)
    problems = []
    if not stops:
        problems.append("Tab reaches nothing")
    elif not stops[0].what.startswith("a.md-skip") and path != "404.html":  # the error page has no skip link
        problems.append(f"the first Tab stop is {stops[0].what}, not the skip link")
    for number, stop in enumerate(stops, 1):
        where = f"Tab {number}, {stop.what}"
        if not stop.onScreen:
            problems.append(f"{where}: the focused element is off screen or invisible")
        elif not stop.uncovered:
            problems.append(f"{where}: the focused element is covered by something else")
        if stop.ring_contrast(white_or_slate) < 3:
            problems.append(f"{where}: no focus ring with 3:1 contrast (outline {stop.outlineStyle} {stop.outlineWidth}px "
                            f"{stop.outlineColor}, shadow {stop.boxShadow}, behind {stop.background or 'the page'})")
        if not stop.inOrder:
            problems.append(f"{where}: comes before the previous stop in the page, so focus jumps backwards")
    missed = sorted(set(expected) - {s.id for s in stops})
    if missed:
        names = page.evaluate("(ids) => ids.map(id => document.querySelector(`[data-walk='${id}']`).outerHTML.slice(0, 160))", missed)
        problems.append(f"{len(missed)} link(s) or control(s) never reached with Tab: {names}")
    return [f"{path or '/'}: {p}" for p in problems]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_tab_reaches_every_link_and_control_in_order_with_a_visible_focus(browser, site: Site, scheme: str, width: int):
    # Every page in the light scheme; in the dark one, where only the colours behind the focus ring change,
    # one page of each kind, to keep the run short.
    pages = site.pages if scheme == "light" else [p for p in site.pages if p in DARK_KEYBOARD_PAGES]
    context = _context(browser, scheme, width)
    page = context.new_page()
    problems = []
    try:
        for path in pages:
            _open(page, site, path, scheme)
            problems += _keyboard_problems(page, path)
    finally:
        context.close()
    assert not problems, f"keyboard problems ({scheme} scheme, {width} px):\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_skip_link_moves_focus_to_the_page_title(browser, site: Site, width: int):
    context = _context(browser, "light", width)
    page = context.new_page()
    problems = []
    try:
        for path in [p for p in site.pages if p != "404.html"]:  # the error page is a heading and a sentence
            _open(page, site, path)
            page.keyboard.press("Tab")
            skip = page.evaluate("() => document.activeElement.matches('a.md-skip') && getComputedStyle(document.activeElement).opacity")
            title = page.evaluate("() => document.querySelector('article h1')?.id")
            if skip != "1" or not title:
                problems.append(f"{path or '/'}: the first Tab does not show a skip link, or the page has no title with an id")
                continue
            page.keyboard.press("Enter")
            page.wait_for_function("(id) => location.hash === '#' + id", arg=title)
            page.keyboard.press("Tab")
            if not page.evaluate("() => !!document.activeElement.closest('article')"):
                problems.append(f"{path or '/'}: after the skip link, Tab goes to something outside the content")
            top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", title)
            header = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
            if not header <= top < 800:
                problems.append(f"{path or '/'}: the title is not in view below the header after the skip link ({top=}, {header=})")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# -------------------------------------------------------------------------------------------- privacy


def _search(page, words: str) -> None:
    page.click(".md-search__input")
    page.keyboard.type(words)
    page.wait_for_selector(".md-search-result__item")


def _first_result(page, words: str) -> tuple[str, str]:
    """The first search result's address (from the site's root) and title, once the results are for `words`.

    Material sends its search worker a query each time a key is released in the box and shows each answer as it
    arrives, so while the worker catches up with typing, the list on screen is an earlier query's: part of
    `words`, or the search before (whose first result, for "Excel spreadsheet", is the Data page). Waiting for
    "matching" and for the box to hold `words` can therefore read a list that is not for `words`. So the box is
    given all but the last letter at once (no key is released, so nothing is asked), the list is emptied, and
    the last letter is typed: one query, and the next list with a result in it is its answer. (The one other
    query that can still be on its way is the empty one Material asks when the box is first focused, and its
    answer has no results.)
    """
    page.fill(".md-search__input", words[:-1])
    page.evaluate("() => { document.querySelector('.md-search-result__list').replaceChildren(); }")
    page.keyboard.type(words[-1])  # Material searches when a key is released, not when the value is set
    page.wait_for_selector(".md-search-result__item")
    # the address and the title read together, from the same list
    href, title = page.evaluate("""() => {
        const link = document.querySelector('.md-search-result__item a');
        return [link.getAttribute('href') || '', link.querySelector('h1').innerText.trim()];
    }""")
    return href, title


# query -> the page (and section) a reader would want first; the board report says the same as the
# strand pages, and is boosted down so that the strand's own page comes first
SEARCHES = {
    "Crimestoppers": ("about/report-a-crime/", "Report a crime or get advice"),
    # words only the Data page uses: "byte-order mark" would also find Operation Meteor's property marking,
    # as search stems "mark" and weighs page titles highly
    "Excel spreadsheet": ("data/", "Data downloads"),
    "PREVENT Fraud Co-ordinators": ("strands/digital-crime-and-fraud/", "Digital Crime and Fraud"),
}


def test_search_works_offline_and_finds_the_right_page_first(browser, site: Site):
    context = _context(browser)
    try:
        page = context.new_page()
        # the index downloads when the reader first goes to search: wait for exactly that, then go offline
        _open(page, site, "")
        with page.expect_response(lambda response: _is_search_index(response.url)):
            page.click(".md-search__input")
        page.wait_for_load_state("networkidle")
        context.set_offline(True)
        found = {words: _first_result(page, words) for words in SEARCHES}
    finally:
        context.close()
    wanted = {words: (site.url(path), title) for words, (path, title) in SEARCHES.items()}
    assert {words: (urljoin(site.url(""), href), title) for words, (href, title) in found.items()} == wanted


def _is_search_index(url: str) -> bool:
    return url.split("?")[0].endswith("/search/search_index.json")


def _index_requests(page, path: str, site: Site, act=None) -> list[str]:
    """The requests for the search index while `path` is opened and settles, and then while `act(page)` runs."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if _is_search_index(request.url) else None)
    _open(page, site, path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # anything the bundle would ask for once the page has settled
    if act is not None:
        before = len(asked)
        act(page)
        page.wait_for_load_state("networkidle")
        return asked[:before] + ["then"] + asked[before:]
    return asked


SEARCH_STARTS = {
    "clicking the search box": lambda page: page.click(".md-search__input"),
    "the search button in the header": lambda page: page.click("header label[for='__search']"),
    "the / key": lambda page: page.keyboard.press("/"),
    "the s key": lambda page: page.keyboard.press("s"),
}


def test_a_first_visit_does_not_download_the_sitemap(browser, site: Site):
    """Material reads the whole sitemap on every page for each translation a link names; the feed's link says
    "alternate feed", so it names none, and the sitemap (which grows with every page) stays on the server."""
    context = _context(browser)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url) if request.url.endswith("sitemap.xml") else None)
        _open(page, site, "strands/hate-crime/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert asked == [], f"a first visit asked for {asked}"
    finally:
        context.close()


def test_a_first_visit_leaves_the_search_index_until_the_reader_searches(browser, site: Site):
    """The index is most of a first visit's weight at a large portal's size: it downloads only when wanted."""
    width = {"the search button in the header": 320}  # the header's button shows on a narrow screen
    for start, act in SEARCH_STARTS.items():
        context = _context(browser, width=width.get(start, 1280))
        try:
            page = context.new_page()
            asked = _index_requests(page, "strands/hate-crime/", site, act)
            assert asked == ["then", site.url("search/search_index.json")], f"{start}: the index was asked for {asked}"
            page.keyboard.type("burglary")
            page.wait_for_selector(".md-search-result__item")
        finally:
            context.close()


def test_a_page_opened_with_a_search_query_downloads_the_index_at_once_and_shows_results(browser, site: Site):
    context = _context(browser)
    try:
        page = context.new_page()
        assert _index_requests(page, "?q=Crimestoppers", site) == [site.url("search/search_index.json")]
        page.wait_for_selector(".md-search-result__item")
        assert "Report a crime" in page.locator(".md-search-result__item").first.inner_text()
    finally:
        context.close()


def test_no_request_leaves_the_local_server(browser, site: Site):
    context = _context(browser, "dark")
    requests: list[tuple[str, str]] = []
    context.on("request", lambda request: requests.append((request.url, page.url if page else "?")))
    page = None
    try:
        page = context.new_page()
        for path in site.pages:
            page.goto(site.url(path), wait_until="load")
            page.wait_for_timeout(100)  # for anything a script asks for once the page has loaded
        page.goto(site.url(""), wait_until="load")
        _search(page, "knife")
        page.wait_for_load_state("networkidle")
        cookies = context.cookies()
    finally:
        context.close()
    assert len(requests) > len(site.pages), "the test recorded too few requests to be watching them"
    outside = sorted({f"{url} (while {page_url} was open)" for url, page_url in requests if not url.startswith(site.base)})
    assert not outside, "requests that left the local server:\n" + "\n".join(outside)
    assert cookies == [], f"the site set cookies: {cookies}"


def watch_for_errors(page, problems: list[str]) -> dict[str, str]:
    """Records on `problems` each script error, console error, lost request and error response of the page, under
    the path put in the returned dict's "path" before each visit."""
    opened = {"path": ""}
    page.on("console", lambda message: problems.append(f"{opened['path'] or '/'}: console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"{opened['path'] or '/'}: script error: {error}"))
    # net::ERR_ABORTED is the browser dropping what a page still loaded (the search worker, the icon) when the
    # test moves on to the next page: not a request the site failed
    page.on("requestfailed", lambda request: problems.append(f"{opened['path'] or '/'}: request failed: {request.url} "
                                                             f"({request.failure})") if request.failure != "net::ERR_ABORTED" else None)
    page.on("response", lambda response: problems.append(f"{opened['path'] or '/'}: {response.status} for {response.url}")
            if response.status >= 400 else None)
    return opened


def test_no_page_logs_a_console_error_or_fails_a_request(browser, site: Site):
    """The theme's scripts run cleanly on every page: no script error, no request answered with an error or lost
    (a plain build once asked for mike's versions.json, and the outdated-release script threw on a relative URL)."""
    context = _context(browser)
    problems: list[str] = []
    page = context.new_page()
    opened = watch_for_errors(page, problems)
    try:
        for path in site.pages:
            opened["path"] = path
            page.goto(site.url(path), wait_until="load")
            page.wait_for_timeout(150)  # for anything a script asks for once the page has loaded
    finally:
        context.close()
    assert not problems, "pages that logged an error or lost a request:\n" + "\n".join(problems[:40])


# Material's palette component marks the body "switching" whenever it sets the scheme, on load too.
WATCH_SWITCHING = """new MutationObserver(records => records.forEach(record => {
  if (record.attributeName === 'data-md-color-switching') window.__switched = (window.__switched || 0) + 1;
})).observe(document, { attributes: true, subtree: true });"""


def _scheme_shown(page, scheme: str) -> tuple[str, str]:
    """Waits for the body to be in `scheme`; then the title of the one switch on show, and the theme-color meta."""
    page.wait_for_function(f"document.body.dataset.mdColorScheme === {json.dumps(scheme)}", timeout=2000)
    return page.evaluate("""() => [document.querySelector('form.md-header__option label:not([hidden])')?.title,
      document.querySelector('meta[name=theme-color]')?.content]""")


def test_the_light_and_dark_switch_styles_the_page_once_and_remembers_the_reader_s_choice(browser, site: Site):
    """The portal's palette script (overrides/partials/javascripts/palette.html) picks the scheme while the page is
    read, so nothing sets it again on load; Material's component did, and the browser styled every element of the
    page three more times. The device's setting is followed until the reader chooses, and the choice is kept."""
    context = _context(browser, "dark")
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SWITCHING)
        _open(page, site, "about/", "dark")
        page.wait_for_timeout(300)  # the bundle has mounted everything it mounts
        assert page.evaluate("window.__switched || 0") == 0, "the scheme was switched again as the page loaded"
        switch, colour = _scheme_shown(page, "slate")
        assert switch == "Switch to the light scheme" and re.fullmatch(r"#[0-9a-f]{6}", colour or ""), (switch, colour)
        page.emulate_media(color_scheme="light")
        assert _scheme_shown(page, "default")[0] == "Switch to the dark scheme", "the page did not follow the device"
        page.click("form.md-header__option label:not([hidden])")
        assert _scheme_shown(page, "slate")[0] == "Switch to the light scheme"
        page.reload(wait_until="load")
        assert _scheme_shown(page, "slate")[0] == "Switch to the light scheme", "the reader's choice was not kept"
        page.focus("form.md-header__option input:checked")
        page.keyboard.press("Enter")
        _scheme_shown(page, "default")
        assert page.evaluate("document.activeElement.id") == "__palette_0", "Enter did not move to the other switch"
    finally:
        context.close()


LAYOUT_SHIFTS = """new PerformanceObserver(list => { for (const entry of list.getEntries()) window.__shifts = (window.__shifts || 0) + entry.value; })
                   .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize(("width", "height"), [(320, 640), (1280, 800), (1920, 1300)])
def test_no_kind_of_page_moves_as_it_loads(browser, site: Site, width: int, height: int):
    """Nothing on a page moves once drawn. The light and dark switch did, shown before the rest of the header was
    read (overrides/partials/javascripts/palette.html); so would a chart or table on the first screen drawn late
    (docs/performance.md, "Tried and not kept")."""
    context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
    moved = {}
    try:
        page = context.new_page()
        page.add_init_script(LAYOUT_SHIFTS)
        for path in audit.kinds(site.folder).values():  # the pages `make audit` gives Lighthouse
            _open(page, site, path)
            page.wait_for_timeout(300)  # for what the bundle changes once the page has loaded
            moved[path] = page.evaluate("() => window.__shifts || 0")
    finally:
        context.close()
    assert {path: round(shift, 4) for path, shift in moved.items() if shift >= 0.0005} == {}, "pages that moved as they loaded"


def test_no_built_file_loads_anything_from_another_host(site: Site):
    """Requests are the real check; this one also covers files that no test page happened to load."""
    loads = {
        ".html": re.compile(r"""<(?:script|img|iframe|source|video|audio|embed|object|track)\b[^>]*\ssrc\s*=\s*["']?(?:https?:)?//"""
                            r"""|<link\b(?![^>]*\brel\s*=\s*["']?(?:canonical|alternate)\b)[^>]*\shref\s*=\s*["']?(?:https?:)?//"""),
        ".css": re.compile(r"""(?:url\(|@import)\s*["']?(?:https?:)?//"""),
    }
    found = []
    for path in sorted(site.folder.rglob("*")):
        pattern = loads.get(path.suffix)
        if pattern and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(site.folder)}: {text[m.start():m.end() + 60]!r}" for m in pattern.finditer(text)]
    assert not found, "files that would load something from another host:\n" + "\n".join(found[:20])


# ------------------------------------------------------------------------------------- no JavaScript


def _text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_without_javascript_every_page_shows_its_text_charts_and_tables(browser, site: Site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    problems = []
    try:
        page = context.new_page()
        for path in site.pages:
            _open(page, site, path)
            html = site.html(path)
            shown = page.evaluate("""() => {
              const article = document.querySelector('article');
              const visible = e => e.checkVisibility({visibilityProperty: true, opacityProperty: true})
                                   && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0;
              return {
                text: article ? article.innerText : '',
                articleVisible: !!article && visible(article),
                charts: [...document.querySelectorAll('svg.portal-chart')].filter(visible).length,
                tables: [...document.querySelectorAll('article table')].filter(visible).length,
                navigation: [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')].filter(visible).length,
              };
            }""")
            where = path or "/"
            charts, tables = html.count('class="portal-chart'), len(re.findall(r"<table\b", _article(html)))
            if not shown["articleVisible"]:
                problems.append(f"{where}: the content is not shown")
            if shown["charts"] != charts:
                problems.append(f"{where}: {shown['charts']} of {charts} charts are shown")
            if shown["tables"] != tables:
                problems.append(f"{where}: {shown['tables']} of {tables} tables are shown")
            if path != "404.html" and shown["navigation"] < 5:
                problems.append(f"{where}: the navigation is not shown")
            shown_words = set(re.findall(r"\w+", shown["text"].lower()))  # CSS may change a word's case
            missing = [w for w in re.findall(r"\w+", _text(_article(html)).lower()) if w not in shown_words]
            if missing:
                problems.append(f"{where}: words in the page that are not shown: {sorted(set(missing))[:10]}")
    finally:
        context.close()
    assert not problems, "with JavaScript turned off:\n" + "\n".join(problems)


def _article(html: str) -> str:
    start = html.find("<article")
    return html[start:html.index("</article>", start)] if start >= 0 else ""


# ------------------------------------------------------------------------------------------ charts


def test_chart_marks_and_text_keep_their_contrast_on_white(browser, site: Site):
    """Charts are drawn on white in both schemes: marks need 3:1 against it, text 4.5:1."""
    context = _context(browser, "dark")
    problems, checked = [], 0
    try:
        page = context.new_page()
        for path in site.metric_pages:
            _open(page, site, path, "dark")
            colours = page.evaluate("""() => [...document.querySelectorAll('svg.portal-chart')].flatMap(svg => {
              const background = getComputedStyle(svg.querySelector('rect')).fill;
              const marks = svg.querySelectorAll('.role-mark path, .role-mark line, .role-mark rect, .role-mark circle,'
                                                  + '.role-mark text, .role-axis-label text');
              const painted = c => c && c !== 'none' && c !== 'rgba(0, 0, 0, 0)';
              return [...marks].flatMap(m => {
                const s = getComputedStyle(m), text = m.tagName === 'text', found = [];
                if (painted(s.fill)) found.push(s.fill);
                if (painted(s.stroke) && parseFloat(s.strokeWidth) > 0) found.push(s.stroke);
                return found.map(colour => ({background, colour, text, opacity: parseFloat(s.opacity)}));
              });
            })""")
            for mark in colours:
                checked += 1
                background = _rgb(mark["background"])
                ratio = contrast(_over(_rgb(mark["colour"]), background), background)
                needed = 4.5 if mark["text"] else 3
                if background[:3] != (255, 255, 255):
                    problems.append(f"{path}: a chart is drawn on {mark['background']}, not white")
                elif ratio < needed and mark["opacity"] > 0:
                    problems.append(f"{path}: {'text' if mark['text'] else 'a mark'} in {mark['colour']} has {ratio:.2f}:1, needs {needed}:1")
    finally:
        context.close()
    assert checked, "no chart marks were found to check"
    assert not problems, "\n".join(sorted(set(problems)))


def test_chart_colour_constants_keep_3_to_1_on_white():
    from crimeportal.site.charts import specs

    for name, colour in [("DARK_BLUE", specs.DARK_BLUE), ("ORANGE", specs.ORANGE), ("GREY", specs.GREY),
                         *specs.VARIATION_COLOURS.items()]:
        assert contrast(_hex(colour), (255, 255, 255)) >= 3, f"{name} {colour} has under 3:1 contrast on white"
    assert contrast(_hex(specs.TEXT), (255, 255, 255)) >= 4.5


# -------------------------------------------------------------------------------------------- print


def test_printing_leaves_out_the_chrome_keeps_figures_whole_and_shows_link_targets(browser, site: Site):
    context = _context(browser, "dark")
    try:
        page = context.new_page()
        _open(page, site, "about/accessibility/", "dark")
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer', '.md-skip']
            .filter(s => document.querySelector(s)?.checkVisibility())""")
        assert hidden == [], f"printed pages still show {hidden}"
        external = page.evaluate("""() => [...document.querySelectorAll('article a[href^="http"]')]
            .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
        assert external, "the statement should link to the enforcement bodies"
        for href, after in external:
            assert href in after, f"the printed link to {href} does not show its address ({after})"
        colours = page.evaluate("""() => [getComputedStyle(document.querySelector('article p')).color,
                                          getComputedStyle(document.body).backgroundColor]""")
        assert contrast(_rgb(colours[0])[:3], (255, 255, 255)) >= 7, f"printed text is {colours[0]}: too light for paper"

        _open(page, site, "board-report/")
        page.emulate_media(media="print")
        breaks = page.evaluate("""() => ({
            whole: [...document.querySelectorAll('.portal-figure, .portal-table-wrap, article tr')]
                     .map(e => getComputedStyle(e).breakInside),
            strands: [...document.querySelectorAll('article h2.portal-report-strand')].map(e => getComputedStyle(e).breakBefore),
        })""")
        assert breaks["whole"] and set(breaks["whole"]) == {"avoid"}, "charts, tables and rows must not split across sheets"
        assert breaks["strands"] and set(breaks["strands"]) == {"page"}, "each strand should start a new sheet"
        pdf = page.pdf(format="A4")
    finally:
        context.close()
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert sheets >= len(site.strand_pages), f"the board report printed on {sheets} sheets for {len(site.strand_pages)} strands"


# --------------------------------------------------------------------------------- the board report


def test_the_board_report_brings_every_strand_update_and_measure_together(site: Site):
    from crimeportal.source.validate import load_portal

    portal, problems = load_portal(REPO)
    assert not problems
    html = _article(site.html("board-report/"))
    text = _text(html)
    positions = []
    for strand in portal.strands:
        heading = re.search(rf'<h2 class="portal-report-strand" id="{strand.id}">(.*?)<a class="headerlink"', html)
        assert heading, f"the board report has no section for {strand.id}"
        positions.append(heading.start())
        # the strand page's text, from its summary to its measures, word for word
        strand_page = _text(_article(site.html(f"strands/{strand.id}/")))
        # but its link to its own feed, which is for a reader of that page: the board report is one document
        strand_page = strand_page.replace(f" Subscribe to updates for {strand.title} (Atom feed)", "")
        # (the strand's delivery plan is summarised for the board at the report's start, not repeated per strand)
        end = min(strand_page.index(heading) for heading in (" Delivery plan ¶", " Measures ¶") if heading in strand_page)
        own = strand_page[strand_page.index(f"{strand.title} ¶") + len(f"{strand.title} ¶"):end]
        assert own.strip() and own in text, f"the board report lacks {strand.id}'s summary, date or update"
    assert positions == sorted(positions), "the board report's strands are not in strategy order"
    # the measures the board is given; the open data shown for context (board_report: false) is not among them
    board = [m for m in portal.metrics if m.board_report]
    assert board and all(f'id="{m.id}"' not in html for m in portal.metrics if not m.board_report)
    for metric in board:
        assert f'id="{metric.id}"' in html and f"<caption>{escape(metric.title)}: figures by period</caption>" in html, \
            f"the board report lacks the measure {metric.id}"
    assert html.count('class="portal-chart') == sum(1 for m in board if any(o.value is not None for o in m.observations))
    assert '<a href="board-report/" class="md-nav__link">' in site.html(""), "the board report is not in the navigation"
    # searched by strand section, each strand's section its own result
    locations = {doc["location"] for doc in json.loads((site.folder / "search" / "search_index.json").read_text())["docs"]}
    assert {f"board-report/#{strand.id}" for strand in portal.strands} <= locations, "the board report is not searched by strand"


# ------------------------------------------------------------------------------------- last updated


def test_every_strand_and_metric_page_says_when_it_was_last_updated(site: Site):
    from crimeportal.core.formats import long_date, period_words
    from crimeportal.source.validate import load_portal

    portal, _ = load_portal(REPO)
    for strand in portal.strands:
        text = _text(_article(site.html(f"strands/{strand.id}/")))
        assert f"Last updated {long_date(strand.updated)}." in text, f"strands/{strand.id}/ does not say when it was updated"
    for metric in portal.metrics:
        text = _text(_article(site.html(f"metrics/{metric.id}/")))
        latest = period_words(metric.observations[-1].end, metric.period)
        assert f"Latest figure covers {latest[0].upper()}{latest[1:]}" in text, \
            f"metrics/{metric.id}/ does not say which period its latest figure covers"


# ---------------------------------------------------------------------------------------- page weight


def test_pages_stay_light(browser, site: Site, capsys: pytest.CaptureFixture[str]):
    sizes = {path or "/": site.file(path).stat().st_size for path in site.pages}
    visits = {}
    for path in site.strand_pages:
        context = browser.new_context()  # a new context has an empty cache: a first visit
        finished = []
        context.on("requestfinished", lambda request, got=finished: got.append(request))
        try:
            page = context.new_page()
            page.goto(site.url(path), wait_until="networkidle")
            # anything a script would ask for once the page has settled; the search index is not among it, as it
            # downloads only when the reader starts to search (test_a_first_visit_leaves_the_search_index_...)
            page.wait_for_timeout(200)
            page.wait_for_load_state("networkidle")
            visits[path] = [(r.url, len(r.response().body()) if r.response() else 0) for r in finished]
        finally:
            context.close()
    totals = {path: sum(size for _, size in got) for path, got in visits.items()}
    heaviest = max(totals, key=totals.get)
    with capsys.disabled():
        print("\n\nPage weight: the heaviest pages' own HTML (limit "
              f"{PAGE_LIMIT // KB} KB)")
        for path, size in sorted(sizes.items(), key=lambda item: -item[1])[:5]:
            print(f"  {size / KB:7.1f} KB  {path}")
        print(f"Everything a first visit downloads, heaviest strand pages (limit {FIRST_VISIT_LIMIT // KB} KB)")
        for path, total in sorted(totals.items(), key=lambda item: -item[1])[:3]:
            print(f"  {total / KB:7.1f} KB  {path}")
        print(f"  of which, for {heaviest}:")
        for url, size in sorted(visits[heaviest], key=lambda item: -item[1]):
            print(f"    {size / KB:7.1f} KB  {url.removeprefix(site.base)}")
    assert all(got for got in visits.values()), "a first visit recorded no downloads"
    with_index = [path for path, got in visits.items() if any(_is_search_index(url) for url, _ in got)]
    assert not with_index, f"first visits that downloaded the search index: {with_index}"
    too_big = {p: s for p, s in sizes.items() if s > PAGE_LIMIT}
    assert not too_big, f"pages over {PAGE_LIMIT // KB} KB of HTML: {too_big}"
    too_heavy = {p: t for p, t in totals.items() if t > FIRST_VISIT_LIMIT}
    assert not too_heavy, f"first visits over {FIRST_VISIT_LIMIT // KB} KB: {too_heavy}"
