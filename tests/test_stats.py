"""Tests for crimeportal.stats: significance of year-on-year changes and XmR charts."""

from __future__ import annotations

import json
import math
from statistics import NormalDist

import pytest

from crimeportal.core import stats
from crimeportal.core.model import Metric, Observation

# --------------------------------------------------------------------------- helpers


def make_metric(
    observations: list[Observation],
    *,
    unit: str = "count",
    polarity: str = "lower-is-better",
    period: str = "month",
    id: str = "m",
    title: str = "A metric",
) -> Metric:
    return Metric(
        id=id,
        title=title,
        strand="s",
        description="",
        unit=unit,
        polarity=polarity,
        period=period,
        source="test",
        observations=observations,
    )


def pair(earlier, later, **kwargs) -> Metric:
    """Two observations a year apart (2018-07 and 2019-07)."""
    return make_metric([Observation("2018-07", earlier), Observation("2019-07", later)], **kwargs)


def months(n: int, start: tuple[int, int] = (2017, 1)) -> list[str]:
    year, month = start
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def monthly(values, **kwargs) -> Metric:
    return make_metric([Observation(e, v) for e, v in zip(months(len(values)), values)], **kwargs)


def exact_poisson_p(a: int, b: int) -> float:
    """Independent check: sum the binomial(n, 1/2) terms exactly with integers."""
    n = a + b
    m = min(a, b)
    tail = 0
    term = 1  # comb(n, 0)
    for i in range(m + 1):
        tail += term
        term = term * (n - i) // (i + 1)
    return min(1.0, 2 * tail / 2**n)


def flagged(spc: stats.Spc, signal: str) -> list[int]:
    return [i for i, p in enumerate(spc.points) if signal in p.signals]


def any_flagged(spc: stats.Spc) -> list[int]:
    return [i for i, p in enumerate(spc.points) if p.signals]


# --------------------------------------------------------------------------- the seed verdicts


def test_domestic_abuse_solved_outcomes_deterioration():
    a = stats.assess(pair(804, 707, polarity="higher-is-better"))
    c = a.comparison
    assert c.test == "poisson-exact"
    assert c.verdict == "deterioration"
    assert c.change == -97 and isinstance(c.change, int)
    assert c.change_percent == -12.06
    expected = exact_poisson_p(804, 707)
    assert round(expected, 3) == 0.013
    assert c.p_value == pytest.approx(expected, abs=5e-5)
    assert round(c.p_value, 3) == round(expected, 3)


def test_knife_enabled_crime_no_significant_change():
    c = stats.assess(pair(169, 176, polarity="lower-is-better")).comparison
    assert c.verdict == "no-significant-change"
    assert c.p_value == 0.7467
    assert c.p_value == round(exact_poisson_p(169, 176), 4)
    assert c.change == 7
    assert c.change_percent == 4.14
    assert c.change_points is None
    assert c.reason is None


def test_hate_crime_solved_no_significant_change():
    c = stats.assess(pair(79, 99, polarity="higher-is-better")).comparison
    assert c.verdict == "no-significant-change"
    assert c.p_value == pytest.approx(0.15, abs=0.01)
    assert c.p_value == round(exact_poisson_p(79, 99), 4)


def test_residential_burglary_offences_improvement():
    c = stats.assess(pair(1948, 1761, polarity="lower-is-better")).comparison
    assert c.verdict == "improvement"
    assert c.p_value == round(exact_poisson_p(1948, 1761), 4)
    assert c.p_value < 0.05
    assert c.change == -187


def test_residential_burglary_outcomes_improvement():
    c = stats.assess(pair(86, 147, polarity="higher-is-better")).comparison
    assert c.verdict == "improvement"
    assert c.p_value == round(exact_poisson_p(86, 147), 4)
    assert c.change_percent == 70.93


def test_personal_robbery_offences_no_significant_change():
    c = stats.assess(pair(371, 392, polarity="lower-is-better")).comparison
    assert c.verdict == "no-significant-change"
    assert c.p_value == round(exact_poisson_p(371, 392), 4)


