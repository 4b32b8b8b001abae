"""What one release changed for one strand or one area: the release's `Changes`, kept to what concerns it.

The feeds a reader follows for their own strand or area (site/pages/topic_feeds.py) list only the releases whose
changes, so filtered, hold anything. The changes are worked out once for the whole release, as What changed
shows them; this only chooses among them, so a strand's or an area's feed can never say more than that page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from .changes import ActionChange, ActionChanges, Changes, FigureChange

Record = dict[str, Any]  # a published record: a measure, a strand, an action or an evaluation
Test = Callable[[Record], bool]


def _never(_: object) -> bool:
    return False


@dataclass(frozen=True)
class Concerns:
    """Which changes concern one strand or area, one test per kind of record a release's changes name."""

    measure: Test  # a measure added or removed
    figure: Callable[[FigureChange], bool]  # a figure new, revised, withdrawn or with a new status
    headline: Test  # a measure's details or its headline verdict (both the whole force's)
    action: Test
    strand: Test = _never
    evaluation: Test = _never


def strand_concerns(strand_id: str) -> Concerns:
    """A strand's measures, its actions, its evaluations and the strand itself."""
    def ours(record: Record) -> bool:
        return record.get("strand") == strand_id

    return Concerns(measure=ours, figure=lambda change: ours(change.metric), headline=ours, action=ours,
                    strand=lambda record: record.get("id") == strand_id, evaluation=ours)


def area_concerns(area_ids: frozenset[str], district_ids: frozenset[str]) -> Concerns:
    """An area's actions (`area_ids`: a partnership's own and its districts') and the figures of its districts.

    A measure's verdict is the whole force's, so it is not an area's news; a figure is, when the area's own count
    in it is new, changed or gone."""
    def has_figures(record: Record) -> bool:
        return any(_district_counts(o, district_ids) for o in record.get("observations") or [])

    def figure(change: FigureChange) -> bool:
        # the area's own counts, new, changed or gone; a force figure revised around them, or a status alone, is not
        return _district_counts(change.old, district_ids) != _district_counts(change.new, district_ids)

    return Concerns(measure=has_figures, figure=figure, headline=_never,
                    action=lambda record: record.get("area") in area_ids)


def _district_counts(observation: Record | None, district_ids: frozenset[str]) -> dict[str, Any]:
    areas = (observation or {}).get("areas")
    return {d: areas[d] for d in district_ids if d in areas} if isinstance(areas, dict) else {}


def only(changes: Changes, concerns: Concerns) -> Changes:
    """The changes that concern one strand or area; the rest of the release's changes are left out."""
    def figures(found: list[FigureChange]) -> list[FigureChange]:
        return [c for c in found if concerns.figure(c)]

    def moved(found: list[ActionChange]) -> list[ActionChange]:
        return [c for c in found if concerns.action(c.new)]

    actions = changes.actions
    return replace(
        changes,
        added_metrics=[m for m in changes.added_metrics if concerns.measure(m)],
        removed_metrics=[m for m in changes.removed_metrics if concerns.measure(m)],
        new_figures=figures(changes.new_figures), revised=figures(changes.revised),
        withdrawn=figures(changes.withdrawn), restatused=figures(changes.restatused),
        details=[(m, names) for m, names in changes.details if concerns.headline(m)],
        verdicts=[v for v in changes.verdicts if concerns.headline(v.metric)],
        strands_added=[s for s in changes.strands_added if concerns.strand(s)],
        strands_removed=[s for s in changes.strands_removed if concerns.strand(s)],
        strands_restatused=[(old, new) for old, new in changes.strands_restatused if concerns.strand(new)],
        actions=ActionChanges(actions.compared, [a for a in actions.added if concerns.action(a)],
                              moved(actions.restatused), moved(actions.due_moved)),
        evaluation_results=[r for r in changes.evaluation_results if concerns.evaluation(r)])
