"""Evaluation files (data/evaluations/<id>.yml): read, checked, every problem at its file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crimeportal.core.evaluation import Counts
from crimeportal.source.validate import check_portal

FILE = "data/evaluations/trial.yml"
HEAD = "# yaml-language-server: $schema=../../schemas/evaluation.schema.json\n"
GOOD = HEAD + """\
id: trial
title: Trial of door chains
strand: house-burglary-and-street-robbery
question: Did door chains reduce burglary?
design: comparison-areas
registered: 2019-08-01
before: {start: 2019-05, end: 2019-08}
after: {start: 2019-09, end: 2019-12}
expected: {direction: decrease, smallest_effect_percent: 10}
actions: [operation-meteor-property-marking]
groups:
  test: [basildon, E01021234]
  control: [braintree]
counts:
  test: {before: 120, after: 80}
  control: {before: 100, after: 95}
caveats: []
"""


def _write(root: Path, text: str) -> None:
    (root / FILE).write_text(text, encoding="utf-8")


def _problems(root: Path) -> list:
    return [p for p in check_portal(root, figures=False).problems if p.file == FILE]


def test_the_seed_evaluation_loads(portal_copy: Path) -> None:
    check = check_portal(portal_copy, figures=False)
    assert not [p for p in check.problems if p.file.startswith("data/evaluations/")]
    meteor = next(e for e in check.portal.evaluations if e.id == "operation-meteor")
    assert meteor.groups == {} and meteor.counts == {} and meteor.before is None
    result = meteor.result(date(2019, 9, 12))
    assert result.status == "planned"
    assert result.maryland_level == 3
    assert result.registered_in_advance is False  # published on 12 September, after the operation began


def test_a_good_file_becomes_an_evaluation(portal_copy: Path) -> None:
    _write(portal_copy, GOOD)
    assert _problems(portal_copy) == []
    trial = next(e for e in check_portal(portal_copy, figures=False).portal.evaluations if e.id == "trial")
    assert trial.groups["test"] == ("basildon", "E01021234")
    assert trial.counts["test"] == Counts(120, 80)
    assert trial.result(date(2020, 3, 1)).registered_in_advance is True


def test_every_problem_at_its_line_and_field(portal_copy: Path) -> None:
    text = (GOOD.replace("id: trial", "id: other")
            .replace("strand: house-burglary-and-street-robbery", "strand: no-such-strand")
            .replace("before: {start: 2019-05, end: 2019-08}", "before: {start: 2019-06, end: 2019-08}")
            .replace("[operation-meteor-property-marking]", "[operation-meteor-property-markin]")
            .replace("control: [braintree]", "control: [braintre, basildon]"))
    _write(portal_copy, text)
    found = {(p.line, p.field): p.message for p in _problems(portal_copy)}
    lines = text.splitlines()
    def line_of(start: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if line.startswith(start))
    assert "file's name" in found[(line_of("id:"), "id")]
    assert "no strand page" in found[(line_of("strand:"), "strand")]
    assert "same number of months" in found[(line_of("before:"), "before")]
    assert "did you mean 'operation-meteor-property-marking'" in found[(line_of("actions:"), "actions[0]")]
    assert "did you mean 'braintree'" in found[(line_of("  control:"), "groups.control[0]")]
    assert "one group only" in found[(line_of("  control:"), "groups.control[1]")]


def test_months_that_overlap_are_refused(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("before: {start: 2019-05, end: 2019-08}", "before: {start: 2019-06, end: 2019-09}"))
    [problem] = _problems(portal_copy)
    assert problem.field == "after.start" and "must come after" in problem.message


def test_comparison_needs_control_areas_and_counts(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("  control: [braintree]\n", "").replace("  control: {before: 100, after: 95}\n", ""))
    messages = " ".join(p.message for p in _problems(portal_copy))
    assert "add groups.control" in messages and "add counts.control" in messages


def test_bad_area_codes_are_refused_by_the_schema(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("E01021234", "W01000001"))
    [problem] = _problems(portal_copy)
    assert problem.field == "groups.test[1]"
    assert problem.line == GOOD.splitlines().index("  test: [basildon, E01021234]") + 1


def test_hostile_text_is_refused_at_its_line(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("Did door chains reduce burglary?", "Did door chains\u202e reduce burglary?"))
    [problem] = _problems(portal_copy)
    assert problem.field == "question"
    assert problem.line == GOOD.splitlines().index("question: Did door chains reduce burglary?") + 1


def test_unknown_fields_and_yaml_traps_are_refused(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("caveats: []", "caveats: []\nverdict: worked\ntitle: again"))
    messages = [p.message for p in _problems(portal_copy)]
    assert any("twice" in m for m in messages)


def test_counts_without_before_months_are_refused(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("before: {start: 2019-05, end: 2019-08}\n", ""))
    [problem] = _problems(portal_copy)
    assert problem.field == "counts" and "add before" in problem.message


def test_a_file_with_problems_contributes_nothing(portal_copy: Path) -> None:
    _write(portal_copy, GOOD.replace("design: comparison-areas", "design: hunch"))
    check = check_portal(portal_copy, figures=False)
    assert "trial" not in {e.id for e in check.portal.evaluations}
    assert [p.field for p in check.problems if p.file == FILE] == ["design"]


BY_MONTH = ("  test: {before: 120, after: 80, by_month: {'2019-05': 30, '2019-06': 30, '2019-07': 30, '2019-08': 30, "
            "'2019-09': 20, '2019-10': 20, '2019-11': 20, '2019-12': 20}}")


def test_counts_by_month_load_in_month_order(portal_copy: Path) -> None:
    # written out of order, as an editor might: read in month order
    _write(portal_copy, GOOD.replace("  test: {before: 120, after: 80}",
                                     BY_MONTH.replace("'2019-05': 30, ", "").replace("'2019-12': 20", "'2019-12': 20, '2019-05': 30")))
    assert _problems(portal_copy) == []
    trial = next(e for e in check_portal(portal_copy, figures=False).portal.evaluations if e.id == "trial")
    assert trial.counts["test"].by_month == (("2019-05", 30), ("2019-06", 30), ("2019-07", 30), ("2019-08", 30),
                                             ("2019-09", 20), ("2019-10", 20), ("2019-11", 20), ("2019-12", 20))


def test_counts_by_month_must_cover_the_months_and_add_up(portal_copy: Path) -> None:
    test = BY_MONTH.replace("'2019-12': 20", "'2020-01': 20")
    control = ("  control: {before: 100, after: 95, by_month: {'2019-05': 25, '2019-06': 25, '2019-07': 25, "
               "'2019-08': 24, '2019-09': 24, '2019-10': 24, '2019-11': 24, '2019-12': 23}}")
    text = GOOD.replace("  test: {before: 120, after: 80}\n  control: {before: 100, after: 95}\n", f"{test}\n{control}\n")
    _write(portal_copy, text)
    lines = text.splitlines()
    found = {(p.line, p.field): p.message for p in _problems(portal_copy)}
    assert found == {
        (lines.index(test) + 1, "counts.test.by_month"):
            "must give every before and after month and no other: missing 2019-12; not a before or after month: 2020-01",
        (lines.index(control) + 1, "counts.control.before"):
            "is 100 but the before months in by_month add up to 99: the two must agree",
    }
