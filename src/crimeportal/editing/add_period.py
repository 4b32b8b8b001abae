"""`add-period`: a CSV's figures checked in full, then put into their metric files, every file or none.

The CSV is read and each row checked on its own (`figures_csv`); then, per metric, the figures' periods are
checked against the file's (`plan_changes`); then each file is changed in memory (`yaml_edit`), and the
changed files are checked as they would be before any is written (`files`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ..core.commands import option
from ..core.conventions import METRIC_SUFFIX, METRICS_DIR
from ..core.formats import figure_words
from ..core.model import Metric, Observation
from ..core.plausibility import FIGURES_READ_BEFORE, describe, unusual_after
from ..core.stats import usable_observations
from ..core.problems import Problem, count_words
from ..source.validate import load_portal
from . import EditRefused
from .figures_csv import Figure, Row, check_row, read_rows
from .files import problems_if_written, shown_path, write_all
from ..core.conventions import PLACEHOLDER_NOTE
from .yaml_edit import MetricDocument, open_metric

Action = Literal["add", "revise", "same"]  # "same": the figure is already there as given
Plan = list[tuple[Action, Figure]]


@dataclass
class MetricChange:
    """What add-period did to one metric file, by period."""

    metric_id: str
    path: Path
    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced_placeholder: bool = False


@dataclass
class PeriodUpdate:
    """What add-period wrote, and what the portal's checks said afterwards."""

    changes: list[MetricChange] = field(default_factory=list)
    problems_after: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # unusual new figures, at their lines in the CSV


def add_period(root: Path, csv_path: Path, *, revise: bool = False, check: bool = False,
               strict_warnings: bool = False) -> PeriodUpdate:
    """Add (or with `revise`, change) the figures in a CSV: every row checked, then every file written, or none.

    Raises `EditRefused`, with every problem found, when anything stops the change; no file is touched then.
    With `check`, everything is checked and planned exactly the same, and nothing is written. Unusual new
    figures are warnings, returned with the changes; with `strict_warnings` they refuse the change too.
    """
    rows = read_rows(csv_path, shown_path(csv_path, root))
    portal, problems = load_portal(root)
    metrics = {m.id: m for m in portal.metrics}
    broken = {Path(p.file).stem for p in problems if p.file.startswith(METRICS_DIR.as_posix() + "/")}
    figures, found = _checked(rows, metrics, broken)
    plans, period_problems = plan_changes(figures, metrics, revise)
    if found + period_problems:
        raise EditRefused.because(sorted(found + period_problems))
    warnings = unusual_new_figures(plans, metrics)
    if warnings and strict_warnings:
        raise EditRefused(f"{count_words(warnings, 'warning')}, which --strict-warnings makes fail: give each unusual "
                          "figure a note saying why it is right, or correct it.", warnings)
    changes, edits, found = _edited(root, plans)
    found += problems_if_written(root, {document.shown_as: after for document, after in edits})
    if found:
        raise EditRefused.because(sorted(found))
    if check:
        return PeriodUpdate(changes, [], warnings)
    write_all(root, {document.path: after for document, after in edits})
    return PeriodUpdate(changes, load_portal(root)[1], warnings)


CONFIRM_IN_CSV = ("If it is right, give the row a note saying why (in the note column; readers see it beside the "
                  "figure) and this warning stops; if it is not, correct the CSV.")


def unusual_new_figures(plans: dict[str, Plan], metrics: dict[str, Metric]) -> list[Problem]:
    """A warning at the CSV's line for each figure to be added or revised that is unusual (core.plausibility)."""
    warnings = []
    for metric_id, plan in plans.items():
        metric = metrics[metric_id]
        new = {figure.end: (figure, _observation(figure)) for action, figure in plan if action != "same"}
        kept = [] if _is_placeholder(metric) else [o for o in metric.observations if o.end not in new]
        after = replace(metric, observations=sorted(kept + [o for _, o in new.values()], key=lambda o: o.end))
        published = usable_observations(after)  # once per metric: each figure reads only the few before it
        place = {o.end: i for i, o in enumerate(published)}
        for figure, observation in new.values():
            at = place.get(observation.end, 0)  # a withheld figure is never unusual, wherever it stands
            unusual = unusual_after(after, observation, published[max(0, at - FIGURES_READ_BEFORE):at], at)
            if unusual is not None:
                warnings.append(figure.row.problem("value", f"{metric_id}: {describe(unusual, after)}. {CONFIRM_IN_CSV}"))
    return sorted(warnings)


def _observation(figure: Figure) -> Observation:
    fields = {key: figure.values.get(key) for key in ("value", "note", "numerator", "denominator")}
    return Observation(end=figure.end, suppressed=bool(figure.values.get("suppressed")), **fields)


def _checked(rows: list[Row], metrics: dict[str, Metric], broken: set[str]) -> tuple[list[Figure], list[Problem]]:
    figures, problems = [], []
    for row in rows:
        figure, found = check_row(row, metrics, broken)
        problems += found
        if figure:
            figures.append(figure)
    return figures, problems


