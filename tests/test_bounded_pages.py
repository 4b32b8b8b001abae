"""Pages that gather many measures stay within their weight at any size of portal.

A generated portal of 101 measures in 13 strands, one strand moved just over the strand page's limit, is built
once for the module (with its board pack): over their limits, a strand page lists each measure in a compact row,
and the board report, All measures, the Data page and the home page count each strand's measures by verdict. A
strand at its limit keeps its charts and tables, and the seed portal is within every limit, so its pages are as
readers know them (the other tests of its pages hold them to that).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from html_tree import Element, parse
from portal_files import REPO

from crimeportal.core import conventions
from crimeportal.core.formats import format_value
from crimeportal.core.model import Portal
from crimeportal.core.stats import VERDICT_LABELS, assess
from crimeportal.site.pages import summaries
from crimeportal.source.validate import load_portal

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate_portal  # noqa: E402

MEASURES = conventions.MEASURES_LISTED_IN_INDEX + 1  # just over the index's, the Data page's and the home page's limits
ORDER = [*VERDICT_LABELS.values(), summaries.NOT_COMPARED]  # the order counts are given in
STRANDS = 13  # 7 or 8 measures each, at or under a strand page's limit, until one is moved


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Portal, str, str]:
    """The portal's folder, the portal, the strand just over the strand page's limit, and one left at or under it."""
    root = tmp_path_factory.mktemp("bounded")
    portal = generate_portal(root, strands=STRANDS, metrics=MEASURES, observations=3, seed=11)
    counts = Counter(m.strand for m in portal.metrics)
    over, under = max(counts, key=counts.get), min(counts, key=counts.get)
    need = conventions.FULL_MEASURES_PER_STRAND_PAGE + 1 - counts[over]
    for metric in [m for m in portal.metrics if m.strand == under][:need]:  # move enough to put `over` just over
        path = root / "data" / "metrics" / f"{metric.id}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"\nstrand: {under}\n", f"\nstrand: {over}\n"), encoding="utf-8")
    portal, problems = load_portal(root)
    assert not problems
    assert len(portal.metrics_of(over)) == conventions.FULL_MEASURES_PER_STRAND_PAGE + 1
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(root / "site")],
                          cwd=root, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRIMEPORTAL_BOARD_PACK": "on"})
    assert done.returncode == 0, done.stdout + done.stderr
    return root, portal, over, under


def page(root: Path, path: str) -> Element:
    return parse((root / "site" / path / "index.html").read_text(encoding="utf-8")).find("article")


def verdict_label(metric) -> str:
    comparison = assess(metric).comparison
    return VERDICT_LABELS[comparison.verdict] if comparison else summaries.NOT_COMPARED


def expected_counts(metrics) -> Counter:
    return Counter(verdict_label(m) for m in metrics)


def table_with_caption(article: Element, caption: str) -> Element:
    tables = [t for t in article.find_all("table") if t.find_all("caption") and t.find("caption").text == caption]
    assert len(tables) == 1, f"no single table captioned {caption!r}"
    return tables[0]


def rows_by_strand(table: Element) -> dict[str, dict[str, str]]:
    """Each row of a table of strands: the strand's link, and each column's heading -> the cell's text."""
    headings = [th.text for th in table.find("thead").find_all("th")]
    found = {}
    for row in table.find("tbody").find_all("tr"):
        cells = [c for c in row.children if isinstance(c, Element)]
        found[cells[0].find("a").attrs["href"]] = dict(zip(headings, (c.text for c in cells)))
    return found


def assert_counts_match(table: Element, portal: Portal, metrics, link_prefix: str) -> None:
    rows = rows_by_strand(table)
    assert set(rows) == {f"{link_prefix}strands/{s.id}/" for s in portal.strands}
    for strand in portal.strands:
        own = [m for m in metrics if m.strand == strand.id]
        row = rows[f"{link_prefix}strands/{strand.id}/"]
        assert row["Measures"] == str(len(own))
        counted = {label: int(value) for label, value in row.items() if label not in ("Strand", "Measures")}
        assert {label: n for label, n in counted.items() if n} == dict(expected_counts(own))