def test_personal_robbery_outcomes_no_significant_change():
    c = stats.assess(pair(35, 34, polarity="higher-is-better")).comparison
    assert c.verdict == "no-significant-change"
    # n = 69 is odd and 34 is the lower half: P(X <= 34) = 1/2 exactly, so p = 1.
    assert c.p_value == 1.0


def test_repeat_domestic_abuse_percent_without_counts_not_assessable():
    c = stats.assess(pair(46.43, 46.28, unit="percent", polarity="lower-is-better")).comparison
    assert c.verdict == "not-assessable"
    assert c.test is None
    assert c.p_value is None
    assert c.change_points == -0.15
    assert c.change == -0.15
    assert c.change_percent is None
    assert c.reason == "the percentages were published without the counts behind them"


# --------------------------------------------------------------------------- the Poisson test


def test_poisson_exact_large_counts_in_log_space():
    p = stats.poisson_exact_p(20000, 20500)
    assert p == pytest.approx(exact_poisson_p(20000, 20500), rel=1e-9)
    assert 0.01 < p < 0.02


def test_poisson_exact_small_cases_by_hand():
    # 0 against 5: P(X <= 0) = 1/32, two-sided 2/32.
    assert stats.poisson_exact_p(0, 5) == pytest.approx(0.0625)
    assert stats.poisson_exact_p(5, 0) == pytest.approx(0.0625)
    # 1 against 1: 2 * P(X <= 1) = 2 * 3/4 > 1, capped.
    assert stats.poisson_exact_p(1, 1) == 1.0
    # 2 against 10: 2 * (1 + 12 + 66) / 4096.
    assert stats.poisson_exact_p(2, 10) == pytest.approx(2 * 79 / 4096)


def test_zero_earlier_count_has_no_percent_change_but_is_tested():
    c = stats.assess(pair(0, 5)).comparison
    assert c.change_percent is None
    assert c.change == 5
    assert c.p_value == 0.0625
    assert c.verdict == "no-significant-change"


def test_both_counts_zero_not_assessable():
    c = stats.assess(pair(0, 0)).comparison
    assert c.verdict == "not-assessable"
    assert c.test is None and c.p_value is None
    assert c.reason == "both counts are zero"


@pytest.mark.parametrize("earlier,later", [(10.5, 12), (-3, 4)])
def test_counts_must_be_whole_and_not_negative(earlier, later):
    c = stats.assess(pair(earlier, later)).comparison
    assert c.verdict == "not-assessable"
    assert c.test is None and c.p_value is None
    assert "whole" in c.reason


def test_whole_float_counts_are_tested():
    c = stats.assess(pair(169.0, 176.0)).comparison
    assert c.test == "poisson-exact"
    assert c.p_value == 0.7467


# --------------------------------------------------------------------------- two proportions


def test_two_proportion_test_for_percent():
    metric = make_metric(
        [
            Observation("2018-07", 30.0, numerator=120, denominator=400),
            Observation("2019-07", 22.5, numerator=90, denominator=400),
        ],
        unit="percent",
        polarity="lower-is-better",
    )
    c = stats.assess(metric).comparison
    # By hand: pooled p = 210/800 = 0.2625; se = sqrt(0.2625 * 0.7375 * (1/400 + 1/400))
    # = 0.0311121; z = (0.225 - 0.3) / 0.0311121 = -2.41063.
    se = math.sqrt(0.2625 * 0.7375 * (2 / 400))
    z = (0.225 - 0.3) / se
    assert z == pytest.approx(-2.41063, abs=1e-5)
    expected = 2 * (1 - NormalDist().cdf(abs(z)))
    assert c.test == "two-proportion"
    assert c.p_value == round(expected, 4) == 0.0159
    assert c.verdict == "improvement"
    assert c.change_points == -7.5
    assert c.change_percent is None


