"""What changed between two releases, worked out from the data each published for download."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..core.model import Metric, Observation, observation_of
from ..core.stats import ASSESSMENT_FIELD, Comparison, compare as compare_latest, usable_observations

@dataclass(frozen=True)
class FigureChange:
    metric: dict[str, Any]  # the metric's record in the newer release
    old: dict[str, Any] | None  # the observation as the earlier release published it
    new: dict[str, Any] | None


@dataclass(frozen=True)
class VerdictChange:
    """A measure whose headline verdict differs from the earlier release's, with both comparisons behind it."""

    metric: dict[str, Any]  # the metric's record in the newer release
    old: Comparison | None
    new: Comparison | None
    old_latest: Observation | None  # the latest figure each release compared
    new_latest: Observation | None
    method_changed: bool = False  # the earlier release's figures, judged the way this release judges, get another verdict


@dataclass
class Changes:
    """How one set of published data differs from an earlier one."""

    added_metrics: list[dict[str, Any]] = field(default_factory=list)
    removed_metrics: list[dict[str, Any]] = field(default_factory=list)
    new_figures: list[FigureChange] = field(default_factory=list)
    revised: list[FigureChange] = field(default_factory=list)
    withdrawn: list[FigureChange] = field(default_factory=list)
    restatused: list[FigureChange] = field(default_factory=list)
    details: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)
    strands_added: list[dict[str, Any]] = field(default_factory=list)
    strands_removed: list[dict[str, Any]] = field(default_factory=list)
    strands_restatused: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    strands_compared: bool = True
    verdicts: list[VerdictChange] = field(default_factory=list)
    actions: "ActionChanges" = field(default_factory=lambda: ActionChanges())
    evaluation_results: list[dict[str, Any]] = field(default_factory=list)  # evaluations with results new in this release

    @property
    def anything(self) -> bool:
        return any((self.added_metrics, self.removed_metrics, self.new_figures, self.revised, self.withdrawn,
                    self.restatused, self.details, self.verdicts, self.strands_added, self.strands_removed, self.strands_restatused,
                    self.actions.anything, self.evaluation_results))


@dataclass(frozen=True)
class ActionChange:
    """One action in both releases, as data/actions.json published it in each."""

    old: dict[str, Any]
    new: dict[str, Any]

    @property
    def old_status(self) -> str:
        return latest_status(self.old)

    @property
    def new_status(self) -> str:
        return latest_status(self.new)


@dataclass
class ActionChanges:
    """How the delivery plan moved between two releases: new actions, new statuses and moved due dates."""

    compared: bool = False  # False when the earlier release published no delivery plan to compare with
    added: list[dict[str, Any]] = field(default_factory=list)
    restatused: list[ActionChange] = field(default_factory=list)
    due_moved: list[ActionChange] = field(default_factory=list)

    def now(self, status: str) -> list[ActionChange]:
        """The actions that reached `status` since the earlier release (complete, delayed, stopped...)."""
        return [c for c in self.restatused if c.new_status == status]

    @property
    def anything(self) -> bool:
        return bool(self.added or self.restatused or self.due_moved)


def latest_status(record: dict[str, Any]) -> str:
    progress = record.get("progress") or []
    last = progress[-1] if isinstance(progress, list) and progress and isinstance(progress[-1], dict) else {}
    return str(last.get("status") or "planned")


def compare_actions(before: list[dict[str, Any]] | None, after: list[dict[str, Any]]) -> ActionChanges:
    """Compare two releases' data/actions.json; an earlier release without one is not compared at all."""
    if not isinstance(before, list):
        return ActionChanges()
    old = {a["id"]: a for a in before if isinstance(a, dict) and "id" in a}
    changes = ActionChanges(compared=True)
    for action in after:
        earlier = old.get(action["id"])
        if earlier is None:
            changes.added.append(action)
            continue
        change = ActionChange(earlier, action)
        if change.old_status != change.new_status:
            changes.restatused.append(change)
        if earlier.get("due") != action.get("due"):
            changes.due_moved.append(change)
    return changes


