"""What each release changed since the one before it, for the feed of releases.

The release being built is compared by `current.prepare` already; every earlier pair is compared here from
the data both published on the gh-pages branch, as the What changed page of the later one did.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.conventions import ACTIONS_JSON
from .changes import Changes, compare, compare_actions
from .evaluation_changes import published_new_results
from .current import PUBLISHED_METRICS, PUBLISHED_STRANDS, ReleaseBuild
from .git import published_ref, read_published
from .register import Release, version_key


def releases_so_far(build: ReleaseBuild) -> list[Release]:
    """The releases a build's feed lists: all of them in a preview, those up to itself in a release."""
    if build.version is None:
        return list(build.register)
    return [r for r in build.register if version_key(r.version) <= version_key(build.version)]


def changes_by_release(root: Path, build: ReleaseBuild) -> dict[str, Changes | None]:
    """Release version -> what it changed since the release before it (None when that cannot be read)."""
    releases = releases_so_far(build)
    ref = published_ref(root) if len(releases) > 1 else None
    found: dict[str, Changes | None] = {}
    for earlier, later in zip(releases, releases[1:]):
        if later.version == build.version:
            found[later.version] = build.changes
        else:
            found[later.version] = _published_changes(root, ref, earlier.version, later.version)
    return found


def _published_changes(root: Path, ref: str | None, earlier: str, later: str) -> Changes | None:
    before, after = (read_published(root, ref, f"{v}/{PUBLISHED_METRICS}") for v in (earlier, later))
    if before is None or after is None:
        return None
    strands_before, strands_after = (read_published(root, ref, f"{v}/{PUBLISHED_STRANDS}") for v in (earlier, later))
    actions_before, actions_after = (read_published(root, ref, f"{v}/{ACTIONS_JSON}") for v in (earlier, later))
    try:
        changes = compare(json.loads(before), json.loads(after),
                          json.loads(strands_before) if strands_before and strands_after else None,
                          json.loads(strands_after) if strands_after else [])
        if actions_before and actions_after:
            changes.actions = compare_actions(json.loads(actions_before), json.loads(actions_after))
        changes.evaluation_results = published_new_results(lambda path: read_published(root, ref, path), earlier, later)
        return changes
    except (ValueError, KeyError, TypeError):  # a release's files are not as this version writes them: say less
        return None
