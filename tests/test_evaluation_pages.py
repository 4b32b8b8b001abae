"""Evaluation pages: their words (unit tests), and a real build of the portal with a second evaluation whose
results are in, checked through the parsed HTML and the JSON download."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from html_tree import parse
from portal_files import copy_portal

from crimeportal.core.evaluation import Counts, Evaluation, result_to_dict
from crimeportal.core.evaluation import record as json_record
from crimeportal.site.pages.evaluation_pages import expected_sentence, registered_sentence, result_sentences

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
HOSTILE = "<script>alert(1)</script> & <b>bold</b>"
TRIAL = f"""\
# yaml-language-server: $schema=../../schemas/evaluation.schema.json
id: door-chains
title: Door chains trial
strand: house-burglary-and-street-robbery
question: Did door chains reduce burglary?
design: comparison-areas
registered: 2019-08-01
before: {{start: 2019-05, end: 2019-08}}
after: {{start: 2019-09, end: 2019-12}}
expected: {{direction: decrease, smallest_effect_percent: 10}}
actions: [operation-meteor-property-marking]
groups:
  test: [basildon, E01021234]
  control: [braintree]
  displacement: [castle-point]
  displacement_control: [chelmsford]
counts:
  test: {{before: 120, after: 80, by_month: {{'2019-05': 30, '2019-06': 30, '2019-07': 30, '2019-08': 30, '2019-09': 20, '2019-10': 20, '2019-11': 20, '2019-12': 20}}}}
  control: {{before: 100, after: 95, by_month: {{'2019-05': 25, '2019-06': 25, '2019-07': 25, '2019-08': 25, '2019-09': 24, '2019-10': 24, '2019-11': 24, '2019-12': 23}}}}
  displacement: {{before: 60, after: 64}}
  displacement_control: {{before: 50, after: 52}}
