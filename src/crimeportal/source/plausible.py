"""Warnings about unusual latest figures (`core.plausibility`), at the line where each was written.

A warning fails nothing unless `--strict-warnings` is given; a note on the figure silences it.
"""

from __future__ import annotations

from pathlib import Path

from ..core.model import Metric
from ..core.plausibility import Unusual, describe, unusual_latest
from ..core.problems import Problem, field_name
from .load import parse_yaml, read_text

CONFIRM_IN_FILE = ("If it is right, add a note to this figure saying why (a line 'note: ...' under its value; readers "
                   "see it beside the figure) and this warning stops; if it is not, correct it.")


def unusual_figure_warnings(metrics: list[tuple[Metric, str]]) -> list[Problem]:
    """One warning for each metric (with the name it is shown by) whose latest figure is unusual."""
    warnings = []
    for metric, shown_as in metrics:
        unusual = unusual_latest(metric)
        if unusual is not None:
            warnings.append(_located(metric, shown_as, unusual))
    return warnings


def _located(metric: Metric, shown_as: str, unusual: Unusual) -> Problem:
    index = next(i for i, o in enumerate(metric.observations) if o.end == unusual.figure.end)
    where = ("observations", index, "value")
    line, column = _where(metric.path, shown_as, where)
    return Problem(shown_as, line, column, field_name(where), f"{describe(unusual, metric)}. {CONFIRM_IN_FILE}")


def _where(path: Path | None, shown_as: str, where: tuple[str | int, ...]) -> tuple[int, int]:
    """The figure's line: read again only for the rare metric warned about (loading keeps top-level lines only)."""
    if path is None:
        return 1, 1
    source = read_text(path, shown_as)
    document, _ = parse_yaml(source.text, shown_as) if source.text is not None else (None, [])
    return document.locate(where) if document is not None else (1, 1)
