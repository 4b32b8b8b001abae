"""Real MkDocs builds of a copy of the portal, checked through the HTML and files they write."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from html_tree import parse
from portal_files import copy_portal

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
SEED_FIGURES = {
    "repeat-domestic-abuse-incidents": ("domestic-abuse", ["46.43%", "46.28%"]),
    "domestic-abuse-solved-outcomes": ("domestic-abuse", ["804", "707"]),
    "knife-enabled-crime": ("gangs-and-knife-crime", ["169", "176"]),
    "hate-crime-solved-outcomes": ("hate-crime", ["79", "99"]),
    "residential-burglary-offences": ("house-burglary-and-street-robbery", ["1,948", "1,761"]),
    "residential-burglary-outcomes": ("house-burglary-and-street-robbery", ["86", "147"]),
    "personal-robbery-offences": ("house-burglary-and-street-robbery", ["371", "392"]),
    "personal-robbery-outcomes": ("house-burglary-and-street-robbery", ["35", "34"]),
}
# the seed's measures and the police.uk measures beside them: one chart each
ALL_METRICS = sorted(path.stem for path in (REPO / "data" / "metrics").glob("*.yml"))
# and a measure with figures by district draws two more: its map, and a small chart of each district
DRAWN = len(ALL_METRICS) + 2 * len([m for m in ALL_METRICS if m.startswith("police-uk-")])
STRAND_ORDER = [
    "domestic-abuse", "gangs-and-knife-crime", "night-time-economy", "sexual-crime-child-abuse-and-exploitation",
    "digital-crime-and-fraud", "extremism-and-radicalisation", "house-burglary-and-street-robbery", "hate-crime",
    "serious-and-organised-crime", "business-crime", "rural-crime",
]


def run_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=300)


def tree_hash(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(text: str) -> str:
    return text[text.index("<article"):text.index("</article>")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("portal"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


def test_every_strand_is_built_and_in_the_navigation_in_strategy_order(built):
    home = page(built / "site", "")
    nav = home[home.index('md-nav--primary'):]
    positions = [nav.index(f'href="strands/{strand}/"') for strand in STRAND_ORDER]
    assert positions == sorted(positions)
    assert re.search(r"Business Crime \(planned\)", nav) and re.search(r"Rural Crime \(planned\)", nav)
    for strand in STRAND_ORDER:
        assert (built / "site" / "strands" / strand / "index.html").exists()


@pytest.mark.parametrize("metric_id", sorted(SEED_FIGURES))
def test_each_seed_figure_appears_formatted_on_its_strand_and_metric_page(built, metric_id):
    strand, figures = SEED_FIGURES[metric_id]
    for text in (article(page(built / "site", f"strands/{strand}")), article(page(built / "site", f"metrics/{metric_id}"))):
        for figure in figures:
            assert f'<td class="portal-num">{figure}</td>' in text


def test_strands_without_measures_say_so(built):
    text = article(page(built / "site", "strands/sexual-crime-child-abuse-and-exploitation"))
    assert "This strand has no published measures yet." in text


def test_charts_have_accessible_names_and_descriptions(built):
    tree = parse(article(page(built / "site", "strands/house-burglary-and-street-robbery")))
    charts = tree.find_all("svg", class_="portal-chart")
    assert len(charts) == 4  # the board's four measures; the two police.uk ones are a headline and a link here
    bars = 0
    for chart in charts:
        assert chart.attrs["role"] == "img"
        title, desc = [c for c in chart.children if not isinstance(c, str)][:2]
        assert (title.tag, desc.tag) == ("title", "desc")
        assert title.text.startswith("Chart: ")
        if desc.text.startswith("Bar chart"):  # the board's measures: two periods each
            bars += 1
            assert re.fullmatch(r"Bar chart comparing 3 months to July 2018 \([\d,]+\) and 3 months to July 2019 \([\d,]+\), on an axis from zero\.",
                                desc.text)
    assert bars == 4


def test_tables_have_captions_and_scoped_headers(built):
    table = parse(article(page(built / "site", "metrics/knife-enabled-crime"))).find("table")
    assert table.find("caption").text == "Knife-enabled crime offences: figures by period"
    assert [th.text for th in table.find_all("th", scope="row")] == ["3 months to July 2018", "3 months to July 2019"]
    assert all(th.attrs.get("scope") in ("row", "col") for th in table.find_all("th"))


def test_metric_page_has_about_downloads_and_citation(built):
    text = article(page(built / "site", "metrics/knife-enabled-crime"))
    for heading in ("About this measure", "Download the data", "Cite this"):
        assert f">{heading}<" in text
    assert "A rise is bad: lower is better." in text
    assert 'href="../../data/metrics/knife-enabled-crime.csv"' in text
    assert ("176 in the 3 months to July 2019, up 4.1% from 169 in the 3 months to July 2018, "
            "the same period a year earlier") in text


def test_downloads_hold_exactly_what_the_yaml_holds(built):
    site = built / "site"
    all_json = json.loads((site / "data" / "all-metrics.json").read_text())
    every_metric = sorted(path.stem for path in (built / "data" / "metrics").glob("*.yml"))
    assert sorted(m["id"] for m in all_json) == every_metric and set(SEED_FIGURES) < set(every_metric)
    for metric_id in every_metric:  # the police.uk measures' figures by area as well
        source = yaml.safe_load((built / "data" / "metrics" / f"{metric_id}.yml").read_text())
        published = json.loads((site / "data" / "metrics" / f"{metric_id}.json").read_text())
        observations = published.pop("observations")
        assert {k: v for k, v in published.items() if k in source} == {k: v for k, v in source.items() if k != "observations"}
        for mine, theirs in zip(observations, source["observations"]):
            assert {k: mine[k] for k in theirs} == theirs
        rows = list(csv.DictReader((site / "data" / "metrics" / f"{metric_id}.csv").open(encoding="utf-8-sig")))
        # the CSV gives each period's last day (2019-07-31) where the YAML gives its last month (2019-07)
        assert [(r["period_end"][:7], float(r["value"])) for r in rows] == [(o["end"], o["value"]) for o in source["observations"]]
        assert {(r["metric"], r["title"], r["unit"], r["period_type"]) for r in rows} == {
            (metric_id, source["title"], source["unit"], source["period"])}
    assert (site / "schemas" / "metric.schema.json").read_bytes() == (built / "schemas" / "metric.schema.json").read_bytes()
    size = len((site / "data" / "all-metrics.csv").read_bytes())
    files = next(table for table in parse(article(page(site, "data"))).find_all("table")
                 if [c.text for c in table.find_all("caption")] == ["Files you can download"])
    rows = {row.find("th").text: [td.text for td in row.find_all("td")] for row in files.find("tbody").find_all("tr")}
    assert rows["data/all-metrics.csv"][-1] == (f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.1f} KB")


def test_index_and_home_list_measures(built):
    index = parse(article(page(built / "site", "metrics")))
    assert len([row for row in index.find("tbody").find_all("tr") if row.find("th").find_all("a")]) == len(ALL_METRICS)
    home = parse(article(page(built / "site", "")))
    cards = home.find_all("li", class_="portal-card")
    assert len(cards) == len(STRAND_ORDER)
    assert sum(bool(card.find_all("p", class_="portal-planned")) for card in cards) == 2


def test_no_script_names_another_host_to_load_from(built):
    for script in (built / "site" / "assets" / "javascripts").rglob("*.js"):
        assert "unpkg.com" not in script.read_text(encoding="utf-8"), script


def test_no_page_loads_anything_from_another_host(built):
    for html_file in (built / "site").rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        tree = parse(text)
        elsewhere = [e.attrs["src"] for e in tree.find_all() if re.match(r"(https?:)?//", e.attrs.get("src", ""))]
        assert elsewhere == [], html_file
        links = [e for e in tree.find_all("link") if e.attrs.get("rel") != "canonical"]
        assert [e.attrs["href"] for e in links if re.match(r"(https?:)?//", e.attrs.get("href", ""))] == [], html_file
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_broken_data_fails_the_build_and_leaves_the_site_unchanged(built, tmp_path):
    root = copy_portal(tmp_path)
    shutil.copytree(built / "site", root / "site")
    before = tree_hash(root / "site")
    metric = root / "data" / "metrics" / "knife-enabled-crime.yml"
    metric.write_text(metric.read_text().replace("unit: count", "unit: percentage"))
    result = run_build(root)
    assert result.returncode == 1
    line = metric.read_text().splitlines().index("unit: percentage") + 1
    assert f"data/metrics/knife-enabled-crime.yml:{line}:7: unit: must be one of count, percent, rate; found 'percentage'" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith("site.")]


def test_plain_mkdocs_build_stops_with_the_same_message(tmp_path):
    root = copy_portal(tmp_path)
    strand = root / "content" / "strands" / "hate-crime.md"
    strand.write_text(strand.read_text().replace("order: 8", "order: 7"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"content/strands/house-burglary-and-street-robbery\.md:\d+:8: order: strand order 7 is already used by "
                     r"content/strands/hate-crime\.md", result.stderr)


def test_a_title_with_markup_comes_out_escaped(tmp_path):
    root = copy_portal(tmp_path)
    metric = root / "data" / "metrics" / "knife-enabled-crime.yml"
    metric.write_text(metric.read_text().replace("title: Knife-enabled crime offences", 'title: "<script>alert(1)</script> knives"'))
    assert run_build(root).returncode == 0
    for path in ("metrics/knife-enabled-crime", "strands/gangs-and-knife-crime", "metrics", ""):
        text = page(root / "site", path)
        assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; knives" in article(page(root / "site", "metrics/knife-enabled-crime"))


def test_marker_puts_a_metric_anywhere_and_an_unknown_one_fails_with_file_and_line(tmp_path):
    root = copy_portal(tmp_path)
    about = root / "content" / "about" / "index.md"
    about.write_text(about.read_text() + "\n<!-- metric: hate-crime-solved-outcomes -->\n")
    assert run_build(root).returncode == 0
    text = article(page(root / "site", "about"))
    assert "<caption>Hate crime solved outcomes: figures by period</caption>" in text
    lines = about.read_text().splitlines()
    about.write_text("\n".join(lines + ["", "<!-- metric: no-such-metric -->", ""]))
    result = run_build(root)
    assert result.returncode == 1
    assert f"content/about/index.md:{len(lines) + 2}:1: metric marker: there is no metric with id 'no-such-metric'" in result.stderr


def test_second_build_renders_only_the_changed_metrics_chart(tmp_path):
    root = copy_portal(tmp_path)
    first = run_build(root)
    assert f"rendered {DRAWN} chart(s); 0 came from the cache" in first.stderr
    metric = root / "data" / "metrics" / "hate-crime-solved-outcomes.yml"
    metric.write_text(metric.read_text().replace("value: 99", "value: 98"))
    second = run_build(root)
    assert f"rendered 1 chart(s); {DRAWN - 1} came from the cache" in second.stderr
    assert '<td class="portal-num">98</td>' in page(root / "site", "metrics/hate-crime-solved-outcomes")


SEED_VERDICTS = {
    "domestic-abuse-solved-outcomes": "Deterioration",
    "knife-enabled-crime": "No significant change",
    "repeat-domestic-abuse-incidents": "Cannot be assessed",
    "residential-burglary-offences": "Improvement",
}


@pytest.mark.parametrize("metric_id", sorted(SEED_VERDICTS))
def test_pages_carry_the_verdict_word_beside_each_measure_linked_to_how_we_judge_change(built, metric_id):
    word = SEED_VERDICTS[metric_id]
    badge = re.compile(r'<a class="portal-verdict portal-verdict--[a-z-]+" href="(\.\./)*about/how-we-judge-change/'
                       r'#the-words-we-use" title="How we judge change"><span class="portal-verdict__icon" '
                       r'aria-hidden="true">[^<]+</span> ' + re.escape(word) + "</a>")
    strand = SEED_FIGURES[metric_id][0]
    metric_page = article(page(built / "site", f"metrics/{metric_id}"))
    assert badge.search(metric_page)
    strand_page = article(page(built / "site", f"strands/{strand}"))
    assert badge.search(strand_page[strand_page.index(f'id="{metric_id}"'):][:1500])
    for where in ("metrics", ""):
        text = article(page(built / "site", where))
        assert badge.search(text[text.index(f"{metric_id}/\""):][:1500]), where


def test_a_long_monthly_series_gets_control_limits_and_flagged_points(tmp_path):
    root = copy_portal(tmp_path)
    values = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 53, 55, 57, 59, 61, 63, 65, 90]
    lines = [f"  - end: {2018 + i // 12}-{i % 12 + 1:02d}\n    value: {v}\n" for i, v in enumerate(values)]
    metric = root / "data" / "metrics" / "knife-enabled-crime.yml"
    text = metric.read_text().replace("period: rolling-3-months", "period: month")
    metric.write_text(text[: text.index("observations:")] + "observations:\n" + "".join(lines))
    assert run_build(root).returncode == 0
    body = article(page(root / "site", "metrics/knife-enabled-crime"))
    assert "Dashed lines mark process limits" in body
    assert '<th scope="col">Variation</th>' in body
    assert "Special cause: concern (outside limits" in body
    assert "Special cause: concern (trend" in body
