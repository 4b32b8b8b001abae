"""Figures by area in a metric file: each rule of source/breakdowns.py, reported at its line with its exact words."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.core.problems import Problem
from crimeportal.core.records import metric_record
from crimeportal.source.validate import load_portal

FILE = "data/metrics/burglary-by-area.yml"


def _register_ids() -> str:
    import yaml
    register = yaml.safe_load((Path(__file__).parents[1] / "data/areas.yml").read_text(encoding="utf-8"))
    return ", ".join(area["id"] for area in register["areas"])


AREA_IDS = _register_ids()

GOOD = """\
# yaml-language-server: $schema=../../schemas/metric.schema.json
id: burglary-by-area
title: Burglary by area
strand: house-burglary-and-street-robbery
description: Burglaries by district.
unit: count
polarity: lower-is-better
period: month
source: police.uk street-level data
areas_add_up: true
observations:
  - end: 2018-01
    value: 20
    areas: {basildon: 10, braintree: 6}
    not_located: 4
  - end: 2018-02
    value: 15
    areas: {basildon: 8, braintree: 7}
"""


def _problems(root: Path, text: str) -> list[Problem]:
    (root / FILE).write_text(text, encoding="utf-8")
    return [p for p in load_portal(root)[1] if p.file == FILE]


def _line(text: str, needle: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def test_a_breakdown_that_adds_up_is_accepted_and_loaded_as_pairs(portal_copy: Path):
    assert _problems(portal_copy, GOOD) == []
    portal, _ = load_portal(portal_copy)
    metric = portal.metric("burglary-by-area")
    assert metric.areas_add_up is True
    assert metric.observations[0].areas == (("basildon", 10), ("braintree", 6))
    assert metric.observations[0].not_located == 4
    assert metric.observations[1].not_located is None
    hash(metric.observations[0])  # frozen and hashable still
    record = metric_record(metric)
    assert record["observations"][0]["areas"] == {"basildon": 10, "braintree": 6}
    assert record["areas_add_up"] is True


def test_measures_without_areas_publish_exactly_the_fields_they_did(portal_copy: Path):
    portal, problems = load_portal(portal_copy)
    assert problems == []
    record = metric_record(portal.metric("knife-enabled-crime"))
    assert "areas_add_up" not in record
    assert all("areas" not in o and "not_located" not in o for o in record["observations"])


CASES = [
    pytest.param("{basildon: 10, braintree: 6}", "{basildom: 10, braintree: 6}", "basildom: 10",
                 "areas.basildom in the figure for January 2018",
                 f"'basildom' is not an area in data/areas.yml; did you mean 'basildon'? the areas are {AREA_IDS}",
                 id="unknown-area"),
    pytest.param("{basildon: 10, braintree: 6}", "{basildon: 10, braintree: 7}", "basildon: 10",
                 "areas in the figure for January 2018",
                 "the areas add up to 17 and not_located is 4, together 21, but the value is 20: with 'areas_add_up: "
                 "true' they must equal it (check the figures, or put what is in no area in not_located)",
                 id="does-not-add-up"),
    pytest.param("{basildon: 8, braintree: 7}", "{basildon: 15}", "{basildon: 15}", "areas in the figure for February 2018",
                 "has no figure for braintree, which 2018-01 gives: every period from the first with areas gives the "
                 "same areas (write 0 for an area with none)", id="area-missing-later"),
    pytest.param("{basildon: 8, braintree: 7}", "{basildon: 8, braintree: 6, harlow: 1}", "harlow: 1",
                 "areas.harlow in the figure for February 2018",
                 "'harlow' is not given in 2018-01, the first period with areas: every period from the first with "
                 "areas gives the same areas", id="area-only-later"),
    pytest.param("{basildon: 8, braintree: 7}", "{basildon: 8, braintree: 6.5}", "braintree: 6.5",
                 "areas.braintree in the figure for February 2018", "a count must be a whole number, 0 or more; found 6.5",
                 id="not-a-count"),
    pytest.param("{basildon: 8, braintree: 7}", "{basildon: 8, braintree: -1}", "braintree: -1",
                 "areas.braintree in the figure for February 2018", "a count must be a whole number, 0 or more; found -1",
                 id="negative"),
    pytest.param("    areas: {basildon: 8, braintree: 7}\n", "", "  - end: 2018-02", "the figure for February 2018",
                 "2018-02 has no figures by area, but 2018-01 and the periods after it have: give the same areas for "
                 "every period from the first that has them", id="period-without-areas"),
    pytest.param("    not_located: 4\n", "    not_located: 4\n    status: provisional\n", None, "", "", id="order-free"),
    pytest.param("{basildon: 10, braintree: 6}", "{}", "areas: {}", "areas in the figure for January 2018",
                 "is empty: give each area's figure, or remove areas", id="empty"),
    pytest.param("{basildon: 10, braintree: 6}", "{basildon: ten, braintree: 6}", "basildon: ten",
                 "areas.basildon in the figure for January 2018", "must be a number; found 'ten'", id="schema-type"),
    pytest.param("    not_located: 4\n", "    not_located: -4\n", "not_located: -4", "not_located in the figure for January 2018",
                 "must be at least 0; found -4", id="schema-minimum"),
]


@pytest.mark.parametrize("old, new, line_text, field, message", CASES)
def test_each_breakdown_rule_is_reported_at_its_line(portal_copy: Path, old, new, line_text, field, message):
    assert GOOD.count(old) == 1
    text = GOOD.replace(old, new)
    problems = _problems(portal_copy, text)
    if line_text is None:
        assert problems == []
        return
    assert [(p.line, p.field, p.message) for p in problems] == [(_line(text, line_text), field, message)]


def test_parts_above_the_total_are_refused_even_when_they_need_not_add_up(portal_copy: Path):
    text = GOOD.replace("areas_add_up: true", "areas_add_up: false").replace("value: 15", "value: 14")
    problems = _problems(portal_copy, text)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (_line(text, "{basildon: 8, braintree: 7}"), "areas in the figure for February 2018",
         "the areas add up to 15, more than the value, 14: the parts of a figure cannot exceed it")]
    assert _problems(portal_copy, text.replace("value: 14", "value: 30")) == []  # less is fine when they need not add up


def test_areas_add_up_is_required_with_areas_and_refused_without(portal_copy: Path):
    text = GOOD.replace("areas_add_up: true\n", "")
    problems = _problems(portal_copy, text)
    assert [(p.line, p.field) for p in problems] == [(_line(text, "{basildon: 10"), "areas in the figure for January 2018")]
    assert problems[0].message.startswith("observations give figures by area, so the file must say whether they add up")
    plain = GOOD.split("observations:")[0] + "observations:\n  - end: 2018-01\n    value: 20\n"
    problems = _problems(portal_copy, plain)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (_line(plain, "areas_add_up"), "areas_add_up",
         "is given, but no observation has figures by area (areas): remove it, or add areas")]


def test_not_located_needs_areas(portal_copy: Path):
    text = GOOD.replace("    areas: {basildon: 10, braintree: 6}\n", "").replace("  - end: 2018-02\n    value: 15\n    areas: {basildon: 8, braintree: 7}\n", "")
    text = text.replace("areas_add_up: true\n", "")
    problems = _problems(portal_copy, text)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (_line(text, "not_located"), "not_located in the figure for January 2018",
         "is given without areas: not_located is the part of the value in none of the areas, so it needs areas beside it")]


def test_a_withheld_figure_has_no_areas(portal_copy: Path):
    text = GOOD.replace("value: 15", "value: null\n    suppressed: true")
    problems = _problems(portal_copy, text)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (_line(text, "{basildon: 8"), "areas in the figure for February 2018",
         "a withheld figure (value: null) cannot have figures by area: they would show what is withheld; remove areas "
         "from this period")]


def test_a_percent_measure_cannot_have_areas(portal_copy: Path):
    text = GOOD.replace("unit: count", "unit: percent").replace("value: 20", "value: 20.5")
    problems = _problems(portal_copy, text)
    assert [(p.line, p.field) for p in problems] == [(_line(text, "{basildon: 10"), "areas in the figure for January 2018")]
    assert problems[0].message == (
        "figures by area can be given for a count measure only, and this one is a percent: an area's percent or rate "
        "cannot be checked against the force's figure or compared without its own numerator and denominator; publish "
        "the areas' counts as a count measure instead")


@pytest.mark.parametrize("register", ["missing", "broken"])
def test_areas_need_the_register(portal_copy: Path, register: str):
    path = portal_copy / "data/areas.yml"
    if register == "missing":
        path.unlink()
    else:
        path.write_text(path.read_text(encoding="utf-8").replace("kind: district", "kind: county", 1), encoding="utf-8")
    problems = _problems(portal_copy, GOOD)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (_line(GOOD, "{basildon: 10"), "areas in the figure for January 2018",
         "figures by area need the areas register, data/areas.yml, and this portal has none that can be read (it is "
         "missing or has problems of its own)")]


def test_areas_of_a_register_with_breakdowns_checked_in_parallel_workers(portal_copy: Path, monkeypatch):
    from crimeportal.source import validate
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    text = GOOD.replace("{basildon: 10, braintree: 6}", "{basildom: 10, braintree: 6}")
    problems = _problems(portal_copy, text)
    assert [p.field for p in problems] == ["areas.basildom in the figure for January 2018"]


def test_a_place_is_counted_once(portal_copy: Path):
    text = GOOD.replace("{basildon: 10, braintree: 6}", "{basildon: 10, braintree: 0, csp-braintree: 6}").replace(
        "{basildon: 8, braintree: 7}", "{basildon: 8, braintree: 0, csp-braintree: 7}")
    problems = _problems(portal_copy, text)
    message = ("'braintree' is also counted in 'csp-braintree', which covers it: count each place once (give the "
               "districts, or the partnerships, not both)")
    assert [(p.line, p.column, p.field, p.message) for p in problems] == [
        (_line(text, "csp-braintree: 6"), text.splitlines()[13].index("braintree: 0") + 1, "areas.braintree in the figure for January 2018", message),
        (_line(text, "csp-braintree: 7"), text.splitlines()[17].index("braintree: 0") + 1, "areas.braintree in the figure for February 2018", message)]
