"""Warnings about unusual figures: `validate` and `add-period` name the figure, the figures it was compared with and
how to confirm it; a note silences them; `--strict-warnings` makes them fail."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.cli.exit_codes import EXIT_OK, EXIT_PROBLEMS
from crimeportal.core.model import Metric, Observation
from crimeportal.core.plausibility import describe, unusual_latest
from crimeportal.core.spc import xmr_limits
from crimeportal.source.validate import check_portal
from portal_files import REPO


OUTCOMES = "data/metrics/personal-robbery-outcomes.yml"
SHOWN = OUTCOMES.replace("/", os.sep)  # as messages name it, with the platform's separator
LAST_FIGURE = "  - end: 2019-07\n    value: 34\n"
FAR_OFF = LAST_FIGURE + "  - end: 2020-07\n    value: 1702\n"
COMPARED = ("1,702 for the 3 months to July 2020 is more than 3 times the median, 34.5, of the figures before it "
            "(35 for the 3 months to July 2018 and 34 for the 3 months to July 2019).")
IN_FILE = (f"warning: {SHOWN}:20:12: observations[2].value: {COMPARED} If it is right, add a note to this "
           "figure saying why (a line 'note: ...' under its value; readers see it beside the figure) and this warning "
           "stops; if it is not, correct it.")
IN_CSV = (f"warning: figures.csv:2:3: column 3 (value): personal-robbery-outcomes: {COMPARED} If it is right, give the row a note "
          "saying why (in the note column; readers see it beside the figure) and this warning stops; if it is not, "
          "correct the CSV.")


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_csv(root: Path, text: str) -> Path:
    path = root / "figures.csv"
    path.write_text(text, encoding="utf-8")
    return path


def metric_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "data/metrics").iterdir())}


@pytest.mark.editor
def test_the_seed_portal_has_no_unusual_figures():
    checked = check_portal(REPO)
    assert checked.warnings == []


@pytest.mark.editor
def test_validate_warns_about_a_far_off_figure_naming_the_figures_compared(portal_copy, replace_in, capsys):
    replace_in(OUTCOMES, LAST_FIGURE, FAR_OFF)
    code, out, err = run(capsys, portal_copy, "validate")
    assert code == EXIT_OK
    assert out.splitlines() == [IN_FILE]
    assert err.splitlines()[-1] == ("No problems found, but 1 warning to look at (they fail nothing unless "
                                    "--strict-warnings is given).")


@pytest.mark.editor
def test_strict_warnings_make_validate_fail(portal_copy, replace_in, capsys):
    replace_in(OUTCOMES, LAST_FIGURE, FAR_OFF)
    code, out, err = run(capsys, portal_copy, "validate", "--strict-warnings")
    assert code == EXIT_PROBLEMS
    assert out.splitlines() == [IN_FILE]
    assert err.splitlines()[-1] == ("No problems found, and 1 warning, which fail the check because of "
                                    "--strict-warnings.")


@pytest.mark.editor
def test_warnings_are_github_warnings_and_in_json_only_when_they_fail(portal_copy, replace_in, capsys):
    replace_in(OUTCOMES, LAST_FIGURE, FAR_OFF)
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "github")
    assert code == EXIT_OK
    assert out.startswith(f"::warning file={OUTCOMES},line=20,col=12::{OUTCOMES}:20:12: observations[2].value: 1,702 ")
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "json")
    assert (code, json.loads(out)) == (EXIT_OK, [])
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "json", "--strict-warnings")
    assert code == EXIT_PROBLEMS
    assert [(p["file"], p["line"], p["field"]) for p in json.loads(out)] == [(OUTCOMES, 20, "observations[2].value")]


@pytest.mark.editor
def test_a_note_on_the_figure_silences_its_warning(portal_copy, replace_in, capsys):
    replace_in(OUTCOMES, LAST_FIGURE, FAR_OFF + "    note: Counted under the new national rules from April 2020.\n")
    code, out, err = run(capsys, portal_copy, "validate", "--strict-warnings")
    assert (code, out) == (EXIT_OK, "")
    assert err.splitlines()[-1] == "No problems found."


@pytest.mark.editor
def test_add_period_check_warns_at_the_csv_line_and_writes_nothing(portal_copy, capsys):
    write_csv(portal_copy, "metric,end,value\npersonal-robbery-outcomes,2020-07,\"1,702\"\n")
    before = metric_files(portal_copy)
    code, out, err = run(capsys, portal_copy, "add-period", "--check", str(portal_copy / "figures.csv"))
    assert code == EXIT_OK
    assert out.splitlines() == [f"{SHOWN}: would add 2020-07", IN_CSV,
                                "Nothing was written: run the same command without --check to make these changes."]
    assert "1 warning about unusual figures (above); they fail nothing unless --strict-warnings is given." in err
    assert metric_files(portal_copy) == before


@pytest.mark.editor
def test_add_period_writes_despite_a_warning_unless_strict(portal_copy, capsys):
    write_csv(portal_copy, "metric,end,value\npersonal-robbery-outcomes,2020-07,1702\n")
    before = metric_files(portal_copy)
    code, out, err = run(capsys, portal_copy, "add-period", "--strict-warnings", str(portal_copy / "figures.csv"))
    assert code == EXIT_PROBLEMS
    assert out.splitlines() == [IN_CSV.removeprefix("warning: ")]
    assert err.splitlines() == ["crimeportal: nothing was written: 1 warning, which --strict-warnings makes fail: give "
                                "each unusual figure a note saying why it is right, or correct it."]
    assert metric_files(portal_copy) == before
    code, out, _ = run(capsys, portal_copy, "add-period", str(portal_copy / "figures.csv"))
    assert code == EXIT_OK
    assert IN_CSV in out.splitlines()
    assert "value: 1702" in (portal_copy / OUTCOMES).read_text(encoding="utf-8")


@pytest.mark.editor
def test_a_note_in_the_csv_silences_the_warning_then_and_afterwards(portal_copy, capsys):
    write_csv(portal_copy, "metric,end,value,note\npersonal-robbery-outcomes,2020-07,1702,Counted under new rules\n")
    code, out, _ = run(capsys, portal_copy, "add-period", "--strict-warnings", str(portal_copy / "figures.csv"))
    assert code == EXIT_OK
    assert "warning" not in out
    code, out, _ = run(capsys, portal_copy, "validate", "--strict-warnings")
    assert (code, out) == (EXIT_OK, "")


@pytest.mark.editor
def test_each_new_figure_is_judged_against_the_ones_before_it_including_new_ones(portal_copy, capsys):
    write_csv(portal_copy, "metric,end,value\npersonal-robbery-outcomes,2020-07,36\npersonal-robbery-outcomes,2021-07,3\n")
    code, out, _ = run(capsys, portal_copy, "add-period", "--check", str(portal_copy / "figures.csv"))
    assert code == EXIT_OK
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: figures.csv:3:3: column 3 (value): personal-robbery-outcomes: 3 for the 3 months to July "
                                  "2021 is less than a third of the median, 35, of the figures before it (35 for the 3 "
                                  "months to July 2018, 34 for the 3 months to July 2019 and 36 for the 3 months to "
                                  "July 2020).")


# --- the rules themselves -------------------------------------------------------------------------------------


def metric(values: list[float], unit: str = "count", period: str = "quarter") -> Metric:
    ends = [f"{2010 + i // 4}-{(3, 6, 9, 12)[i % 4]:02d}" for i in range(len(values))]
    return Metric("m", "M", "s", "d", unit, "neutral", period, "src", [Observation(e, v) for e, v in zip(ends, values)])


@pytest.mark.editor
def test_a_measure_with_control_limits_is_judged_by_them():
    steady = [30, 31, 32] * 5  # 15 quarters: the measure's page draws an XmR chart
    found = unusual_latest(metric(steady + [60]))
    assert found is not None and found.rule == "limits"
    assert describe(found, metric(steady + [60])) == (
        "60 for the 3 months to December 2013 is outside the control limits of the 12 figures before it, from the 3 "
        "months to December 2010 to the 3 months to September 2013: 27.61 to 34.39, worked out as the measure's SPC "
        "chart works out its limits")
    assert unusual_latest(metric(steady + [34])) is None  # within the limits
    # judged by the limits, not the factor rule: 3 times the recent median is far outside them
    assert unusual_latest(metric(steady[:11] + [60])) is None, "fewer than 12 figures before it: no chart, 60 < 3 x 30.5"
    assert unusual_latest(metric(steady[:11] + [100])).rule == "factor"


@pytest.mark.editor
def test_a_trending_series_is_judged_by_its_recent_figures_not_its_whole_history():
    rising = [100 + 10 * i + (15 if i % 2 else -15) for i in range(40)]  # growth: far above the all-time mean
    chart_limits = xmr_limits(rising + [500])
    assert 500 > chart_limits.upper, "the chart's own limits, over the whole series, would flag it"
    assert unusual_latest(metric(rising + [500])) is None
    assert unusual_latest(metric(rising + [300])).rule == "limits"


@pytest.mark.editor
def test_a_percentage_is_judged_by_the_points_it_moves():
    assert unusual_latest(metric([46.4, 61.3], "percent")) is None  # 14.9 points
    found = unusual_latest(metric([46.4, 61.5], "percent"))
    assert describe(found, metric([46.4, 61.5], "percent")) == (
        "61.5% for the 3 months to June 2010 moves 15.1 percentage points from the figure before it, 46.4% for the 3 "
        "months to March 2010 (more than 15 points)")


@pytest.mark.editor
@pytest.mark.editor
def test_figures_all_the_same_and_small_counts_are_not_judged_by_limits_they_do_not_have():
    assert unusual_latest(metric([30] * 12 + [31])) is None  # no spread: the factor rule, which 31 passes
    assert unusual_latest(metric([30] * 12 + [100])).rule == "factor"
    assert unusual_latest(metric([2, 3] * 6 + [9])) is None  # above its limits (up to 5.16), but only 6.5 from the mean


def test_small_counts_and_monthly_periods():
    assert unusual_latest(metric([0, 1, 0, 8])) is None  # moves by fewer than 10: chance, not a slip
    found = unusual_latest(metric([0, 1, 0, 12], period="month"))
    assert describe(found, metric([0, 1, 0, 12], period="month")) == (
        "12 for December 2010 is more than 3 times the median, 0, of the figures before it (0 for March 2010, 1 for June "
        "2010 and 0 for September 2010)")


# --- publishing says so too (builds the site: not an editor test) ---------------------------------------------


def test_publish_names_an_unusual_figure_before_publishing_it(tmp_path):
    from test_release import git, new_repo, publish

    repo = new_repo(tmp_path / "repo")
    outcomes = repo / OUTCOMES
    outcomes.write_bytes(outcomes.read_bytes().replace(LAST_FIGURE.encode(), FAR_OFF.encode()))
    git(repo, "commit", "--quiet", "-am", "A far-off figure")
    done = publish(repo, "2020-09", "--title", "September 2020 board update")
    assert done.returncode == 0, done.stderr
    assert IN_FILE in done.stderr.splitlines()
    assert ("crimeportal: 1 warning about unusual figures (above), published as they are; if one is a mistake, correct "
            "it and publish again with --replace straight away.") in done.stderr.splitlines()
