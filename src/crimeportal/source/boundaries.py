"""Read the district boundaries (data/boundaries/districts.geojson) that the maps are drawn from.

The file is a GeoJSON FeatureCollection as the ONS publishes it: one Feature per district, its ONS code in
a property named as ONS names them (`LAD20CD`, `lad19cd`, or plainly `code`), a Polygon or MultiPolygon
of longitude/latitude pairs. It is checked as strictly as the YAML: a boundary that cannot be drawn, or a
code the areas register does not know, is a problem at the Feature it belongs to, and a map is drawn
only from a file that passed every check.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Callable

from ..core.conventions import BOUNDARIES, MAX_BOUNDARY_POINTS
from ..core.model import Area, Shape
from ..core.problems import Problem
from .files import shown_path
from .load import read_text
from .rules import number_length_problem

Ring = list[tuple[float, float]]

_CODE_PROPERTY = re.compile(r"^(code|lad[0-9]{2}cd)$", re.IGNORECASE)


def load_boundaries(root: Path, areas: list[Area], problems: list[Problem]) -> dict[str, Shape]:
    """Each district's shape by its ONS code; nothing when the portal has no boundaries or they have problems."""
    path = root / BOUNDARIES
    if path.is_symlink() or not path.exists():  # a link is refused by the folder scan already
        return {}
    codes = {a.ons_code for a in areas if a.kind == "district" and a.ons_code}
    if not codes:  # no register, or one with problems of its own (reported already): nothing to check the codes against
        return {}
    source = read_text(path, shown_path(path, root))
    problems += source.problems
    if source.text is None:
        return {}
    found: list[Problem] = []
    shapes = _shapes(source.text, source.path, codes, found)
    problems += found
    return {} if found else shapes


def _shapes(text: str, shown_as: str, codes: set[str], found: list[Problem]) -> dict[str, Shape]:
    def problem(line: int, field: str, message: str, column: int = 1) -> None:
        found.append(Problem(shown_as, line, column, field, message))

    data = read_geojson(text, problem)
    if data is None:
        return {}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        problem(1, "", "must be a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [...]}")
        return {}
    lines = feature_lines(text, len(data["features"]))
    shapes: dict[str, Shape] = {}
    points = 0
    for index, feature in enumerate(data["features"]):
        field, line = f"features[{index}]", lines[index]
        code, message = _code(feature, codes)
        if message:
            problem(line, field, message)
            continue
        shape, message = feature_shape(feature.get("geometry"))
        if message:
            problem(line, f"{field}.geometry", message)
        elif code in shapes:
            problem(line, field, f"{code} has a boundary already: give each district one Feature")
        else:
            shapes[code] = shape
            points += sum(len(ring) for polygon in shape for ring in polygon)
    if points > MAX_BOUNDARY_POINTS:
        problem(1, "", f"has {points:,} points; a map needs far fewer (at most {MAX_BOUNDARY_POINTS:,}): use a generalised boundary file")
    for code in sorted(codes - set(shapes)) if not found else ():
        problem(1, "", f"has no boundary for {code}, a district in the areas register: add its Feature")
    return shapes


def read_geojson(text: str, problem: Callable[..., None]) -> Any:
    """The JSON in `text`, or None after saying why it cannot be read through `problem(line, field, message, column)`:
    not JSON, NaN or Infinity, a number too long to be a coordinate, nesting too deep. Shared with
    `crimeportal areas import-boundaries`, which reads an ONS file with the same care."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded(int), parse_float=_bounded(float))
    except json.JSONDecodeError as error:
        problem(error.lineno, "", f"is not GeoJSON that can be read: {error.msg}", error.colno)
        return None
    except _NotANumber as error:
        problem(text.count("\n", 0, text.find(error.word)) + 1, "", f"is not GeoJSON that can be read: {error.word} is not a number")
        return None
    except _TooLong as error:
        at = text.find(error.word)
        line = text.count("\n", 0, at) + 1
        problem(line, "", f"is not GeoJSON that can be read: a coordinate or other number {error.message}",
                at - text.rfind("\n", 0, at))
        return None
    except RecursionError:
        problem(1, "", "is not GeoJSON that can be read: it is nested too deeply")
        return None
    return data


class _NotANumber(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


class _TooLong(ValueError):
    def __init__(self, word: str, message: str) -> None:
        super().__init__(message)
        self.word, self.message = word, message


def _bounded(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """JSON's number reader, refusing a number too long to be a coordinate before converting it."""
    def read(word: str) -> Any:
        if (too_long := number_length_problem(word)):
            raise _TooLong(word, too_long)
        return convert(word)

    return read


def _refuse_constant(word: str) -> Any:
    raise _NotANumber(word)  # JSON has no NaN or Infinity; Python's reader would accept them


def feature_lines(text: str, count: int) -> list[int]:
    """The line each Feature starts on, as far as the text shows it (one Feature per line, as ONS files are)."""
    starts, line, counted_to = [], 1, 0
    for match in re.finditer(r'\{\s*"type"\s*:\s*"Feature"\s*[,}]', text):
        if len(starts) == count:
            break
        line += text.count("\n", counted_to, match.start())  # from the last Feature on: a whole country's file is large
        counted_to = match.start()
        starts.append(line)
    return starts + [1] * (count - len(starts))


def _code(feature: Any, codes: set[str]) -> tuple[str, str | None]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature" or not isinstance(feature.get("properties"), dict):
        return "", "must be a GeoJSON Feature with properties"
    found = [value for name, value in feature["properties"].items() if _CODE_PROPERTY.match(str(name))]
    if len(found) != 1 or not isinstance(found[0], str):
        return "", "needs one property with the district's ONS code, named code or as ONS names it (such as LAD20CD)"
    if found[0] not in codes:
        known = ", ".join(sorted(codes)) or "none"
        return "", f"{found[0][:40]!r} is not the ONS code of a district in the areas register (data/areas.yml); the districts' codes are {known}"
    return found[0], None


def feature_shape(geometry: Any) -> tuple[Shape, str | None]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return [], "must be a Polygon or MultiPolygon"
    polygons = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return [], "has no coordinates"
    shape: Shape = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return [], "has a polygon without rings"
        rings = [_ring(ring) for ring in polygon]
        if any(ring is None for ring in rings):
            return [], ("has a ring that is not a closed list of at least four [longitude, latitude] pairs, "
                        "each a number within -180 to 180 and -90 to 90")
        shape.append(rings)  # type: ignore[arg-type]
    return shape, None


def _ring(ring: Any) -> Ring | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    points = []
    for point in ring:
        if not (isinstance(point, list) and len(point) in (2, 3)
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in point)):
            return None
        longitude, latitude = float(point[0]), float(point[1])
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            return None
        points.append((longitude, latitude))
    return points if points[0] == points[-1] else None