def test_two_proportion_test_not_significant():
    # 46/100 against 50/100: pooled 0.48, se = sqrt(0.48 * 0.52 * 0.02) = 0.0706541, z = 0.566139.
    p = stats.two_proportion_p(46, 100, 50, 100)
    assert p == pytest.approx(2 * (1 - NormalDist().cdf(0.04 / math.sqrt(0.48 * 0.52 * 0.02))))
    assert p == pytest.approx(0.5713, abs=1e-4)


def test_two_proportion_test_for_rate():
    # Offences per 1,000 people: 520 / 100,000 then 610 / 100,000.
    metric = make_metric(
        [
            Observation("2018-07", 5.2, numerator=520, denominator=100_000),
            Observation("2019-07", 6.1, numerator=610, denominator=100_000),
        ],
        unit="rate",
        polarity="lower-is-better",
    )
    c = stats.assess(metric).comparison
    pooled = 1130 / 200_000
    z = (0.0061 - 0.0052) / math.sqrt(pooled * (1 - pooled) * (2 / 100_000))
    assert z == pytest.approx(2.68493, abs=1e-5)
    assert c.test == "two-proportion"
    assert c.p_value == round(2 * (1 - NormalDist().cdf(z)), 4)
    assert c.p_value == pytest.approx(0.0073, abs=1e-4)
    assert c.verdict == "deterioration"
    assert c.change == 0.9
    assert c.change_percent == 17.31
    assert c.change_points is None


def test_rate_without_counts_not_assessable():
    c = stats.assess(pair(5.2, 6.1, unit="rate")).comparison
    assert c.verdict == "not-assessable"
    assert c.test is None
    assert c.change_percent == 17.31
    assert c.reason == "the rates were published without the counts behind them"


def test_percent_with_counts_on_one_side_only_not_assessable():
    metric = make_metric(
        [
            Observation("2018-07", 30.0, numerator=120, denominator=400),
            Observation("2019-07", 22.5),
        ],
        unit="percent",
    )
    c = stats.assess(metric).comparison
    assert c.verdict == "not-assessable"
    assert c.test is None


# --------------------------------------------------------------------------- verdicts


def test_neutral_polarity_significant_change():
    c = stats.assess(pair(1948, 1761, polarity="neutral")).comparison
    assert c.verdict == "significant-change"


@pytest.mark.parametrize(
    "polarity,earlier,later,verdict",
    [
        ("higher-is-better", 86, 147, "improvement"),
        ("higher-is-better", 147, 86, "deterioration"),
        ("lower-is-better", 86, 147, "deterioration"),
        ("lower-is-better", 147, 86, "improvement"),
        ("neutral", 147, 86, "significant-change"),
        ("neutral", 169, 176, "no-significant-change"),
    ],
)
def test_verdict_by_polarity(polarity, earlier, later, verdict):
    assert stats.assess(pair(earlier, later, polarity=polarity)).comparison.verdict == verdict


def test_verdict_uses_p_below_005():
    assert stats.verdict_for(0.0499, 1, "higher-is-better") == "improvement"
    assert stats.verdict_for(0.05, 1, "higher-is-better") == "no-significant-change"
    assert stats.verdict_for(None, 1, "higher-is-better") == "not-assessable"


# --------------------------------------------------------------------------- which observations


def test_comparison_uses_twelve_months_earlier_in_monthly_data():
    values = list(range(100, 119))  # 2017-01 .. 2018-07
    metric = monthly(values)
    a = stats.assess(metric)
    assert a.latest.end == "2018-07" and a.latest.value == 118
    assert a.comparison.end == "2017-07"
    assert a.comparison.value == 106
    assert a.comparison.change == 12


def test_comparison_falls_back_to_the_latest_period_that_shares_no_months():
    # 3 months to June 2019 shares two months with 3 months to July 2019, so it is passed over
    metric = make_metric(
        [Observation("2018-06", 150), Observation("2019-06", 170), Observation("2019-07", 176)],
        period="rolling-3-months",
    )
    c = stats.assess(metric).comparison
    assert (c.end, c.value, c.basis) == ("2018-06", 150, "previous-period")