_FIGURE_FIELDS = ("value", "numerator", "denominator", "suppressed", "areas", "not_located")
_DETAIL_FIELDS = ("title", "strand", "description", "unit", "polarity", "period", "source", "caveats")


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]],
            strands_before: list[dict[str, Any]] | None, strands_after: list[dict[str, Any]]) -> Changes:
    """Compare two releases' all-metrics records (and strand records, when the earlier release published them)."""
    changes = Changes()
    old = {m["id"]: m for m in before}
    new = {m["id"]: m for m in after}
    changes.added_metrics = [m for m in after if m["id"] not in old]
    changes.removed_metrics = [m for m in before if m["id"] not in new]
    for metric in after:
        if metric["id"] in old:
            _compare_metric(old[metric["id"]], metric, changes)
    if strands_before is None:
        changes.strands_compared = False
    else:
        _compare_strands(strands_before, strands_after, changes)
    return changes


def _compare_metric(old: dict[str, Any], new: dict[str, Any], changes: Changes) -> None:
    was = {o["end"]: o for o in old["observations"]}
    now = {o["end"]: o for o in new["observations"]}
    for end, observation in now.items():
        earlier = was.get(end)
        if earlier is None:
            changes.new_figures.append(FigureChange(new, None, observation))
        elif any(earlier.get(f) != observation.get(f) for f in _FIGURE_FIELDS):
            changes.revised.append(FigureChange(new, earlier, observation))
        elif earlier.get("status") != observation.get("status"):
            changes.restatused.append(FigureChange(new, earlier, observation))
    changes.withdrawn += [FigureChange(new, o, None) for end, o in was.items() if end not in now]
    changed = [name for name in _DETAIL_FIELDS if old.get(name) != new.get(name)]
    if changed:
        changes.details.append((new, changed))
    verdict = verdict_change(old, new)
    if verdict is not None:
        changes.verdicts.append(verdict)


_METRIC_FIELDS = {f.name for f in fields(Metric)} - {"path", "observations"}
_OBSERVATION_FIELDS = {f.name for f in fields(Observation)}


def _as_metric(record: dict[str, Any]) -> Metric | None:
    """A published record as a Metric, so it is assessed exactly as its release assessed it; None if it cannot be."""
    try:
        observations = [observation_of({k: v for k, v in o.items() if k in _OBSERVATION_FIELDS})
                        for o in record["observations"]]
        return Metric(**{k: v for k, v in record.items() if k in _METRIC_FIELDS}, observations=observations)
    except (KeyError, TypeError, AttributeError):  # an earlier release's records may lack fields: nothing to say
        return None


def verdict_change(old: dict[str, Any], new: dict[str, Any]) -> VerdictChange | None:
    """Both releases' headline comparisons when their verdicts differ; None when they agree or cannot be worked out."""
    before, after = _as_metric(old), _as_metric(new)
    if before is None or after is None:
        return None
    # a release's records carry the assessment it published from when the series' own variation was allowed for;
    # an earlier release's are judged again as it judged them, so a verdict moved by the new method is told apart
    judged_before = ASSESSMENT_FIELD in old
    try:
        was, now = compare_latest(before, legacy=not judged_before), compare_latest(after)
        rejudged = was if judged_before else compare_latest(before)
    except (ValueError, TypeError, AttributeError):  # figures an earlier release published that cannot be tested
        return None
    if _verdict(was) == _verdict(now):
        return None
    return VerdictChange(new, was, now, _latest(before), _latest(after), method_changed=_verdict(rejudged) != _verdict(was))


def _verdict(comparison: Comparison | None) -> str | None:
    return comparison.verdict if comparison else None


def _latest(metric: Metric) -> Observation | None:
    usable = usable_observations(metric)
    return usable[-1] if usable else None


def _compare_strands(before: list[dict[str, Any]], after: list[dict[str, Any]], changes: Changes) -> None:
    old = {s["id"]: s for s in before}
    new_ids = {s["id"] for s in after}
    changes.strands_added = [s for s in after if s["id"] not in old]
    changes.strands_removed = [s for s in before if s["id"] not in new_ids]
    changes.strands_restatused = [(old[s["id"]], s) for s in after if s["id"] in old and old[s["id"]]["status"] != s["status"]]

