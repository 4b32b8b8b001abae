"""What changed between two releases, worked out from the data each published for download."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

@dataclass(frozen=True)
class FigureChange:
    metric: dict[str, Any]  # the metric's record in the newer release
    old: dict[str, Any] | None  # the observation as the earlier release published it
    new: dict[str, Any] | None


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

    @property
    def anything(self) -> bool:
        return any((self.added_metrics, self.removed_metrics, self.new_figures, self.revised, self.withdrawn,
                    self.restatused, self.details, self.strands_added, self.strands_removed, self.strands_restatused))


_FIGURE_FIELDS = ("value", "numerator", "denominator", "suppressed")
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


def _compare_strands(before: list[dict[str, Any]], after: list[dict[str, Any]], changes: Changes) -> None:
    old = {s["id"]: s for s in before}
    new_ids = {s["id"] for s in after}
    changes.strands_added = [s for s in after if s["id"] not in old]
    changes.strands_removed = [s for s in before if s["id"] not in new_ids]
    changes.strands_restatused = [(old[s["id"]], s) for s in after if s["id"] in old and old[s["id"]]["status"] != s["status"]]

