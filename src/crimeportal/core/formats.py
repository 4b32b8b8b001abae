"""Numbers and periods as a UK reader expects them: 1,948; 46.28%; 3 months to July 2019."""

from __future__ import annotations

import calendar
from functools import lru_cache

PERIOD_WORDS = {
    "month": "Each figure covers one calendar month.",
    "quarter": "Each figure covers a quarter (3 months).",
    "rolling-3-months": ("Each figure covers 3 months, and a new one can be published every month, so figures "
                         "less than 3 months apart share months. Figures a year apart, as the headline compares, "
                         "share none."),
    "financial-year": "Each figure covers a financial year (April to March).",
    "year": "Each figure covers 12 months.",
}
UNIT_WORDS = {
    "count": "a count (a whole number)",
    "percent": "a percentage (0 to 100)",
    "rate": "a rate per 1,000 population",
}


def month_name(end: str) -> str:
    year, month = end.split("-")
    return f"{calendar.month_name[int(month)]} {year}"


def long_date(iso: str) -> str:
    """'2019-09-12' -> '12 September 2019'."""
    year, month, day = iso.split("-")
    return f"{int(day)} {calendar.month_name[int(month)]} {year}"


@lru_cache(maxsize=8192)  # a pure function called for every row of every table; the cache cannot go stale
def period_words(end: str, period: str) -> str:
    """The period an observation covers, in words: '3 months to July 2019'."""
    year, month = (int(part) for part in end.split("-"))
    if period == "month":
        return month_name(end)
    if period in ("quarter", "rolling-3-months"):
        return f"3 months to {month_name(end)}"
    if period == "financial-year" and month == 3:
        return f"financial year {year - 1}/{str(year)[2:]}"
    if period == "year" and month == 12:
        return f"year {year}"
    return f"12 months to {month_name(end)}"


def in_period(end: str, period: str) -> str:
    """'in the 3 months to July 2019', or 'in July 2019' for a single month."""
    return f"in {period_words(end, period)}" if period == "month" else f"in the {period_words(end, period)}"


def _number(value: float | int, places: int = 2) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")


def format_value(value: float | int | None, unit: str) -> str:
    if value is None:
        return "withheld"
    if unit == "percent":
        return f"{_number(value)}%"
    return _number(value)


def format_change(change: float | int, unit: str) -> str:
    """A change's size without its sign, in the unit readers expect for it."""
    size = abs(change)
    if unit == "percent":
        return f"{_number(size)} percentage point" + ("" if size == 1 else "s")
    return _number(size)


def format_percent(value: float) -> str:
    return f"{abs(value):,.1f}%"


def ordinal(number: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def figure_words(end: str, period: str) -> str:
    """How an editor's message names one figure: 'the figure for the 3 months to July 2019'."""
    return f"the figure for {in_period(end, period).removeprefix('in ')}"
