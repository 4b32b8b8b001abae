"""The Atom feed of releases, `feed.xml`: one entry per release, newest first, each with its title, its
date and what it changed in a sentence, linking to that release's What changed page.

A feed reader subscribed to `latest/feed.xml` (every page's head links to it) hears of each new release.
The XML comes from an autoescaping template, so a release's title can only ever be text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...releases.changes import Changes
from ...releases.current import LATEST, ReleaseBuild
from ...releases.register import Release
from .publication import Publication
from ..templates import render

FEED = "feed.xml"
# What XML 1.0 cannot hold at all, escaped or not: C0 controls but tab and line ends, lone surrogates, U+FFFE
# and U+FFFF. One such character (Word's manual line break is U+000B) made the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CHANGES_PATH = "what-changed/"


@dataclass(frozen=True)
class Entry:
    title: str
    updated: str  # RFC 3339, as Atom asks
    link: str
    summary: str
    id: str  # for ever the same for this entry of this feed, and no other feed's


@dataclass(frozen=True)
class FeedHead:
    """What a feed is about, and where: the feed of releases, or a strand's or an area's (site/pages/topic_feeds.py)."""

    title: str
    subtitle: str
    path: str  # the feed, from the site's root
    page: str  # the page it follows, from the site's root


def feed_xml(build: ReleaseBuild, releases: list[Release], changes: dict[str, Changes | None], site_name: str,
             publication: Publication, fallback_date: str) -> bytes:
    """The feed of `releases` (oldest first); `fallback_date` (YYYY-MM-DD) dates a feed with no release yet."""
    previous = {later.version: earlier for earlier, later in zip(releases, releases[1:])}
    link = {r.version: release_address(build, r.version, CHANGES_PATH) for r in releases}
    entries = [Entry(r.title, instant(r.published), link[r.version], summary(changes.get(r.version), previous.get(r.version)),
                     link[r.version])
               for r in reversed(releases)]
    head = FeedHead(f"{site_name}: new releases", "Each release of the portal, with what it changed.", FEED, "")
    return atom(build, head, entries, publication, fallback_date)


def atom(build: ReleaseBuild, head: FeedHead, entries: list[Entry], publication: Publication, fallback_date: str) -> bytes:
    """An Atom feed of `entries` (newest first), as `latest` publishes it: its own address and its page's are
    `latest`'s, which go on hearing of new releases."""
    entries = [replace(e, title=xml_text(e.title), summary=xml_text(e.summary)) for e in entries]
    updated = entries[0].updated if entries else instant(fallback_date)
    rights = xml_text(f"{publication.licence.name}. {publication.licence.attribution}")
    return render("feed.xml", title=xml_text(head.title), subtitle=xml_text(head.subtitle), entries=entries,
                  updated=updated, publisher=xml_text(publication.publisher), rights=rights,
                  self_link=release_address(build, LATEST, head.path),
                  home=release_address(build, LATEST, head.page)).encode() + b"\n"


def xml_text(text: str) -> str:
    """Text as XML can hold it. Titles are refused with such characters where they are written (the register,
    `publish --title`); this is the writer's own guarantee, for text that reached it some other way."""
    return _NOT_XML.sub("", text)


def release_address(build: ReleaseBuild, version: str, path: str) -> str:
    """A page of a release (or of `latest`) as a full address when the site has one, else from this build's root."""
    root = build.site_root if build.site_root else "../"
    return f"{root}{version}/{path}"


def instant(date: str) -> str:
    return f"{date}T00:00:00Z"


def summary(changes: Changes | None, previous: Release | None) -> str:
    """What a release changed, as a sentence."""
    if previous is None:
        return "The first release of the portal."
    if changes is None:
        return f"What changed since the {previous.title} is listed on this release's What changed page."
    if not changes.anything:
        return f"Nothing changed since the {previous.title}."
    counts = [(len(changes.new_figures), "new figure", "new figures"),
              (len(changes.revised), "figure revised", "figures revised"),
              (len(changes.withdrawn), "figure withdrawn", "figures withdrawn"),
              (len(changes.added_metrics), "new measure", "new measures"),
              (len(changes.removed_metrics), "measure removed", "measures removed"),
              (len(changes.restatused), "figure with a new status", "figures with a new status"),
              (len(changes.details), "measure with changed details", "measures with changed details"),
              (len(changes.strands_added) + len(changes.strands_removed) + len(changes.strands_restatused),
               "change to the strands", "changes to the strands"),
              (len(changes.actions.added), "new action", "new actions"),
              (len(changes.actions.restatused), "action with a new status", "actions with a new status"),
              (len(changes.actions.due_moved), "due date moved", "due dates moved"),
              (len(changes.evaluation_results), "evaluation with results", "evaluations with results")]
    words = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"Since the {previous.title}: {listed}."
