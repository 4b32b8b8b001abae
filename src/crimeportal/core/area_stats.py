"""Rates per 1,000 people for areas, and whether an area's rate really differs from the force's.

An area is "higher than" the force when even the lowest count its 95% interval allows is above the count
it would have at the force's rate; "lower than" when even the highest is below; otherwise "similar". The
interval is the exact Poisson interval for a count (Garwood's, from the gamma distribution), the method
public health profiles use for small-area rates: a count of crimes in a district over a period is the
kind of count a Poisson model describes, and an exact interval stays honest for small districts and rare
crimes where a normal approximation would not. Comparing with the force's rate rather than ranking areas
by their counts keeps districts of very different sizes comparable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PER = 1_000
CONFIDENCE = 0.95
VERDICTS = ("higher", "similar", "lower")


@dataclass(frozen=True)
class AreaRate:
    area: str  # the area's id
    count: int
    population: int
    rate: float  # per 1,000 people
    lower: float  # the 95% interval of the rate, per 1,000 people
    upper: float
    verdict: str  # higher | similar | lower, against the force's rate


def rate_per_thousand(count: float, population: int) -> float:
    return count / population * PER


def poisson_interval(count: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact interval for the mean of a Poisson count: gamma quantiles, as chi-squared ones over two."""
    tail = (1 - confidence) / 2
    lower = 0.0 if count == 0 else _gamma_quantile(count, tail)
    return lower, _gamma_quantile(count + 1, 1 - tail)


def compare_areas(counts: dict[str, int], populations: dict[str, int]) -> tuple[float, list[AreaRate]]:
    """The force's rate (of the areas given, together) and each area's rate against it, in the order given."""
    total_population = sum(populations[area] for area in counts)
    force_rate = rate_per_thousand(sum(counts.values()), total_population)
    rates = []
    for area, count in counts.items():
        population = populations[area]
        low, high = poisson_interval(count)
        expected = force_rate * population / PER
        verdict = "higher" if low > expected else "lower" if high < expected else "similar"
        rates.append(AreaRate(area, count, population, rate_per_thousand(count, population),
                              rate_per_thousand(low, population), rate_per_thousand(high, population), verdict))
    return force_rate, rates


def _gamma_quantile(shape: float, probability: float) -> float:
    """x with P(shape, x) = probability, by bisection: P rises steadily in x, and 200 halvings reach any float."""
    low, high = 0.0, max(1.0, shape)
    while _regularised_gamma(shape, high) < probability:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _regularised_gamma(shape, middle) < probability:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _regularised_gamma(shape: float, x: float) -> float:
    """The lower regularised incomplete gamma function P(shape, x): a series below shape + 1, a continued fraction above."""
    if x <= 0:
        return 0.0
    log_front = shape * math.log(x) - x - math.lgamma(shape)
    if x < shape + 1:
        term = total = 1 / shape
        denominator = shape
        while abs(term) > abs(total) * 1e-16:
            denominator += 1
            term *= x / denominator
            total += term
        return min(1.0, total * math.exp(log_front))
    # Lentz's method for the upper tail's continued fraction
    tiny = 1e-300
    b = x + 1 - shape
    c, d = 1 / tiny, 1 / b
    fraction = d
    for step in range(1, 10_000):
        a = -step * (step - shape)
        b += 2
        d = a * d + b
        d = tiny if abs(d) < tiny else d
        c = b + a / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        fraction *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return max(0.0, 1 - math.exp(log_front) * fraction)
