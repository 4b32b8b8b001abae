"""A feed for one's own strand or area (issue #30): each strand's and area's Atom feed lists the releases that
changed it, its page links to it in the head and on the page, and the Data page lists every feed.

One real build of the seed with two releases in its register: the December release revises one figure of
Basildon's (police.uk burglary, January 2018) and nothing else, and Basildon's name is hostile text. Both
releases' data sit on a gh-pages branch written for the test (as `crimeportal publish` would leave them), so the
build reads what each release changed exactly as a published site's build does, without running mike twice.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

from crimeportal.core.records import action_record, published_record, strand_record
from crimeportal.releases.changes import Changes, FigureChange, VerdictChange, compare_actions
from crimeportal.releases.current import ReleaseBuild
from crimeportal.releases.register import Release
from crimeportal.releases.scope import area_concerns, only, strand_concerns
from crimeportal.site.pages import topic_feeds
from crimeportal.site.publishing.publication import read_publication
from crimeportal.source.validate import check_portal
from html_tree import parse
from payloads import XML_BREAKING_TITLES
from portal_files import GIT_ENV, REPO, copy_portal, replace_once
from test_release import git

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
SETTINGS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))["extra"]
HOSTILE = 'Basildon <script>window.__xss=1</script> & "Co" <b>'
SEPTEMBER, DECEMBER = ("2019-09", "September 2019 board update"), ("2019-12", "December 2019 board update")
BURGLARY = "data/metrics/police-uk-burglary.yml"
# January 2018: three of Basildon's burglaries moved from "not located" to Basildon, so the total stands
BASILDON_BEFORE = "{basildon: 136, braintree: 75,"
BASILDON_AFTER = "{basildon: 139, braintree: 75,"


def published_data(root: Path) -> dict[str, str]:
    """What a release of the portal as it now is publishes for later releases to compare with."""
    portal = check_portal(root).portal.published()
    return {"data/all-metrics.json": json.dumps([published_record(m) for m in portal.metrics]),
            "data/strands.json": json.dumps([strand_record(s) for s in portal.strands]),
            "data/actions.json": json.dumps([action_record(a) for a in portal.actions])}


def write_pages_branch(root: Path, releases: dict[str, dict[str, str]]) -> None:
    pages = root.parent / "gh-pages"
    for version, files in releases.items():
        for path, text in files.items():
            (pages / version / path).parent.mkdir(parents=True, exist_ok=True)
            (pages / version / path).write_text(text, encoding="utf-8")
    git(pages, "init", "--quiet")
    git(pages, "add", "--all")
    git(pages, "commit", "--quiet", "-m", "Both releases")
    git(root, "fetch", "--quiet", str(pages), "HEAD:refs/heads/gh-pages")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("topic-feeds") / "portal")
    if (REPO / ".cache").is_dir():  # the charts already drawn: this build need not draw them again
        shutil.copytree(REPO / ".cache", root / ".cache", ignore=shutil.ignore_patterns("*.pdf", "board-pack*"))
    replace_once(root / "data/areas.yml", "    name: Basildon\n", f"    name: {json.dumps(HOSTILE)}\n")
    git(root, "init", "--quiet", "--initial-branch=main")
    september = published_data(root)
    replace_once(root / BURGLARY, BASILDON_BEFORE, BASILDON_AFTER)
    replace_once(root / BURGLARY, "    not_located: 4\n", "    not_located: 1\n")
    write_pages_branch(root, {SEPTEMBER[0]: september, DECEMBER[0]: published_data(root)})
    (root / "data/releases.yml").write_text(
        "releases:\n" + "".join(f'  - version: "{v}"\n    title: {t}\n    published: "{v}-20"\n' for v, t in (SEPTEMBER, DECEMBER)),
        encoding="utf-8")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=600,
                            env={**GIT_ENV, "CRIMEPORTAL_BOARD_PACK": "off"})
    assert result.returncode == 0, result.stderr
    return root / "site"


def read_feed(site: Path, path: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / path).read_bytes())
    assert not feed.bozo, (path, feed.bozo_exception)
    return feed


# ------------------------------------------------------------------------------------------ the feeds


def test_the_changed_district_s_feed_and_its_partnership_s_list_the_release_that_changed_its_figure(site):
    for path in ("areas/basildon/feed.xml", "areas/csp-basildon/feed.xml"):
        feed = read_feed(site, path)
        assert [(e.title, e.link) for e in feed.entries] == [
            (DECEMBER[1], "https://example.invalid/2019-12/what-changed/#revised-figures")], path
        assert feed.entries[0].summary == (f"Since the {SEPTEMBER[1]}: 1 figure revised. "
                                           "Measures: Burglary: police.uk street-level records.")
        assert feed.entries[0].updated.startswith("2019-12-20")
        assert feed.feed.id == f"https://example.invalid/latest/{path}"


def test_an_unchanged_district_s_feed_is_valid_and_empty_dated_by_the_latest_update(site):
    feed = read_feed(site, "areas/braintree/feed.xml")
    assert feed.entries == [] and feed.feed.updated.startswith("2019-09-12")
    assert feed.feed.title == "Braintree: updates from the Essex Police Crime Prevention Portal"


def test_the_changed_measure_s_strand_lists_the_release_and_another_strand_does_not(site):
    burglary = read_feed(site, "strands/house-burglary-and-street-robbery/feed.xml")
    assert [e.link for e in burglary.entries] == ["https://example.invalid/2019-12/what-changed/#revised-figures"]
    assert read_feed(site, "strands/domestic-abuse/feed.xml").entries == []
    # the feed of releases still has both releases: only the strands' and areas' feeds leave out what is not theirs
    assert [e.title for e in read_feed(site, "feed.xml").entries] == [DECEMBER[1], SEPTEMBER[1]]


def test_hostile_area_name_is_text_in_its_feed(site):
    feed = read_feed(site, "areas/basildon/feed.xml")
    assert feed.feed.title == f"{HOSTILE}: updates from the Essex Police Crime Prevention Portal"
    assert b"<script>" not in (site / "areas/basildon/feed.xml").read_bytes()


# ------------------------------------------------------------------------------------------ the pages


def feed_links(site: Path, page: str) -> tuple[list, list]:
    """A page's links to feeds: in its head, and in its body."""
    tree = parse((site / page / "index.html").read_text(encoding="utf-8"))
    head, body = tree.find("head"), tree.find("body")
    return ([link for link in head.find_all("link", type="application/atom+xml")],
            [a for a in body.find_all("a", type="application/atom+xml")])


