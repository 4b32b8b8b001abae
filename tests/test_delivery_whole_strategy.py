"""The whole strategy's actions (data/actions/strategy-wide.yml) in a real build: shown in full and counted on the
Delivery plan page under "Whole strategy", on no strand page, and with no strand in the downloads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from html_tree import parse
from plan_fixtures import DOMESTIC_ABUSE, PARTNERSHIP, WHOLE_STRATEGY, write_actions, write_plan
from portal_files import copy_portal
from test_delivery_site import actions_on, build, page

ACTION = WHOLE_STRATEGY[0]["id"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("whole-strategy"))
    write_plan(root)
    write_actions(root, "strategy-wide", WHOLE_STRATEGY)
    return build(root)


def test_the_delivery_plan_page_counts_and_lists_it_under_whole_strategy(site):
    article = page(site, "delivery-plan")
    counts, every = article.find_all("table")[:2]
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")] for tr in counts.find("tbody").find_all("tr")}
    assert list(rows) == ["Domestic Abuse", "Whole strategy", "All actions"]
    assert rows["Whole strategy"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert rows["All actions"][-1] == str(len(DOMESTIC_ABUSE + PARTNERSHIP) + 1)
    row = next(tr for tr in every.find("tbody").find_all("tr") if tr.find("th").text == WHOLE_STRATEGY[0]["title"])
    assert row.find_all("td")[0].text == "Whole strategy"
    assert row.find("a").attrs["href"] == f"#action-{ACTION}"  # shown in full on this page
    section = article.find("h2", id="whole-strategy")
    assert section is not None and ACTION in actions_on(article)
    assert "Agree one reporting format for every partnership" in actions_on(article)[ACTION].text


def test_no_strand_page_shows_it(site):
    pages = sorted((site / "strands").glob("*/index.html"))
    assert pages
    for path in pages:
        assert ACTION not in actions_on(parse(path.read_text(encoding="utf-8")).find("article")), path


def test_the_downloads_give_it_no_strand_and_the_board_report_counts_it(site):
    with (site / "data/actions.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == ACTION)
    assert row["strand"] == "" and row["status"] == "in-progress"
    record = next(a for a in json.loads((site / "data/actions.json").read_text(encoding="utf-8")) if a["id"] == ACTION)
    assert record["strand"] is None
    report = page(site, "board-report")
    counts = [t for t in report.find_all("table") if "strand by strand" in t.find("caption").text][0]
    assert "Whole strategy" in [tr.find("th").text for tr in counts.find("tbody").find_all("tr")]


def test_what_changed_links_it_to_the_delivery_plan_page():
    from crimeportal.site.pages.delivery_html import record_anchor
    assert record_anchor({"id": ACTION, "strand": None}) == f"delivery-plan/#action-{ACTION}"
    assert record_anchor({"id": "x", "strand": "hate-crime"}) == "strands/hate-crime/#action-x"
