"""A measure with figures by district, as its built page shows it: rates against the force in a table,
a map of the rates whose districts are links, and a small chart of each district's series."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from html_tree import parse
from portal_files import copy_portal

from crimeportal.core.area_stats import compare_areas

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
MEASURE = "police-uk-burglary"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("portal"))
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CRIMEPORTAL_BOARD_PACK": "off"})
    assert result.returncode == 0, result.stderr
    return root / "site"


def _page(site: Path, metric_id: str):
    return parse((site / "metrics" / metric_id / "index.html").read_text(encoding="utf-8"))


def _latest_by_district(metric_id: str) -> tuple[str, dict[str, int]]:
    data = yaml.safe_load((REPO / "data" / "metrics" / f"{metric_id}.yml").read_text(encoding="utf-8"))
    latest = data["observations"][-1]
    return latest["end"], latest["areas"]


def _register() -> dict[str, dict]:
    return {a["id"]: a for a in yaml.safe_load((REPO / "data" / "areas.yml").read_text(encoding="utf-8"))["areas"]}


def test_the_table_gives_each_districts_count_population_rate_and_comparison(site):
    end, counts = _latest_by_district(MEASURE)
    register = _register()
    populations = {area: register[area]["population"] for area in counts}
    force_rate, expected = compare_areas(counts, populations)
    table = next(t for t in _page(site, MEASURE).find_all("table") if "by district" in t.find("caption").text)
    headings = [th.text for th in table.find("thead").find_all("th")]
    assert headings == ["District", "Count", "Population (mid-2018)", "Rate per 1,000", "95% interval", "Compared with Essex"]
    rows = [[cell.text for cell in row.children if not isinstance(cell, str)] for row in table.find("tbody").find_all("tr")]
    words = {"higher": "Higher than Essex", "similar": "Similar to Essex", "lower": "Lower than Essex"}
    assert rows[:-1] == [[register[r.area]["name"], f"{r.count:,}", f"{r.population:,}", f"{r.rate:,.2f}",
                          f"{r.lower:,.2f} to {r.upper:,.2f}", words[r.verdict]] for r in expected]
    assert rows[-1] == ["Essex (all districts)", f"{sum(counts.values()):,}", f"{sum(populations.values()):,}",
                        f"{force_rate:,.2f}", "", ""]
    # a real difference in the data: Epping Forest's burglaries in July 2018 were well above Essex's rate
    assert end == "2018-07" and rows[6][0] == "Epping Forest" and rows[6][-1] == "Higher than Essex"
    links = [a.attrs["href"] for row in table.find("tbody").find_all("tr") for a in row.find_all("a")]
    assert links == [f"../../areas/{area}/" for area in counts]


def test_the_map_shades_rates_and_each_district_is_a_named_link_to_its_page(site):
    page = _page(site, MEASURE)
    figure = page.find("figure", class_="portal-map-figure")
    svg = figure.find("svg")
    assert svg.attrs["role"] == "group" and svg.attrs["aria-label"].startswith("Map: Burglary: police.uk street-level records, by district")
    links = svg.find_all("a")
    _, counts = _latest_by_district(MEASURE)
    assert [a.attrs["href"] for a in links] == [f"../../areas/{area}/" for area in counts]
    for link in links:  # never a raw count: what is shaded, and said, is the rate and its comparison
        assert "per 1,000 people in July 2018, " in link.attrs["aria-label"]
        assert link.attrs["aria-label"].endswith(("higher than essex", "similar to essex", "lower than essex"))
        assert link.find("title").text == link.attrs["aria-label"]
    names = {t.text for t in svg.find_all("text")}
    assert {a["name"] for a in _register().values() if a["kind"] == "district"} <= names


def test_each_districts_series_is_one_small_chart_on_one_axis_from_zero(site):
    series = _page(site, MEASURE).find("div", class_="portal-series-figure")
    svg = series.find("svg")
    assert svg.attrs["role"] == "img" and "portal-small-multiples" in svg.classes
    assert svg.find("title").text == "Chart: Burglary: police.uk street-level records, each district"
    assert svg.find("desc").text.startswith("14 small line charts, one per district, from January 2018 to July 2018, all on one axis from zero")
    assert series.attrs["tabindex"] == "0"  # it may scroll sideways on a narrow screen: the keyboard can reach it


def test_a_measure_without_figures_by_district_has_no_such_section(site):
    page = _page(site, "knife-enabled-crime")
    assert not page.find_all("h2", id="by-district") and not page.find_all("svg", class_="portal-map")


def test_a_measure_page_with_a_map_stays_within_its_weight(site):
    assert (site / "metrics" / MEASURE / "index.html").stat().st_size < 150_000


def test_a_districts_page_brings_together_its_latest_figure_from_every_measure(site):
    page = parse((site / "areas" / "epping-forest" / "index.html").read_text(encoding="utf-8"))
    table = next(t for t in page.find_all("table") if t.find("caption").text == "Latest figures for Epping Forest")
    rows = {row.find("th").text: [c.text for c in row.children if not isinstance(c, str)] for row in table.find("tbody").find_all("tr")}
    metrics = sorted(p.stem for p in (REPO / "data" / "metrics").glob("police-uk-*.yml"))
    assert len(rows) == len(metrics)
    burglary = rows["Burglary: police.uk street-level records"]
    assert burglary[1:] == ["July 2018", "108", "0.82", "Higher than Essex"]
    assert table.find("a").attrs["href"].startswith("../../metrics/police-uk-")


def test_a_partnerships_page_gives_each_of_its_districts_figures(site):
    page = parse((site / "areas" / "csp-castle-point-and-rochford" / "index.html").read_text(encoding="utf-8"))
    table = next(t for t in page.find_all("table") if t.find("caption").text.startswith("Latest figures for"))
    districts = {row.find("td").text for row in table.find("tbody").find_all("tr")}
    assert districts == {"Castle Point", "Rochford"}
