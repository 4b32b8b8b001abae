"""A map of the districts shaded by a rate: an Altair spec that the chart workers render to SVG like the others.

Each district is a link to its page that works by keyboard (an SVG `<a>` with its own name), and is
labelled on the map. The boundaries are generalised here to well under a pixel, so the map costs tens of
kilobytes rather than the source file's hundreds. The shapes are projected here too (equirectangular,
corrected for latitude: at a county's size it cannot be told from Mercator), so that labels can be kept
apart in the same pixels the renderer draws.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from ...core.model import Shape

Ring = list[tuple[float, float]]

WIDTH = 460  # the map itself; the legend sits beside it, and narrow screens scroll it (see portal.css)
PADDING = 8
LABEL_SIZE, LABEL_HEIGHT, CHAR_WIDTH = 13, 16, 7.2  # CSS px; the width of an average character of the label font
NO_FIGURE = "#D9D9D9"
SCHEME = "blues"  # one hue, light to dark: the order reads the same in greyscale and in either colour scheme
TOLERANCE = 0.6  # px: simplification no reader can see


@dataclass(frozen=True)
class MapArea:
    code: str  # ONS code, as in the boundaries
    name: str
    href: str  # the district's page, relative to the page the map is on
    rate: float | None  # None: no figure for this district
    words: str  # what the district's link says to a screen reader: name, rate and comparison


@dataclass(frozen=True)
class PreparedMap:
    """The districts projected, generalised and labelled once per build; each map only shades them."""

    features: dict[str, list]  # ONS code -> polygons in pixels
    labels: list[dict]  # {x, y, name}
    height: float


def prepare_map(names: dict[str, str], shapes: dict[str, Shape]) -> PreparedMap | None:
    """`names`: each district's name by ONS code, in the order the register gives them."""
    projected, height = _project({code: shapes[code] for code in names if code in shapes})
    if not projected:
        return None
    return PreparedMap(projected, _labels(names, projected, height), height)


def map_spec(prepared: PreparedMap, areas: list[MapArea], legend_title: str) -> dict:
    import altair as alt

    features = [_feature(prepared, a.code, rate=a.rate) for a in areas if a.code in prepared.features]
    top = max([a.rate for a in areas if a.rate is not None], default=1) or 1
    shaded = alt.Chart(alt.Data(values=[f for f in features if f["properties"]["rate"] is not None]))
    unshaded = alt.Chart(alt.Data(values=[f for f in features if f["properties"]["rate"] is None]))
    layers = [
        shaded.mark_geoshape(stroke="white", strokeWidth=1).encode(
            color=alt.Color("properties.rate:Q", title=legend_title, scale=alt.Scale(scheme=SCHEME, domain=[0, top]),
                            legend=alt.Legend(titleFontSize=LABEL_SIZE, labelFontSize=LABEL_SIZE, gradientLength=160,
                                              titleLimit=160, format=",.1f")),
            href="properties.link:N").project(**_IDENTITY),
        unshaded.mark_geoshape(stroke="white", strokeWidth=1, fill=NO_FIGURE).encode(
            href="properties.link:N").project(**_IDENTITY),
    ]
    return _finished(layers, prepared)


def groups_map_spec(prepared: PreparedMap, group_of: dict[str, str], groups: list[tuple[str, str]]) -> dict:
    """The districts coloured by the group each is in (`group_of`: ONS code -> group name); `groups`: each
    group's name and colour, in the legend's order. A district in no group is grey."""
    import altair as alt

    features = [_feature(prepared, code, group=group_of.get(code, OUTSIDE)) for code in prepared.features]
    names = [name for name, _ in groups] + [OUTSIDE]
    colour = alt.Color("properties.group:N", title=None, sort=names,
                       scale=alt.Scale(domain=names, range=[c for _, c in groups] + [NO_FIGURE]),
                       legend=alt.Legend(labelFontSize=LABEL_SIZE, labelLimit=200))
    layer = alt.Chart(alt.Data(values=features)).mark_geoshape(stroke="white", strokeWidth=1).encode(
        color=colour, href="properties.link:N").project(**_IDENTITY)
    return _finished([layer], prepared)


OUTSIDE = "Not in the evaluation"
_IDENTITY = {"type": "identity", "scale": 1, "translate": [0, 0]}  # the shapes are in pixels already: no fitting


def _feature(prepared: PreparedMap, code: str, **properties: object) -> dict:
    return {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": prepared.features[code]},
            "properties": {**properties, "link": _token(code)}}


def _finished(layers: list, prepared: PreparedMap) -> dict:
    """The districts' names over the shapes, and the map's size and look."""
    import altair as alt

    for halo in (True, False):  # a white outline under each label keeps it readable on the darkest shade
        mark = alt.Chart(alt.Data(values=prepared.labels)).mark_text(
            fontSize=LABEL_SIZE, color="#0B0C0C", **({"stroke": "white", "strokeWidth": 3, "strokeJoin": "round"} if halo else {}))
        layers.append(mark.encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None), text="name:N"))
    return alt.layer(*layers).properties(width=WIDTH, height=prepared.height).configure_view(stroke=None).configure(
        font="Arial, Helvetica, sans-serif", background="white", padding=4).to_dict(validate=False)


