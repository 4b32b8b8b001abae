"""Verdicts that survive a series' own variation (issue 25).

Crime counts vary far more than a Poisson count does, so a change is called significant only when it stands out
from the variation of the series' earlier figures: a quasi-Poisson test, checked here against statsmodels' Poisson
GLM with a Pearson-estimated scale and scipy's t and binomial distributions, which the package does not use.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as reference

from crimeportal.core import stats
from crimeportal.core.dispersion import quasi_poisson_p, student_t_two_sided_p, trend_dispersion
from crimeportal.core.model import Metric, Observation
from crimeportal.releases.changes import compare as compare_releases
from html_tree import parse
from test_build import copy_portal, run_build

REPO = Path(__file__).resolve().parents[1]

# Flat series whose variance is about six times their mean (as police.uk burglary's is), ending in a figure the
# exact Poisson test calls significant against the one before it, though the series has been there before.
OVERDISPERSED = [520, 455, 560, 470, 540, 445, 540]
# Quarterly, the same spread, compared year on year (the third quarter) with a fall the exact test would call.
OVERDISPERSED_QUARTERS = OVERDISPERSED[:-1] + [480]
# The same series, then a step of several times its own spread.
STEPPED = OVERDISPERSED[:-1] + [900]
# A series that varies as a Poisson count does, ending in a change the exact test calls significant.
POISSON_LIKE = [500, 490, 515, 505, 495, 510, 585]
# Thirteen months whose first is unusually low: year on year, the test alone calls the last a significant rise,
# but the control chart shows it within the series' usual range.
LOW_START = [400, 500, 510, 495, 505, 490, 500, 515, 485, 500, 510, 495, 520]
SEED_MEASURES = ("domestic-abuse-solved-outcomes", "hate-crime-solved-outcomes", "knife-enabled-crime",
                 "personal-robbery-offences", "personal-robbery-outcomes", "repeat-domestic-abuse-incidents",
                 "residential-burglary-offences", "residential-burglary-outcomes")


def ends(count: int, months_apart: int) -> list[str]:
    first = 2017 * 12
    return [f"{(first + i * months_apart) // 12}-{(first + i * months_apart) % 12 + 1:02d}" for i in range(count)]


def series(values: list[int], period: str = "month", unit: str = "count", polarity: str = "lower-is-better",
           denominators: list[int] | None = None, metric_id: str = "m") -> Metric:
    apart = {"month": 1, "quarter": 3}[period]
    observations = [Observation(end, value if unit == "count" else round(value / d * 1000, 3),
                                numerator=None if unit == "count" else value, denominator=d)
                    for end, value, d in zip(ends(len(values), apart), values, denominators or [None] * len(values))]
    return Metric(id=metric_id, title="A measure", strand="s", description="d", unit=unit, polarity=polarity,
                  period=period, source="src", observations=observations)


def glm_dispersion(counts: list[int], months: list[int], exposures: list[float] | None = None) -> float:
    design = sm.add_constant(np.array(months, dtype=float))
    offset = None if exposures is None else np.log(exposures)
    return sm.GLM(counts, design, family=sm.families.Poisson(), offset=offset).fit(scale="X2").scale


def glm_quasi_p(earlier: int, later: int, dispersion: float, df: int, exposures: tuple[float, float] = (1, 1)) -> float:
    """The later period's coefficient in a two-row Poisson GLM with the scale fixed, its t read from Student's t."""
    design = np.array([[1.0, 0.0], [1.0, 1.0]])
    with warnings.catch_warnings():  # two rows, two parameters: statsmodels warns that the fit is exact, as it is
        warnings.simplefilter("ignore")
        fit = sm.GLM([earlier, later], design, family=sm.families.Poisson(),
                     offset=np.log(exposures)).fit(scale=dispersion, tol=1e-12)
    return 2 * reference.t.sf(abs(fit.tvalues[1]), df)


def exact_p(earlier: int, later: int) -> float:
    return reference.binomtest(later, earlier + later, 0.5).pvalue


# --------------------------------------------------------------------------- the arithmetic against references


@pytest.mark.parametrize("counts", [OVERDISPERSED[:-1], [1091, 949, 1028, 991, 1019, 852], [3, 0, 5, 2, 8, 1, 4],
                                    [100, 120, 150, 170, 210, 260, 300, 330]])
def test_the_dispersion_is_statsmodels_pearson_scale_about_a_log_linear_trend(counts):
    months = list(range(len(counts)))
    assert trend_dispersion(counts, months) == pytest.approx(glm_dispersion(counts, months), rel=1e-9)


def test_a_rate_s_dispersion_allows_for_its_denominators():
    counts, populations = [50, 61, 44, 70, 52, 66], [10_000, 12_000, 9_000, 14_500, 10_400, 13_000]
    months = [0, 3, 6, 9, 12, 15]
    assert trend_dispersion(counts, months, populations) == pytest.approx(
        glm_dispersion(counts, months, populations), rel=1e-9)


@pytest.mark.parametrize("statistic,df", [(0.3, 1), (1.96, 4), (2.5, 4), (3.2, 10), (8.0, 58), (40.0, 3)])
def test_student_t_p_values_are_scipy_s(statistic, df):
    assert student_t_two_sided_p(statistic, df) == pytest.approx(2 * reference.t.sf(statistic, df), rel=1e-10, abs=1e-300)


@pytest.mark.parametrize("earlier,later,dispersion,df", [(852, 988, 4.73, 4), (445, 540, 5.5, 4), (30, 12, 2.0, 10),
                                                         (169, 176, 1.0, 6)])
def test_the_quasi_poisson_test_is_a_poisson_glm_with_the_scale_fixed(earlier, later, dispersion, df):
    assert quasi_poisson_p(earlier, later, dispersion, df) == pytest.approx(
        glm_quasi_p(earlier, later, dispersion, df), rel=1e-6)


def test_the_quasi_poisson_test_of_rates_uses_their_denominators():
    p = quasi_poisson_p(60, 90, 3.0, 8, 10_000, 12_000)
    assert p == pytest.approx(glm_quasi_p(60, 90, 3.0, 8, (10_000, 12_000)), rel=1e-6)


def test_a_zero_count_is_tested_by_the_score_form_which_needs_no_log():
    z = (9 - 9 * 0.5) / math.sqrt(2.0 * 9 * 0.25)
    assert quasi_poisson_p(0, 9, 2.0, 6) == pytest.approx(2 * reference.t.sf(z, 6), rel=1e-10)


# --------------------------------------------------------------------------- verdicts


def earlier_months(metric: Metric) -> list[int]:
    return [stats.month_index(o.end) for o in metric.observations[:-1]]


@pytest.mark.parametrize("period,values", [("month", OVERDISPERSED), ("quarter", OVERDISPERSED_QUARTERS)])
def test_a_figure_within_the_series_own_variation_is_not_called_significant(period, values):
    metric = series(values, period)
    comparison = stats.assess(metric).comparison
    earlier, later = comparison.value, values[-1]
    assert exact_p(earlier, later) < 0.05  # what the exact Poisson test alone would have called
    dispersion = glm_dispersion(values[:-1], earlier_months(metric))
    assert dispersion > 4
    assert comparison.test == "quasi-poisson"
    assert comparison.dispersion == round(dispersion, 2) and comparison.dispersion_figures == 6
    assert comparison.p_value == round(glm_quasi_p(earlier, later, dispersion, 4), 4)
    assert comparison.p_value >= 0.05 and comparison.verdict == "no-significant-change"


@pytest.mark.parametrize("period", ["month", "quarter"])
def test_a_genuine_step_is_still_called(period):
    metric = series(STEPPED, period)
    comparison = stats.assess(metric).comparison
    dispersion = glm_dispersion(STEPPED[:-1], earlier_months(metric))
    assert comparison.test == "quasi-poisson"
    assert comparison.p_value == round(glm_quasi_p(comparison.value, STEPPED[-1], dispersion, 4), 4) < 0.05
    assert comparison.verdict == "deterioration"


@pytest.mark.parametrize("period", ["month", "quarter"])
def test_a_series_that_varies_as_chance_would_keeps_the_exact_test_and_its_verdict(period):
    metric = series(POISSON_LIKE, period)
    comparison = stats.assess(metric).comparison
    assert glm_dispersion(POISSON_LIKE[:-1], earlier_months(metric)) < 1
    assert comparison.test == "poisson-exact"
    assert comparison.p_value == round(exact_p(comparison.value, POISSON_LIKE[-1]), 4) < 0.05
    assert comparison.verdict == "deterioration"
    assert comparison.assumption == "the series' earlier figures vary no more than chance alone would make them"


def test_too_few_figures_keep_the_exact_test_and_say_what_it_assumes():
    comparison = stats.assess(series([1948, 1500, 1600, 1761], "quarter")).comparison
    assert comparison.test == "poisson-exact" and comparison.dispersion is None
    assert "assumes the count varies only by chance, so it may call ordinary ups and downs significant" in \
        comparison.assumption


def test_a_previous_period_comparison_without_the_series_variation_gives_no_verdict():
    metric = series([804, 707], "month", polarity="higher-is-better")
    comparison = stats.assess(metric).comparison
    assert exact_p(804, 707) < 0.05
    assert comparison.basis == stats.BASIS_PREVIOUS and comparison.seasonal
    assert comparison.verdict == "not-assessable"
    assert "too few earlier figures" in comparison.reason and "time of year" in comparison.reason


def test_a_verdict_never_contradicts_the_control_chart_of_the_same_figure():
    metric = series(LOW_START, "month")
    assessment = stats.assess(metric)
    comparison = assessment.comparison
    assert comparison.basis == stats.BASIS_YEAR_ON_YEAR and comparison.test == "quasi-poisson"
    dispersion = glm_dispersion(LOW_START[:-1], earlier_months(metric))
    assert glm_quasi_p(400, 520, dispersion, 10) < 0.05  # the test alone
    assert assessment.spc.points[-1].variation == "common-cause"  # the chart: within its limits
    assert comparison.verdict == "no-significant-change"
    assert "control chart shows the latest figure within the series' usual range" in comparison.reason


def test_a_rate_with_its_counts_and_enough_figures_allows_for_its_variation():
    populations = [10_000 + 100 * i for i in range(7)]
    metric = series([52, 45, 58, 47, 55, 44, 57], "quarter", unit="rate", denominators=populations)
    comparison = stats.assess(metric).comparison
    earlier = next(o for o in metric.observations if o.end == comparison.end)
    dispersion = glm_dispersion([52, 45, 58, 47, 55, 44], earlier_months(metric), populations[:-1])
    assert comparison.test == "quasi-poisson" and comparison.dispersion == round(max(dispersion, 0), 2)
    expected = glm_quasi_p(earlier.numerator, 57, max(dispersion, 1.0), 4, (earlier.denominator, populations[-1]))
    assert comparison.p_value == round(expected, 4)


def test_the_seed_s_eight_verdicts_and_p_values_are_unchanged():
    from crimeportal.source.validate import load_portal

    portal, problems = load_portal(REPO)
    assert not problems
    seed = {m.id: m for m in portal.metrics if m.id in SEED_MEASURES}
    assert len(seed) == 8
    for metric in seed.values():
        now, before = stats.assess(metric).comparison, stats.compare(metric, legacy=True)
        assert (now.verdict, now.p_value, now.test) == (before.verdict, before.p_value, before.test), metric.id
        if now.test == "poisson-exact":
            assert now.p_value == round(exact_p(int(now.value), int(metric.observations[-1].value)), 4)
            assert "varies only by chance" in now.assumption


# --------------------------------------------------------------------------- the police.uk burglary measure


def test_police_uk_burglary_as_landed_is_no_significant_change_by_assess_json(run_console):
    result = run_console("assess", "--json", "data/metrics/police-uk-burglary.yml", cwd=REPO)
    assert result.code == 0, result.stderr
    comparison = json.loads(result.stdout)["comparison"]
    first_six = [1091, 949, 1028, 991, 1019, 852]
    dispersion = glm_dispersion(first_six, list(range(6)))
    assert exact_p(852, 988) < 0.01  # what the page used to call a significant deterioration
    assert comparison["test"] == "quasi-poisson" and comparison["verdict"] == "no-significant-change"
    assert comparison["dispersion"] == round(dispersion, 2) and comparison["dispersion_figures"] == 6
    assert comparison["p_value"] == round(glm_quasi_p(852, 988, dispersion, 4), 4)
    assert comparison["seasonal"] is True and comparison["basis"] == "previous-period"


# --------------------------------------------------------------------------- What changed


def record(metric: Metric) -> dict:
    from crimeportal.core.records import metric_record
    return metric_record(metric)


def test_a_verdict_moved_only_by_the_new_method_is_listed_with_that_reason():
    from crimeportal.core.records import published_record
    from crimeportal.site.pages.what_changed import verdict_words

    metric = series(OVERDISPERSED, "month")
    changes = compare_releases([record(metric)], [record(metric)], [], [])  # an earlier release, before the method
    [change] = changes.verdicts
    assert (change.old.verdict, change.new.verdict) == ("deterioration", "no-significant-change")
    assert change.method_changed
    assert "this release judges change in a new way" in verdict_words(change)
    # a release that published its own assessment is not judged again by the old method
    assert compare_releases([published_record(metric)], [record(metric)], [], []).verdicts == []


# --------------------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The portal with an overdispersed measure and a stepped one in the board report."""
    root = copy_portal(tmp_path_factory.mktemp("variation"))
    for seed_measure in ("hate-crime-solved-outcomes", "personal-robbery-outcomes"):  # room in the report's full form
        path = root / "data" / "metrics" / f"{seed_measure}.yml"
        path.write_text(path.read_text(encoding="utf-8") + "board_report: false\n", encoding="utf-8")
    for metric_id, values in (("steady-but-noisy", OVERDISPERSED), ("stepped", STEPPED)):
        figures = "".join(f"  - end: {end}\n    value: {value}\n" for end, value in zip(ends(len(values), 1), values))
        (root / "data" / "metrics" / f"{metric_id}.yml").write_text(
            f"id: {metric_id}\ntitle: {metric_id.title()} burglaries\nstrand: house-burglary-and-street-robbery\n"
            "description: Burglaries a month.\nunit: count\npolarity: lower-is-better\nperiod: month\n"
            f"source: Test figures\nobservations:\n{figures}", encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def headline_of(site: Path, path: str) -> str:
    """The headline and the line under it that names the basis and the test."""
    page = parse((site / path / "index.html").read_text(encoding="utf-8"))
    return page.find_all("p", class_="portal-headline")[0].text + " " + page.find_all("p", class_="portal-basis")[0].text


def test_the_measure_page_states_the_method_the_dispersion_and_the_time_of_year(built):
    text = headline_of(built, "metrics/steady-but-noisy")
    assert "No significant change" in text and "not a statistically significant change" in text
    assert "does not allow for the time of year" in text
    assert "quasi-Poisson test (the 6 earlier figures vary" in text and "times as much as chance alone" in text
    assert "it assumes the figures vary about their trend as much as the earlier ones did" in text
    assert "Deterioration" in headline_of(built, "metrics/stepped")
    burglary = headline_of(built, "metrics/police-uk-burglary")
    assert "not a statistically significant change" in burglary and "quasi-Poisson test" in burglary


def test_the_board_report_shows_the_same_verdicts_with_their_method(built):
    report = parse((built / "board-report" / "index.html").read_text(encoding="utf-8"))
    noisy = report.find_all(id="steady-but-noisy")[0]
    section = " ".join(p.text for p in report.find_all("p", class_="portal-headline") + report.find_all("p", class_="portal-basis"))
    assert noisy.text.startswith("Steady-But-Noisy burglaries")
    assert "540 in July 2017, up 21.4% from 445 in June 2017" in section
    assert "quasi-Poisson test (the 6 earlier figures vary" in section
    stepped = next(p.text for p in report.find_all("p", class_="portal-headline") if "900 in July 2017" in p.text)
    assert "a statistically significant deterioration" in stepped
    # the seed's two-figure measures say what their test assumes
    assert "it assumes the count varies only by chance, so it may call ordinary ups and downs significant" in section


def test_the_json_download_carries_the_method_dispersion_and_p_value(built):
    own = json.loads((built / "data" / "metrics" / "steady-but-noisy.json").read_text(encoding="utf-8"))
    comparison = own["assessment"]["comparison"]
    assert comparison["test"] == "quasi-poisson" and comparison["verdict"] == "no-significant-change"
    assert comparison["dispersion"] > 4 and comparison["p_value"] >= 0.05
    everything = json.loads((built / "data" / "all-metrics.json").read_text(encoding="utf-8"))
    assert next(m for m in everything if m["id"] == "steady-but-noisy")["assessment"] == own["assessment"]
