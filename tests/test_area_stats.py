"""Area rates and comparisons, checked against SciPy's exact quantiles and published worked examples."""

from __future__ import annotations

import pytest

from crimeportal.core.area_stats import compare_areas, poisson_interval

scipy_stats = pytest.importorskip("scipy.stats")  # a test dependency only: the portal does not need it


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 10, 24, 57, 100, 136, 999, 1091, 5_000, 31_691, 250_000])
def test_the_interval_is_the_exact_poisson_interval(count):
    lower, upper = poisson_interval(count)
    expected_lower = 0.0 if count == 0 else scipy_stats.chi2.ppf(0.025, 2 * count) / 2
    expected_upper = scipy_stats.chi2.ppf(0.975, 2 * count + 2) / 2
    assert lower == pytest.approx(expected_lower, rel=1e-9, abs=1e-12)
    assert upper == pytest.approx(expected_upper, rel=1e-9)


# Garwood's exact 95% limits as tables print them (e.g. the Public Health England technical guide on
# confidence intervals, and Ulm 1990): a count of 0 has limits 0 and 3.689; 10 has 4.795 and 18.390.
@pytest.mark.parametrize("count, lower, upper", [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.624, 11.668),
                                                 (10, 4.795, 18.390), (100, 81.364, 121.627)])
def test_the_interval_matches_published_tables(count, lower, upper):
    found = poisson_interval(count)
    assert found[0] == pytest.approx(lower, abs=0.0006) and found[1] == pytest.approx(upper, abs=0.0006)


def test_an_area_is_higher_or_lower_only_when_its_interval_leaves_the_force_rate():
    populations = {"big": 200_000, "small": 20_000, "same": 100_000, "low": 100_000}
    force_rate, rates = compare_areas({"big": 500, "small": 30, "same": 160, "low": 80}, populations)
    assert force_rate == pytest.approx(770 / 420_000 * 1000)
    verdicts = {r.area: r.verdict for r in rates}
    # big: 2.5 per 1,000 against 1.83, far beyond chance; small: 1.5 on 30 crimes, within it;
    # same: 1.6, within; low: 0.8, below even its interval's top
    assert verdicts == {"big": "higher", "small": "similar", "same": "similar", "low": "lower"}
    big = next(r for r in rates if r.area == "big")
    assert big.rate == pytest.approx(2.5) and big.lower < 2.5 < big.upper


def test_every_verdict_agrees_with_the_exact_test_done_with_scipy():
    populations = {f"area-{n}": 5_000 + 7_919 * n for n in range(40)}
    counts = {area: (n * 37) % 61 + n for n, area in enumerate(populations)}
    force_rate, rates = compare_areas(counts, populations)
    for rate in rates:
        expected = force_rate * rate.population / 1_000
        low = 0 if rate.count == 0 else scipy_stats.chi2.ppf(0.025, 2 * rate.count) / 2
        high = scipy_stats.chi2.ppf(0.975, 2 * rate.count + 2) / 2
        assert rate.verdict == ("higher" if low > expected else "lower" if high < expected else "similar")
    assert {r.verdict for r in rates} == {"higher", "similar", "lower"}  # the cases cover all three
