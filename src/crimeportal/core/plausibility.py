"""Whether a new figure is unusual enough that an editor should look again before it is published.

One rule per kind of measure, the first that applies:

* a measure with control limits (its page draws an XmR chart: `stats.spc_for`) warns when the figure falls
  outside the control limits of the `PLAUSIBLE_BASELINE` figures before it (`spc.xmr_limits`, as the chart
  works them out). Not the chart's own limits over the whole series: a series that is only trending puts its
  latest figure outside those often (a third of the benchmark portal's measures), and a warning must mean
  "look again", not "this series moves". Twelve figures all the same have no limits: the next rule applies;
* a percentage warns when it moves more than `PLAUSIBLE_POINTS` points from the figure before it;
* any other measure warns when the figure is more than `PLAUSIBLE_FACTOR` times the median of up to
  `PLAUSIBLE_RECENT` figures before it, or less than that median divided by the factor (a typo such as
  1,702 for 17 or 170, or a figure for the wrong area, is what this catches; counts that move by fewer
  than `PLAUSIBLE_MIN_COUNT_CHANGE` are left alone, under either rule, since small counts jump by chance).

A figure with a note is never unusual: the note is where an editor says why it is right, and readers see it.
Pure arithmetic on the model; `source.validate` and `editing.add_period` say where the figure was written.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .conventions import PLAUSIBLE_BASELINE, PLAUSIBLE_FACTOR, PLAUSIBLE_MIN_COUNT_CHANGE, PLAUSIBLE_POINTS, PLAUSIBLE_RECENT
from .formats import format_change, format_value, period_words
from .model import Metric, Observation
from .spc import xmr_limits
from .stats import spc_drawn, usable_observations

RULE_LIMITS, RULE_POINTS, RULE_FACTOR = "limits", "points", "factor"


@dataclass(frozen=True)
class Unusual:
    """A figure that needs a second look, the rule it broke and the figures it was compared with."""

    figure: Observation
    rule: str  # RULE_LIMITS, RULE_POINTS or RULE_FACTOR
    compared: tuple[Observation, ...]
    lower: float  # below this, or above `upper`, the figure would have been unusual
    upper: float
    median: float | None = None  # RULE_FACTOR only


def unusual_latest(metric: Metric) -> Unusual | None:
    """Whether the metric's latest published figure is unusual, judged against the figures before it."""
    published = usable_observations(metric)
    return unusual_figure(metric, published[-1]) if published else None


# the most figures before a new one that any rule reads: the rest of a long series need not be looked at
FIGURES_READ_BEFORE = max(PLAUSIBLE_BASELINE, PLAUSIBLE_RECENT)


def unusual_figure(metric: Metric, figure: Observation) -> Unusual | None:
    """Whether `figure`, the last of `metric`'s observations up to it, is unusual; None when it is not (or has a note)."""
    before = [o for o in usable_observations(metric) if o.end < figure.end]
    return unusual_after(metric, figure, before[-FIGURES_READ_BEFORE:], len(before))


def unusual_after(metric: Metric, figure: Observation, recent: list[Observation], earlier: int) -> Unusual | None:
    """`unusual_figure` given the figures before it: `recent`, the last FIGURES_READ_BEFORE (or all) of the metric's
    published figures before it, in order, and `earlier`, how many there are in all. Checking each figure of a
    long series costs the same as checking one, where working the whole series out again for each was quadratic."""
    if figure.note or figure.value is None or figure.suppressed:
        return None
    before = recent[-FIGURES_READ_BEFORE:]
    if not before:
        return None
    baseline = before[-PLAUSIBLE_BASELINE:]
    if (spc_drawn(metric.period, earlier + 1) and len(baseline) == PLAUSIBLE_BASELINE
            and len({o.value for o in baseline}) > 1):  # figures all the same have no spread to set limits by
        return _limits(metric.unit, figure, baseline)
    if metric.unit == "percent":
        return _points(figure, before[-1])
    return _factor(metric.unit, figure, before[-PLAUSIBLE_RECENT:])


