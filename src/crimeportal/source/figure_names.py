"""Problems that point into a metric's figures name the figure by its period, as editors think of it.

`observations[1].value` is how the checks find a value; an editor looks for "the figure for the 3 months to
July 2019". The problems are found with paths, and renamed here once the file's figures are known.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..core.conventions import MONTH_PATTERN
from ..core.formats import figure_words, ordinal
from ..core.model import PERIODS
from ..core.problems import Problem

_FIGURE_FIELD = re.compile(r"^observations\[(?P<index>[0-9]+)\](\.(?P<rest>.+))?$")


def figure_name(data: Any, index: int) -> str:
    """'the figure for the 3 months to July 2019', or 'the 2nd figure' when its period cannot be read."""
    observations = data.get("observations") if isinstance(data, dict) else None
    period = data.get("period") if isinstance(data, dict) else None
    ends = [o.get("end") if isinstance(o, dict) else None for o in observations] if isinstance(observations, list) else []
    end = ends[index] if index < len(ends) else None
    if not (isinstance(end, str) and MONTH_PATTERN.match(end)):
        return f"the {ordinal(index + 1)} figure"
    name = figure_words(end, period if period in PERIODS else "month")
    if ends.count(end) > 1:  # two figures for one period: say which of them
        name += f" (the {ordinal(index + 1)} figure in the file)"
    return name


def name_figures(problems: list[Problem], data: Any) -> list[Problem]:
    """The same problems, each one about a figure naming it by its period instead of its place in the list."""
    named = []
    for problem in problems:
        match = _FIGURE_FIELD.match(problem.field)
        if match:
            name = figure_name(data, int(match["index"]))
            problem = replace(problem, field=f"{match['rest']} in {name}" if match["rest"] else name)
        named.append(problem)
    return named