def plan_changes(figures: list[Figure], metrics: dict[str, Metric], revise: bool) -> tuple[dict[str, Plan], list[Problem]]:
    """For each metric, what to do with each figure, and the problems with their periods."""
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    by_metric: dict[str, list[Figure]] = {}
    for figure in figures:  # one pass: a CSV's rows are grouped by metric in linear time, however many metrics
        by_metric.setdefault(figure.metric, []).append(figure)
    for metric_id, its_figures in by_metric.items():
        plans[metric_id], found = _plan(metric_id, its_figures, metrics[metric_id], revise)
        problems += found
    return plans, problems


def _plan(metric_id: str, figures: list[Figure], metric: Metric, revise: bool) -> tuple[Plan, list[Problem]]:
    existing = {} if _is_placeholder(metric) else {o.end: o for o in metric.observations}
    latest = max(existing, default=None)
    seen: dict[str, int] = {}
    plan: Plan = []
    problems: list[Problem] = []
    for figure in sorted(figures, key=lambda f: (f.end, f.line)):
        if figure.end in seen:
            problems.append(figure.row.problem("end", f"{metric_id} has another row for {_named(figure.end, metric)} "
                                                      f"on line {seen[figure.end]}: give each period once"))
            continue
        seen[figure.end] = figure.line
        old = existing.get(figure.end)
        if old is not None and not revise and _same(figure, old):
            plan.append(("same", figure))  # already there, as when the same file is added twice
        elif old is not None and not revise:
            problems.append(figure.row.problem("end", f"{metric_id} already has {_named(figure.end, metric)}, "
                                                      f"{_shown(old.value)}: to change it, run add-period again with "
                                                      f"{option('--revise')}"))
        elif old is not None:
            action, problem = _revision(figure, old)
            plan.append((action, figure))
            problems += [problem] if problem else []
        elif latest is not None and figure.end < latest:
            also = (f" ({option('--revise')} changes figures already there, and {metric_id} has none for "
                    f"{figure.end})") if revise else ""
            problems.append(figure.row.problem("end", f"{figure.end} comes before {metric_id}'s latest figure, "
                                                      f"{_named(latest, metric)}: new figures can only be added after "
                                                      f"it{also}"))
        else:
            plan.append(("add", figure))
    return plan, problems


def _is_placeholder(metric: Metric) -> bool:
    only = metric.observations
    return len(only) == 1 and only[0].suppressed and only[0].note == PLACEHOLDER_NOTE


def _named(end: str, metric: Metric) -> str:
    """'the figure for the 3 months to July 2019 (2019-07)': the period as readers see it, and as the CSV gives it."""
    return f"{figure_words(end, metric.period)} ({end})"


def _shown(value: Any) -> str:
    return "withheld" if value is None else f"{value}"


def _revision(figure: Figure, old: Observation) -> tuple[Action, Problem | None]:
    """Whether the revised figure changes anything; it is marked revised either way."""
    status = figure.values.get("status")
    problem = None
    if status not in (None, "revised"):
        problem = figure.row.problem("status", f"a changed figure is marked revised; leave status empty or write revised, not '{status}'")
    same = _same(figure, old)
    figure.values["status"] = "revised"
    return ("same" if same else "revise"), problem


def _same(figure: Figure, old: Observation) -> bool:
    return (figure.values["value"] == old.value and bool(figure.values.get("suppressed")) == old.suppressed
            and all(figure.values[k] == getattr(old, k) for k in ("note", "numerator", "denominator") if k in figure.values))


def _edited(root: Path, plans: dict[str, Plan]) -> tuple[list[MetricChange], list[tuple[MetricDocument, str]], list[Problem]]:
    """Each metric file changed in memory: what changed, the files whose text is new, and the files that cannot be changed."""
    changes, edits, problems = [], [], []
    for metric_id, plan in plans.items():
        path = root / METRICS_DIR / f"{metric_id}{METRIC_SUFFIX}"
        document = open_metric(path, shown_path(path, root))
        if isinstance(document, Problem):
            problems.append(document)
            continue
        changes.append(_apply(metric_id, document, plan))
        after = document.text()
        if after != document.before:
            edits.append((document, after))
    return changes, edits, problems


def _apply(metric_id: str, document: MetricDocument, plan: Plan) -> MetricChange:
    change = MetricChange(metric_id, document.path)
    observations = document.observations
    if plan and plan[0][0] == "add" and len(observations) == 1 and observations[0].get("note") == PLACEHOLDER_NOTE:
        observations.pop(0)
        change.replaced_placeholder = True
    for action, figure in plan:
        if action == "add":
            document.add(figure.values)
            change.added.append(figure.end)
        elif action == "revise":
            document.revise(figure.end, figure.values)
            change.revised.append(figure.end)
        else:
            change.unchanged.append(figure.end)
    return change
