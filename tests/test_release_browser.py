"""What is published, in a real Chromium: a site built by mike with two releases (the outdated banner and the
version selector present), at 320, 390 and 1280 px in both schemes.

The releases are made exactly as tests/test_release.py makes them (`crimeportal publish` in a temporary git
repository); the gh-pages branch is then written out and served from 127.0.0.1. Checked: no page scrolls
sideways, chart text is never below 12 CSS px, tables that do not fit say they scroll, no word is broken,
the header's controls do not overlap and each is reachable with Tab, and axe finds no WCAG A or AA violation.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import tarfile
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from test_browser import LAYOUT_SHIFTS, _axe, _keyboard_problems, _report, watch_for_errors
from test_release import DECEMBER, SEPTEMBER, december_changes, git, new_repo, publish
from test_vnu import vnu_command, vnu_errors

WIDTHS = (320, 390, 1280)
SCHEMES = ("light", "dark")
RELEASES = ("latest", SEPTEMBER[0])  # the newest (no banner) and the older one (banner shown)


@dataclass(frozen=True)
class Published:
    folder: Path
    base: str
    pages: list[str]  # every page of both releases, from the base: "latest/", "2019-09/metrics/…/"

    def url(self, path: str) -> str:
        return self.base + path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory, browser) -> Iterator[Published]:
    repo = new_repo(tmp_path_factory.mktemp("published-repo"))
    first = publish(repo, SEPTEMBER[0], "--title", SEPTEMBER[1], "--board-meeting", "2019-09-12")
    assert first.returncode == 0, first.stdout + first.stderr
    december_changes(repo)
    second = publish(repo, DECEMBER[0], "--title", DECEMBER[1], "--board-meeting", "2019-12-12")
    assert second.returncode == 0, second.stdout + second.stderr
    folder = tmp_path_factory.mktemp("gh-pages")
    archive = subprocess.run(["git", "archive", "--format=tar", "gh-pages"], cwd=repo, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    # embeddable pages are frames with no theme or version selector by design; test_embed_pages checks them
    pages = sorted(p.parent.relative_to(folder).as_posix() + "/" for release in RELEASES
                   for p in (folder / release).rglob("index.html") if "embed" not in p.relative_to(folder / release).parts)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Published(folder, f"http://127.0.0.1:{server.server_address[1]}/", pages)
    finally:
        server.shutdown()
        server.server_close()


def _page(browser, width: int, scheme: str = "light", javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme,
                                  reduced_motion="reduce", java_script_enabled=javascript)
    return context, context.new_page()


def _open(page, published: Published, path: str, javascript: bool = True) -> None:
    response = page.goto(published.url(path), wait_until="load")
    assert response is not None and response.ok, path
    if javascript:  # the version selector is drawn from versions.json once the page has loaded
        page.wait_for_selector(".md-version__current", state="attached", timeout=5000)


# What a page must not do at any width; each a JavaScript check returning a list of problems.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
  for (const svg of document.querySelectorAll('svg.portal-chart')) {
    const box = svg.getBoundingClientRect(), drawn = svg.viewBox.baseVal.width || box.width;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * box.width / drawn;
      if (size < 11.95) { problems.push(`chart text "${text.textContent}" at ${size.toFixed(1)} px`); break; }
    }
  }
  for (const wrap of document.querySelectorAll('.portal-table-wrap')) {
    const caption = wrap.previousElementSibling;  // the caption as shown: whole, above the table
    if (!caption || !caption.matches('.portal-table-caption')) { problems.push('a table has no caption shown above it'); continue; }
    const box = caption.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 || caption.scrollWidth > caption.clientWidth + 1) problems.push(`caption cut: ${caption.textContent}`);
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.matches('[tabindex="0"][role="region"][aria-label]'))
      problems.push(`a table scrolls without saying so: ${caption ? caption.textContent : ''}`);
  }
  for (const cell of document.querySelectorAll('.portal-table th, .portal-table td, .portal-table th *, .portal-table td *')) {
    const style = getComputedStyle(cell);
    if (['break-all', 'break-word'].includes(style.wordBreak) || ['anywhere', 'break-word'].includes(style.overflowWrap) || style.hyphens === 'auto')
      problems.push(`words may break mid-word in a table cell: ${cell.textContent.slice(0, 30)}`);
  }
  const header = [...document.querySelectorAll('.md-header__inner > *')].filter(e => e.getBoundingClientRect().width > 0);
  for (let i = 0; i < header.length; i++) {
    const a = header[i].getBoundingClientRect();
    if (a.right > root.clientWidth + 1 || a.left < -1) problems.push(`header item off screen: ${header[i].className}`);
    for (let j = i + 1; j < header.length; j++) {
      const b = header[j].getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        problems.push(`header items overlap: ${header[i].className} / ${header[j].className}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_either_release_scrolls_sideways_shrinks_chart_text_or_hides_a_scrolling_table(browser, published, width):
    context, page = _page(browser, width)
    found = {}
    try:
        for path in published.pages:
            _open(page, published, path)
            problems = page.evaluate(LAYOUT_PROBLEMS)
            if problems:
                found[path] = problems
    finally:
        context.close()
    assert not found, "\n".join(f"{path}: {'; '.join(problems)}" for path, problems in found.items())


AXE_PAGES = ("latest/", "latest/metrics/", "latest/metrics/residential-burglary-offences/", "latest/what-changed/",
             "2019-09/", "2019-09/strands/gangs-and-knife-crime/")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_violation_on_the_published_releases(browser, published, width, scheme):
    context, page = _page(browser, width, scheme)
    found = {}
    try:
        for path in AXE_PAGES:
            _open(page, published, path)
            violations = _axe(page)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert not found, _report(found)


KEYBOARD_PAGES = ("2019-09/", "2019-09/metrics/knife-enabled-crime/", "latest/metrics/")


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_control_of_the_release_header_in_order_with_a_visible_focus(browser, published, width):
    """The keyboard walk of tests/test_browser.py, on published pages: the version selector, search, the
    colour scheme switch and (on narrow screens) the menu are each reached, visibly, at every width."""
    context, page = _page(browser, width)
    problems = []
    try:
        for path in KEYBOARD_PAGES:
            _open(page, published, path)
            problems += _keyboard_problems(page, path)
    finally:
        context.close()
    assert not problems, f"keyboard problems at {width} px:\n" + "\n".join(problems)


def test_without_javascript_the_older_release_says_which_it_is_and_does_not_scroll_sideways(browser, published):
    for width in WIDTHS:
        context, page = _page(browser, width, javascript=False)
        try:
            _open(page, published, "2019-09/metrics/knife-enabled-crime/", javascript=False)
            assert "This is the September 2019 release." in page.inner_text("body")
            assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
        finally:
            context.close()


def test_no_page_of_either_release_logs_a_console_error_or_fails_a_request(browser, published):
    """As on a plain build (tests/test_browser.py), and with what only a published site has: the version selector
    reads versions.json, and the older release runs the outdated-release script and shows its banner."""
    context, page = _page(browser, 1280)
    problems: list[str] = []
    opened = watch_for_errors(page, problems)
    try:
        for path in published.pages:
            opened["path"] = path
            _open(page, published, path)
            page.wait_for_timeout(100)  # for anything a script asks for once the page has loaded
    finally:
        context.close()
    assert not problems, "pages that logged an error or lost a request:\n" + "\n".join(problems[:40])


def test_vnu_finds_no_error_on_any_page_of_the_published_releases(published):
    pages, errors = vnu_errors(vnu_command(), published.folder)
    assert pages > 2 * 40, f"only {pages} pages were checked: two releases of the seed have many more"
    assert not errors, f"the Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(errors[:60])


@pytest.mark.parametrize(("path", "outdated"), [("2019-09/", True), ("latest/", False), (f"{DECEMBER[0]}/", False)])
def test_the_outdated_banner_is_right_on_a_reader_s_first_page_and_an_older_release_does_not_jump(browser, published, path, outdated):
    """A fresh session, as a reader arriving from a link: the older release shows its banner from the first frame, so
    nothing moves when versions.json confirms it (before, the banner pushed the page down: a layout shift of 0.08).
    The newest release, reached by its own folder, hides the banner once versions.json names it `latest`."""
    context, page = _page(browser, 412)
    try:
        page.add_init_script(LAYOUT_SHIFTS)
        _open(page, published, path)
        banner = page.locator("[data-md-component=outdated]")
        banner.wait_for(state="visible" if outdated else "hidden", timeout=5000)
        page.wait_for_timeout(300)  # for a late change the banner might still make
        assert banner.is_visible() is outdated
        shifts = page.evaluate("() => window.__shifts || 0")
    finally:
        context.close()
    if path != f"{DECEMBER[0]}/":  # the one page that shows the banner until versions.json says otherwise
        assert shifts < 0.001, f"{path} moved as it loaded: layout shift {shifts:.3f}"
