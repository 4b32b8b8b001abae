"""`crimeportal areas import-boundaries`: the register's districts' boundaries from a GeoJSON FeatureCollection,
matched as populations are (editing/areas_import.py: by ONS code, else by name) and written all or none."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..core.conventions import BOUNDARIES, MAX_BOUNDARY_IMPORT_BYTES, MAX_SOURCE_BYTES
from ..core.encodings import bad_bytes
from ..core.model import Shape
from ..core.problems import Problem
from ..source.boundaries import feature_lines, feature_shape, read_geojson
from ..source.load import read_at_most, size_words
from . import EditRefused
from .areas_import import (AreasImport, Candidate, DistrictChange, finish_import, left_out, match_districts,
                           register_districts, register_document, register_entries, set_key)
from .files import shown_path

# the properties of a boundary Feature, by role, lower-cased; the loader reads `code` or LADxxCD
BOUNDARY_PROPERTIES = {"code": re.compile(r"^(code|ons_code|lad[0-9]{2}cd)$"),
                       "name": re.compile(r"^(name|lad[0-9]{2}nm)$")}
_LOADER_CODE = re.compile(r"^(code|lad[0-9]{2}cd)$", re.IGNORECASE)  # the names source/boundaries.py reads

def import_boundaries(root: Path, path: Path, *, check: bool = False) -> AreasImport:
    """The register's districts' boundaries from a GeoJSON FeatureCollection, written as the portal's boundaries
    file (the register's order, coordinates to 6 decimal places, about 10 cm), and each district's ONS code
    where the register lacks it. Raises `EditRefused` with every problem found."""
    districts, _ = register_districts(root)
    shown_as = shown_path(path, root)
    features, lines, problems = _features(path, shown_as)
    candidates = []
    for index, feature in enumerate(features):
        found = _feature_candidate(feature, lines[index], index, shown_as, problems)
        if found is not None:
            candidates.append(found)
    if problems:
        raise EditRefused.because(problems)
    matched = match_districts(districts, candidates, shown_as, ("Feature", "name property"),
                     any(c.code for c in candidates), any(c.name for c in candidates), problems)
    shapes: dict[str, Shape] = {}
    for district_id, candidate in matched.items():
        shape, message = feature_shape(candidate.payload["feature"].get("geometry"))
        if message:
            problems.append(Problem(shown_as, candidate.line, 1, f"features[{candidate.payload['index']}].geometry", message))
        shapes[district_id] = shape
        district = next(d for d in districts if d.id == district_id)
        if not district.ons_code and not candidate.code:  # found by name: the map joins a boundary by its code
            problems.append(Problem(shown_as, candidate.line, 1, f"features[{candidate.payload['index']}].properties",
                                    f"gives {district.name}'s name but no ONS code, and the register has none for it "
                                    "either: the map finds each district's boundary by its code, so give the code "
                                    "(as code, ons_code or LADxxCD) or add ons_code to the register"))
    if problems:
        raise EditRefused.because(sorted(problems))
    document = register_document(root, "ONS codes")
    entries = register_entries(document)
    changes, written = [], []
    for district in districts:
        candidate = matched[district.id]
        code = district.ons_code or candidate.code.upper()
        if not district.ons_code:
            set_key(entries[district.id], "ons_code", code, ("id", "name", "kind"))
        changes.append(DistrictChange(district.id, district.name, code, not district.ons_code, district.population,
                                      district.population))
        written.append(_feature_text(candidate, code, district.name, shapes[district.id]))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(written) + "\n]}\n"
    if len(text.encode()) > MAX_SOURCE_BYTES:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", f"the districts' boundaries in it would take "
                                                                f"{len(text.encode()):,} bytes, more than a portal's "
                                                                f"boundaries file may ({MAX_SOURCE_BYTES:,}): use a "
                                                                "generalised boundary file, such as the ONS's BGC or BUC")])
    contents = {root / BOUNDARIES: text}
    after = document.text()
    if after != document.before:
        contents[document.path] = after
    boundaries = root / BOUNDARIES
    if boundaries.is_file() and not boundaries.is_symlink() and boundaries.read_bytes() == text.encode():
        del contents[boundaries]
    result = AreasImport(changes, [], left_out(candidates, matched, shown_as, "Features"))
    return finish_import(root, contents, result, check)


def _features(path: Path, shown_as: str) -> tuple[list[Any], list[int], list[Problem]]:
    def refused(line: int, message: str, column: int = 1) -> EditRefused:
        return EditRefused.because([Problem(shown_as, line, column, "", message)])

    raw = read_at_most(path, MAX_BOUNDARY_IMPORT_BYTES)
    if raw is None:
        raise refused(1, f"the file is larger than {size_words(MAX_BOUNDARY_IMPORT_BYTES)}, the most a boundaries file "
                         "given to import may be: use a generalised boundary file (the ONS's BGC or BUC, a few MB), "
                         "not a full-resolution one. It was not read further")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = bad_bytes(raw, error)
        raise refused(bad.line, f"is not UTF-8 text, as GeoJSON is: {bad.described()}", bad.column) from None
    problems: list[Problem] = []
    data = read_geojson(text, lambda line, field, message, column=1: problems.append(
        Problem(shown_as, line, column, field, message)))
    if problems:
        raise EditRefused.because(problems)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise refused(1, "must be a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [...]}")
    return data["features"], feature_lines(text, len(data["features"])), problems


def _feature_candidate(feature: Any, line: int, index: int, shown_as: str, problems: list[Problem]) -> Candidate | None:
    where = f"features[{index}]"
    if not isinstance(feature, dict) or feature.get("type") != "Feature" or not isinstance(feature.get("properties"), dict):
        problems.append(Problem(shown_as, line, 1, where, "must be a GeoJSON Feature with properties"))
        return None
    found: dict[str, tuple[str, Any]] = {}
    for name, value in feature["properties"].items():
        for role, pattern in BOUNDARY_PROPERTIES.items():
            if pattern.match(str(name).casefold()):
                if role in found:
                    problems.append(Problem(shown_as, line, 1, where, f"properties {found[role][0]!r} and {str(name)[:40]!r} "
                                                                      f"could both be its {role}: keep one"))
                    return None
                found[role] = (str(name), value)
    if not found:
        problems.append(Problem(shown_as, line, 1, where, "needs a property with the district's ONS code (code, or as the "
                                                          "ONS names it, such as LAD23CD) or name (name, or LAD23NM)"))
        return None
    for role, (name, value) in found.items():
        if not isinstance(value, str):
            problems.append(Problem(shown_as, line, 1, f"{where}.properties.{name[:40]}", f"the {role} must be text"))
            return None
    code, name = found.get("code", ("", ""))[1].strip(), found.get("name", ("", ""))[1].strip()
    code_key = found.get("code", ("code", ""))[0]
    return Candidate(line, code, name, {"feature": feature, "index": index, "code_key": code_key,
                                         "name_key": found.get("name", ("name", ""))[0]})


def _feature_text(candidate: Candidate, code: str, name: str, shape: Shape) -> str:
    """One Feature on one line, as ONS files are and as the loader finds each Feature's line."""
    code_key = candidate.payload["code_key"] if _LOADER_CODE.match(candidate.payload["code_key"]) else "code"
    name_key = candidate.payload["name_key"]
    polygons = [[[[round(x, 6), round(y, 6)] for x, y in ring] for ring in polygon] for polygon in shape]
    geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                else {"type": "MultiPolygon", "coordinates": polygons})
    feature = {"type": "Feature", "properties": {code_key: code, name_key: name}, "geometry": geometry}
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))

