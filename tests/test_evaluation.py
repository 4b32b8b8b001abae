"""The arithmetic of evaluations (core/evaluation.py) against references worked out another way.

- The rate ratio, its interval and p-value against statsmodels' Poisson GLM with group, period and their
  interaction: the interaction's coefficient is the log rate ratio, and its Wald interval and p are ours.
- The WDD against the formula written out here from the paper's definitions, and against the worked example that
  Wheeler and Ratcliffe (2018) give (as reproduced in the test of the authors' R package ptools, "Est & Variance
  Paper": control 308 -> 318, test 207 -> 110, displacement control 150 -> 140, displacement 178 -> 157; total -118,
  SE sqrt(1568), z -2.98, 95% interval -196 to -40). The paper itself was not available to check those numbers
  against; the independent formula test stands on its own.
"""

from __future__ import annotations

import math
import warnings
from datetime import date

import pytest

from crimeportal.core.evaluation import (Counts, analyse, before_after, maryland_level, rate_ratio,
                                         registered_in_advance, result_to_dict, wdd)
from crimeportal.core.stats import poisson_exact_p

CASES = [
    (Counts(120, 80), Counts(100, 95)),
    (Counts(207, 110), Counts(308, 318)),
    (Counts(5, 9), Counts(13, 4)),
    (Counts(1948, 1761), Counts(371, 392)),
]


def _glm_reference(test: Counts, control: Counts) -> tuple[float, float, float, float]:
    np = pytest.importorskip("numpy")
    sm = pytest.importorskip("statsmodels.api")
    # rows: (intercept, test group, after period, test x after)
    rows = [(1, 0, 0, 0, control.before), (1, 0, 1, 0, control.after),
            (1, 1, 0, 0, test.before), (1, 1, 1, 1, test.after)]
    X = np.array([r[:4] for r in rows], dtype=float)
    y = np.array([r[4] for r in rows], dtype=float)
    with warnings.catch_warnings():  # a saturated model fits exactly, which statsmodels warns about
        warnings.simplefilter("ignore")
        fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-14, maxiter=200)
    low, high = fit.conf_int(alpha=0.05)[3]
    return math.exp(fit.params[3]), math.exp(low), math.exp(high), float(fit.pvalues[3])


@pytest.mark.parametrize("test,control", CASES)
def test_rate_ratio_matches_poisson_glm_interaction(test: Counts, control: Counts) -> None:
    ratio, low, high, p = _glm_reference(test, control)
    ours = rate_ratio(test, control)
    assert ours is not None
    assert ours.ratio == pytest.approx(ratio, rel=1e-7)
    assert ours.low == pytest.approx(low, rel=1e-6)
    assert ours.high == pytest.approx(high, rel=1e-6)
    assert ours.p_value == pytest.approx(p, rel=1e-5, abs=1e-12)


def test_rate_ratio_is_the_ratio_of_ratios() -> None:
    assert rate_ratio(Counts(120, 80), Counts(100, 95)).ratio == pytest.approx((80 / 120) / (95 / 100))


def test_rate_ratio_with_a_zero_count_is_not_given() -> None:
    assert rate_ratio(Counts(0, 5), Counts(10, 10)) is None


def _wdd_by_hand(t0, t1, c0, c1, d0=None, d1=None, e0=None, e1=None):
    local = (t1 - t0) - (c1 - c0)
    counts = [t0, t1, c0, c1]
    displaced = 0
    if d0 is not None:
        displaced = (d1 - d0) - (e1 - e0)
        counts += [d0, d1, e0, e1]
    total = local + displaced
    se = sum(counts) ** 0.5
    return local, total, se, total / se


