"""Each measure's chart can be downloaded as an SVG and a PNG that carry its title, period, source and licence."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.site.charts import share

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("charts") / "site"
    result = subprocess.run([str(CRIMEPORTAL), "--root", str(REPO), "build", "--site-dir", str(folder)],
                            capture_output=True, text=True, timeout=900, env={**__import__("os").environ,
                                                                              "CRIMEPORTAL_BOARD_PACK": "off"})
    assert result.returncode == 0, f"the site did not build:\n{result.stderr}"
    return folder


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG: the file does not start with PNG's signature"
    assert data[12:16] == b"IHDR", "not a PNG: its first chunk is not the header"
    return struct.unpack(">II", data[16:24])


def test_every_measure_page_with_a_chart_links_to_its_svg_and_png_and_both_exist(built_site: Path):
    pages = sorted(built_site.glob("metrics/*/index.html"))
    linked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if '<figure class="portal-figure">' not in html:
            continue
        measure = page.parent.name
        for kind in ("svg", "png"):
            href = f"../../charts/{measure}-latest.{kind}"
            assert f'href="{href}" download' in html, f"{measure}'s page does not link to its {kind.upper()}"
            assert (page.parent / href).resolve().is_file(), f"{measure}'s {kind.upper()} was not written"
        linked += 1
    assert linked >= 10, f"only {linked} measure pages have a chart to download"


def test_the_png_is_a_real_png_twice_the_size_of_the_svg_it_is_drawn_from(built_site: Path):
    svg = (built_site / "charts" / "knife-enabled-crime-latest.svg").read_text(encoding="utf-8")
    width, height = share.chart_size(svg)
    assert width >= share.MIN_WIDTH and height > 200
    assert png_size((built_site / "charts" / "knife-enabled-crime-latest.png").read_bytes()) == (
        int(width * share.PNG_SCALE), int(height * share.PNG_SCALE))


def test_the_image_carries_its_title_period_source_and_licence_as_text(built_site: Path):
    svg = (built_site / "charts" / "knife-enabled-crime-latest.svg").read_text(encoding="utf-8")
    words = " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))
    assert "Knife-enabled crime offences" in words
    assert "Periods shown: 3 months to July 2018 – 3 months to July 2019. Release: latest." in words
    assert "Source: Essex Police, Crime Prevention Strategy board update, 12 September 2019" in words
    assert "Licence: Open Government Licence v3.0" in words


def test_a_caption_is_escaped_and_the_frame_is_never_narrower_than_its_words():
    chart = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100"/></svg>'
    framed = share.framed_svg(chart, share.ChartCaption("A & <b>", "2019", "Them <x>", "OGL", "2019-09"))
    assert "A &amp; &lt;b&gt;" in framed and "<b>" not in framed
    assert share.chart_size(framed) == (share.MIN_WIDTH, 100 + 58 + 52)
    assert png_size(share.png(framed)) == (share.MIN_WIDTH * 2, (100 + 58 + 52) * 2)


def test_a_measure_s_district_map_and_small_multiples_download_too(built_site: Path):
    page = (built_site / "metrics" / "police-uk-burglary" / "index.html").read_text(encoding="utf-8")
    for kind, title in (("maps", "Burglary: police.uk street-level records: rate per 1,000 people by district"),
                        ("districts", "Burglary: police.uk street-level records: each district")):
        href = f"../../charts/{kind}/police-uk-burglary-latest"
        assert f'href="{href}.svg" download' in page and f'href="{href}.png" download' in page
        svg = (built_site / "charts" / kind / "police-uk-burglary-latest.svg").read_text(encoding="utf-8")
        words = " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))
        assert title in words and "Licence: Open Government Licence v3.0" in words and "Source: " in words
        assert "<a " not in svg  # a saved image's district links would lead nowhere
        width, height = share.chart_size(svg)
        assert png_size((built_site / "charts" / kind / "police-uk-burglary-latest.png").read_bytes()) == (
            int(width * share.PNG_SCALE), int(height * share.PNG_SCALE))