def test_a_strand_just_over_its_limit_lists_each_measure_in_a_compact_row(generated):
    root, portal, over, _ = generated
    article = page(root, f"strands/{over}")
    table = table_with_caption(article, "Each measure, its latest figure and the change")
    rows = table.find("tbody").find_all("tr")
    metrics = portal.metrics_of(over)
    assert [r.find("th").find("a").attrs["href"] for r in rows] == [f"../../metrics/{m.id}/" for m in metrics]
    for row, metric in zip(rows, metrics):
        cells = [c for c in row.children if isinstance(c, Element)]
        assert cells[0].text == metric.title
        latest = assess(metric).latest
        assert cells[1].text.startswith(format_value(latest.value, metric.unit))  # the headline's latest figure
        comparison = assess(metric).comparison
        assert cells[2].text.startswith(format_value(comparison.value, metric.unit) if comparison else "None published")
        badge = cells[3].find_all(class_="portal-verdict")
        assert [b.text.lstrip("✓!◆=? ") for b in badge] == ([verdict_label(metric)] if comparison else [])
        assert bool(cells[3].find_all(class_="portal-caveat-marker")) == bool(metric.caveats)
    # no chart nor table of figures for any of them, and the page says where they are
    assert not article.find_all("svg")
    assert not [c for c in article.find_all("caption") if c.text.endswith("figures by period")]
    assert "Each measure's chart and table of figures are on its own page" in article.text


def test_a_strand_at_its_limit_keeps_every_chart_and_table(generated):
    root, portal, _, under = generated
    article = page(root, f"strands/{under}")
    metrics = portal.metrics_of(under)
    assert len(metrics) <= conventions.FULL_MEASURES_PER_STRAND_PAGE
    assert len(article.find_all("svg")) == len(metrics)
    assert len([c for c in article.find_all("caption") if c.text.endswith("figures by period")]) == len(metrics)


def test_the_board_report_counts_each_strands_measures_by_verdict(generated):
    root, portal, _, _ = generated
    article = page(root, "board-report")
    board = [m for m in portal.metrics if m.board_report]
    assert_counts_match(table_with_caption(article, "Measures the board is given, by strand and verdict"), portal, board, "../")
    assert not article.find_all("svg")
    assert not [c for c in article.find_all("caption") if c.text.endswith("figures by period")]
    assert not [a for a in article.find_all("a") if a.attrs.get("href", "").startswith("../metrics/m")]
    for strand in portal.strands:  # each strand's section counts its own, linked to where they are listed
        own = [m for m in board if m.strand == strand.id]
        counts = [p for p in article.find_all("p", class_="portal-verdict-counts")
                  if p.find("a").attrs["href"] == f"../strands/{strand.id}/#measures"]
        assert len(counts) == 1 and counts[0].find("a").text == f"{len(own)} measures the board is given"
        counted = re.sub(r"[✓!◆=?] ", "", counts[0].text.split(": ", 1)[1])
        assert counted == ", ".join(f"{n} {label}" for label, n in sorted(
            expected_counts(own).items(), key=lambda item: ORDER.index(item[0])))
    assert "more than one page can show in full" in article.text


def test_all_measures_counts_them_by_strand_instead_of_listing_every_one(generated):
    root, portal, _, _ = generated
    article = page(root, "metrics")
    assert_counts_match(table_with_caption(article, "Measures by strand and verdict"), portal, portal.metrics, "../")
    assert not [a for a in article.find_all("a") if re.match(r"m\d{5}-", a.attrs.get("href", ""))]
    assert f"There are {len(portal.metrics)} published measures, too many to list on one page." in article.text


def test_the_data_page_counts_each_measures_own_files_by_strand(generated):
    root, portal, _, _ = generated
    article = page(root, "data")
    hrefs = [a.attrs.get("href", "") for a in article.find_all("a")]
    assert "all-metrics.csv" in hrefs and "portal-data.zip" in hrefs
    assert not [h for h in hrefs if h.startswith("metrics/")]  # no row per measure's file
    rows = rows_by_strand(table_with_caption(article, "Each measure's own files, by strand"))
    assert {href: row["Measures"] for href, row in rows.items()} == {
        f"../strands/{s.id}/": str(len(portal.metrics_of(s.id))) for s in portal.strands}
    for metric in portal.metrics:  # each file is still published, and its measure's page links to it
        assert (root / "site" / "data" / "metrics" / f"{metric.id}.csv").is_file()


def test_without_the_zip_a_live_preview_names_it_without_a_link():
    listing = [("data/all-metrics.csv", "Every figure", 2048)]
    html = parse(str(summaries.data_files_summary([], [], listing, lambda path: path)))
    assert "every one of them is in portal-data.zip (which a live preview does not make)." in html.text
    assert [a.attrs["href"] for a in html.find_all("a")] == ["data/all-metrics.csv"]


