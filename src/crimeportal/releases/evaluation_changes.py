"""What the published releases say about each evaluation: which results are new in this release, and which
release first published each design.

An evaluation's result is news once: the release whose data first carries it. The earlier release's
`data/evaluations/<id>.json` says what it showed; an earlier release without the file (before evaluations, or
before this one was registered) showed no result.

A release's data is also the public record of when a design was fixed: the first release whose JSON carries the
design as it now stands (question, design, months, areas, crime and expected effect all the same) published it.
A design changed since counts from the first release with the change, so areas chosen once results were coming
in are never dated by an earlier release that had none; a design changed and then changed back counts from its
return.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

from ..core.evaluation import Evaluation, PublishedIn, record
from .register import Release

DESIGN_FIELDS = ("question", "design", "before", "after", "expected", "groups", "crime")


def evaluation_json(version: str, evaluation_id: str) -> str:
    """Where a release publishes an evaluation, from the published site's root."""
    return f"{version}/data/evaluations/{evaluation_id}.json"


def new_results(published_before: Callable[[str], bytes | None], evaluations: list[Evaluation]) -> list[dict[str, Any]]:
    """The records of evaluations with results now whose earlier release's JSON showed none."""
    found = []
    for evaluation in evaluations:
        # whether the results are in depends on the counts alone, never on the date
        result = evaluation.result(date.max)
        if result.status != "results":
            continue
        earlier = published_before(evaluation.id)
        try:
            shown = json.loads(earlier).get("status") if earlier else None
        except (ValueError, AttributeError):  # a file this version did not write: say it is new rather than fail
            shown = None
        if shown != "results":
            found.append(record(evaluation, result))
    return found


def published_new_results(read: Callable[[str], bytes | None], earlier: str, later: str) -> list[dict[str, Any]]:
    """For the feed's earlier releases: the evaluations the later release published with results that the
    earlier one did not, found through the later release's data package (its list of every download)."""
    package = read(f"{later}/datapackage.json")
    try:
        paths = [r["path"] for r in json.loads(package)["resources"]] if package else []
    except (ValueError, KeyError, TypeError):
        return []
    found = []
    for path in paths:
        if not (isinstance(path, str) and path.startswith("data/evaluations/") and path.endswith(".json")):
            continue
        evaluation_id = path.removeprefix("data/evaluations/").removesuffix(".json")
        try:
            now = json.loads(read(evaluation_json(later, evaluation_id)) or b"null")
            before = json.loads(read(evaluation_json(earlier, evaluation_id)) or b"null")
        except ValueError:
            continue
        if isinstance(now, dict) and now.get("status") == "results" and (
                not isinstance(before, dict) or before.get("status") != "results"):
            found.append(now)
    return found


def first_publications(published_before: Callable[[str, str], bytes | None], earlier: list[Release],
                       current: Release | None, evaluations: list[Evaluation]) -> dict[str, PublishedIn]:
    """Evaluation id -> the first release (of `earlier`, oldest first, then `current`, the release being built)
    that published its design as it now stands. `published_before(version, id)` reads a release's JSON."""
    found = {}
    for evaluation in evaluations:
        design = _design(json.loads(json.dumps(record(evaluation, evaluation.result(date.max)))))
        # the oldest of the latest releases that all published this design: a design changed and changed back
        # is dated from its return, never from its first outing
        release = current
        for earlier_release in reversed(earlier):
            if _published_design(published_before(earlier_release.version, evaluation.id)) != design:
                break
            release = earlier_release
        if release is not None:
            found[evaluation.id] = PublishedIn(release.name, date.fromisoformat(release.published))
    return found


def _design(published: Any) -> dict[str, Any] | None:
    return {name: published.get(name) for name in DESIGN_FIELDS} if isinstance(published, dict) else None


def _published_design(raw: bytes | None) -> dict[str, Any] | None:
    try:
        return _design(json.loads(raw)) if raw else None
    except ValueError:  # a file this version did not write dates nothing
        return None