caveats: ["{HOSTILE}"]
"""
AS_AT = date(2020, 3, 1)


def _trial(**changes) -> Evaluation:
    fields = dict(id="t", title="T", strand="s", question="Q?", design="comparison-areas", after=("2019-09", "2019-12"),
                  before=("2019-05", "2019-08"), registered=date(2019, 8, 1),
                  groups={"test": ("a",), "control": ("b",)},
                  counts={"test": Counts(120, 80), "control": Counts(100, 95)})
    fields.update(changes)
    return Evaluation(**fields)


def test_result_words_give_the_numbers_and_the_method() -> None:
    trial = _trial()
    words = " ".join(result_sentences(trial, trial.result(AS_AT)))
    assert "120 crimes" in words and "80 in the after months (down 33%)" in words
    assert "The rate ratio is 0.70 (95% interval" in words
    assert "Poisson variances" in words
    assert "no displacement areas were counted" in words


def test_before_after_words_say_what_the_design_cannot_do() -> None:
    trial = _trial(design="before-after", groups={"test": ("a",)}, counts={"test": Counts(120, 80)})
    words = " ".join(result_sentences(trial, trial.result(AS_AT)))
    assert "exact conditional test for two Poisson counts" in words
    assert "cannot separate the operation from everything else" in words
    assert "rate ratio" not in words


def test_registered_after_the_start_is_said_plainly() -> None:
    late = _trial(registered=date(2019, 9, 12))
    assert registered_sentence(late, late.result(AS_AT)).startswith("No: the design was first published on 12 September 2019")
    early = _trial()
    assert registered_sentence(early, early.result(AS_AT)).startswith("Yes:")
    unknown = _trial(registered=None)
    assert "not shown as registered in advance" in registered_sentence(unknown, unknown.result(AS_AT))


def test_expected_against_found() -> None:
    trial = _trial(expected_direction="decrease", smallest_effect_percent=10)
    # rate ratio 0.70, p about 0.08
    assert expected_sentence(trial, trial.result(AS_AT)) == (
        "Expected: a decrease of at least 10%. Found: a fall of 30% against the control areas, "
        "not statistically significant.")
    planned = _trial(expected_direction="increase", counts={})
    assert expected_sentence(planned, planned.result(AS_AT)) == "Expected: an increase. Found: the results are to come."


def test_json_record_has_the_contract_fields() -> None:
    trial = _trial()
    record = json_record(trial, trial.result(AS_AT))
    for name in ("rate_ratio", "rate_ratio_ci", "rate_ratio_p", "wdd", "wdd_se", "wdd_z", "maryland_level"):
        assert name in record
    assert record == json.loads(json.dumps(record))  # plain JSON values only


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("portal"))
    (root / "data/evaluations/door-chains.yml").write_text(TRIAL, encoding="utf-8")
    env = dict(os.environ, CRIMEPORTAL_BOARD_PACK="off")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    return root / "site"


def _article(site: Path, path: str):
    return parse((site / path / "index.html").read_text(encoding="utf-8")).find("article")


def test_the_evaluations_page_lists_each_with_its_status(built: Path) -> None:
    table = _article(built, "evaluations").find("table")
    rows = {row.find("th").text: [td.text for td in row.find_all("td")] for row in table.find("tbody").find_all("tr")}
    assert rows["Operation Meteor property marking"][1] == "Planned"
    assert rows["Door chains trial"][1] == "Results in"
    assert rows["Door chains trial"][2] == "3"
    assert rows["Door chains trial"][3].startswith("Rate ratio 0.70")


def test_a_planned_evaluation_says_its_areas_and_results_are_to_come(built: Path) -> None:
    text = _article(built, "evaluations/operation-meteor").text
    assert "The areas are to come" in text
    assert "the areas and the results are to come" in text
    assert "Level 3 of 5" in text
    assert "No: the design was first published on 12 September 2019" in text


def test_a_page_with_results(built: Path) -> None:
    article = _article(built, "evaluations/door-chains")
    text = article.text
    assert "The rate ratio is 0.70" in text
    assert "Weighted Displacement Difference: local estimate -35 crimes, displacement estimate +2" in text
    assert "total -33 crimes" in text
    assert "Yes: the design was first published on 1 August 2019" in text
    assert "Expected: a decrease of at least 10%." in text
    links = {a.text: a.attrs["href"] for a in article.find_all("a")}
    assert links["Basildon"] == "../../areas/basildon/"
    assert "LSOA E01021234" in text
    assert links["door-chains.json"] == "../../data/evaluations/door-chains.json"
    # an editor's text is shown as text, never as markup
    assert HOSTILE in text
    assert not article.find_all("script") and not article.find_all("b")


def test_the_json_download_matches_the_analysis(built: Path) -> None:
    data = json.loads((built / "data/evaluations/door-chains.json").read_text(encoding="utf-8"))
    trial = _trial(groups={}, counts={"test": Counts(120, 80), "control": Counts(100, 95),
                                      "displacement": Counts(60, 64), "displacement_control": Counts(50, 52)})
    expected = result_to_dict(trial.result(AS_AT))
    for name in ("rate_ratio", "rate_ratio_p", "wdd", "wdd_se", "wdd_z", "maryland_level"):
        assert data[name] == pytest.approx(expected[name])
    assert data["rate_ratio_ci"] == pytest.approx(expected["rate_ratio_ci"])
    assert data["wdd_se"] == pytest.approx(math.sqrt(120 + 80 + 100 + 95 + 60 + 64 + 50 + 52))


def test_the_strand_page_and_board_report_have_a_section(built: Path) -> None:
    strand = _article(built, "strands/house-burglary-and-street-robbery")
    assert strand.find("h2", id="evaluations")
    assert "Door chains trial" in strand.text
    report = _article(built, "board-report")
    assert report.find("h2", id="evaluations")
    assert "Operation Meteor property marking" in report.text


def test_an_action_s_entry_names_the_evaluations_of_it(built: Path) -> None:
    entry = _article(built, "strands/house-burglary-and-street-robbery").find("li", id="action-operation-meteor-property-marking")
    terms = [dt.text for dt in entry.find_all("dt")]
    evaluated = entry.find_all("dd")[terms.index("Evaluated by")]
    links = {a.attrs["href"]: a.text for a in evaluated.find_all("a")}
    assert links == {"../../evaluations/operation-meteor/": "Operation Meteor property marking",
                     "../../evaluations/door-chains/": "Door chains trial"}
    # each with where it had got to by the board meeting of September 2019, the seed's as-at date
    assert "Operation Meteor property marking (planned)" in evaluated.text
    assert "Door chains trial (results in)" in evaluated.text
    other = _article(built, "strands/house-burglary-and-street-robbery").find("li", id="action-operation-meteor-evaluation")
    assert "Door chains trial" not in other.text


def test_the_chart_by_month_is_drawn_from_the_months_counted(built: Path) -> None:
    [figure] = [f for f in _article(built, "evaluations/door-chains").find_all("figure") if "portal-map-figure" not in f.classes]
    svg = figure.find("svg")
    assert svg.attrs["role"] == "img"
    assert svg.find("title").text == "Chart: Door chains trial, crimes each month"
    # only the groups counted month by month are drawn: the displacement groups' counts are totals
    assert svg.find("desc").text.startswith("Line chart of the crimes counted each month in the test areas and control "
                                            "areas, from May 2019 to December 2019, on an axis from zero.")
    assert "Operation" in svg.text and "The shaded months are the operation's" in figure.text
    links = {a.text: a.attrs["href"] for a in _article(built, "evaluations/door-chains").find("p", "portal-share-files").find_all("a")}
    assert links == {"SVG image": "../../charts/evaluations/door-chains-latest.svg",
                     "PNG image": "../../charts/evaluations/door-chains-latest.png"}
    shared = (built / "charts/evaluations/door-chains-latest.svg").read_text(encoding="utf-8")
    assert "Door chains trial: crimes each month" in shared and "published in data/evaluations/door-chains.json" in shared
    assert (built / "charts/evaluations/door-chains-latest.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    planned = _article(built, "evaluations/operation-meteor")
    assert planned.find_all("figure") == []
    assert "will be here once the counts are in" in planned.text


def test_the_districts_of_each_group_are_on_a_map(built: Path) -> None:
    figure = _article(built, "evaluations/door-chains").find("figure", "portal-map-figure")
    svg = figure.find("svg")
    assert svg.attrs["aria-label"] == "Map: Door chains trial, districts by group"
    said = {a.attrs["href"]: a.attrs["aria-label"] for a in svg.find_all("a")}
    assert said["../../areas/basildon/"] == "Basildon: test areas"
    assert said["../../areas/braintree/"] == "Braintree: control areas"
    assert said["../../areas/castle-point/"] == "Castle Point: displacement areas"
    assert said["../../areas/chelmsford/"] == "Chelmsford: displacement control"
    assert said["../../areas/harlow/"] == "Harlow: not in the evaluation"
    # the LSOA in the test group has no boundary here: listed, not drawn, and the caption says so
    assert "Areas named by LSOA code are in the list below but not on the map" in figure.text
    assert "LSOA E01021234" in _article(built, "evaluations/door-chains").find("dl", "portal-evaluation-areas").text
    # an evaluation whose areas are not named yet has no map
    assert _article(built, "evaluations/operation-meteor").find_all("figure") == []
