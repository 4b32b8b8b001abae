"""How much a series of counts varies beyond chance, and a test of two counts that allows for it.

Crime counts vary far more from period to period than a Poisson count would (police.uk burglary in Essex,
January to June 2018: about six times as much), so a test that assumes Poisson variation calls ordinary
ups and downs significant. This module estimates the series' own extra variation and tests a change
against it, as a quasi-Poisson model does:

* the **dispersion** is Pearson's chi-squared over its degrees of freedom, from a Poisson log-linear
  model with a straight-line trend fitted to the earlier figures (so that a steady rise or fall is not
  mistaken for variation); 1 means the series varies as a Poisson count does;
* the **test** compares the log of the ratio of two counts (each per its denominator, for rates) with its
  standard error inflated by the square root of the dispersion, and reads the p-value from Student's t
  with the dispersion's degrees of freedom, as R's summary of a quasi-Poisson model does, since the
  dispersion is itself estimated from a handful of figures.

Pure arithmetic with the standard library; which figures are used is decided in `stats`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_MAX_ITERATIONS = 100
_TOLERANCE = 1e-10
_MAX_LINEAR_PREDICTOR = 700.0  # exp() of more overflows a float


def trend_dispersion(counts: Sequence[int], months: Sequence[int],
                     exposures: Sequence[float] | None = None) -> float | None:
    """Pearson's dispersion of counts about a Poisson log-linear trend over time; None if it cannot be fitted.

    ``exposures`` (denominators, for rates) enter as an offset, so it is the rate that follows the trend.
    At least three figures are needed to leave a degree of freedom after the two parameters.
    """
    n = len(counts)
    if n < 3 or sum(counts) == 0:
        return None
    offsets = [0.0] * n if exposures is None else [math.log(e) for e in exposures]
    centre = math.fsum(months) / n
    xs = [m - centre for m in months]
    means = _fit_trend(counts, xs, offsets)
    if means is None:
        return None
    pearson = math.fsum((y - mu) ** 2 / mu for y, mu in zip(counts, means))
    return pearson / (n - 2)


def _fit_trend(counts: Sequence[int], xs: Sequence[float], offsets: Sequence[float]) -> list[float] | None:
    """Fitted means of log(mu) = offset + a + b * x by Newton's method (the Poisson model's maximum likelihood)."""
    total = sum(counts)
    exposure = math.fsum(math.exp(o) for o in offsets)
    a, b = math.log(total / exposure), 0.0
    for _ in range(_MAX_ITERATIONS):
        etas = [o + a + b * x for o, x in zip(offsets, xs)]
        if max(etas) > _MAX_LINEAR_PREDICTOR:
            return None
        means = [math.exp(eta) for eta in etas]
        # plain sums: a few dozen terms of one sign (or centred), where fsum's exactness buys nothing but time
        score_a = sum(counts) - sum(means)
        score_b = sum(x * (y - mu) for x, y, mu in zip(xs, counts, means))
        info_aa = sum(means)
        info_ab = sum(x * mu for x, mu in zip(xs, means))
        info_bb = sum(x * x * mu for x, mu in zip(xs, means))
        determinant = info_aa * info_bb - info_ab * info_ab
        if determinant <= 0 or not math.isfinite(determinant):
            return None
        step_a = (info_bb * score_a - info_ab * score_b) / determinant
        step_b = (info_aa * score_b - info_ab * score_a) / determinant
        a, b = a + step_a, b + step_b
        if abs(step_a) < _TOLERANCE and abs(step_b) < _TOLERANCE:
            return [math.exp(o + a + b * x) for o, x in zip(offsets, xs)]
    return None  # did not settle: a series (say, zeros then hundreds) whose trend has no finite estimate


def quasi_poisson_p(earlier: int, later: int, dispersion: float, degrees_of_freedom: int,
                    earlier_exposure: float = 1.0, later_exposure: float = 1.0) -> float:
    """Two-sided p-value for a change from ``earlier`` to ``later`` with variance ``dispersion`` times Poisson's.

    The Wald test of the log rate ratio; when either count is zero (no log), the score form
    ``(later - expected) / sqrt(dispersion * variance)`` with both counts pooled, which needs no log.
    """
    if earlier < 0 or later < 0 or earlier + later == 0:
        raise ValueError("counts must be non-negative and not both zero")
    if earlier > 0 and later > 0:
        log_ratio = math.log(later / later_exposure) - math.log(earlier / earlier_exposure)
        statistic = log_ratio / math.sqrt(dispersion * (1 / earlier + 1 / later))
    else:
        share = later_exposure / (earlier_exposure + later_exposure)
        total = earlier + later
        statistic = (later - total * share) / math.sqrt(dispersion * total * share * (1 - share))
    return student_t_two_sided_p(statistic, degrees_of_freedom)


def student_t_two_sided_p(statistic: float, degrees_of_freedom: int) -> float:
    """P(|T| >= |statistic|) for Student's t with the given degrees of freedom."""
    if degrees_of_freedom < 1:
        raise ValueError("degrees of freedom must be at least 1")
    x = degrees_of_freedom / (degrees_of_freedom + statistic * statistic)
    return min(1.0, _regularized_incomplete_beta(degrees_of_freedom / 2, 0.5, x))


def _regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), by the continued fraction (modified Lentz), on the side where it converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    # I_x(a, b) = 1 - I_(1-x)(b, a), and the front factor is the same for both
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return result
