"""Statistical assessment of a metric: year-on-year significance, and which metrics get an SPC chart (spc.py).

Two things are worked out for each metric, with the standard library only:

* a **comparison** of the latest published figure with the same period a year
  earlier (or, failing that, the latest earlier figure that shares no months
  with it; `basis` says which), with a test of
  whether the change is statistically significant:

  - counts, and rates with the counts behind them, when the series has at least
    `DISPERSION_MIN_FIGURES` earlier figures: a quasi-Poisson test that allows for
    how much the series varies by itself (`dispersion`); when it varies no more
    than a Poisson count, the exact test below;
  - counts with fewer earlier figures: the exact conditional test for two Poisson
    counts (given the total ``n = a + b``, the later count is Binomial(n, 1/2)
    under "no change"), which assumes the count varies only by chance;
  - percentages, and rates with too few figures: a pooled two-proportion z-test,
    but only when both observations carry the numerator and denominator behind them;

  a comparison with the previous period of a series shorter than a year does not
  allow for the time of year, so it gets a verdict only when the test allowed for
  the series' own variation; and a significant result is not called a change when
  the measure's control chart shows the same figure within its usual range;

* a **statistical process control** (XmR) chart in the style of NHS England's
  "Making Data Count" tool, for metrics with at least 12 non-overlapping periods.

The p-value arithmetic is in `significance` (two figures) and `dispersion` (a series' own variation);
nothing here reads files or knows about MkDocs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dispersion import quasi_poisson_p, trend_dispersion
from .significance import poisson_exact_p, two_proportion_p  # noqa: F401  (two_proportion_p re-exported)
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
    "quasi-poisson": "quasi-Poisson test",
    "two-proportion": "two-proportion z-test",
}

#: Earlier figures (sharing no months with one another) needed to estimate how much a series varies beyond
#: chance: with fewer, two of them go on the trend and too few are left to tell variation from a fluke.
DISPERSION_MIN_FIGURES = 6

#: What each way of testing assumes, in words a reader can weigh the verdict by.
TEST_ASSUMPTIONS = {
    "poisson-exact": "it assumes the count varies only by chance, so it may call ordinary ups and downs significant",
    "poisson-exact-checked": "the series' earlier figures vary no more than chance alone would make them",
    "quasi-poisson": "it assumes the figures vary about their trend as much as the earlier ones did",
    "two-proportion": "it assumes each figure's counts vary only by chance",
}



#: The field of a published measure's record (data/all-metrics.json) holding the release's own assessment, so a
#: later release knows how this one judged it.
ASSESSMENT_FIELD = "assessment"


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
    reason: str | None = None  # why it could not be assessed, or why a significant result is not called a change
    basis: str = BASIS_YEAR_ON_YEAR  # a key of BASIS_LABELS
    dispersion: float | None = None  # the series' variation as a multiple of Poisson's, rounded to 2 dp; None: not estimated
    dispersion_figures: int | None = None  # how many earlier figures it was estimated from
    seasonal: bool = False  # compared with the previous period of a series shorter than a year: seasons not allowed for

    @property
    def assumption(self) -> str | None:
        """What the test assumes, in words."""
        if self.test == "poisson-exact" and self.dispersion is not None:
            return TEST_ASSUMPTIONS["poisson-exact-checked"]
        return TEST_ASSUMPTIONS.get(self.test or "")


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
    dispersion: float | None = None
    dispersion_figures: int | None = None


@dataclass(frozen=True)
class Variation:
    """How much the series' earlier figures vary beyond chance, and from how many figures that was estimated."""

    dispersion: float
    figures: int

    @property
    def beyond_chance(self) -> bool:
        return self.dispersion > 1


# --------------------------------------------------------------------------- months


def month_index(end: str) -> int:
    """``"YYYY-MM"`` as a count of months, so that differences are in months."""
    year, month = end.split("-")
    return int(year) * 12 + int(month) - 1


# --------------------------------------------------------------------------- tests


def _is_whole(value: float | int) -> bool:
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _count_test(earlier: float | int, later: float | int, variation: Variation | None = None,
                earlier_exposure: float = 1.0, later_exposure: float = 1.0) -> SignificanceResult:
    if not (_is_whole(earlier) and _is_whole(later)) or earlier < 0 or later < 0:
        return SignificanceResult(None, None, 0, "the figures are not whole, non-negative counts")
    a, b = int(earlier), int(later)
    if a == 0 and b == 0:
        return SignificanceResult(None, None, 0, "both counts are zero")
    direction = _sign(b / later_exposure - a / earlier_exposure)
    if variation is None:
        return SignificanceResult("poisson-exact", poisson_exact_p(a, b), direction)
    estimated = {"dispersion": round(variation.dispersion, 2), "dispersion_figures": variation.figures}
    if not variation.beyond_chance and earlier_exposure == later_exposure:
        return SignificanceResult("poisson-exact", poisson_exact_p(a, b), direction, **estimated)
    # a rate whose series varies as chance would: the same test with the dispersion held at 1
    p = quasi_poisson_p(a, b, max(variation.dispersion, 1.0), variation.figures - 2, earlier_exposure, later_exposure)
    return SignificanceResult("quasi-poisson", p, direction, **estimated)