@pytest.mark.parametrize("page, name", [("areas/basildon/", HOSTILE), ("areas/csp-basildon/", "Basildon Community Safety Partnership"),
                                        ("strands/domestic-abuse/", "Domestic Abuse")])
def test_a_strand_or_area_page_links_its_feed_in_its_head_and_on_the_page(site, page, name):
    head, body = feed_links(site, page)
    own = site / page / "feed.xml"
    assert own.is_file()
    in_head = [link for link in head if (site / page / link.attrs["href"]).resolve() == own.resolve()]
    assert len(in_head) == 1 and in_head[0].attrs["title"] == f"Updates for {name}"
    # "alternate feed", as the feed of releases: Material's script takes rel="alternate" alone for a translation
    assert in_head[0].attrs["rel"].split() == ["alternate", "feed"]
    visible = [a for a in body if (site / page / a.attrs["href"]).resolve() == own.resolve()]
    assert [a.text for a in visible] == [f"Subscribe to updates for {name} (Atom feed)"]


def test_other_pages_link_no_strand_or_area_feed(site):
    head, body = feed_links(site, "metrics/police-uk-burglary/")
    assert [link.attrs["href"] for link in head] == ["../../feed.xml"] and body == []


def test_the_data_page_lists_every_feed(site):
    _, body = feed_links(site, "data/")
    listed = {(site / "data" / a.attrs["href"]).resolve() for a in body}
    on_site = {p.resolve() for p in site.rglob("feed.xml")}
    assert len(on_site) > 20 and listed == on_site
    names = {a.text for a in body}
    assert {"New releases", "Domestic Abuse", HOSTILE, "Basildon Community Safety Partnership"} <= names


# ------------------------------------------------------------------------------------------ without a build


def test_a_title_xml_cannot_hold_leaves_the_strand_s_feed_readable():
    portal = check_portal(REPO).portal.published()
    register = [Release(*SEPTEMBER, "2019-09-20"), Release(*DECEMBER, "2019-12-20")]
    build = ReleaseBuild(None, register, register[1], Changes(), "https://example.org/portal/")
    first = portal.strands[0]
    changes = Changes(strands_restatused=[({"id": first.id, "status": "planned"}, {"id": first.id, "status": "active"})])
    for title in XML_BREAKING_TITLES:
        portal.strands[0] = type(first)(**{**vars(first), "title": title})
        history = topic_feeds.ReleaseHistory(register, {DECEMBER[0]: changes})
        made = topic_feeds.topic_feeds(portal, build, history, "Portal", read_publication(SETTINGS), "2019-09-12")
        feed = feedparser.parse(made[f"strands/{first.id}.md"].xml)
        assert not feed.bozo, (title, feed.bozo_exception)
        assert [e.link for e in feed.entries] == ["https://example.org/portal/2019-12/what-changed/#strands"]


def _figure(end: str, areas: dict[str, int], value: int) -> dict:
    return {"end": end, "value": value, "areas": areas}


def test_an_area_s_changes_are_its_own_figures_and_actions_only():
    metric = {"id": "m", "title": "M", "strand": "s", "observations": []}
    force_only = FigureChange(metric, _figure("2019-07", {"basildon": 5, "braintree": 4}, 10),
                              _figure("2019-07", {"basildon": 5, "braintree": 4}, 11))
    basildon = FigureChange(metric, _figure("2019-08", {"basildon": 5, "braintree": 4}, 10),
                            _figure("2019-08", {"basildon": 6, "braintree": 4}, 10))
    actions = compare_actions([{"id": "a", "area": "braintree", "due": "2019-10"}],
                              [{"id": "a", "area": "braintree", "due": "2019-12"}])
    changes = Changes(revised=[force_only, basildon], actions=actions)
    ours = only(changes, area_concerns(frozenset({"basildon"}), frozenset({"basildon"})))
    assert ours.revised == [basildon] and not ours.actions.anything
    theirs = only(changes, area_concerns(frozenset({"braintree"}), frozenset({"braintree"})))
    assert theirs.revised == [] and [c.new["id"] for c in theirs.actions.due_moved] == ["a"]
    assert not only(changes, strand_concerns("t")).anything and only(changes, strand_concerns("s")).revised == [force_only, basildon]


def test_a_verdict_is_a_strand_s_news_and_never_an_area_s():
    # a measure's verdict is the whole force's: an area's feed would otherwise list every verdict of every measure
    changes = Changes(verdicts=[VerdictChange({"id": "m", "title": "M", "strand": "s"}, None, None, None, None)])
    assert only(changes, strand_concerns("s")).verdicts == changes.verdicts
    assert not only(changes, area_concerns(frozenset({"basildon"}), frozenset({"basildon"}))).anything
