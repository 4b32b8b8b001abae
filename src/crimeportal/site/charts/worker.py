"""What runs in a chart worker process (see chart_drawing.py): each batch of charts drawn from their specs.

Every worker of a renderer shares, through a folder of the renderer's, what it works out once for each chart
shape, so that it is worked out once per renderer rather than once per worker.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sys
from pathlib import Path
from typing import Callable, TypeVar
from xml.sax.saxutils import escape

from . import specs
from .specs import ChartData
from ..output import write_whole
from ...source.leftovers import end_with_parent

T = TypeVar("T")


_FOLDER: Path | None = None  # the renderer's folder (see chart_drawing.Renderer); None outside its workers


def start(with_specs: bool = False, folder: str | None = None) -> None:
    """Start the renderer's JavaScript engine (about half a second) as soon as the worker exists, and for a
    kept renderer import Altair too, which then makes every spec. `folder`: the renderer's, where its workers
    share what they work out once for each chart shape, and find the font configuration `fonts_config` wrote."""
    global _FOLDER
    parent = multiprocessing.parent_process()
    end_with_parent(parent.pid if parent else None)  # a killed build's workers end with it, not wait for work for ever
    _FOLDER = Path(folder) if folder else None
    if _FOLDER and os.name == "posix" and sys.platform != "darwin":
        os.environ["FONTCONFIG_FILE"] = str(_FOLDER / FONTS_CONFIG)
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": []}})
    if with_specs:
        import altair  # noqa: F401


FONTS_CONFIG = "fonts.conf"


def fonts_config(folder: Path) -> None:
    """A font configuration under which the renderer measures every label in its own Liberation Sans.

    The renderer measures each label by laying it out in a font; a font from the system is a file that it opens
    and maps into memory again for every label, about 800 times a chart, which was half of each chart's time.
    Its own copy is in memory. On Linux it finds the system's fonts through fontconfig's configuration (Windows
    and macOS have none), so its workers are given one whose only folder holds no font: with no folder at all,
    it would look in the usual ones instead. Liberation Sans has Arial's widths, which the charts ask for, so the
    charts are the same.
    """
    (folder / FONTS_CONFIG).write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{escape(str(folder))}</dir></fontconfig>\n',
                                       encoding="utf-8")


def render_pickled(batch: bytes) -> list[str]:
    return render_batch(pickle.loads(batch))  # only ever the bytes Charts._start pickled itself


def render_batch(batch: list[ChartData | dict]) -> list[str]:
    import vl_convert

    return [vl_convert.vegalite_to_svg(item) if isinstance(item, dict) else svg(specs.vega_lite_spec(item, _shared))
            for item in batch]


def _shared(kind: str, key: str, make: Callable[[], T]) -> T:
    """What `make` gives, or what a fellow worker already made for the same chart shape.

    A shape's Vega-Lite spec takes Altair some 60 ms and its Vega another 10; each worker would otherwise make
    every one of a portal's few dozen shapes itself. Two workers that need a new shape at once both make it."""
    if _FOLDER is None:
        return make()
    path = _FOLDER / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()}.pickle"
    try:
        return pickle.loads(path.read_bytes())  # only ever bytes a worker of this renderer pickled itself
    except (OSError, EOFError, pickle.UnpicklingError):
        made = make()
    try:
        write_whole(path, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # the others make it themselves: a chart is never lost for want of sharing
        pass
    return made


# Compiling a measure's chart from Vega-Lite to Vega takes a third of its time, and a portal's charts share a few
# dozen shapes: a worker compiles each shape once, its figures left out as named data, then puts each chart's
# figures into a copy of the compiled Vega by name. The SVG is the same as from compiling the chart whole.
_COMPILED: dict[str, str | None] = {}  # the shape (the spec without its figures) -> its Vega, or None: compile whole
# Vega-Lite passes an explicit domain through to the Vega scale as it is, so any fixed one marks where it goes
# (`_compiled_shape` checks that it did)
_Y_PLACEHOLDER = [0, 1]


def svg(spec: dict) -> str:
    """The chart drawn from a spec of `specs.vega_lite_spec`, its shape compiled once."""
    import vl_convert

    parts = _without_figures(spec)
    key = json.dumps(parts[0], sort_keys=True) if parts else ""
    if parts and key not in _COMPILED and len(_COMPILED) < specs.MAX_TEMPLATES:
        _COMPILED[key] = _shared("vega", key, lambda: _compiled_shape(parts[0], parts[1]))
    if not parts or _COMPILED.get(key) is None:
        return vl_convert.vegalite_to_svg(spec)
    _, figures, y_domain = parts
    vega = json.loads(_COMPILED[key])
    for source in vega["data"]:
        if source["name"] in figures:
            source["values"] = figures[source["name"]]
    next(scale for scale in vega["scales"] if scale["name"] == "y")["domain"] = y_domain
    return vl_convert.vega_to_svg(vega)


def _without_figures(spec: dict) -> tuple[dict, dict[str, list], list] | None:
    """The spec with each layer's figures replaced by a named data source and the y scale's domain by a
    placeholder; the figures by name; the domain. None unless every layer gives the y scale the same domain."""
    figures: dict[str, list] = {}
    domains: list[list] = []

    def walk(node: object, under_y: bool, key: str = "") -> object:
        if isinstance(node, list):
            return [walk(item, under_y) for item in node]
        if not isinstance(node, dict):
            return node
        if key == "data" and set(node) == {"values"} and isinstance(node["values"], list):
            name = f"crimeportal_figures_{len(figures)}"
            figures[name] = node["values"]
            return {"name": name}
        copy = {key: walk(value, under_y or key == "y", key) for key, value in node.items()}
        if under_y and isinstance(copy.get("scale"), dict) and "domain" in copy["scale"]:
            domains.append(copy["scale"]["domain"])
            copy["scale"] = {**copy["scale"], "domain": _Y_PLACEHOLDER}
        return copy

    shape = walk(spec, False)
    if not domains or any(domain != domains[0] for domain in domains):
        return None
    return shape, figures, domains[0]


def _compiled_shape(shape: dict, figures: dict[str, list]) -> str | None:
    """The shape's Vega, if its figures and y domain are where they can be put back by name; None if not."""
    import vl_convert

    try:
        vega = vl_convert.vegalite_to_vega(shape)
    except ValueError:  # the renderer's own error: the chart compiled whole says what is wrong, if anything is
        return None
    names = {source["name"] for source in vega.get("data", [])}
    y_scales = [scale for scale in vega.get("scales", []) if scale.get("name") == "y"]
    placed = set(figures) <= names and len(y_scales) == 1 and y_scales[0].get("domain") == _Y_PLACEHOLDER
    return json.dumps(vega) if placed else None
