"""A feed for each strand and each area, beside its page (`strands/<id>/feed.xml`, `areas/<id>/feed.xml`): the
releases that changed that strand's measures, verdicts, actions or evaluations, or that area's figures and
actions, each saying what changed and linking to the release's What changed page at its first such section.

A feed sits in its page's own folder so that its address is the page's with `feed.xml` on the end, as the feed of
releases is the site's with `feed.xml` on the end. Each release's changes are worked out once, for the feed of
releases and What changed alike; here they are only kept to the strand's or area's own (releases/scope.py).
The first release is in no such feed: it changed nothing, having nothing before it (the feed of releases has it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.model import Portal
from ...releases.changes import Changes
from ...releases.current import LATEST, ReleaseBuild
from ...releases.register import Release
from ...releases.scope import Concerns, area_concerns, only, strand_concerns
from ..publishing.feed import CHANGES_PATH, Entry, FeedHead, atom, instant, release_address, summary
from ..publishing.publication import Publication
from ..templates import Markup, render
from . import area_pages, districts
from .render import table as render_table
from .what_changed import first_section

FEED_FILE = "feed.xml"
_NAMES_LISTED = 5  # of the measures or actions an entry names; the What changed page lists the rest


@dataclass(frozen=True)
class Topic:
    """A strand or an area a reader may follow."""

    name: str
    source: str  # its page as MkDocs reads it, under content/ or generated: "strands/<id>.md"
    page: str  # its page's address from the site's root: "strands/<id>/"
    follows: str  # what its feed lists, after "Each release that changed"
    concerns: Concerns

    @property
    def path(self) -> str:
        return self.page + FEED_FILE

    @property
    def link_title(self) -> str:
        return f"Updates for {self.name}"


@dataclass(frozen=True)
class TopicFeed:
    topic: Topic
    xml: bytes


@dataclass(frozen=True)
class ReleaseHistory:
    """Every release a build's feeds list (oldest first), and what each changed (None: it could not be read)."""

    releases: list[Release]
    changes: dict[str, Changes | None]


def topics(portal: Portal) -> list[Topic]:
    """Every strand and every area with a page, in the order the site lists them."""
    strands = [Topic(s.title, f"strands/{s.id}.md", f"strands/{s.id}/",
                     f"the measures, verdicts, actions or evaluations of the {s.title} strand", strand_concerns(s.id))
               for s in portal.strands]
    areas = [Topic(a.name, area_pages.page_path(a.id), districts.area_page(a.id),
                   f"the figures or actions for {a.name}", area_concerns(area_pages.area_ids(a), districts.district_ids(a)))
             for a in area_pages.with_pages(portal)]
    return strands + areas


def topic_feeds(portal: Portal, build: ReleaseBuild, history: ReleaseHistory, site_name: str, publication: Publication,
                fallback_date: str) -> dict[str, TopicFeed]:
    """Each strand's and area's feed, by its page's source path; `fallback_date` dates a feed with no entry."""
    made = {}
    for topic in topics(portal):
        head = FeedHead(f"{topic.name}: updates from the {site_name}", f"Each release that changed {topic.follows}.",
                        topic.path, topic.page)
        made[topic.source] = TopicFeed(topic, atom(build, head, entries(topic, build, history), publication, fallback_date))
    return made


def entries(topic: Topic, build: ReleaseBuild, history: ReleaseHistory) -> list[Entry]:
    """The releases that changed something of the topic's, newest first."""
    found = []
    for earlier, later in reversed(list(zip(history.releases, history.releases[1:]))):
        changes = history.changes.get(later.version)
        ours = only(changes, topic.concerns) if changes is not None else None
        if ours is not None and not ours.anything:
            continue
        anchor = first_section(ours) if ours is not None else ""
        found.append(Entry(later.title, instant(later.published),
                           release_address(build, later.version, CHANGES_PATH) + anchor,
                           _words(ours, earlier), f"{release_address(build, LATEST, topic.path)}#{later.version}"))
    return found


def _words(changes: Changes | None, earlier: Release) -> str:
    """The release's counts of changes, as the feed of releases says them, then what they were to."""
    named = [] if changes is None else [
        ("Measures", _titles([*changes.added_metrics, *changes.removed_metrics,
                               *(c.metric for c in changes.new_figures + changes.revised + changes.withdrawn + changes.restatused),
                               *(m for m, _ in changes.details), *(v.metric for v in changes.verdicts)])),
        ("Actions", _titles([*changes.actions.added,
                              *(c.new for c in changes.actions.restatused + changes.actions.due_moved)])),
        ("Evaluations", _titles(changes.evaluation_results))]
    return " ".join([summary(changes, earlier), *(f"{label}: {titles}." for label, titles in named if titles)])


def _titles(records: list[dict]) -> str:
    """Each record's title once, in the order first named: the first few, and how many more."""
    titles = list(dict.fromkeys(str(r.get("title", "")) for r in records))
    listed = "; ".join(titles[:_NAMES_LISTED])
    more = len(titles) - _NAMES_LISTED
    return f"{listed}; and {more:,} more" if more > 0 else listed


def latest_href(path: str, page_url: str) -> str:
    """A feed's address from a page of a release: `latest`'s, which goes on hearing of new releases (the head's
    link to every feed follows the same rule, in overrides/main.html)."""
    return f"{'../' * page_url.count('/')}../{LATEST}/{path}"


def subscribe_link(topic: Topic, href: str) -> Markup:
    return render("topic_feed_link.html", subject=topic.name, href=href)


def feeds_table(rows: list[tuple[str, str, str]]) -> Markup:
    """The Data page's list of every feed: (address from the page, the feed's name, what it lists)."""
    cells = [render("feed_row.html", href=href, subject=name, follows=follows) for href, name, follows in rows]
    return render_table("Every feed", [("Feed", False), ("What it lists", False)], cells)
