"""Each evaluation's open data, `data/evaluations/<id>.json`: its design, counts and results, as the Data page lists
downloads; and each evaluation's result as at the build's date, which its pages show too.

May import `core` only, as every download does (site/publishing/__init__.py).
"""

from __future__ import annotations

import json
from datetime import date

from ...core.delivery import AsAt
from ...core.evaluation import Result, record
from ...core.model import Portal


def json_path(evaluation_id: str) -> str:
    return f"data/evaluations/{evaluation_id}.json"


def day_of(when: AsAt | None) -> date:
    """The build's as-at date (the release's board meeting, else the latest progress entry; never the clock)."""
    return date.fromisoformat(when.date) if when else date.max


def results_of(portal: Portal, when: AsAt | None) -> dict[str, Result]:
    """Each evaluation's result as at the build's date: whether it is planned, running or has results."""
    return {e.id: e.result(day_of(when)) for e in portal.evaluations}


def downloads(portal: Portal, when: AsAt | None) -> dict[str, tuple[bytes, str]]:
    """`data/evaluations/<id>.json` for each evaluation, as the Data page lists downloads."""
    results = results_of(portal, when)
    return {json_path(e.id): ((json.dumps(record(e, results[e.id]), indent=2, ensure_ascii=False) + "\n").encode(),
                              f"{e.title}: the evaluation's design, counts and results")
            for e in portal.evaluations}
