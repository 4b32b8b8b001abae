"""The records a release publishes of its measures, strands and actions (data/all-metrics.json, strands.json,
actions.json): what readers download, and what a later release's What changed compares with.

Plain data from the model; the downloads (site/publishing) write them, and the releases read them back.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .model import Action, Metric, Observation, Strand
from .stats import ASSESSMENT_FIELD, assess, assessment_to_dict


def metric_record(metric: Metric) -> dict[str, Any]:
    """The metric as its YAML file holds it, defaults filled in, without build-only fields."""
    # shallow copies rather than dataclasses.asdict, whose deep copying dominates a large build's downloads
    record = {f.name: getattr(metric, f.name) for f in fields(Metric) if f.name not in ("path", "observations")}
    record["caveats"] = list(metric.caveats)
    record["observations"] = [_observation_record(o) for o in metric.observations]
    if metric.areas_add_up is None:  # a measure without figures by area publishes exactly what it did before
        del record["areas_add_up"]
    return record


def published_record(metric: Metric) -> dict[str, Any]:
    """The metric's record with how this release judged its latest change (test, dispersion, p-value, verdict),
    so readers can check the verdict and a later release's What changed knows what this one said."""
    judged = assessment_to_dict(assess(metric))
    return {**metric_record(metric), ASSESSMENT_FIELD: {"latest": judged["latest"], "comparison": judged["comparison"]}}


def _observation_record(observation: Observation) -> dict[str, Any]:
    """The observation as its file holds it: figures by area as a mapping, and only when it has them."""
    record = dict(vars(observation))
    if observation.areas:
        record["areas"] = dict(observation.areas)
    else:
        del record["areas"], record["not_located"]
    return record


def strand_record(strand: Strand) -> dict[str, Any]:
    """What a later release's "What changed" page needs to know about a strand."""
    return {"id": strand.id, "title": strand.title, "status": strand.status, "order": strand.order}


def action_record(action: Action) -> dict[str, Any]:
    """The action as its file holds it, every progress entry included; what later releases compare with."""
    record: dict[str, Any] = {"id": action.id, "title": action.title, "strand": action.strand, "area": action.area,
                              "category": action.category, "owner": action.owner, "start": action.start,
                              "due": action.due, "outcome": action.outcome}
    record["progress"] = [{"as_at": p.as_at, "status": p.status, "note": p.note} for p in action.progress]
    return record
