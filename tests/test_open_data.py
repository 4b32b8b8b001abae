"""Open data a journalist can reuse: the licence on every page and in the downloads, one citation format, the
data package (checked with the frictionless library) and the zip, the feed (read back with feedparser), and
the public information a reader looks for: glossary, how to report a crime, and a contact."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import frictionless
import pytest
import yaml

from crimeportal.releases.changes import Changes
from crimeportal.releases.current import ReleaseBuild
from crimeportal.releases.register import Release
from crimeportal.site.publishing.feed import feed_xml, summary
from crimeportal.site.publishing.open_data import DATA_PACKAGE, README, ZIP
from crimeportal.site.publishing.publication import SettingsError, read_publication
from payloads import PAYLOADS
from portal_files import copy_portal

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
SETTINGS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))["extra"]
GLOSSARY_IDS = ("improvement", "deterioration", "no-significant-change", "significant-change", "cannot-be-assessed",
                "statistically-significant", "p-value", "common-cause", "special-cause", "control-limits",
                "provisional", "revised", "year-on-year", "rolling-3-months", "percentage-points",
                "cse", "iag", "4p", "set", "prevent", "pse", "opfcc", "nte", "csp", "solved-outcomes")


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside chosen elements."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag and all(attrs.get(k) == v for k, v in wanted.items())]


def block_text(html: str, css_class: str) -> list[str]:
    """The text of every element of a class, tags removed, as a reader would select it."""
    found = re.findall(rf'<(\w+) class="{css_class}">(.*?)</\1>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", inner).strip() for _, inner in found]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portal")
    copy_portal(root)
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return root / "site"


def html_pages(site: Path) -> list[Path]:
    # embed/: a measure's chart alone, for another site's frame, has no footer or feed (tests/test_embed_pages.py)
    return [p for p in sorted(site.rglob("index.html")) if p.relative_to(site).parts[0] not in ("assets", "search", "embed")]


# ------------------------------------------------------------------------------------------ the data package


def test_the_data_package_is_valid_and_every_file_matches_it(site):
    report = frictionless.validate(str(site / DATA_PACKAGE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((site / DATA_PACKAGE).read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    described = {r["path"] for r in package["resources"]}
    on_site = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".csv", ".json")
               and p.relative_to(site).parts[0] in ("data", "schemas")}
    assert described == on_site
    assert package["licenses"] == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                                    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}]
    assert all(r["licenses"] == package["licenses"] for r in package["resources"])
    knife = next(r for r in package["resources"] if r["path"] == "data/metrics/knife-enabled-crime.csv")
    value = next(f for f in knife["schema"]["fields"] if f["name"] == "value")
    assert "a count (a whole number)" in value["description"] and value["type"] == "number"


def test_frictionless_finds_a_file_that_no_longer_matches_the_package(site, tmp_path):
    # the check above can fail: a figure changed after the package was written, and a figure that is not a number
    copy_of = tmp_path / "site"
    shutil.copytree(site / "data", copy_of / "data")
    shutil.copytree(site / "schemas", copy_of / "schemas")
    shutil.copy(site / DATA_PACKAGE, copy_of / DATA_PACKAGE)
    csv_file = copy_of / "data" / "metrics" / "knife-enabled-crime.csv"
    csv_file.write_bytes(csv_file.read_bytes().replace(b",176,", b",many,"))
    report = frictionless.validate(str(copy_of / DATA_PACKAGE))
    assert not report.valid
    assert {e[0] for e in report.flatten(["type"])} == {"type-error", "hash-count", "byte-count"}


def test_the_zip_holds_every_download_the_package_and_a_readme_naming_each_file(site):
    with zipfile.ZipFile(site / ZIP) as archive:
        names = set(archive.namelist())
        for name in names:
            assert archive.read(name) == (site / name).read_bytes(), name
        readme = archive.read(README).decode("utf-8")
    downloads = {p.relative_to(site).as_posix() for p in site.rglob("*")
                 if p.suffix in (".csv", ".json") and p.relative_to(site).parts[0] in ("data", "schemas")}
    assert names == downloads | {DATA_PACKAGE, README}
    for name in downloads:
        assert f"  {name}\n" in readme, name
    assert "Open Government Licence v3.0" in readme and "byte-order mark" in readme


def test_the_data_page_links_the_zip_the_package_and_the_feed_and_lists_every_column(site):
    data_page = (site / "data" / "index.html").read_text(encoding="utf-8")
    links = {a.get("href") for a in Tags(data_page).find("a")}
    assert {"portal-data.zip", "../datapackage.json", "../feed.xml"} <= links
    for column in ("period_type", "period_end", "suppressed", "polarity"):
        assert f"<td>{column}</td>" in data_page or f"<td>{column}, " in data_page, column
    assert "byte-order mark" in data_page


# ------------------------------------------------------------------------------------------ licence and citation


def test_every_page_s_footer_states_the_licence_and_links_the_public_pages(site):
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<div class="md-copyright">'):]
        tags = Tags(footer)
        licence = tags.find("a", rel="license")
        assert licence and licence[0]["href"].startswith("https://www.nationalarchives.gov.uk/"), page
        linked = {(page.parent / a["href"]).resolve() for a in tags.find("a") if not a.get("href", "").startswith("https:")}
        for target in ("about/report-a-crime", "about/glossary", "about/accessibility"):
            assert (site / target).resolve() in linked and (site / target / "index.html").is_file(), (page, target)
        assert "Contains public sector information published by Essex Police" in footer


def test_every_page_names_the_feed_in_its_head(site):
    for page in html_pages(site):
        html = page.read_text(encoding="utf-8")
        head = Tags(html[:html.index("</head>")])
        # "alternate feed": feed readers find it by "alternate"; Material's script, which takes an exact
        # rel="alternate" for a translation and reads the whole sitemap for it on every page, does not
        feeds = [link for link in head.find("link", type="application/atom+xml") if link["rel"].split() == ["alternate", "feed"]]
        targets = [(page.parent / link["href"]).resolve() for link in feeds]
        # a strand's or an area's page names its own feed too (tests/test_topic_feeds.py)
        assert targets.count((site / "feed.xml").resolve()) == 1 and all(t.is_file() for t in targets), page


def test_one_citation_format_on_the_about_page_the_measure_pages_the_json_and_the_package(site):
    package = json.loads((site / DATA_PACKAGE).read_text(encoding="utf-8"))
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert block_text(about, "portal-cite__text") == [package["citation"]["text"]]
    for path in sorted((site / "data" / "metrics").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        page = (site / "metrics" / path.stem / "index.html").read_text(encoding="utf-8")
        assert block_text(page, "portal-cite__text") == [record["citation"]["text"]], path.stem
        assert record["citation"]["text"] == (f"Essex Police. {record['title']}. Essex Police Crime Prevention Portal, "
                                              f"preview, not a published release. https://example.invalid/metrics/{path.stem}/")
        assert record["licence"]["name"] == "Open Government Licence v3.0" and record["source"]


def test_the_citation_can_be_selected_as_one_block_without_javascript(site):
    css = (site / "stylesheets" / "portal.css").read_text(encoding="utf-8")
    assert re.search(r"\.portal-cite__text\s*\{[^}]*user-select:\s*all", css)


def test_the_licence_is_marked_as_still_to_be_confirmed_until_the_force_confirms_it(site):
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "Essex Police has still to confirm this licence." in about
    assert SETTINGS["portal"]["licence"]["confirmed"] is False  # the placeholder: the README says who confirms it


# ------------------------------------------------------------------------------------------ public information


def test_the_glossary_has_every_term_s_anchor_and_abbreviations_are_marked_everywhere(site):
    glossary = Tags((site / "about" / "glossary" / "index.html").read_text(encoding="utf-8"))
    ids = {attrs.get("id") for _, attrs in glossary.tags}
    assert set(GLOSSARY_IDS) <= ids, set(GLOSSARY_IDS) - ids
    extremism = Tags((site / "strands" / "extremism-and-radicalisation" / "index.html").read_text(encoding="utf-8"))
    assert extremism.find("abbr", title="Not explained in the board update (see the Glossary)")  # PREVENT
    sexual = (site / "strands" / "sexual-crime-child-abuse-and-exploitation" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="[^"]+">CSE</abbr>', sexual)


def test_the_report_a_crime_page_gives_the_numbers_and_the_portal_s_contact(site):
    page = (site / "about" / "report-a-crime" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)
    for number in ("999", "101", "0800 555 111"):
        assert number in text
    contact = SETTINGS["portal"]["contact"]["url"]
    assert Tags(page).find("a", href=contact)


def test_the_accessibility_statement_uses_the_contact_setting(site):
    page = (site / "about" / "accessibility" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert len(Tags(article).find("a", href=SETTINGS["portal"]["contact"]["url"])) == 2


# ------------------------------------------------------------------------------------------ settings


def test_the_settings_are_read_and_a_hostile_address_is_refused():
    publication = read_publication(SETTINGS)
    assert publication.licence.identifier == "OGL-UK-3.0" and publication.placeholder
    for address in ("javascript:alert(1)", "https://x.example/\" onmouseover=\"x", "data:text/html,hi", "http://x.example/"):
        hostile = copy.deepcopy(SETTINGS)
        hostile["portal"]["contact"]["url"] = address
        with pytest.raises(SettingsError, match="extra.portal.contact.url must be an address"):
            read_publication(hostile)


@pytest.mark.parametrize("damage, message", [
    (lambda s: s.pop("portal"), "needs the setting extra.portal"),
    (lambda s: s["portal"]["licence"].update(confirmed="yes"), "extra.portal.licence.confirmed must be true or false"),
    (lambda s: s["portal"].update(publisher=["x"]), "extra.portal.publisher must be some text"),
])
def test_a_missing_or_malformed_setting_is_a_plain_message(damage, message):
    broken = copy.deepcopy(SETTINGS)
    damage(broken)
    with pytest.raises(SettingsError, match=re.escape(message)):
        read_publication(broken)


# ------------------------------------------------------------------------------------------ the feed


@pytest.mark.parametrize("title", PAYLOADS)
def test_a_hostile_release_title_reads_back_from_the_feed_as_the_same_text(title):
    register = [Release("2019-09", title, "2019-09-20"), Release("2019-12", "December & after", "2019-12-20")]
    build = ReleaseBuild("2019-12", register, register[0], Changes(), "https://example.org/portal/")
    xml = feed_xml(build, register, {"2019-12": Changes()}, "Portal <b>", read_publication(SETTINGS), "2019-09-12")
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Portal <b>: new releases"
    assert [e.title for e in feed.entries] == ["December & after", title]
    assert feed.entries[0].summary == f"Nothing changed since the {title}."
    assert feed.entries[0].link == "https://example.org/portal/2019-12/what-changed/"


def test_a_feed_with_no_release_yet_is_still_a_valid_feed(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == [] and feed.feed.updated.startswith("2019-09-12")


def test_the_summary_counts_each_kind_of_change():
    changes = Changes(new_figures=[object(), object()], revised=[object()])  # type: ignore[list-item]
    assert summary(changes, Release("2019-09", "September", "2019-09-20")) == (
        "Since the September: 2 new figures and 1 figure revised.")
    assert summary(None, None) == "The first release of the portal."


# ------------------------------------------------------------------------------------------ search


def test_search_reads_table_cells_apart_and_the_board_report_by_strand(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    data_page = " ".join(d["text"] for d in docs if d["location"].startswith("data/"))
    assert "all-metrics.csv</a> Every figure" in data_page or "all-metrics.csv Every figure" in data_page
    assert not re.search(r"csvEvery|(bytes|KB)[A-Za-z]", data_page), "cells or rows run together in the search index"
    report = {d["location"]: d["text"] for d in docs if d["location"].startswith("board-report/#")}
    strands = sorted(p.stem for p in (REPO / "content" / "strands").glob("*.md"))
    # one result per strand, with its summary; the rest of the report repeats the strand pages
    assert sorted(report) == sorted(f"board-report/#{strand}" for strand in strands)
    assert "Last updated" in report["board-report/#hate-crime"]


def test_search_holds_each_measures_title_headline_and_text_but_not_its_figures(site):
    """The index is part of every reader's first visit: each measure adds its own words to it, never its figures."""
    from crimeportal.source.validate import load_portal

    portal, problems = load_portal(REPO)
    assert not problems and portal.metrics
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    for metric in portal.metrics:
        page = f"metrics/{metric.id}/"
        # one result for the page (title and headline) and one for what it measures: no empty sections
        assert sorted(loc for loc in by_location if loc.startswith(page)) == [page, f"{page}#about-this-measure"]
        assert by_location[page]["title"] == metric.title
        headline = re.sub(r"<[^>]+>", "", by_location[page]["text"])
        # the headline sentence: the latest figure, what it is compared with, and the verdict
        assert re.search(r"\d", headline) and re.search(r"significant|assessed", headline), f"{metric.id}'s headline is not searched"
        assert "Compared:" not in headline, f"{metric.id}'s basis line (its figures again) is searched"
        about = re.sub(r"<[^>]+>", "", by_location[f"{page}#about-this-measure"]["text"])
        assert metric.description in about and metric.source in about
        assert "Status of each figure" not in about and ": final" not in about, f"{metric.id}'s figures are searched"
    # the pages that gather every measure give search their own words, not a row per measure
    index = " ".join(d["text"] for loc, d in by_location.items() if loc.startswith("metrics/#") or loc == "metrics/")
    assert "Every published measure" in index and not any(m.title in index for m in portal.metrics)
    data_page = " ".join(d["text"] for loc, d in by_location.items() if loc.startswith("data/"))
    assert "all-metrics.csv" in data_page and "byte-order mark" in data_page
    assert "data/metrics/" not in data_page, "one measure's own files are searched on the Data page"
    home = " ".join(d["text"] for loc, d in by_location.items() if "/" not in loc.split("#")[0])
    # the home page is found by its opening words, and each strand by its own page, whose title search weighs most
    from crimeportal.site.pages.search_text import TEXT_LIMIT

    assert all(len(d["text"]) <= TEXT_LIMIT + 2 for loc, d in by_location.items() if "/" not in loc.split("#")[0])
    assert not any(m.title in home for m in portal.metrics)
    assert all(by_location[f"strands/{s.id}/"]["title"] == s.title for s in portal.strands)