def test_comparison_year_on_year_wins_over_a_nearer_quarter():
    metric = make_metric([Observation("2018-10", 1800), Observation("2019-07", 1761), Observation("2019-10", 1790)],
                         period="rolling-3-months")
    c = stats.assess(metric).comparison
    assert (c.end, c.basis) == ("2018-10", "year-on-year")


def test_comparison_falls_back_to_the_previous_quarter_without_a_year_earlier_figure():
    metric = make_metric([Observation("2018-07", 1948), Observation("2019-07", 1761), Observation("2019-10", 1790)],
                         period="rolling-3-months")
    c = stats.assess(metric).comparison
    assert (c.end, c.value, c.basis) == ("2019-07", 1761, "previous-period")


def test_no_comparison_when_every_earlier_figure_overlaps():
    metric = make_metric([Observation("2019-06", 170), Observation("2019-07", 176)], period="rolling-3-months")
    assert stats.assess(metric).comparison is None


def test_comparison_quarterly_same_quarter_a_year_ago():
    metric = make_metric(
        [Observation(e, v) for e, v in [("2018-06", 10), ("2018-09", 11), ("2018-12", 12),
                                        ("2019-03", 13), ("2019-06", 14)]],
        period="quarter",
    )
    c = stats.assess(metric).comparison
    assert c.end == "2018-06" and c.value == 10


def test_comparison_skips_suppressed_year_earlier():
    metric = make_metric(
        [
            Observation("2018-07", None, suppressed=True),
            Observation("2019-06", 170),
            Observation("2019-07", 176),
        ]
    )
    c = stats.assess(metric).comparison
    assert c.end == "2019-06"


def test_single_observation_has_no_comparison():
    a = stats.assess(make_metric([Observation("2019-07", 176)]))
    assert a.latest.end == "2019-07"
    assert a.comparison is None
    assert a.spc is None


def test_no_observations():
    a = stats.assess(make_metric([Observation("2019-07", None, suppressed=True)]))
    assert a.latest is None
    assert a.comparison is None
    assert stats.assessment_to_dict(a)["latest"] is None


def test_suppressed_latest_is_skipped():
    metric = make_metric(
        [
            Observation("2018-06", 150),
            Observation("2018-07", 169),
            Observation("2019-06", 170),
            Observation("2019-07", None, suppressed=True),
        ]
    )
    a = stats.assess(metric)
    assert a.latest.end == "2019-06"
    assert a.comparison.end == "2018-06"
    assert a.comparison.change == 20


# --------------------------------------------------------------------------- XmR limits


def test_xmr_limits_plot_the_dots_1_to_10():
    limits = stats.xmr_limits(list(range(1, 11)))
    assert limits.mean == pytest.approx(5.5)
    assert limits.mean_moving_range == pytest.approx(1.0)
    assert round(limits.upper, 4) == 8.16
    assert round(limits.lower, 4) == 2.84
    assert round(limits.near_upper, 4) == 7.2733
    assert round(limits.near_lower, 4) == 3.7267


def test_xmr_limits_alternating():
    # 8, 12, ... : mean 10, every moving range 4; 2.66 * 4 = 10.64; two thirds of that 7.0933.
    limits = stats.xmr_limits([8, 12] * 10)
    assert limits.mean == pytest.approx(10)
    assert limits.upper == pytest.approx(20.64)
    assert limits.lower == pytest.approx(-0.64)
    assert limits.near_upper == pytest.approx(17.093333, abs=1e-6)
    assert limits.near_lower == pytest.approx(2.906667, abs=1e-6)


