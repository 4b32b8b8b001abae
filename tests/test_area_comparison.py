"""The comparison of an area's count with the force's rate: the exact Poisson interval against scipy's."""

from __future__ import annotations

import pytest

from crimeportal.core.stats import area_verdict, poisson_interval

chi2 = pytest.importorskip("scipy.stats").chi2  # a test dependency only, as the reference


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 10, 22, 33, 64, 136, 500, 1_000, 4_924, 30_000])
def test_the_exact_interval_matches_chi_squared_quantiles(count: int):
    low, high = poisson_interval(count)
    expected_low = 0.0 if count == 0 else chi2.ppf(0.025, 2 * count) / 2
    expected_high = chi2.ppf(0.975, 2 * count + 2) / 2
    assert low == pytest.approx(expected_low, rel=1e-9, abs=1e-12)
    assert high == pytest.approx(expected_high, rel=1e-9)


def test_the_verdict_is_higher_similar_or_lower_by_where_the_expected_count_falls():
    rate = 980 / 1_832_752  # July 2018 burglary, all 14 districts
    assert area_verdict(64, 86_594, rate)[0] == "higher"  # Harlow: 46 expected, interval about 49 to 82
    assert area_verdict(22, 64_425, rate)[0] == "lower"  # Maldon: 34 expected, interval about 14 to 33
    assert area_verdict(93, 185_862, rate)[0] == "similar"  # Basildon: 99 expected
    assert area_verdict(0, 1_000, rate)[0] == "similar"  # a count of 0 in a small area tells little


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        poisson_interval(-1)