def series_variation(metric: Metric, observations: Sequence[Observation]) -> Variation | None:
    """The dispersion of the figures before the latest, when there are enough that share no months.

    Counts use the values; rates the numerators with their denominators. None when there are too few figures,
    a figure lacks what is needed, or no trend can be fitted.
    """
    apart = PERIOD_MONTHS.get(metric.period, 12)
    chosen: list[Observation] = []
    for obs in reversed(observations[:-1]):  # from the latest back, so overlapping rolling periods are skipped
        if not chosen or month_index(chosen[-1].end) - month_index(obs.end) >= apart:
            chosen.append(obs)
    chosen.reverse()
    if len(chosen) < DISPERSION_MIN_FIGURES:
        return None
    months = [month_index(o.end) for o in chosen]
    if metric.unit == "count":
        if not all(_is_whole(o.value) and o.value >= 0 for o in chosen):  # type: ignore[operator]
            return None
        dispersion = trend_dispersion([int(o.value) for o in chosen], months)  # type: ignore[arg-type]
    else:
        if not all(_counts_of(o) for o in chosen):
            return None
        dispersion = trend_dispersion([int(o.numerator) for o in chosen], months,  # type: ignore[arg-type]
                                      [float(o.denominator) for o in chosen])  # type: ignore[arg-type]
    return None if dispersion is None else Variation(dispersion, len(chosen))


def _counts_of(observation: Observation) -> bool:
    """A rate's figure carries a whole numerator and a positive denominator."""
    n, d = observation.numerator, observation.denominator
    return n is not None and d is not None and n >= 0 and d > 0


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


def compare(metric: Metric, *, legacy: bool = False) -> Comparison | None:
    """Compare the latest usable observation with the same period a year earlier, or failing that the previous one.

    ``legacy`` judges as releases before the series' own variation was allowed for did (exact Poisson test
    alone, no allowance for seasons or the control chart), so What changed can tell a verdict that moved
    because the method changed from one that moved because the figures did.
    """
    return _compare(metric, None if legacy else spc_for(metric), legacy)


def _compare(metric: Metric, spc: Spc | None, legacy: bool = False) -> Comparison | None:
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

    result = _test(metric, observations, earlier, latest, legacy)
    verdict = verdict_for(result.p_value, result.direction, metric.polarity)
    seasonal = basis == BASIS_PREVIOUS and PERIOD_MONTHS.get(metric.period, 12) < 12
    reason = result.reason
    if not legacy:
        verdict, reason = _judged(verdict, reason, seasonal and result.dispersion is None, spc)

    return Comparison(
        end=earlier.end,
        value=a,
        change=_change(unit, a, b),
        change_percent=change_percent,
        change_points=change_points,
        test=result.test,
        p_value=None if result.p_value is None else round(result.p_value, 4),
        verdict=verdict,
        reason=reason,
        basis=basis,
        dispersion=result.dispersion,
        dispersion_figures=result.dispersion_figures,
        seasonal=seasonal and not legacy,
    )


def _test(metric: Metric, observations: Sequence[Observation], earlier: Observation, latest: Observation,
          legacy: bool) -> SignificanceResult:
    unit = metric.unit
    a, b = earlier.value, latest.value
    assert a is not None and b is not None
    variation = None if legacy or unit == "percent" else series_variation(metric, observations)
    if unit == "count":
        return _count_test(a, b, variation)
    if unit == "rate" and variation is not None and _counts_of(earlier) and _counts_of(latest):
        return _count_test(earlier.numerator, latest.numerator, variation,  # type: ignore[arg-type]
                           float(earlier.denominator), float(latest.denominator))  # type: ignore[arg-type]
    if unit in ("percent", "rate"):
        return _proportion_test(unit, earlier, latest)
    return SignificanceResult(None, None, 0, f"the unit {unit!r} has no test")


#: Which special cause on the control chart agrees with each verdict that calls a change.
_AGREEING_VARIATION = {"improvement": "improvement", "deterioration": "concern", "significant-change": "neutral"}


def _judged(verdict: str, reason: str | None, seasons_unknown: bool, spc: Spc | None) -> tuple[str, str | None]:
    """The verdict once seasons and the control chart have been heard, and the reason when either withholds it."""
    if verdict not in _AGREEING_VARIATION:
        return verdict, reason
    if seasons_unknown:
        return "not-assessable", (
            f"the series has too few earlier figures (at least {DISPERSION_MIN_FIGURES} are needed) to tell a change "
            f"from its usual ups and downs and the time of year")
    if spc is not None and spc.points[-1].variation != _AGREEING_VARIATION[verdict]:
        shown = spc.points[-1].variation
        chart = ("within the series' usual range (common-cause variation)" if shown == "common-cause"
                 else f"pointing another way ({VARIATION_LABELS[shown].lower()})")
        return "no-significant-change", (
            f"the test alone would call this change significant, but the measure's control chart shows the latest "
            f"figure {chart}, and a change is called only when both agree")
    return verdict, reason


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
    spc = spc_for(metric)
    return Assessment(
        id=metric.id,
        latest=observations[-1] if observations else None,
        comparison=_compare(metric, spc),
        spc=spc,
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
            "dispersion": c.dispersion,
            "dispersion_figures": c.dispersion_figures,
            "assumption": c.assumption,
            "seasonal": c.seasonal,
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