def test_xmr_limits_uneven():
    # 3, 7, 4, 10: mean 6; moving ranges 4, 3, 6 -> 13/3; 2.66 * 13/3 = 11.526667.
    limits = stats.xmr_limits([3, 7, 4, 10])
    assert limits.mean == pytest.approx(6)
    assert limits.upper == pytest.approx(17.526667, abs=1e-6)
    assert limits.lower == pytest.approx(-5.526667, abs=1e-6)
    assert limits.near_upper == pytest.approx(13.684444, abs=1e-6)
    assert limits.near_lower == pytest.approx(-1.684444, abs=1e-6)


def test_xmr_limits_needs_two_values():
    with pytest.raises(ValueError):
        stats.xmr_limits([5])


# --------------------------------------------------------------------------- when SPC applies


def test_spc_needs_twelve_points():
    assert stats.assess(monthly([8, 12] * 5 + [8])).spc is None  # 11 points
    spc = stats.assess(monthly([8, 12] * 6)).spc
    assert spc is not None and len(spc.points) == 12


def test_spc_not_for_rolling_periods():
    assert stats.assess(monthly([8, 12] * 10, period="rolling-3-months")).spc is None


@pytest.mark.parametrize("period", ["month", "quarter", "year", "financial-year"])
def test_spc_for_non_overlapping_periods(period):
    assert stats.assess(monthly([8, 12] * 6, period=period)).spc is not None


def test_spc_leaves_out_suppressed_points():
    obs = [Observation(e, v) for e, v in zip(months(12), [8, 12] * 6)]
    obs[3] = Observation(obs[3].end, None, suppressed=True)
    assert stats.assess(make_metric(obs)).spc is None
    obs.append(Observation("2018-01", 12))
    spc = stats.assess(make_metric(obs)).spc
    assert len(spc.points) == 12
    assert "2017-04" not in [p.end for p in spc.points]


def test_stable_process_is_all_common_cause():
    spc = stats.assess(monthly([8, 12] * 10)).spc
    assert spc.mean == pytest.approx(10)
    assert any_flagged(spc) == []
    assert {p.variation for p in spc.points} == {"common-cause"}


# --------------------------------------------------------------------------- outside the limits

# 10 x 8 and 9 x 12 alternating with 40 at index 10: sum 228, mean 11.4.
# Moving ranges: 9 x 4 + 28 + 32 + 8 x 4 = 128 over 19 -> 6.736842.
# upper = 11.4 + 2.66 * 6.736842 = 29.32; lower = -6.52.
OUTSIDE_HIGH = [8, 12] * 5 + [40] + [8, 12] * 4 + [8]


def test_outside_limits_above():
    spc = stats.assess(monthly(OUTSIDE_HIGH, polarity="higher-is-better")).spc
    assert spc.mean == pytest.approx(11.4)
    assert spc.upper == pytest.approx(29.32)
    assert spc.lower == pytest.approx(-6.52)
    assert any_flagged(spc) == [10]
    assert spc.points[10].signals == ["outside-limits"]
    assert spc.points[10].variation == "improvement"
    assert spc.points[9].variation == "common-cause"


def test_outside_limits_below():
    values = [20 - v for v in OUTSIDE_HIGH]  # mirror: 40 becomes -20; mean 8.6
    spc = stats.assess(monthly(values, polarity="higher-is-better")).spc
    assert spc.mean == pytest.approx(8.6)
    assert spc.lower == pytest.approx(-9.32)
    assert any_flagged(spc) == [10]
    assert spc.points[10].signals == ["outside-limits"]
    assert spc.points[10].variation == "concern"


def test_outside_limits_variation_by_polarity():
    lower_better = stats.assess(monthly(OUTSIDE_HIGH, polarity="lower-is-better")).spc
    assert lower_better.points[10].variation == "concern"
    neutral = stats.assess(monthly(OUTSIDE_HIGH, polarity="neutral")).spc
    assert neutral.points[10].variation == "neutral"


def test_xmr_chart_directly_nothing_outside():
    # twelve points alternating 8/12: limits 20.64 / -0.64, nothing outside them.
    spc = stats.xmr_chart(months(12), [8, 12] * 6, "higher-is-better")
    assert spc.upper == pytest.approx(20.64)
    assert [p.end for p in spc.points] == months(12)
    assert flagged(spc, "outside-limits") == []