def linked(svg: str, areas: list[MapArea], name: str) -> str:
    """The rendered map as the page shows it: a named group of links, one per district."""
    by_token = {_token(a.code): a for a in areas}

    def link(match: re.Match) -> str:
        area = by_token[match.group(1)]
        return f'<a href="{html.escape(area.href)}" aria-label="{html.escape(area.words)}"><title>{html.escape(area.words)}</title>'

    svg = re.sub(r'<\?xml[^>]*>\s*', "", svg)
    # the links carry the names; the renderer's roles and labels on every path would repeat or hide them
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"', "", svg)
    svg = re.sub(r'<a xlink:href="[^"]*?(portal-area-[A-Z][0-9]{8})">', link, svg)
    svg = tenths(svg)
    head_end = svg.index(">") + 1
    head = svg[:head_end].replace(' class="', ' class="portal-map ', 1).replace("<svg ", f'<svg role="group" aria-label="{html.escape(name)}" ', 1)
    return head + svg[head_end:]


def tenths(svg: str) -> str:
    """Shapes drawn to a tenth of a pixel, finer than any screen shows; the renderer writes thousandths."""
    return re.sub(r' d="[^"]*"', lambda m: re.sub(r"(\d+\.\d)\d+", r"\1", m.group(0)), svg)


def _token(code: str) -> str:
    return f"portal-area-{code}"  # replaced by the page's own link once drawn; the renderer rewrites links it is given


def _project(shapes: dict[str, Shape]) -> tuple[dict[str, list], float]:
    points = [p for shape in shapes.values() for polygon in shape for p in polygon[0]]
    if not points:
        return {}, 0.0
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * PADDING) / max((east - west) * squeeze, 1e-9)
    height = round((north - south) * scale + 2 * PADDING, 1)

    def to_pixels(ring: Ring) -> list[list[float]]:
        pixels = [((lon - west) * squeeze * scale + PADDING, (north - lat) * scale + PADDING) for lon, lat in ring]
        # outer rings run clockwise on the screen, as the renderer's spherical geometry expects of them
        kept = _simplified(pixels, TOLERANCE)
        return [[round(x, 1), round(y, 1)] for x, y in kept]

    projected = {}
    for code, shape in shapes.items():
        polygons = [[to_pixels(ring) for ring in polygon] for polygon in shape]
        projected[code] = [p for p in polygons if len(p[0]) >= 4 and _area(p[0]) >= 4.0] or polygons[:1]
    return projected, height


def _simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, without recursion (a coastline has thousands of points)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        furthest, distance = first, 0.0
        for index in range(first + 1, last):
            x0, y0 = points[index]
            d = abs((y2 - y1) * x0 - (x2 - x1) * y0 + x2 * y1 - y2 * x1) / length if length else math.hypot(x0 - x1, y0 - y1)
            if d > distance:
                furthest, distance = index, d
        if distance > tolerance:
            keep[furthest] = True
            stack += [(first, furthest), (furthest, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def _labels(names: dict[str, str], projected: dict[str, list], height: float) -> list[dict]:
    """Each district's name inside it where it fits, moved clear of the names already placed where it does not."""
    placed: list[tuple[float, float, float, float]] = []
    labels = []
    by_size = sorted(projected, key=lambda code: -max(_area(p[0]) for p in projected[code]))
    for code in by_size:
        # a coarser outline is as good for finding room for a name, and far quicker to search
        x, y = _inside_point(_simplified(max(projected[code], key=lambda p: _area(p[0]))[0], 3 * TOLERANCE))
        half = len(names[code]) * CHAR_WIDTH / 2
        for dx, dy in ((0, 0), (0, LABEL_HEIGHT), (0, -LABEL_HEIGHT), (half, 0), (-half, 0), (0, 2 * LABEL_HEIGHT),
                       (half, LABEL_HEIGHT), (-half, LABEL_HEIGHT), (0, -2 * LABEL_HEIGHT)):
            box = (x + dx - half, y + dy - LABEL_HEIGHT / 2, x + dx + half, y + dy + LABEL_HEIGHT / 2)
            inside = box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= height
            if inside and not any(_overlap(box, other) for other in placed):
                break
        placed.append(box)
        labels.append({"x": (box[0] + box[2]) / 2, "y": (box[1] + box[3]) / 2, "name": names[code]})
    return labels


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_point(ring: list[list[float]]) -> tuple[float, float]:
    """A point well inside the ring: of a grid over it, the inside point furthest from its edge.

    A centroid can fall outside a district with an estuary (Maldon's lies in the Blackwater)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, best_distance = (sum(xs) / len(xs), sum(ys) / len(ys)), -1.0
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            point = (min(xs) + (max(xs) - min(xs)) * i / steps, min(ys) + (max(ys) - min(ys)) * j / steps)
            if _contains(ring, point):
                distance = min(_segment_distance(point, a, b) for a, b in zip(ring, ring[1:]))
                if distance > best_distance:
                    best, best_distance = point, distance
    return best


def _contains(ring: list[list[float]], point: tuple[float, float]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _segment_distance(p: tuple[float, float], a: list[float], b: list[float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if not length else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length))
    return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))
