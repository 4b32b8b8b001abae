"""The delivery plan in real builds: strand pages, the Delivery plan page, area pages, the Data page, the board
report and the downloads, parsed from the built site; and "due date passed" judged against each build's as-at
date (two builds of the same files with different board meeting dates)."""

from __future__ import annotations

import csv
import io
import json
import os
import posixpath
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

from crimeportal.core.conventions import ACTIONS_CSV_COLUMNS, PROGRESS_CSV_COLUMNS
from crimeportal.site.publishing.plan_data import COLUMN_WORDS, PROGRESS_COLUMN_WORDS
from html_tree import Element, parse
from plan_fixtures import CSP, DOMESTIC_ABUSE, PARTNERSHIP, STRAND, write_plan
from portal_files import copy_portal

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
ENV = {**os.environ, "CRIMEPORTAL_BOARD_PACK": "off", "NO_MKDOCS_2_WARNING": "1"}
JANUARY_RELEASE = """# yaml-language-server: $schema=../schemas/releases.schema.json
releases:
  - version: "2020-01"
    title: "January 2020 board update"
    published: 2020-01-20
    board_meeting: 2020-01-15
"""


def build(root: Path, **env: str) -> Path:
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(root), "build"], capture_output=True, text=True,
                          timeout=600, env={**ENV, **env})
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("plan"))
    write_plan(root)
    return build(root)


@pytest.fixture(scope="module")
def january(tmp_path_factory) -> Path:
    """The same plan built as a release whose board met on 15 January 2020."""
    root = copy_portal(tmp_path_factory.mktemp("plan-january"))
    write_plan(root)
    (root / "data" / "releases.yml").write_text(JANUARY_RELEASE, encoding="utf-8")
    return build(root, CRIMEPORTAL_VERSION="2020-01")


def page(site: Path, path: str) -> Element:
    return parse((site / path / "index.html").read_text(encoding="utf-8")).find("article")


def actions_on(article: Element) -> dict[str, Element]:
    return {li.attrs["id"].removeprefix("action-"): li for li in article.find_all("li", class_="portal-action")}


def overdue_ids(site: Path) -> set[str]:
    return {i for i, li in actions_on(page(site, f"strands/{STRAND}")).items() if li.find_all(class_="portal-overdue")}


def test_a_strand_page_shows_every_action_by_category_with_its_facts(site):
    article = page(site, f"strands/{STRAND}")
    headings = [h.text.rstrip("¶").strip() for h in article.find_all("h2")]
    assert "Delivery plan" in headings and headings.index("Delivery plan") < headings.index("Measures")
    assert [h.text for h in article.find_all("h3") if h.attrs.get("id", "").startswith("plan-")] == [
        "Prepare", "Prevent", "Pursue", "Other actions"]
    shown = actions_on(article)
    assert set(shown) == {a["id"] for a in DOMESTIC_ABUSE + PARTNERSHIP}
    strategy = shown["da-strategy"].text
    for words in ("Write a domestic abuse strategy for the force", "Domestic Abuse Governance Board",
                  "March 2019 to August 2019", "Due date passed", "One strategy that partners share",
                  "12 September 2019: Draft shared with partners for comment", "In progress"):
        assert words in strategy
    colchester = shown["da-colchester"]
    assert [a.text for a in colchester.find_all("a")] == ["Colchester"]
    assert colchester.find("a").attrs["href"] == "../../areas/colchester/"


def test_status_is_never_colour_alone(site):
    for li in actions_on(page(site, f"strands/{STRAND}")).values():
        badge = li.find("span", class_="portal-status")
        icon = badge.find("span", class_="portal-status__icon")
        assert icon.attrs["aria-hidden"] == "true" and icon.text.strip()
        assert badge.text.replace(icon.text, "").strip() in ("Planned", "In progress", "Complete", "Delayed", "Stopped")


def test_a_strand_without_actions_shows_no_delivery_plan_heading(site):
    article = page(site, "strands/hate-crime")
    assert "Delivery plan" not in [h.text.rstrip("¶").strip() for h in article.find_all("h2")]
    assert not article.find_all(class_="portal-action")


def test_due_dates_are_judged_against_the_as_at_date_of_each_build(site, january):
    # a plain build: the latest progress (12 September 2019); the stopped pilot is never overdue
    assert overdue_ids(site) == {"da-strategy"}
    assert "Progress as at 12 September 2019, the date of the latest progress reported" in page(site, f"strands/{STRAND}").text
    # a release whose board met on 15 January 2020: the December actions have passed their due date too
    assert overdue_ids(january) == {"da-strategy", "da-colchester", "cpr-return"}
    assert "Progress as at 15 January 2020, the date of the board meeting" in page(january, "delivery-plan").text