# --------------------------------------------------------------------------- trends

# 12 8 12 8 12 8 | 7 8 9 10 11 12 13 | 8 12 8 12 8 12 8
# sum 60 + 70 + 68 = 198, mean 9.9; moving ranges 20 + 1 + 6 + 5 + 24 = 56 over 19,
# upper 9.9 + 2.66 * 56/19 = 17.74, near upper 15.127: nothing beyond either.
TREND_UP = [12, 8] * 3 + list(range(7, 14)) + [8, 12] * 3 + [8]


def test_trend_of_seven_increasing():
    spc = stats.assess(monthly(TREND_UP, polarity="higher-is-better")).spc
    assert spc.mean == pytest.approx(9.9)
    assert spc.upper == pytest.approx(9.9 + 2.66 * 56 / 19)
    assert flagged(spc, "trend") == list(range(6, 13))
    assert any_flagged(spc) == list(range(6, 13))
    # the NHS convention: the side of the mean decides, even within a rising trend
    assert [p.variation for p in spc.points[6:13]] == ["concern"] * 3 + ["improvement"] * 4


def test_trend_of_seven_decreasing():
    values = [20 - v for v in TREND_UP]  # 13 12 11 10 9 8 7 ... mean 10.1
    spc = stats.assess(monthly(values, polarity="lower-is-better")).spc
    assert spc.mean == pytest.approx(10.1)
    assert flagged(spc, "trend") == list(range(6, 13))
    assert any_flagged(spc) == list(range(6, 13))
    assert [p.variation for p in spc.points[6:13]] == ["concern"] * 3 + ["improvement"] * 4


def test_trend_of_six_does_not_fire():
    # 12 8 12 8 12 | 7 8 9 10 11 12 | 8 12 8 12 8 12 8 12: mean 189/19 = 9.947
    values = [12, 8, 12, 8, 12] + list(range(7, 13)) + [8, 12] * 4
    spc = stats.assess(monthly(values)).spc
    assert spc.mean == pytest.approx(189 / 19)
    assert any_flagged(spc) == []


def test_trend_of_six_decreasing_does_not_fire():
    values = [20 - v for v in [12, 8, 12, 8, 12] + list(range(7, 13)) + [8, 12] * 4]
    assert any_flagged(stats.assess(monthly(values)).spc) == []


def test_longer_trend_all_flagged():
    values = [12, 8] * 3 + list(range(5, 14)) + [8, 12] * 3  # nine rising points
    spc = stats.assess(monthly(values)).spc
    assert flagged(spc, "trend") == list(range(6, 15))


def test_trend_point_exactly_on_mean_uses_trend_direction():
    # 13 8 13 8 12 8 | 7 8 9 10 11 12 13 | 8 12 8 12 8 12 8: sum 200, mean exactly 10.
    values = [13, 8, 13, 8, 12, 8] + list(range(7, 14)) + [8, 12] * 3 + [8]
    up = stats.assess(monthly(values, polarity="higher-is-better")).spc
    assert up.mean == 10
    assert up.points[9].value == 10
    assert up.points[9].signals == ["trend"]
    assert up.points[9].variation == "improvement"
    down = stats.assess(monthly(values, polarity="lower-is-better")).spc
    assert down.points[9].variation == "concern"


# --------------------------------------------------------------------------- runs

# 6 12 6 12 6 | 11 12 11 12 11 12 11 | 6 12 6 12 6 12 6 12
# sum 42 + 80 + 72 = 194, mean 9.7; moving ranges 24 + 5 + 6 + 5 + 42 = 82 over 19,
# upper 9.7 + 2.66 * 82/19 = 21.18, near upper 17.35.
RUN_HIGH = [6, 12, 6, 12, 6] + [11, 12] * 3 + [11] + [6, 12] * 4


