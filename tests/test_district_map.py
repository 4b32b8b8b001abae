"""District boundaries are checked like every other source file, and the map drawn from them is light,
labelled, and a set of keyboard links with names."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crimeportal.core.conventions import BOUNDARIES
from crimeportal.site.charts.district_map import MapArea, linked, map_spec, prepare_map
from crimeportal.source.validate import check_portal
from payloads import PAYLOADS
from portal_files import REPO, copy_portal

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed():
    return check_portal(REPO).portal


def test_the_essex_boundaries_give_every_district_of_the_register_its_shape(seed):
    districts = {a.ons_code for a in seed.areas if a.kind == "district"}
    assert len(districts) == 14 and set(seed.boundaries) == districts


def _collection(features: list) -> str:
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(json.dumps(f) for f in features) + "\n]}\n"


def _feature(code: str, ring: list | None = None) -> dict:
    ring = ring or [[0.1, 51.5], [0.2, 51.5], [0.2, 51.6], [0.1, 51.5]]
    return {"type": "Feature", "properties": {"lad20cd": code}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _problems_with(tmp_path: Path, text: str) -> list[str]:
    portal = copy_portal(tmp_path / "portal")
    (portal / BOUNDARIES).write_text(text, encoding="utf-8")
    check = check_portal(portal)
    assert not check.portal.boundaries  # a file with problems draws no map at all
    return [p.as_text() for p in check.problems]


def _seed_features() -> list[dict]:
    return json.loads((REPO / BOUNDARIES).read_text(encoding="utf-8"))["features"]


@pytest.mark.parametrize("change, expected", [
    (lambda fs: fs[:2] + [_feature("E09999999")] + fs[2:],
     "data/boundaries/districts.geojson:4:1: features[2]: 'E09999999' is not the ONS code of a district in the areas register "
     "(data/areas.yml); the districts' codes are E06000033, E06000034, E07000066, E07000067, E07000068, E07000069, "
     "E07000070, E07000071, E07000072, E07000073, E07000074, E07000075, E07000076, E07000077"),
    (lambda fs: fs[:-1],
     "data/boundaries/districts.geojson:1:1: has no boundary for E06000034, a district in the areas register: add its Feature"),
    (lambda fs: fs + [fs[0]],
     "data/boundaries/districts.geojson:16:1: features[14]: E07000066 has a boundary already: give each district one Feature"),
    (lambda fs: [_feature("E07000066", [[0.1, 51.5], [0.2, 51.5], [0.2, 51.6], [0.3, 51.7]])] + fs[1:],
     "data/boundaries/districts.geojson:2:1: features[0].geometry: has a ring that is not a closed list of at least four "
     "[longitude, latitude] pairs, each a number within -180 to 180 and -90 to 90"),
    (lambda fs: [_feature("E07000066", [[0.1, 51.5], [200, 51.5], [0.2, 51.6], [0.1, 51.5]])] + fs[1:],
     "data/boundaries/districts.geojson:2:1: features[0].geometry: has a ring that is not a closed list of at least four "
     "[longitude, latitude] pairs, each a number within -180 to 180 and -90 to 90"),
    (lambda fs: [{**fs[0], "geometry": {"type": "Point", "coordinates": [0.1, 51.5]}}] + fs[1:],
     "data/boundaries/districts.geojson:2:1: features[0].geometry: must be a Polygon or MultiPolygon"),
    (lambda fs: [{**fs[0], "properties": {"name": "Basildon"}}] + fs[1:],
     "data/boundaries/districts.geojson:2:1: features[0]: needs one property with the district's ONS code, named code or "
     "as ONS names it (such as LAD20CD)"),
])
def test_each_boundary_problem_is_named_at_its_feature(tmp_path, change, expected):
    assert expected in _problems_with(tmp_path, _collection(change(_seed_features())))


@pytest.mark.parametrize("text, expected", [
    ('{"type": "FeatureCollection", "features": [\n{"type": "Feature", "properties": {"code": NaN}}]}',
     "data/boundaries/districts.geojson:2:1: is not GeoJSON that can be read: NaN is not a number"),
    ('{"type": "FeatureCollection",\n "features": [,]}',
     "data/boundaries/districts.geojson:2:15: is not GeoJSON that can be read: Expecting value"),
    ('{"type": "Topology"}',
     'data/boundaries/districts.geojson:1:1: must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}'),
    ("[" * 100_000, "data/boundaries/districts.geojson:1:1: is not GeoJSON that can be read: it is nested too deeply"),
])
def test_a_boundaries_file_that_is_not_geojson_is_refused_in_words(tmp_path, text, expected):
    assert _problems_with(tmp_path, text) == [expected]


def test_a_boundaries_file_that_is_a_link_is_refused_and_not_read(tmp_path):
    portal = copy_portal(tmp_path / "portal")
    (portal / BOUNDARIES).unlink()
    (portal / BOUNDARIES).symlink_to(REPO / BOUNDARIES)
    check = check_portal(portal)
    assert [p.file for p in check.problems] == ["data/boundaries/districts.geojson"]
    assert "is a symbolic link" in check.problems[0].message and not check.portal.boundaries


def _areas(seed, name_of=lambda area: area.name) -> list[MapArea]:
    return [MapArea(a.ons_code, name_of(a), f"../../areas/{a.id}/", None if a.id == "harlow" else float(len(a.name)),
                    f"{name_of(a)}: {len(a.name)} per 1,000 people") for a in seed.areas if a.kind == "district"]


def _drawn(seed, tmp_path, areas) -> tuple[str, ET.Element]:
    import vl_convert

    prepared = prepare_map({a.code: a.name for a in areas}, seed.boundaries)
    svg = linked(vl_convert.vegalite_to_svg(map_spec(prepared, areas, "Per 1,000 people")), areas, "Burglary by district")
    return svg, ET.fromstring(svg)


def test_the_map_is_a_named_group_of_keyboard_links_one_per_district_each_labelled(seed, tmp_path):
    areas = _areas(seed)
    svg, root = _drawn(seed, tmp_path, areas)
    assert root.get("role") == "group" and root.get("aria-label") == "Burglary by district"
    links = root.iter(f"{SVG}a")
    assert {(a.get("href"), a.get("aria-label")) for a in links} == {(a.href, a.words) for a in areas}
    shown = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    assert {a.name for a in areas} <= shown  # every district is named on the map itself
    assert not re.search(r"https?://(?!www\.w3\.org/)", svg)  # nothing from another host, no renderer's base address
    assert len(svg.encode()) < 60_000  # generalised: a measure page keeps room in its 150 KB


def test_a_district_without_a_figure_is_drawn_unshaded_and_still_a_link(seed, tmp_path):
    _, root = _drawn(seed, tmp_path, _areas(seed))
    harlow = next(a for a in root.iter(f"{SVG}a") if a.get("href") == "../../areas/harlow/")
    assert any(p.get("fill") == "#D9D9D9" for p in harlow.iter(f"{SVG}path"))


def test_labels_do_not_overlap(seed, tmp_path):
    areas = _areas(seed)
    _, root = _drawn(seed, tmp_path, areas)
    boxes = set()  # each name is drawn twice in one place: its white outline, then itself
    for text in root.iter(f"{SVG}text"):
        match = re.search(r"translate\(([\d.]+),([\d.]+)\)", text.get("transform") or "")
        if match and text.text in {a.name for a in areas}:
            x, y, half = float(match[1]), float(match[2]), len(text.text) * 3.4
            boxes.add((x - half, y - 6, x + half, y + 6, text.text))
    boxes = sorted(boxes)
    assert len(boxes) == 14
    for index, a in enumerate(boxes):
        for b in boxes[index + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a[4], b[4])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_district_names_are_text_on_the_map(seed, tmp_path, payload):
    svg, root = _drawn(seed, tmp_path, _areas(seed, lambda area: f"{area.name} {payload}"))
    assert not any(e.tag in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}iframe") for e in root.iter())
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrib)
    assert all(not (a.get("href") or "").startswith("javascript") for a in root.iter(f"{SVG}a"))
    assert any(payload in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))
