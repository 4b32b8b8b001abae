"""A measure's chart as files to share: an SVG and a PNG that carry their own title, period, source and licence.

A partner who puts the chart on their own site or in a newsletter takes the image alone, so everything a reader
needs to trust it is drawn into the image itself rather than left on our page. The PNG is drawn from that SVG
by vl-convert (already the charts' renderer) at twice its size, readable on a high-density screen or in print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FOLDER = "charts"  # the site's folder of chart images, beside data/
PNG_SCALE = 2
MIN_WIDTH = 560  # narrower, and the source and licence lines would not fit beside each other's words
_HEAD = 58  # title and period
_FOOT = 52  # source and licence
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)"[^>]*?\bheight="([0-9.]+)"')


@dataclass(frozen=True)
class ChartCaption:
    title: str
    period: str  # the first and last periods drawn, "3 months to July 2018 – 3 months to July 2019"
    source: str
    licence: str  # the licence's name, as "Open Government Licence v3.0"
    release: str  # the release the chart is from, or "latest"


def file_stem(metric_id: str, release: str) -> str:
    """The downloads' name: the measure and the release, so files saved from two releases never collide."""
    return f"{metric_id}-{release}"


MAPS, DISTRICT_SERIES = "maps", "districts"  # sub-folders of FOLDER, so no measure's own chart can share a name


def district_paths(metric_id: str, release: str) -> dict[str, str]:
    """The measure's district map and small multiples as downloads: kind -> the path from the site's root,
    without the .svg or .png."""
    return {kind: f"{FOLDER}/{kind}/{file_stem(metric_id, release)}" for kind in (MAPS, DISTRICT_SERIES)}


def unlinked(svg: str) -> str:
    """A map without its districts' links, which lead nowhere from an image saved on its own."""
    return re.sub(r"</?a\b[^>]*>", "", svg)


def chart_size(svg: str) -> tuple[float, float]:
    """The chart's width and height in pixels, as the renderer wrote them on its root element."""
    found = _SIZE.search(svg)
    if found is None:
        raise ValueError("the chart's SVG does not say its size")
    return float(found.group(1)), float(found.group(2))


def framed_svg(chart_svg: str, caption: ChartCaption) -> str:
    """The chart with its title and period above it and its source and licence below, as one SVG."""
    width, height = chart_size(chart_svg)
    outer_width = max(width, MIN_WIDTH)
    outer_height = _HEAD + height + _FOOT
    nested = chart_svg.replace("<svg", f'<svg x="{(outer_width - width) / 2:g}" y="{_HEAD}"', 1)
    lines = [
        _text(12, 24, 16, "bold", caption.title),
        _text(12, 46, 13, "normal", f"Periods shown: {caption.period}. Release: {caption.release}."),
        _text(12, _HEAD + height + 20, 12, "normal", f"Source: {caption.source}"),
        _text(12, _HEAD + height + 40, 12, "normal", f"Licence: {caption.licence}"),
    ]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{outer_width:g}" height="{outer_height:g}" '
            f'viewBox="0 0 {outer_width:g} {outer_height:g}" role="img" aria-label={quoteattr(caption.title)}>'
            f'<title>{escape(caption.title)}</title><rect width="100%" height="100%" fill="white"/>'
            + "".join(lines) + nested + "</svg>")


def _text(x: float, y: float, size: int, weight: str, words: str) -> str:
    return (f'<text x="{x}" y="{y}" font-family="Liberation Sans, Arial, sans-serif" font-size="{size}" '
            f'font-weight="{weight}" fill="#1a1a1a">{escape(words)}</text>')


def png(svg: str) -> bytes:
    """The SVG drawn as a PNG at PNG_SCALE times its size."""
    import vl_convert  # imported here: the pages that only show SVG need not load the renderer

    return vl_convert.svg_to_png(svg, scale=PNG_SCALE)