def _limits(unit: str, figure: Observation, baseline: list[Observation]) -> Unusual | None:
    assert figure.value is not None
    limits = xmr_limits([o.value for o in baseline if o.value is not None])
    if limits.lower <= figure.value <= limits.upper:
        return None
    if unit == "count" and abs(figure.value - limits.mean) < PLAUSIBLE_MIN_COUNT_CHANGE:
        return None
    return Unusual(figure, RULE_LIMITS, tuple(baseline), limits.lower, limits.upper)


def _points(figure: Observation, previous: Observation) -> Unusual | None:
    assert figure.value is not None and previous.value is not None
    lower, upper = previous.value - PLAUSIBLE_POINTS, previous.value + PLAUSIBLE_POINTS
    return Unusual(figure, RULE_POINTS, (previous,), lower, upper) if not lower <= figure.value <= upper else None


def _factor(unit: str, figure: Observation, recent: list[Observation]) -> Unusual | None:
    assert figure.value is not None
    median = statistics.median(o.value for o in recent if o.value is not None)
    lower, upper = median / PLAUSIBLE_FACTOR, median * PLAUSIBLE_FACTOR
    if lower <= figure.value <= upper:
        return None
    if unit == "count" and abs(figure.value - median) < PLAUSIBLE_MIN_COUNT_CHANGE:
        return None
    return Unusual(figure, RULE_FACTOR, tuple(recent), lower, upper, median)


def describe(unusual: Unusual, metric: Metric) -> str:
    """What is unusual, in words naming the figure by its period and the figures it was compared with: a sentence
    without its full stop, so that the caller can add how to confirm it."""
    unit, period = metric.unit, metric.period
    figure = _each(unusual.figure, unit, period)
    if unusual.rule == RULE_LIMITS:
        first, last = unusual.compared[0], unusual.compared[-1]
        return (f"{figure} is outside the control limits of the {len(unusual.compared)} figures before it, from "
                f"{_the(first.end, period)} to {_the(last.end, period)}: {_number(unusual.lower, unit)} to "
                f"{_number(unusual.upper, unit)}, worked out as the measure's SPC chart works out its limits")
    if unusual.rule == RULE_POINTS:
        previous = unusual.compared[0]
        moved = abs(unusual.figure.value - previous.value)  # type: ignore[operator]
        return (f"{figure} moves {format_change(round(moved, 2), unit)} from the figure before it, "
                f"{_each(previous, unit, period)} (more than {PLAUSIBLE_POINTS} points)")
    assert unusual.median is not None
    size = (f"more than {PLAUSIBLE_FACTOR} times" if unusual.figure.value > unusual.upper  # type: ignore[operator]
            else f"less than a {_fraction()} of")
    compared = [_each(o, unit, period) for o in unusual.compared]
    listed = compared[0] if len(compared) == 1 else ", ".join(compared[:-1]) + " and " + compared[-1]
    return f"{figure} is {size} the median, {_number(unusual.median, unit)}, of the figures before it ({listed})"


def _each(observation: Observation, unit: str, period: str) -> str:
    """'34 for the 3 months to July 2019'."""
    return f"{format_value(observation.value, unit)} {_for(observation.end, period)}"


def _for(end: str, period: str) -> str:
    return f"for {_the(end, period)}"


def _the(end: str, period: str) -> str:
    """'the 3 months to July 2019', or 'July 2019' for a single month."""
    return period_words(end, period) if period == "month" else f"the {period_words(end, period)}"


def _number(value: float, unit: str) -> str:
    return format_value(round(value, 2), unit)


def _fraction() -> str:
    return {2: "half", 3: "third", 4: "quarter"}.get(PLAUSIBLE_FACTOR, f"1/{PLAUSIBLE_FACTOR}th")
