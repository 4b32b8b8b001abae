"""Each measure's embeddable page (embed/<measure>/): the chart, its headline, source, release and a link back, with
no navigation or script, within 50 KB; and the measure's page offers the <iframe> to copy."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crimeportal.site.pages import embed

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("embed") / "site"
    result = subprocess.run([str(CRIMEPORTAL), "--root", str(REPO), "build", "--site-dir", str(folder)],
                            capture_output=True, text=True, timeout=900, env={**os.environ, "CRIMEPORTAL_BOARD_PACK": "off"})
    assert result.returncode == 0, f"the site did not build:\n{result.stderr}"
    return folder


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


def test_every_measure_with_a_chart_has_an_embeddable_page_within_budget(built_site: Path):
    measures = [p.parent.name for p in built_site.glob("metrics/*/index.html")
                if '<figure class="portal-figure">' in p.read_text(encoding="utf-8")]
    assert len(measures) >= 10
    for measure in measures:
        page = built_site / embed.page_path(measure) / "index.html"
        assert page.is_file(), f"{measure} has no embeddable page"
        assert page.stat().st_size <= embed.BUDGET, f"{measure}'s embeddable page is {page.stat().st_size} bytes"


def test_the_embeddable_page_has_chart_headline_source_release_and_a_link_back_and_nothing_else(built_site: Path):
    text = (built_site / "embed" / "knife-enabled-crime" / "index.html").read_text(encoding="utf-8")
    tags = _tags(text)
    names = [tag for tag, _ in tags]
    assert "svg" in names and "h1" in names
    assert not {"script", "nav", "iframe", "header", "footer"} & set(names), "the page should be the chart alone"
    assert not [a for t, a in tags if t == "link" and a.get("rel") == "stylesheet"], "nothing to fetch"
    words = html.unescape(re.sub(r"<[^>]+>", " ", text))
    assert "176 in the 3 months to July 2019" in words
    assert "Source: Essex Police, Crime Prevention Strategy board update, 12 September 2019" in words
    assert "Release: latest" in words
    back = [a["href"] for t, a in tags if t == "a" and "more on the" in text]
    assert "../../metrics/knife-enabled-crime/" in back
    assert 'content="crimeportal' in text, "the page carries the portal's mark, as check-site requires"


def test_the_measure_page_offers_an_iframe_with_a_title_and_a_text_alternative(built_site: Path):
    text = (built_site / "metrics" / "knife-enabled-crime" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<div class="portal-embed">.*?<code>(.*?)</code>', text, re.S)
    assert found, "the measure page has no snippet to copy"
    snippet = html.unescape(found.group(1))
    tags = _tags(snippet)
    frame = next(a for t, a in tags if t == "iframe")
    assert frame["src"].endswith("/embed/knife-enabled-crime/") and frame["title"].startswith("Knife-enabled crime offences")
    assert any(t == "a" and a["href"].endswith("/metrics/knife-enabled-crime/") for t, a in tags)
    assert "Knife-enabled crime offences: 176 (3 months to July 2019)" in snippet