@pytest.mark.parametrize("counts", [(120, 80, 100, 95, 60, 64, 50, 52), (10, 3, 7, 9, 0, 4, 2, 2), (5, 5, 5, 5, 1, 1, 1, 1)])
def test_wdd_matches_the_formula(counts) -> None:
    t0, t1, c0, c1, d0, d1, e0, e1 = counts
    local, total, se, z = _wdd_by_hand(*counts)
    ours = wdd(Counts(t0, t1), Counts(c0, c1), Counts(d0, d1), Counts(e0, e1))
    assert (ours.local, ours.total) == (local, total)
    assert ours.displacement == total - local
    assert ours.se == pytest.approx(se)
    assert ours.z == pytest.approx(z)
    assert ours.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def test_wdd_without_displacement_areas_is_the_local_estimate() -> None:
    local, total, se, z = _wdd_by_hand(120, 80, 100, 95)
    ours = wdd(Counts(120, 80), Counts(100, 95))
    assert ours.displacement is None
    assert (ours.local, ours.total, ours.se, ours.z) == (local, total, pytest.approx(se), pytest.approx(z))


def test_wdd_worked_example_from_the_paper() -> None:
    ours = wdd(Counts(207, 110), Counts(308, 318), Counts(178, 157), Counts(150, 140))
    assert ours.local == -107
    assert ours.displacement == -11
    assert ours.total == -118
    assert ours.se == pytest.approx(math.sqrt(1568))
    assert round(ours.z, 2) == -2.98
    assert round(ours.total - 1.959964 * ours.se) == -196
    assert round(ours.total + 1.959964 * ours.se) == -40


def test_before_after_uses_the_exact_poisson_test() -> None:
    result = before_after(Counts(120, 80))
    assert result.change_percent == pytest.approx(-100 / 3)
    assert result.p_value == poisson_exact_p(120, 80)
    assert "exact" in result.method


def test_before_after_design_gets_no_rate_ratio_and_level_two() -> None:
    result = analyse("before-after", {"test": Counts(120, 80)}, date(2019, 8, 1), "2019-09", date(2020, 3, 1))
    assert result.status == "results"
    assert result.maryland_level == 2
    assert result.rate_ratio is None and result.wdd is None
    assert result.before_after is not None
    data = result_to_dict(result)
    assert data["rate_ratio"] is None and data["wdd"] is None and data["maryland_level"] == 2


def test_maryland_levels() -> None:
    assert [maryland_level(d) for d in ("before-after", "comparison-areas", "randomised", "other")] == [2, 3, 5, None]


@pytest.mark.parametrize("registered,expected", [
    (date(2019, 9, 12), False),  # published after the operation began: not in advance
    (date(2019, 9, 1), False),  # on the first day is not before it
    (date(2019, 8, 31), True),
    (None, False),
])
def test_registered_in_advance_only_before_the_start(registered, expected) -> None:
    assert registered_in_advance(registered, "2019-09") is expected


def test_comparison_result_and_its_json() -> None:
    counts = {"test": Counts(120, 80), "control": Counts(100, 95),
              "displacement": Counts(60, 64), "displacement_control": Counts(50, 52)}
    result = analyse("comparison-areas", counts, date(2019, 9, 12), "2019-09", date(2020, 3, 1))
    data = result_to_dict(result)
    assert data["maryland_level"] == 3
    assert data["registered_in_advance"] is False
    assert data["rate_ratio"] == pytest.approx((80 / 120) / (95 / 100))
    assert len(data["rate_ratio_ci"]) == 2
    assert data["wdd"] == (80 - 120) - (95 - 100) + (64 - 60) - (52 - 50)
    assert data["wdd_se"] == pytest.approx(math.sqrt(120 + 80 + 100 + 95 + 60 + 64 + 50 + 52))
    assert data["wdd_z"] == pytest.approx(data["wdd"] / data["wdd_se"])


def test_status_without_counts() -> None:
    assert analyse("comparison-areas", {}, None, "2019-09", date(2019, 9, 12)).status == "running"
    assert analyse("comparison-areas", {}, None, "2019-09", date(2019, 8, 1)).status == "planned"
    assert analyse("comparison-areas", {}, None, "2019-09", date(2019, 9, 12), areas_named=False).status == "planned"
    assert analyse("comparison-areas", {"test": Counts(1, 2)}, None, "2019-09", date(2020, 8, 1)).status == "running"
