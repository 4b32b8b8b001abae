"""Statistical process control: an XmR chart with NHS England's "Making Data Count" special-cause rules.

Pure arithmetic on a sequence of values; which metrics get a chart is decided in `stats`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The XmR scaling constant (3 / d2 with d2 = 1.128 for moving ranges of two).
XMR_CONSTANT = 2.66
RULE_LENGTH = 7  # points in a trend or a run

SIGNALS = ("outside-limits", "trend", "run", "two-of-three")


@dataclass(frozen=True)
class XmrLimits:
    mean: float
    upper: float
    lower: float
    near_upper: float
    near_lower: float
    mean_moving_range: float


@dataclass(frozen=True)
class SpcPoint:
    end: str
    value: float | int
    signals: list[str] = field(default_factory=list)
    variation: str = "common-cause"  # a key of stats.VARIATION_LABELS


@dataclass(frozen=True)
class Spc:
    mean: float
    upper: float
    lower: float
    near_upper: float
    near_lower: float
    points: list[SpcPoint]



def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def xmr_limits(values: Sequence[float]) -> XmrLimits:
    """Mean, process limits and near ("two-thirds") limits of an XmR chart."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two values")
    mean = math.fsum(values) / len(values)
    moving_ranges = [abs(values[i] - values[i - 1]) for i in range(1, len(values))]
    mr_bar = math.fsum(moving_ranges) / len(moving_ranges)
    spread = XMR_CONSTANT * mr_bar
    near = spread * 2 / 3
    return XmrLimits(
        mean=mean,
        upper=mean + spread,
        lower=mean - spread,
        near_upper=mean + near,
        near_lower=mean - near,
        mean_moving_range=mr_bar,
    )


def _side(value: float, mean: float) -> int:
    return _sign(value - mean)


def _outside_limits(values: Sequence[float], limits: XmrLimits) -> list[bool]:
    return [v > limits.upper or v < limits.lower for v in values]


def _trends(values: Sequence[float], length: int = RULE_LENGTH) -> list[int]:
    """+1 / -1 for points in a run of ``length`` or more points each strictly
    higher / lower than the one before (the first point of the run included); 0 otherwise."""
    flags = [0] * len(values)
    for direction in (1, -1):
        start = 0
        for i in range(1, len(values) + 1):
            continues = i < len(values) and _sign(values[i] - values[i - 1]) == direction
            if continues:
                continue
            if i - start >= length:
                for j in range(start, i):
                    flags[j] = flags[j] or direction
            start = i
    return flags


def _runs(values: Sequence[float], mean: float, length: int = RULE_LENGTH) -> list[bool]:
    """Points in a run of ``length`` or more on the same side of the mean."""
    sides = [_side(v, mean) for v in values]
    flags = [False] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i < len(values) and sides[i] == sides[start]:
            continue
        if sides[start] != 0 and i - start >= length:
            for j in range(start, i):
                flags[j] = True
        start = i
    return flags


def _two_of_three(values: Sequence[float], limits: XmrLimits) -> list[bool]:
    """Points beyond a near limit (but within the limit) in a window of three
    consecutive points all on one side of the mean, two or more of them beyond it."""

    def near(v: float, side: int) -> bool:
        if side > 0:
            return limits.near_upper < v <= limits.upper
        return limits.lower <= v < limits.near_lower

    flags = [False] * len(values)
    for i in range(len(values) - 2):
        window = range(i, i + 3)
        sides = {_side(values[j], limits.mean) for j in window}
        if len(sides) != 1 or 0 in sides:
            continue
        side = sides.pop()
        beyond = [j for j in window if near(values[j], side)]
        if len(beyond) >= 2:
            for j in beyond:
                flags[j] = True
    return flags


def _variation(signals: list[str], side: int, trend: int, polarity: str) -> str:
    if not signals:
        return "common-cause"
    if polarity == "neutral":
        return "neutral"
    direction = side or trend
    if direction == 0:  # cannot happen for a flagged point, but be safe
        return "neutral"
    good = 1 if polarity == "higher-is-better" else -1
    return "improvement" if direction == good else "concern"


def xmr_chart(ends: Sequence[str], values: Sequence[float], polarity: str) -> Spc:
    """An XmR chart with the Making Data Count special-cause rules, for any number of points (>= 2)."""
    if len(ends) != len(values):
        raise ValueError("ends and values differ in length")
    limits = xmr_limits(values)
    outside = _outside_limits(values, limits)
    trends = _trends(values)
    runs = _runs(values, limits.mean)
    two_three = _two_of_three(values, limits)

    points = []
    for i, (end, value) in enumerate(zip(ends, values)):
        fired = (outside[i], trends[i] != 0, runs[i], two_three[i])
        signals = [name for name, on in zip(SIGNALS, fired) if on]
        variation = _variation(signals, _side(value, limits.mean), trends[i], polarity)
        points.append(SpcPoint(end=end, value=value, signals=signals, variation=variation))
    return Spc(
        mean=limits.mean,
        upper=limits.upper,
        lower=limits.lower,
        near_upper=limits.near_upper,
        near_lower=limits.near_lower,
        points=points,
    )
