"""Statistical assessment of a metric: year-on-year significance, and which metrics get an SPC chart (spc.py).

Two things are worked out for each metric, with the standard library only:

* a **comparison** of the latest published figure with the same period a year
  earlier (or, failing that, the latest earlier figure that shares no months
  with it; `basis` says which), with a test of
  whether the change is statistically significant:

  - counts: the exact conditional test for two Poisson counts (given the total
    ``n = a + b``, the later count is Binomial(n, 1/2) under "no change");
  - percentages and rates: a pooled two-proportion z-test, but only when both
    observations carry the numerator and denominator behind them;

* a **statistical process control** (XmR) chart in the style of NHS England's
  "Making Data Count" tool, for metrics with at least 12 non-overlapping periods.

Nothing here reads files or knows about MkDocs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Metric, Observation
from .spc import SIGNALS, XMR_CONSTANT, Spc, SpcPoint, XmrLimits, xmr_chart, xmr_limits  # noqa: F401  (re-exported)

SIGNIFICANCE_LEVEL = 0.05

#: Periods that do not overlap one another, so consecutive points are independent
#: enough for an XmR chart. Rolling periods share months and are excluded.
SPC_PERIODS = ("month", "quarter", "year", "financial-year")
SPC_MIN_POINTS = 12

VERDICT_LABELS = {
    "improvement": "Improvement",
    "deterioration": "Deterioration",
    "significant-change": "Significant change",
    "no-significant-change": "No significant change",
    "not-assessable": "Cannot be assessed",
}

VARIATION_LABELS = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither improvement nor concern",
    "common-cause": "Common cause",
}

#: How the latest figure was compared: with the same period a year earlier (how police and ONS crime
#: statistics are read, so seasons cancel out), or, only when the series has no figure for that period,
#: with the latest earlier period that shares no months with it.
BASIS_YEAR_ON_YEAR, BASIS_PREVIOUS = "year-on-year", "previous-period"
BASIS_LABELS = {
    BASIS_YEAR_ON_YEAR: "year on year",
    BASIS_PREVIOUS: "previous period (no figure a year earlier)",
}

#: How many months one figure of each period covers: an earlier figure that ends at least this many
#: months before the latest shares no months with it.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "rolling-3-months": 3, "financial-year": 12, "year": 12}

TEST_LABELS = {
    "poisson-exact": "exact Poisson test",
    "two-proportion": "two-proportion z-test",
}



# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Comparison:
    end: str  # end of the earlier observation
    value: float | int  # value of the earlier observation
    change: float | int  # latest - earlier, in the metric's unit
    change_percent: float | None  # counts and rates only
    change_points: float | None  # percentages only, in percentage points
    test: str | None  # "poisson-exact" | "two-proportion" | None
    p_value: float | None  # rounded to 4 dp
    verdict: str  # a key of VERDICT_LABELS
    reason: str | None = None  # why it could not be assessed
    basis: str = BASIS_YEAR_ON_YEAR  # a key of BASIS_LABELS


@dataclass(frozen=True)
class Assessment:
    id: str
    latest: Observation | None
    comparison: Comparison | None
    spc: Spc | None


@dataclass(frozen=True)
class SignificanceResult:
    test: str | None
    p_value: float | None  # unrounded
    direction: int  # +1 later is higher, -1 lower, 0 no difference
    reason: str | None = None


# --------------------------------------------------------------------------- months


def month_index(end: str) -> int:
    """``"YYYY-MM"`` as a count of months, so that differences are in months."""
    year, month = end.split("-")
    return int(year) * 12 + int(month) - 1


# --------------------------------------------------------------------------- tests


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


def _is_whole(value: float | int) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _count_test(earlier: float | int, later: float | int) -> SignificanceResult:
    if not (_is_whole(earlier) and _is_whole(later)) or earlier < 0 or later < 0:
        return SignificanceResult(None, None, 0, "the figures are not whole, non-negative counts")
    a, b = int(earlier), int(later)
    if a == 0 and b == 0:
        return SignificanceResult(None, None, 0, "both counts are zero")
    return SignificanceResult("poisson-exact", poisson_exact_p(a, b), _sign(b - a))


def _proportion_test(unit: str, earlier: Observation, later: Observation) -> SignificanceResult:
    noun = "percentages" if unit == "percent" else "rates"
    parts = (earlier.numerator, earlier.denominator, later.numerator, later.denominator)
    if any(p is None for p in parts):
        return SignificanceResult(None, None, 0, f"the {noun} were published without the counts behind them")
    x1, n1, x2, n2 = parts
    if n1 <= 0 or n2 <= 0 or x1 < 0 or x2 < 0 or x1 > n1 or x2 > n2:
        return SignificanceResult(
            None, None, 0,
            f"the counts behind the {noun} are not a valid numerator and denominator",
        )
    p = two_proportion_p(x1, n1, x2, n2)
    return SignificanceResult("two-proportion", p, _sign(x2 / n2 - x1 / n1))


def verdict_for(p_value: float | None, direction: int, polarity: str) -> str:
    """The verdict for an (unrounded) p-value and the direction of the change."""
    if p_value is None:
        return "not-assessable"
    if p_value >= SIGNIFICANCE_LEVEL or direction == 0:
        return "no-significant-change"
    if polarity == "higher-is-better":
        return "improvement" if direction > 0 else "deterioration"
    if polarity == "lower-is-better":
        return "improvement" if direction < 0 else "deterioration"
    return "significant-change"


# --------------------------------------------------------------------------- comparison


def usable_observations(metric: Metric) -> list[Observation]:
    """Observations with a published value, in order (suppressed ones left out)."""
    return [o for o in metric.observations if o.value is not None and not o.suppressed]


def comparison_base(observations: Sequence[Observation], period: str) -> tuple[Observation, str] | None:
    """What to compare the last observation with, and on what basis.

    The same period 12 months earlier when the series has it; otherwise the latest earlier figure that
    shares no months with the last one (comparing overlapping periods would count the same months twice).
    None when there is neither.
    """
    if len(observations) < 2:
        return None
    latest = month_index(observations[-1].end)
    for obs in observations[:-1]:
        if month_index(obs.end) == latest - 12:
            return obs, BASIS_YEAR_ON_YEAR
    apart = PERIOD_MONTHS.get(period, 12)
    earlier = [obs for obs in observations[:-1] if month_index(obs.end) <= latest - apart]
    return (earlier[-1], BASIS_PREVIOUS) if earlier else None


def _change(unit: str, earlier: float | int, later: float | int) -> float | int:
    if unit == "count" and isinstance(earlier, int) and isinstance(later, int):
        return later - earlier
    return round(later - earlier, 2)


def compare(metric: Metric) -> Comparison | None:
    """Compare the latest usable observation with the same period a year earlier, or failing that the previous one."""
    observations = usable_observations(metric)
    base = comparison_base(observations, metric.period)
    if base is None:
        return None
    earlier, basis = base
    latest = observations[-1]
    unit = metric.unit
    a, b = earlier.value, latest.value
    assert a is not None and b is not None

    change_percent = None
    if unit in ("count", "rate") and a != 0:
        change_percent = round((b - a) / a * 100, 2)
    change_points = round(b - a, 2) if unit == "percent" else None

    if unit == "count":
        result = _count_test(a, b)
    elif unit in ("percent", "rate"):
        result = _proportion_test(unit, earlier, latest)
    else:
        result = SignificanceResult(None, None, 0, f"the unit {unit!r} has no test")

    return Comparison(
        end=earlier.end,
        value=a,
        change=_change(unit, a, b),
        change_percent=change_percent,
        change_points=change_points,
        test=result.test,
        p_value=None if result.p_value is None else round(result.p_value, 4),
        verdict=verdict_for(result.p_value, result.direction, metric.polarity),
        reason=result.reason,
        basis=basis,
    )


def spc_drawn(period: str, figures: int) -> bool:
    """Whether a series of this many published figures of this period has an XmR chart (`spc_for`), without
    drawing it: what a caller asking of every figure of a long series needs, at no cost per figure."""
    return period in SPC_PERIODS and figures >= SPC_MIN_POINTS


def spc_for(metric: Metric) -> Spc | None:
    """The metric's XmR chart, or None for rolling periods or fewer than 12 values."""
    observations = usable_observations(metric)
    if not spc_drawn(metric.period, len(observations)):
        return None
    return xmr_chart(
        [o.end for o in observations],
        [o.value for o in observations],  # type: ignore[misc]
        metric.polarity,
    )


