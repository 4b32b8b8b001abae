"""The delivery plan's pages in a real Chromium, built with a test plan (the real portal's may be empty): no WCAG
A/AA violation with axe-core in either scheme at either width, nothing scrolls sideways, and without JavaScript
every status's word and every table is shown."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from plan_fixtures import CSP, STRAND, write_plan
from portal_files import copy_portal
from test_browser import SCHEMES, WIDTHS, _axe, _context, _QuietHandler, _report
from test_delivery_site import build

PAGES = (f"strands/{STRAND}/", "delivery-plan/", f"areas/{CSP}/", "areas/colchester/", "areas/", "board-report/", "data/")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_portal(tmp_path_factory.mktemp("plan-browser"))
    write_plan(root)
    folder = build(root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_plan_s_pages_pass_axe_and_fit_the_screen(browser, served, scheme, width):
    context = _context(browser, scheme, width)
    found, overflowing = {}, []
    try:
        page = context.new_page()
        for path in PAGES:
            assert page.goto(served + path, wait_until="load").ok, path
            violations = _axe(page)
            if violations:
                found[path] = violations
            if page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                overflowing.append(path)
    finally:
        context.close()
    assert not found, f"axe-core found WCAG A/AA violations ({scheme}, {width} px):\n{_report(found)}"
    assert not overflowing, f"these pages scroll sideways at {width} px: {overflowing}"


def test_without_javascript_every_status_shows_its_word_and_symbol(browser, served):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(served + f"strands/{STRAND}/", wait_until="load")
        shown = page.evaluate("""() => [...document.querySelectorAll('.portal-status')].map(e => ({
            text: e.innerText.trim(), visible: e.checkVisibility() && e.getBoundingClientRect().width > 0}))""")
        page.goto(served + "delivery-plan/", wait_until="load")
        tables = page.evaluate("() => [...document.querySelectorAll('article table')].filter(t => t.checkVisibility()).length")
    finally:
        context.close()
    assert len(shown) == 8 and all(s["visible"] for s in shown)
    assert {s["text"].split(" ", 1)[1] for s in shown} == {"Planned", "In progress", "Complete", "Delayed", "Stopped"}
    assert tables == 2
