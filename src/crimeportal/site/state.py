"""A build's state: what `on_config` learns, told once, and the per-build caches the later events fill.

MkDocs calls the hooks one event at a time, and `mkdocs serve` builds many times in one process, so
everything a build knows lives in one `PortalBuild`, stored in that build's config and nowhere else.
Its fields come in three groups, each filled at one moment:

* **known after loading** (`on_config`, all at once, before any page): the checked portal and its
  problems, the files it leaves unpublished, the release being built, the publication settings, the
  measures with their assessments, the chart jobs, the downloads and the feeds;
* **planned when the files are known** (`on_files`): in a live preview, which pages this build rebuilds;
* **kept while pages are written** (each page's events): each measure's table and figures by district,
  worked out once for every page that shows them.

`PageContext` is one page being filled in, handed to the block fillers (`block_content`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable

from mkdocs.utils import get_relative_url

from ..core.conventions import AREAS_REGISTER
from ..core.delivery import AsAt
from ..core.model import Metric, Portal
from ..core.problems import Problem
from ..releases.current import ReleaseBuild
from ..source.reuse import FileResults
from . import preview
from .blocks import UnknownBlock
from .charts.drawing import Charts
from .pages import districts, render
from .pages.topic_feeds import TopicFeed
from .publishing.citation import Citation, site_address
from .publishing.open_data import OpenData
from .publishing.publication import Publication


@dataclass
class PortalBuild:
    # known after loading: on_config makes the whole object at once
    root: Path
    portal: Portal
    problems: list[Problem]  # only in a live preview, which shows them on every page
    unpublished: set[str]  # pages of drafts, and content/ files a build drops
    metric_ids: list[str]  # every metric file's name, loaded or not: a live preview shows each one's problems
    releases: ReleaseBuild | None  # the version being published, and what changed since the last
    publication: Publication  # mkdocs.yml's licence and contact settings
    site_name: str
    site_url: str | None  # this build's own address (a release's folder, once the release is known)
    abbreviations: str  # the glossary's abbreviation lines, added to every page
    plan_as_at: AsAt  # the date the delivery plan is shown as at: never the clock
    makes_board_pack: bool  # not under `mkdocs serve`, nor with CRIMEPORTAL_BOARD_PACK=off
    session: preview.PreviewSession | None  # a live preview's, kept between its builds (see preview.py)
    measures: dict[str, render.Measure] = field(default_factory=dict)  # none when the files have problems
    charts: Charts | None = None  # None in a live preview of files with problems
    downloads: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    feed: bytes = b""
    topic_feeds: dict[str, TopicFeed] = field(default_factory=dict)  # by the page's source path
    # planned when the files are known (on_files)
    changes: preview.Changes | None = None  # in a live preview, which pages this build rebuilds
    # kept while pages are written
    tables: dict[str, str] = field(default_factory=dict)  # metric id -> its table, made once for every page
    by_district: dict[str, "districts.DistrictFigures | None"] = field(default_factory=dict)  # see district_figures

    @property
    def release_name(self) -> str:
        """The release this build is, as files named by release carry it: "latest" for a build that is none."""
        return self.releases.version if self.releases and self.releases.version else "latest"

    def citation(self, title: str, path: str) -> Citation:
        """How to cite `title`, found at `path` from the site's root: the one format used everywhere."""
        current_release = self.releases.current if self.releases else None
        return Citation(self.publication.publisher, title, self.site_name, current_release, site_address(self.site_url, path))

    def open_data(self) -> OpenData:
        return OpenData(self.publication, self.citation(self.site_name, ""),
                        lambda metric: self.citation(metric.title, self.measures[metric.id].url), self.plan_as_at)

    def district_figures(self, metric: Metric) -> districts.DistrictFigures | None:
        """A measure's latest figures by district, worked out once per build for its page and every area's."""
        if metric.id not in self.by_district:
            self.by_district[metric.id] = district_figures(metric, self.portal, self.root, self.reuse)
        return self.by_district[metric.id]

    @property
    def reuse(self) -> FileResults | None:
        return self.session.results if self.session else None

    def table(self, metric_id: str) -> str:
        if metric_id not in self.tables:
            self.tables[metric_id] = render.data_table(self.measures[metric_id])
        return self.tables[metric_id]

    @cached_property
    def download_sizes(self) -> dict[str, int]:
        return {path: len(content) for path, (content, _) in self.downloads.items()}


def district_figures(metric: Metric, portal: Portal, root: Path, reuse: FileResults | None) -> districts.DistrictFigures | None:
    """A measure's latest figures by district, which depend on it and the areas register alone."""
    make = functools.partial(districts.district_figures, metric, portal, portal.area_name)
    if reuse is None:
        return make()
    return reuse.derived(metric, ("district figures", reuse.digest(root / AREAS_REGISTER)), make)


def metric_work(reuse: FileResults | None) -> Callable:
    """What open_data calls to work out a value from one metric: afresh, or kept by a live preview."""
    if reuse is None:
        return lambda metric, what, make: make()
    return reuse.derived


@dataclass(frozen=True)
class PageContext:
    """One page being filled in: the build it belongs to, and where the page is."""

    state: PortalBuild
    page_url: str
    site_name: str
    site_url: str | None

    def link(self, target: str) -> str:
        """`target`, a URL from the site's root, as a link from this page."""
        return get_relative_url(target, self.page_url or ".") if target else "."

    def measure(self, metric_id: str) -> render.Measure:
        if metric_id not in self.state.measures:
            raise UnknownBlock(f"A page asks for the measure {metric_id!r}, which this build does not have.")
        return self.state.measures[metric_id]
