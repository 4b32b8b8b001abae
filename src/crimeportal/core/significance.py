"""Two figures and nothing behind them: the exact conditional test for two Poisson counts, and the pooled
two-proportion z-test. Pure arithmetic with the standard library; which test a comparison uses is decided in
`stats`, and an evaluation's before-after test (`evaluation`) uses the first.
"""

from __future__ import annotations

import math


def _log_binomial_half_pmf(n: int, i: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2)


def poisson_exact_p(earlier: int, later: int) -> float:
    """Two-sided p-value of the exact conditional test for two Poisson counts.

    Given n = earlier + later, under equal rates ``later ~ Binomial(n, 1/2)``;
    the distribution is symmetric, so the two-sided p-value is
    ``min(1, 2 * P(X <= min(k, n - k)))``. Summed in log space, so counts in the
    tens of thousands are fine.
    """
    if earlier < 0 or later < 0:
        raise ValueError("counts must not be negative")
    n = earlier + later
    if n == 0:
        raise ValueError("both counts are zero")
    m = min(earlier, later)
    logs = [_log_binomial_half_pmf(n, i) for i in range(m + 1)]
    top = max(logs)
    log_tail = top + math.log(math.fsum(math.exp(x - top) for x in logs))
    return min(1.0, 2.0 * math.exp(log_tail))


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test of x1/n1 against x2/n2."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("denominators must be positive")
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:  # both 0% or both 100%: no difference at all
        return 1.0
    z = (x2 / n2 - x1 / n1) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))
