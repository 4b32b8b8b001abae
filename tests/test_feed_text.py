"""One text rule for every title that reaches XML: a release title with a control character is refused where it
is written (the register, `publish --title`), and the feed stays XML whatever reaches it."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
import yaml

from crimeportal.releases.changes import Changes
from crimeportal.releases.current import ReleaseBuild
from crimeportal.releases.publish import Request, _request_problems
from crimeportal.releases.register import Release, read_register
from crimeportal.site.publishing.feed import feed_xml
from crimeportal.site.publishing.publication import read_publication
from payloads import XML_BREAKING_TITLES
from portal_files import REPO

SETTINGS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python/name:", ""))["extra"]


@pytest.mark.parametrize("title", XML_BREAKING_TITLES, ids=repr)
def test_the_feed_parses_whatever_title_reaches_it(title: str):
    register = [Release("2019-09", title, "2019-09-20"), Release("2019-12", "December", "2019-12-20")]
    build = ReleaseBuild("2019-12", register, register[0], Changes(), "https://example.org/portal/")
    xml = feed_xml(build, register, {"2019-12": Changes()}, f"Portal {title}", read_publication(SETTINGS), "2019-09-12")
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[1].title.replace(" ", "") == "".join(c for c in title if c >= " " or c == "\t").replace(" ", "")


@pytest.mark.parametrize("title", XML_BREAKING_TITLES, ids=repr)
def test_validate_refuses_a_control_character_in_a_release_title_at_its_line(portal_copy: Path, run_cli, title: str):
    (portal_copy / "data" / "releases.yml").write_text(
        "# yaml-language-server: $schema=../schemas/releases.schema.json\nreleases:\n"
        f"  - version: \"2019-09\"\n    title: {json.dumps(title)}\n    published: \"2019-09-20\"\n", encoding="utf-8")
    register = read_register(portal_copy)
    assert register.releases == []
    assert [(p.line, p.field) for p in register.problems] == [(4, "releases[0].title")]
    assert "control character" in register.problems[0].message
    result = run_cli(portal_copy)
    assert result.code == 1 and "data/releases.yml:4:" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("title", XML_BREAKING_TITLES + ["Two\nlines"], ids=repr)
def test_publish_refuses_such_a_title_before_it_changes_anything(title: str):
    reasons = _request_problems(Request("2019-09", title))
    assert reasons and ("control character" in reasons[0] or "one line" in reasons[0]), reasons