def test_run_of_seven_above_mean():
    spc = stats.assess(monthly(RUN_HIGH, polarity="lower-is-better")).spc
    assert spc.mean == pytest.approx(9.7)
    assert spc.upper == pytest.approx(9.7 + 2.66 * 82 / 19)
    assert flagged(spc, "run") == list(range(5, 12))
    assert any_flagged(spc) == list(range(5, 12))
    assert {p.variation for p in spc.points[5:12]} == {"concern"}


def test_run_of_seven_below_mean():
    values = [20 - v for v in RUN_HIGH]  # mean 10.3
    spc = stats.assess(monthly(values, polarity="lower-is-better")).spc
    assert spc.mean == pytest.approx(10.3)
    assert flagged(spc, "run") == list(range(5, 12))
    assert any_flagged(spc) == list(range(5, 12))
    assert {p.variation for p in spc.points[5:12]} == {"improvement"}


def test_run_of_six_does_not_fire():
    values = [6, 12, 6, 12, 6] + [11, 12] * 3 + [6, 12] * 4 + [6]
    assert flagged(stats.assess(monthly(values)).spc, "run") == []


# 6 14 6 14 6 | 11 12 11 M 12 11 12 | 6 13 6 13 6 13 6 12
# With M = 10 the sum is 46 + 69 + 10 + 75 = 200, so the mean is exactly 10 = M.
def _broken_run(middle):
    return [6, 14, 6, 14, 6] + [11, 12, 11, middle, 12, 11, 12] + [6, 13, 6, 13, 6, 13, 6, 12]


def test_point_on_mean_breaks_a_run():
    spc = stats.assess(monthly(_broken_run(10))).spc
    assert spc.mean == 10
    assert spc.points[8].value == 10
    assert any_flagged(spc) == []


def test_same_run_without_the_point_on_the_mean_fires():
    spc = stats.assess(monthly(_broken_run(10.5))).spc
    assert spc.mean == pytest.approx(10.025)
    assert flagged(spc, "run") == list(range(5, 12))


# --------------------------------------------------------------------------- two of three

# 8 12 x5 | 19 19 | 8 12 x6 (24 points): sum 258, mean 10.75;
# moving ranges 36 + 7 + 0 + 11 + 44 = 98 over 23 = 4.26087;
# near upper 10.75 + (2/3) * 2.66 * 4.26087 = 18.3059; upper 22.0839.
# The window 12, 19, 19 is all above the mean with two points beyond the near limit.
TWO_HIGH = [8, 12] * 5 + [19, 19] + [8, 12] * 6


def test_two_of_three_above():
    spc = stats.assess(monthly(TWO_HIGH, polarity="higher-is-better")).spc
    assert spc.mean == pytest.approx(10.75)
    assert spc.near_upper == pytest.approx(18.3059, abs=1e-4)
    assert spc.upper == pytest.approx(22.0839, abs=1e-4)
    assert flagged(spc, "two-of-three") == [10, 11]
    assert any_flagged(spc) == [10, 11]
    assert spc.points[9].signals == []  # the 12 in the window is not beyond the near limit
    assert [p.variation for p in spc.points[10:12]] == ["improvement", "improvement"]


def test_two_of_three_below():
    values = [20 - v for v in TWO_HIGH]  # 1, 1 against a mean of 9.25
    spc = stats.assess(monthly(values, polarity="higher-is-better")).spc
    assert spc.mean == pytest.approx(9.25)
    assert spc.near_lower == pytest.approx(20 - 18.3059, abs=1e-4)
    assert flagged(spc, "two-of-three") == [10, 11]
    assert any_flagged(spc) == [10, 11]
    assert [p.variation for p in spc.points[10:12]] == ["concern", "concern"]


