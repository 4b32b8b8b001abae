"""What one build knows about releases: which release it is (or that it is a preview), and what changed since the last.

The previous release's data is read back from the gh-pages branch mike wrote,
so nothing else needs storing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Mapping

from ..core.conventions import REGISTER
from ..core.model import Portal
from ..core.problems import format_problems
from ..core.conventions import ACTIONS_JSON
from ..core.records import action_record, metric_record, strand_record
from .changes import Changes, compare, compare_actions
from ..core.evaluation import PublishedIn
from .evaluation_changes import evaluation_json, first_publications, new_results
from .errors import ReleaseBuildError
from .git import PAGES_BRANCH, REMOTE, published_ref, read_published
from .register import Release, read_register, version_key

# ReleaseBuildError is here too because `prepare` raises it and the build catches it beside the call
__all__ = ["LATEST", "MIKE_VERSION_ENV", "VERSION_ENV", "ReleaseBuild", "ReleaseBuildError", "canonical", "prepare",
           "published_metrics", "release_site_url", "site_root", "template_data"]

VERSION_ENV = "CRIMEPORTAL_VERSION"  # set by `crimeportal publish` for the build mike runs
MIKE_VERSION_ENV = "MIKE_DOCS_VERSION"  # set by mike itself for that build
LATEST = "latest"  # mike's alias for the newest release
PUBLISHED_METRICS, PUBLISHED_STRANDS = "data/all-metrics.json", "data/strands.json"  # in each release's folder
_CANONICAL = re.compile(r'[ \t]*<link rel="canonical" href="[^"]*">\n?')


@dataclass
class ReleaseBuild:
    """What one build knows about releases: the version it is (None for a preview) and what changed."""

    version: str | None
    register: list[Release]
    previous: Release | None
    changes: Changes | None  # None when there was nothing to compare with, or its data could not be read
    site_root: str | None  # the public address of the gh-pages branch, from site_url
    # evaluation id -> the first release that published its design as it stands (this one, for a new design)
    first_published: dict[str, PublishedIn] = field(default_factory=dict)

    @property
    def current(self) -> Release | None:
        return next((r for r in self.register if r.version == self.version), None)

    def dated(self, portal: Portal) -> Portal:
        """The portal with each evaluation's first publication in a release, which can register its design."""
        return replace(portal, evaluations=[replace(e, published_in=self.first_published.get(e.id))
                                            for e in portal.evaluations])


def prepare(root: Path, portal: Portal, site_url: str | None, environ: Mapping[str, str] | None = None) -> ReleaseBuild:
    """Read the register and the previous release's data for this build; raise with a plain message if a release cannot be built."""
    environ = os.environ if environ is None else environ
    register = read_register(root)
    if register.problems:
        raise ReleaseBuildError(f"The release register has problems; nothing was built.\n{format_problems(register.problems, 'text')}",
                                register.problems)
    version = environ.get(VERSION_ENV) or None
    if version and register.find(version) is None:
        raise ReleaseBuildError(f"{VERSION_ENV} is {version}, but {REGISTER.as_posix()} has no release {version}; "
                                "publish with `crimeportal publish`, which adds it first.")
    previous = register.before(version)
    changes = None
    if previous is not None:
        changes = _changes_since(root, previous, portal)
        if changes is None and version:
            raise ReleaseBuildError(f"cannot say what changed since release {previous.version}: its {PUBLISHED_METRICS} "
                                    f"is not on the {PAGES_BRANCH} branch. Fetch it (git fetch {REMOTE} {PAGES_BRANCH}:{PAGES_BRANCH}).")
    build = ReleaseBuild(version, register.releases, previous, changes, site_root(site_url, environ.get(MIKE_VERSION_ENV)))
    build.first_published = _first_publications(root, build, portal)
    return build


def published_metrics(root: Path, version: str) -> bytes | None:
    """A published release's data/all-metrics.json, which What changed compares with; None when it cannot be read."""
    return read_published(root, published_ref(root), f"{version}/{PUBLISHED_METRICS}")


def _changes_since(root: Path, previous: Release, portal: Portal) -> Changes | None:
    ref = published_ref(root)
    metrics = read_published(root, ref, f"{previous.version}/{PUBLISHED_METRICS}")
    if metrics is None:
        return None
    strands = read_published(root, ref, f"{previous.version}/{PUBLISHED_STRANDS}")
    changes = compare(json.loads(metrics), [metric_record(m) for m in portal.metrics],
                      json.loads(strands) if strands else None, [strand_record(s) for s in portal.strands])
    actions = read_published(root, ref, f"{previous.version}/{ACTIONS_JSON}")  # releases before delivery plans have none
    changes.actions = compare_actions(json.loads(actions) if actions else None, [action_record(a) for a in portal.actions])
    changes.evaluation_results = new_results(lambda i: read_published(root, ref, evaluation_json(previous.version, i)),
                                             portal.evaluations)
    return changes


def _first_publications(root: Path, build: ReleaseBuild, portal: Portal) -> dict[str, PublishedIn]:
    if not portal.evaluations:
        return {}
    earlier = [r for r in build.register if build.previous is not None and version_key(r.version) <= version_key(build.previous.version)]
    ref = published_ref(root) if earlier else None
    return first_publications(lambda version, i: read_published(root, ref, evaluation_json(version, i)), earlier,
                              build.current, portal.evaluations)


def site_root(site_url: str | None, mike_version: str | None) -> str | None:
    """The address of the whole published site; mike has already put its version on the end of site_url."""
    if not site_url:
        return None
    bare = site_url.rstrip("/")
    if mike_version and bare.endswith("/" + mike_version):
        bare = bare[: -len(mike_version)]
    return bare.rstrip("/") + "/"


def release_site_url(build: ReleaseBuild) -> str | None:
    """site_url for a release: its own folder, so sitemaps and citations give the frozen release's addresses."""
    return f"{build.site_root}{build.version}/" if build.site_root and build.version else None


def template_data(build: ReleaseBuild) -> dict[str, str] | None:
    current = build.current
    if current is None:
        return None
    return {"version": current.version, "name": current.name, "title": current.title}


def canonical(html: str, page_url: str, build: ReleaseBuild) -> str:
    """Point a release page's canonical link at the same page in `latest`; a preview is not the published site, so it has none."""
    end = html.find("</head>")  # the link is in the head: leave the (long) body unsearched
    end = len(html) if end < 0 else end
    head, body = html[:end], html[end:]
    if build.version is None or build.site_root is None:
        return _CANONICAL.sub("", head) + body
    link = f'<link rel="canonical" href="{escape(build.site_root + LATEST + "/" + page_url)}">\n'
    return _CANONICAL.sub(lambda _: link, head, count=1) + body
