"""Hostile text in every field an editor writes: the built site shows it as text and runs none of it.

Each payload from tests/payloads.py goes into every text field of a strand, of a measure, of the delivery
plan's actions and of an area's name, and the strand page's own markdown gets raw HTML and script links.
The built pages are then parsed (no event handler, no script link anywhere, the
title shown literally) and opened in Chromium (nothing ran, even from search).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from payloads import BODY_PAYLOADS, PAYLOADS
from plan_fixtures import DOMESTIC_ABUSE, write_actions
from portal_files import copy_portal

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
STRAND = "domestic-abuse"
METRIC = "knife-enabled-crime"
METRIC_SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/metric.schema.json\n"


def _words(text: str) -> str:
    return " ".join(text.split())


def _write_strand(path: Path, payload: str) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data.update(title=payload, summary=payload, lead=payload)
    schema_line = front.splitlines()[0]
    hostile_body = body + "\n\n" + "\n\n".join(BODY_PAYLOADS) + "\n"
    path.write_text(f"---\n{schema_line}\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n{hostile_body}",
                    encoding="utf-8")


def _write_metric(path: Path, payload: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(title=payload, description=payload, source=payload, caveats=[payload])
    data["observations"][-1]["note"] = payload
    path.write_text(METRIC_SCHEMA_LINE + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


AREA = "colchester"
AREAS_SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/areas.schema.json\n"


def _write_plan(root: Path, payload: str) -> None:
    """Every text field of an action (title, owner, outcome, progress note) and an area's name hold the payload."""
    actions = [dict(a, progress=[dict(p) for p in a["progress"]]) for a in DOMESTIC_ABUSE]
    for action in actions:
        action.update(title=payload, owner=payload, outcome=payload)
        action["progress"][-1]["note"] = payload
    write_actions(root, STRAND, actions)
    register = root / "data" / "areas.yml"
    data = yaml.safe_load(register.read_text(encoding="utf-8"))
    next(a for a in data["areas"] if a["id"] == AREA)["name"] = payload
    register.write_text(AREAS_SCHEMA_LINE + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module", params=range(len(PAYLOADS)), ids=lambda i: f"payload{i}")
def hostile_site(request, tmp_path_factory) -> tuple[str, Path]:
    payload = PAYLOADS[request.param]
    root = tmp_path_factory.mktemp("hostile")
    copy_portal(root)
    _write_strand(root / "content" / "strands" / f"{STRAND}.md", payload)
    _write_metric(root / "data" / "metrics" / f"{METRIC}.yml", payload)
    _write_plan(root, payload)
    checked = subprocess.run([str(CRIMEPORTAL), "--root", str(root), "validate"], capture_output=True, text=True)
    assert checked.returncode == 0, f"the payload should be valid text:\n{checked.stdout}{checked.stderr}"
    built = subprocess.run([str(CRIMEPORTAL), "--root", str(root), "build"], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    return payload, root / "site"


class _Elements(HTMLParser):
    """Every element with its attributes, and the text inside the first <h1> and the <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._open: list[str] = []
        self.texts: dict[str, str] = {"h1": "", "title": ""}
        self._seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        if tag in self.texts and tag not in self._seen:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._seen.add(self._open.pop())

    def handle_data(self, data: str) -> None:
        for tag in self._open:
            self.texts[tag] += data


def _parsed(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _browsed(site: Path) -> list[Path]:
    """Every page but the area pages that show none of the hostile text (only one area's name holds it):
    opening two dozen pages of the register's own names in a browser, for each payload, would find nothing."""
    shown = {f"areas/{AREA}/index.html", f"areas/csp-{AREA}/index.html", "areas/index.html"}
    return [p for p in _pages(site) if not p.relative_to(site).as_posix().startswith("areas/")
            or p.relative_to(site).as_posix() in shown]


def test_no_page_carries_an_event_handler_or_a_script_link(hostile_site):
    _, site = hostile_site
    for page in _pages(site):
        for tag, attrs in _parsed(page).elements:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, f"{page.relative_to(site)}: <{tag}> has {handlers}"
            for name in ("href", "src", "action", "data", "formaction"):
                assert not attrs.get(name, "").strip().lower().startswith("javascript:"), \
                    f"{page.relative_to(site)}: <{tag} {name}={attrs[name]!r}>"
            assert tag not in ("iframe", "object", "embed"), f"{page.relative_to(site)}: <{tag}>"


def test_scripts_are_only_the_themes_own(hostile_site):
    _, site = hostile_site
    for page in _pages(site):
        for tag, attrs in _parsed(page).elements:
            if tag == "script" and "src" in attrs:
                assert "assets/javascripts/" in attrs["src"] or attrs["src"].endswith(("search/main.js",)), attrs["src"]


def test_titles_show_the_text_exactly_as_written(hostile_site):
    payload, site = hostile_site
    for path in (site / "strands" / STRAND / "index.html", site / "metrics" / METRIC / "index.html",
                 site / "areas" / AREA / "index.html"):
        parsed = _parsed(path)
        assert _words(parsed.texts["h1"]).rstrip("¶").strip() == _words(payload), path
        assert _words(parsed.texts["title"]).startswith(_words(payload)), path


def _text(path: Path) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return _words(" ".join(parser.parts))


@pytest.mark.parametrize("page", ["index.html", "metrics/index.html", "board-report/index.html",
                                  f"strands/{STRAND}/index.html", f"metrics/{METRIC}/index.html",
                                  "delivery-plan/index.html", f"areas/{AREA}/index.html", "areas/index.html",
                                  "areas/csp-colchester/index.html"])
def test_every_page_that_shows_a_title_shows_it_literally(hostile_site, page):
    payload, site = hostile_site
    assert _words(payload) in _text(site / page)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_nothing_runs_in_a_browser_on_any_page_or_in_search(hostile_site, browser):
    payload, site = hostile_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    ran: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        for path in _browsed(site):
            address = base + path.relative_to(site).as_posix().removesuffix("index.html")
            page.goto(address, wait_until="load")
            page.mouse.move(640, 400)
            page.keyboard.press("Tab")
            if page.evaluate("() => window.__xss !== undefined"):
                ran.append(address)
        page.goto(base, wait_until="load")
        page.keyboard.press("s")  # Material's shortcut to the search box
        page.keyboard.type("window xss click Measure")
        page.wait_for_timeout(1500)
        if page.evaluate("() => window.__xss !== undefined"):
            ran.append("search results")
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert ran == [], f"script ran for {payload!r}: {ran}"
