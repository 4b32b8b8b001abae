"""Embeddable pages: each measure's chart, headline, source and release on a page of its own (`embed/<measure>/`)
for a partner's <iframe>, and the snippet the measure's page offers to copy.

The page has no navigation, script or stylesheet to fetch: a frame on someone else's site should show the chart
and its facts at once, weigh little (the budget is 50 KB) and send its reader back to the portal for the rest.
"""

from __future__ import annotations

from mkdocs.utils import get_relative_url

from ...core import mark
from ...releases.current import LATEST
from ..publishing.citation import site_address
from ..templates import Markup, render
from .render import Measure, headline_paragraph

FOLDER = "embed"
BUDGET = 50 * 1024
FRAME_HEIGHT = 620  # CSS pixels: the chart, a four-line headline and the source without a scroll bar at 600 wide


def page_path(metric_id: str) -> str:
    """The embeddable page's address from the site's root."""
    return f"{FOLDER}/{metric_id}/"


def embed_page(measure: Measure, chart: str, site_name: str, release: str, licence: tuple[str, str]) -> str:
    """The whole HTML of the measure's embeddable page; `chart` is the accessible SVG the measure's page shows."""
    here = page_path(measure.metric.id)

    def link(target: str) -> str:
        return get_relative_url(target, here) if target else "."

    back = link(measure.url)
    html = render("embed_page.html", title=measure.metric.title, site_name=site_name, back=back,
                  headline=headline_paragraph(measure, link, back + "#caveats"), chart=Markup(chart),
                  source=measure.metric.source, release=release, licence=licence[0], licence_url=licence[1])
    return mark.stamp(str(html))


def snippet(measure: Measure, site_url: str | None, release: str, latest_url: str | None = None) -> Markup:
    """The copy-paste <iframe> for the measure's page, shown as text; the link after the frame is its text
    alternative. A release's page offers two: the newest release's frame (at `latest_url`, mike's `latest`
    alias), which follows every later release, and this release's, which stays as published."""
    frames = []
    if latest_url and release != LATEST:
        # its link cannot say a figure: the figure it shows will change with each release
        frames.append(("Always the newest release's chart (it changes when a new release is published):",
                       _frame(measure, latest_url, "the latest figure and chart")))
    frames.append((("This release's chart, which stays as it was published:" if release != LATEST else
                    "It stays up to date with the newest release:"), _frame(measure, site_url, measure.latest_words)))
    return render("embed_snippet.html", frames=frames)


def _frame(measure: Measure, site_url: str | None, words: str) -> str:
    return str(render("embed_frame.html", src=site_address(site_url, page_path(measure.metric.id)), title=measure.metric.title,
                      height=FRAME_HEIGHT, back=site_address(site_url, measure.url), latest=words))
