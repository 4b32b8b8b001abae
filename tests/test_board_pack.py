"""The board pack PDF, built for real and read with poppler's tools (pdfinfo, pdftotext, pdffonts, pdftoppm).

One copy of the seed portal is built for the module; the tests read what that build wrote. The release's own
pack (its title and meeting date) is checked in tests/test_release.py, which publishes real releases.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from urllib.parse import urljoin

import pytest
from portal_files import REPO as REAL_PORTAL, copy_portal
from html_tree import parse
from payloads import ENCODED_OUTSIDE_PATHS
from PIL import Image

from crimeportal.core.formats import long_date
from crimeportal.core.stats import VERDICT_LABELS
from crimeportal.site.pages.board_report import heading
from crimeportal.site.board_pack import local_fetcher, latest_rows
from crimeportal.site.build import _measures
from crimeportal.site.pages.render import board_pack_link, human_size
from crimeportal.source.validate import load_portal

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
PACK = "site/board-report/board-pack.pdf"


def build(root: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def tool(*args: str | Path) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def words(text: str) -> str:
    return " ".join(text.split())


def info(pdf: Path) -> dict[str, str]:
    return {key.strip(): value.strip() for key, value in
            (line.split(":", 1) for line in tool("pdfinfo", pdf).splitlines() if ":" in line)}


def inflated(pdf: Path) -> bytes:
    """Every compressed stream of the PDF, inflated: the catalogue and structure tree live in object streams."""
    data, parts = pdf.read_bytes(), []
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end():]))
        except zlib.error:
            pass
    return b"\n".join(parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed (.ci/run and make test install it as root)")
    root = copy_portal(tmp_path_factory.mktemp("pack"))
    first = build(root)
    assert "the board pack PDF" in first.stderr and "was made" in first.stderr
    return root


@pytest.fixture(scope="module")
def portal():
    loaded, problems = load_portal(REAL_PORTAL)
    assert not problems
    return loaded


def test_pdfinfo_reports_a_tagged_titled_a4_document_of_many_pages(built, portal):
    facts = info(built / PACK)
    assert facts["Tagged"] == "yes"
    latest = max(s.updated for s in portal.strands)
    assert facts["Title"].startswith(f"Board report as at {long_date(latest)}")
    assert facts["Author"] == "Essex Police"
    assert int(facts["Pages"]) > len(portal.strands)  # title, contents and summary pages, then the strands
    assert "(A4)" in facts["Page size"]
    assert facts["CreationDate"].startswith("Thu Sep 12 00:00:00 2019"), "dated by the strands, not the clock"


def test_the_text_has_every_strand_figure_and_verdict_and_numbered_pages(built, portal):
    text = words(tool("pdftotext", built / PACK, "-"))
    pages = int(info(built / PACK)["Pages"])
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    assert "Board report as at 12 September 2019" in text and "OFFICIAL" in text
    for strand in portal.strands:
        assert words(heading(strand)) in text
    measures, drawn = _measures(portal, REAL_PORTAL)
    drawn.close()
    for measure in measures.values():
        if not measure.metric.board_report:  # open data the board is not given: on the site, not in the pack
            assert words(measure.metric.title) not in text
            continue
        assert words(measure.metric.title) in text
        assert words(measure.latest_words) in text
        if measure.verdict:
            assert VERDICT_LABELS[measure.verdict] in text
    assert "use your browser's Print command" not in text, "an instruction for the screen is not printed"
    assert "https://example.invalid/metrics/" in text, "links print their address"


def test_the_summary_page_lists_every_measure_with_both_figures(built, portal):
    pages = tool("pdftotext", built / PACK, "-").split("\f")
    start = next(i for i, page in enumerate(pages) if "Summary of the measures\n" in page
                 and "Every measure: its latest figure" in page)
    # the summary runs on over the next pages, up to the first strand's, as the contents give it
    contents = next(page for page in tool("pdftotext", "-layout", built / PACK, "-").split("\f") if "Contents" in page)
    entries = dict(re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE))
    first_strand = min(int(entries[s.title]) for s in portal.strands if s.title in entries)
    summary = words(" ".join(pages[start:max(start + 1, first_strand - 1)]))
    measures, drawn = _measures(portal, REAL_PORTAL)
    drawn.close()
    for measure in (m for m in measures.values() if m.metric.board_report):
        assert words(measure.metric.title) in summary
        assert words(measure.earlier_words) in summary


def test_the_contents_give_the_page_each_part_starts_on(built, portal):
    pages = tool("pdftotext", "-layout", built / PACK, "-").split("\f")
    contents = next(page for page in pages if "Contents" in page)
    entries = dict(re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE))
    first_active = next(s for s in portal.strands if s.status != "planned")
    number = int(entries[first_active.title])
    assert words(first_active.title) in words(pages[number - 1])
    assert "Annex A: caveats" in entries and "Planned strands" in entries


def test_it_is_in_british_english_with_charts_described_and_fonts_embedded(built, portal):
    structure = inflated(built / PACK)
    assert b"/Lang (en-GB)" in structure
    charted = [m for m in portal.metrics if m.observations and m.board_report]
    assert structure.count(b"/Alt (Chart: ") == len(charted)
    fonts = tool("pdffonts", built / PACK).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "every font is embedded"
    tree = tool("pdfinfo", "-struct", built / PACK)
    for tag in ("H1", "H2", "H3", "Table", "TH", "TD", "Figure", "Link"):
        assert re.search(rf"^\s*{tag}[ :]", tree, re.MULTILINE), f"the structure tree has no {tag}"


def test_no_page_is_blank(built, tmp_path):
    tool("pdftoppm", "-png", "-r", "24", built / PACK, tmp_path / "page")
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == int(info(built / PACK)["Pages"])
    for image in images:
        page = Image.open(image).convert("L")
        width, height = page.size
        body = page.crop((0, height // 9, width, height - height // 9))  # inside the running header and footer
        darkest, _ = body.getextrema()
        assert darkest < 128, f"{image.name} has nothing on it but its header and footer"


def test_the_report_the_data_page_and_what_changed_link_to_it_with_its_size(built):
    size = human_size((built / PACK).stat().st_size)
    for page, href in (("board-report", "board-pack.pdf"), ("data", "../board-report/board-pack.pdf"),
                       ("what-changed", "../board-report/board-pack.pdf")):
        tree = parse((built / "site" / page / "index.html").read_text(encoding="utf-8"))
        links = [a for a in tree.find_all("a") if a.attrs.get("href") == href]
        assert links, f"{page} links to the pack"
        assert f"(PDF, {size})" in links[0].text


def test_a_warm_build_takes_it_from_the_cache_and_a_cold_one_gives_the_same_bytes(built):
    before = (built / PACK).read_bytes()
    cached = list((built / ".cache" / "board-pack").glob("*.pdf"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    warm = build(built)
    assert "the board pack PDF" in warm.stderr and "came from the cache" in warm.stderr
    assert (built / PACK).read_bytes() == before
    assert cached[0].read_bytes() == before and list((built / ".cache" / "board-pack").glob("*.pdf")) == cached
    assert cached[0].stat().st_mtime_ns >= stamp
    shutil.rmtree(built / ".cache" / "board-pack")
    cold = build(built)
    assert "was made" in cold.stderr
    assert (built / PACK).read_bytes() == before, "the same inputs give a byte-identical PDF"


def test_a_change_to_a_strand_makes_a_new_pack(built):
    strand = built / "content" / "strands" / "hate-crime.md"
    strand.write_text(strand.read_text(encoding="utf-8") + "\nA sentence added for the board pack test.\n", encoding="utf-8")
    changed = build(built)
    assert "was made" in changed.stderr
    assert "A sentence added for the board pack test." in words(tool("pdftotext", built / PACK, "-"))


def test_the_live_preview_says_where_the_pack_is_made_instead_of_linking_to_nothing():
    preview = parse(str(board_pack_link("board-pack.pdf", "<!-- size -->", not_made=True)))
    assert not preview.find_all("a")
    assert "make site" in preview.text and "a live preview, did not make it" in preview.text
    built_page = parse(str(board_pack_link("board-pack.pdf", "12.0 KB", not_made=False)))
    assert [a.attrs.get("href") for a in built_page.find_all("a")] == ["board-pack.pdf"]


def test_making_the_pack_reads_only_the_built_sites_own_files(tmp_path):
    site = tmp_path / "site"
    (site / "strands").mkdir(parents=True)
    (site / "strands" / "map.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("not for the pack")
    fetcher = local_fetcher(site)
    assert fetcher.fetch((site / "strands" / "map.png").as_uri()) is not None
    for refused in ((tmp_path / "secret.txt").as_uri(), (site / ".." / "secret.txt").as_uri(),
                    "http://127.0.0.1:9/chart.png", "https://example.invalid/font.woff2", "ftp://example.invalid/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)


def test_a_long_table_keeps_its_latest_periods_and_says_where_the_rest_are():
    rows = "".join(f"<tr><th scope=\"row\">Period {n}</th><td>{n}</td></tr>" for n in range(1, 13))
    table = f'<div class="portal-table-wrap"><table class="portal-table"><caption>C: figures by period</caption><tbody>{rows}</tbody></table></div>'
    cut = parse(latest_rows(table, keep=8))
    assert [r.find("th").text for r in cut.find_all("tr")] == [f"Period {n}" for n in range(5, 13)]
    assert "the 4 earlier ones are on the measure's page" in cut.find("p", class_="pack-earlier").text
    short = table.replace(rows, rows[: rows.index("<tr><th scope=\"row\">Period 3<")])
    assert latest_rows(short, keep=8) == short
    # a report with too many measures to show in full lists them in a row each: every row stays
    listed = table.replace("C: figures by period", "Each measure, its latest figure and the change")
    assert latest_rows(listed, keep=8) == listed


def test_a_build_told_not_to_make_it_links_to_nothing(portal_copy):
    done = subprocess.run([str(CRIMEPORTAL), "build"], cwd=portal_copy, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CRIMEPORTAL_BOARD_PACK": "off"})
    assert done.returncode == 0, done.stderr
    assert not (portal_copy / PACK).exists() and "board pack PDF" not in done.stderr
    report = parse((portal_copy / "site" / "board-report" / "index.html").read_text(encoding="utf-8"))
    assert not [a for a in report.find_all("a") if a.attrs.get("href", "").endswith("board-pack.pdf")]
    assert "did not make it" in report.find("p", class_="portal-board-pack").text


def _png(path: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (200, 30, 30)).save(path)


@pytest.mark.parametrize("encoded", ENCODED_OUTSIDE_PATHS)
def test_the_fetcher_decodes_a_path_before_it_checks_it(tmp_path, encoded):
    site = tmp_path / "site"
    (site / "board-report").mkdir(parents=True)
    _png(tmp_path / "outside.png", (7, 5))
    base = (site / "board-report" / "index.html").as_uri()
    with pytest.raises(ValueError):
        local_fetcher(site).fetch(urljoin(base, encoded.replace("\\", "%5C")))


def test_the_fetcher_reads_the_sites_own_files_by_encoded_names_too(tmp_path):
    site = tmp_path / "site"
    (site / "board-report").mkdir(parents=True)
    _png(site / "board-report" / "a map.png", (7, 5))
    fetched = local_fetcher(site).fetch((site / "board-report").as_uri() + "/a%20map.png")
    assert fetched.read().startswith(b"\x89PNG")
    for elsewhere in ("file://evil.example/share/x.png", "file:////evil.example/share/x.png"):
        with pytest.raises(ValueError):
            local_fetcher(site).fetch(elsewhere)


def test_an_encoded_path_in_a_strand_page_puts_no_outside_image_into_the_pack(portal_copy):
    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils is not installed (.ci/run and make test install it as root)")
    _png(portal_copy / "outside.png", (97, 13))  # sizes no image of the pack has, so each is told apart
    (portal_copy / "content" / "images").mkdir(exist_ok=True)
    _png(portal_copy / "content" / "images" / "inside.png", (89, 11))
    page = portal_copy / "content" / "strands" / "domestic-abuse.md"
    images = "\n".join(f'<img src="{src}" alt="x">' for src in ENCODED_OUTSIDE_PATHS)
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{images}\n\n<img src=\"../images/inside.png\" alt=\"in\">\n",
                    encoding="utf-8")
    build(portal_copy)
    listed = tool("pdfimages", "-list", portal_copy / PACK).splitlines()[2:]
    sizes = {(int(row.split()[3]), int(row.split()[4])) for row in listed}
    assert (89, 11) in sizes, "the site's own image should be in the pack: else the test shows nothing"
    assert (97, 13) not in sizes, "an image from outside the site was put into the board pack"