def test_the_home_pages_cards_count_their_measures(generated):
    root, portal, _, _ = generated
    article = page(root, "")
    for card in article.find_all("li", class_="portal-card"):
        link = card.find("h3").find("a").attrs["href"]
        own = portal.metrics_of(link.removeprefix("strands/").strip("/"))
        counts = card.find_all("p", class_="portal-verdict-counts")
        if own:
            assert counts[0].find("a").text == f"{len(own)} measures"
        assert not [a for a in card.find_all("a") if a.attrs.get("href", "").startswith("metrics/")]


def test_search_gains_nothing_from_the_compact_and_counted_pages(generated):
    root, portal, over, _ = generated
    docs = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {d["location"] for d in docs}
    assert not [loc for loc in locations if re.match(rf"strands/{over}/#m\d{{5}}-", loc)]  # no result per compact row
    assert {loc for loc in locations if loc.startswith("board-report/")} == {"board-report/"} | {
        f"board-report/#{s.id}" for s in portal.strands}
    every_row = [d for d in docs if d["location"].startswith(("metrics/#", "data/#"))]
    assert all(len(d["text"]) < 2_000 for d in every_row)


def test_the_board_pack_is_made_from_the_counted_report(generated):
    root, _, _, _ = generated
    pdf = root / "site" / conventions.BOARD_PACK_PDF
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
        assert "measures the board is given" in text


@pytest.fixture(scope="module")
def listed(tmp_path_factory) -> tuple[Path, Portal]:
    """A portal whose board is given just too many measures to show in full, but few enough to list, with its pack."""
    root = tmp_path_factory.mktemp("listed")
    count = conventions.FULL_MEASURES_IN_BOARD_REPORT + 4
    portal = generate_portal(root, strands=2, metrics=count, observations=3, seed=13)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(root / "site")],
                          cwd=root, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRIMEPORTAL_BOARD_PACK": "on"})
    assert done.returncode == 0, done.stdout + done.stderr
    return root, portal


def test_a_board_report_over_its_limit_lists_each_measure_in_a_row_and_its_pack_follows(listed):
    root, portal = listed
    article = page(root, "board-report")
    assert not article.find_all("svg")
    listed_ids = [a.attrs["href"].removeprefix("../metrics/").strip("/") for a in article.find_all("a")
                  if a.attrs.get("href", "").startswith("../metrics/m") and "#" not in a.attrs["href"]]
    assert listed_ids == [m.id for s in portal.strands for m in portal.board_metrics_of(s.id)]
    assert "more than one page can show in full, so this report lists each strand's measures in a row" in article.text
    for strand in portal.strands:  # while each strand page, within its own limits, keeps its charts
        assert len(page(root, f"strands/{strand.id}").find_all("svg")) == len(portal.metrics_of(strand.id))
    pdf = root / "site" / conventions.BOARD_PACK_PDF
    assert pdf.is_file()
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
        assert all(m.title in text for m in portal.metrics)
        assert "earlier ones are on the measure's page" not in text  # the rows are not cut as a table of figures is


def test_the_seed_is_within_every_limit_so_its_pages_are_as_readers_know_them():
    portal, problems = load_portal(REPO)
    assert not problems
    assert all(summaries.strand_page_in_full(portal, s.id) for s in portal.strands)
    assert summaries.board_report_in_full(portal)
    count = len(portal.published().metrics)
    assert summaries.index_lists_every_measure(count) and summaries.data_page_lists_every_measure(count)
    assert summaries.home_cards_list_every_measure(count)


def test_the_editing_guide_states_the_limits_the_build_uses():
    guide = " ".join((REPO / "content" / "about" / "editing.md").read_text(encoding="utf-8").split())
    assert (f"at most {conventions.FULL_MEASURES_PER_STRAND_PAGE} measures, with {conventions.FULL_FIGURES_PER_STRAND_PAGE} "
            "figures") in guide
    assert (f"at most {conventions.FULL_MEASURES_IN_BOARD_REPORT} measures with {conventions.FULL_FIGURES_IN_BOARD_REPORT} "
            f"figures between them, and beyond that a row for each measure while it is given at most "
            f"{conventions.MEASURES_LISTED_IN_BOARD_REPORT}") in guide
    assert conventions.MEASURES_LISTED_IN_INDEX == conventions.MEASURES_LISTED_ON_DATA_PAGE == conventions.MEASURES_LISTED_ON_HOME_PAGE
    assert f"list every measure while there are at most {conventions.MEASURES_LISTED_IN_INDEX}." in guide