def test_the_delivery_plan_page_lists_every_action_overdue_first_with_counts(january):
    article = page(january, "delivery-plan")
    tables = article.find_all("table")
    counts, every = tables[0], tables[1]
    head = [th.text for th in counts.find("thead").find_all("th")]
    assert head == ["Strand", "Planned", "In progress", "Complete", "Delayed", "Stopped", "Due date passed", "All actions"]
    rows = {tr.find("th").text: [td.text for td in tr.find_all("td")] for tr in counts.find("tbody").find_all("tr")}
    assert rows["Domestic Abuse"] == ["2", "3", "1", "1", "1", "3", "8"] and rows["All actions"] == rows["Domestic Abuse"]
    titles = [tr.find("th").text for tr in every.find("tbody").find_all("tr")]
    overdue = [tr.find("th").text for tr in every.find("tbody").find_all("tr") if tr.find_all(class_="portal-overdue")]
    assert titles[: len(overdue)] == overdue and len(overdue) == 3 and len(titles) == 8
    first = every.find("tbody").find("tr")
    assert first.find("a").attrs["href"].startswith(f"../strands/{STRAND}/#action-")
    links = {a.text: a.attrs["href"] for a in article.find_all("a")}
    assert links["actions.csv"] == "../data/actions.csv" and links["actions.json"] == "../data/actions.json"


def test_area_pages_list_their_actions_and_say_which_partnership_covers_a_district(site):
    partnership = page(site, f"areas/{CSP}")
    assert set(actions_on(partnership)) == {"cpr-return", "rochford-visits"}  # its own and its districts'
    assert "Districts it covers" in partnership.text and "Rochford" in partnership.text
    rochford = page(site, "areas/rochford")
    assert set(actions_on(rochford)) == {"rochford-visits"}
    assert any(a.attrs["href"] == f"../{CSP}/" for a in rochford.find_all("a"))
    assert "E07000075" in rochford.text
    assert "Latest figures for Rochford" in rochford.text  # its figures from every measure by district (test_districts_page)
    assert "No action of the delivery plan is for Basildon alone" in page(site, "areas/basildon").text
    index = page(site, "areas")
    tables = index.find_all("table")
    assert len(tables[0].find("tbody").find_all("tr")) == 14 and len(tables[1].find("tbody").find_all("tr")) == 13


def test_the_data_page_explains_both_layouts_and_offers_blank_spreadsheets(site):
    article = page(site, "data")
    text = article.text
    for words in list(COLUMN_WORDS.values()) + list(PROGRESS_COLUMN_WORDS.values()):
        assert " ".join(words.split()) in text
    links = {posixpath.normpath("data/" + a.attrs.get("href", "")) for a in article.find_all("a")}  # the page is data/
    assert {"data/templates/actions-return.csv", "data/templates/progress.csv", "data/actions.csv"} <= links
    for path, columns in (("data/templates/actions-return.csv", ACTIONS_CSV_COLUMNS), ("data/templates/progress.csv", PROGRESS_CSV_COLUMNS)):
        assert list(csv.reader(io.StringIO((site / path).read_text(encoding="utf-8-sig")))) == [list(columns)]


def test_the_downloads_read_back_and_the_data_package_describes_them(site):
    with (site / "data/actions.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} == {a["id"] for a in DOMESTIC_ABUSE + PARTNERSHIP}
    board = next(r for r in rows if r["id"] == "da-board")
    assert (board["status"], board["as_at"], board["note"], board["category"]) == ("complete", "2019-09-12", "First met on 6 September 2019", "prepare")
    published = json.loads((site / "data/actions.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in published] == [r["id"] for r in rows]
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in package["resources"]}
    actions = resources["data/actions.csv"]
    assert [f["name"] for f in actions["schema"]["fields"]] == list(ACTIONS_CSV_COLUMNS)
    assert actions["licenses"] == package["licenses"] and "data/actions.json" in resources
    report = frictionless.validate(str(site / "datapackage.json"))  # every row of every file against its schema
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_board_report_opens_with_a_delivery_summary(site):
    article = page(site, "board-report")
    summary = article.find("h2", id="delivery-summary")
    assert summary is not None
    tables = article.find_all("table")
    attention = next(t for t in tables if "for the board" in t.find("caption").text or "past their due date" in t.find("caption").text)
    listed = [tr.find("th").text for tr in attention.find("tbody").find_all("tr")]
    assert listed == ["Write a domestic abuse strategy for the force"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed (.ci/run installs it)")
def test_the_board_pack_has_the_delivery_summary_on_a_page_of_its_own(tmp_path):
    root = copy_portal(tmp_path / "pack")
    write_plan(root)
    site = build(root, CRIMEPORTAL_BOARD_PACK="on")
    pdf = site / "board-report" / "board-pack.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    summary = next(i for i, p in enumerate(pages) if "Delivery summary" in p and "Actions for the board" in p)
    # laid out in table cells, the words wrap within each cell
    assert "Write a domestic abuse" in pages[summary] and "strategy for the force" in pages[summary]
    assert "⚠ Due date" in pages[summary] and "All actions" in pages[summary]
    assert "Delivery summary" in pages[1]  # listed in the contents