# --------------------------------------------------------------------------- assessment


def assess(metric: Metric) -> Assessment:
    observations = usable_observations(metric)
    return Assessment(
        id=metric.id,
        latest=observations[-1] if observations else None,
        comparison=compare(metric),
        spc=spc_for(metric),
    )


def assessment_to_dict(a: Assessment) -> dict[str, Any]:
    """The assessment as plain JSON-able data."""
    latest = None if a.latest is None else {"end": a.latest.end, "value": a.latest.value}
    comparison = None
    if a.comparison is not None:
        c = a.comparison
        comparison = {
            "end": c.end,
            "value": c.value,
            "change": c.change,
            "change_percent": c.change_percent,
            "change_points": c.change_points,
            "test": c.test,
            "p_value": c.p_value,
            "verdict": c.verdict,
            "reason": c.reason,
            "basis": c.basis,
        }
    spc = None
    if a.spc is not None:
        s = a.spc
        spc = {
            "mean": round(s.mean, 4),
            "upper": round(s.upper, 4),
            "lower": round(s.lower, 4),
            "near_upper": round(s.near_upper, 4),
            "near_lower": round(s.near_lower, 4),
            "points": [
                {"end": p.end, "value": p.value, "signals": list(p.signals), "variation": p.variation}
                for p in s.points
            ],
        }
    return {"id": a.id, "latest": latest, "comparison": comparison, "spc": spc}