def test_two_beyond_near_limits_on_opposite_sides_does_not_fire():
    # 8 12 x5 | 20 0 | 12 8 x6: sum 240, mean 10; moving ranges 36 + 8 + 20 + 12 + 44 = 120
    # over 23; near limits 10 +- 9.2522 -> 19.25 / 0.748, limits 23.88 / -3.88.
    values = [8, 12] * 5 + [20, 0] + [12, 8] * 6
    spc = stats.assess(monthly(values)).spc
    assert spc.mean == pytest.approx(10)
    assert spc.near_upper == pytest.approx(10 + 2 / 3 * 2.66 * 120 / 23)
    assert spc.points[10].value > spc.near_upper
    assert spc.points[11].value < spc.near_lower
    assert any_flagged(spc) == []


def test_point_outside_the_limit_does_not_count_towards_two_of_three():
    # 8 12 x12 | 19 23 | 8 12 x12: sum 522, mean 10.44; moving ranges 92 + 7 + 4 + 15 + 92 = 210
    # over 49 = 30/7; upper 10.44 + 2.66 * 30/7 = 21.84, near upper 10.44 + 7.6 = 18.04.
    # 19 is beyond the near limit, 23 is outside the limit: only one in the band.
    values = [8, 12] * 12 + [19, 23] + [8, 12] * 12
    spc = stats.assess(monthly(values)).spc
    assert spc.mean == pytest.approx(10.44)
    assert spc.upper == pytest.approx(21.84)
    assert spc.near_upper == pytest.approx(18.04)
    assert flagged(spc, "two-of-three") == []
    assert any_flagged(spc) == [25]
    assert spc.points[25].signals == ["outside-limits"]


def test_one_of_three_beyond_near_limit_does_not_fire():
    values = [8, 12] * 5 + [19, 12] + [8, 12] * 6
    assert flagged(stats.assess(monthly(values)).spc, "two-of-three") == []


# --------------------------------------------------------------------------- dict and words


KNIFE_DICT = {
    "id": "knife-enabled-crime",
    "latest": {"end": "2019-07", "value": 176},
    "comparison": {
        "end": "2018-07",
        "value": 169,
        "change": 7,
        "change_percent": 4.14,
        "change_points": None,
        "test": "poisson-exact",
        "p_value": 0.7467,
        "verdict": "no-significant-change",
        "reason": None,
        "basis": "year-on-year",
        "dispersion": None,
        "dispersion_figures": None,
        "assumption": "it assumes the count varies only by chance, so it may call ordinary ups and downs significant",
        "seasonal": False,
    },
    "spc": None,
}


def knife_metric() -> Metric:
    return pair(
        169,
        176,
        id="knife-enabled-crime",
        title="Knife-enabled crime offences",
        polarity="lower-is-better",
        period="rolling-3-months",
    )


def test_assessment_to_dict_knife_example():
    d = stats.assessment_to_dict(stats.assess(knife_metric()))
    assert d == KNIFE_DICT
    assert json.loads(json.dumps(d)) == KNIFE_DICT
    assert list(d) == ["id", "latest", "comparison", "spc"]
    assert list(d["comparison"]) == [
        "end", "value", "change", "change_percent", "change_points",
        "test", "p_value", "verdict", "reason", "basis", "dispersion", "dispersion_figures", "assumption", "seasonal",
    ]


def test_assessment_to_dict_spc_shape():
    d = stats.assessment_to_dict(stats.assess(monthly(OUTSIDE_HIGH, polarity="higher-is-better")))
    spc = json.loads(json.dumps(d))["spc"]
    assert list(spc) == ["mean", "upper", "lower", "near_upper", "near_lower", "points"]
    assert spc["mean"] == 11.4
    assert spc["upper"] == 29.32
    assert spc["lower"] == -6.52
    # 11.4 +- (2/3) * 2.66 * 128/19 = 11.4 +- 11.946667
    assert spc["near_upper"] == 23.3467
    assert spc["near_lower"] == -0.5467
    assert len(spc["points"]) == 20
    assert spc["points"][0] == {"end": "2017-01", "value": 8, "signals": [], "variation": "common-cause"}
    assert spc["points"][10] == {
        "end": "2017-11", "value": 40, "signals": ["outside-limits"], "variation": "improvement",
    }
