"""After `crimeportal init`, a force adds its districts' populations and boundaries (issue 31):
`crimeportal areas import-population` and `areas import-boundaries`, on a new portal of made-up districts,
with real files and the command run in this process. A refused import leaves every file as it was, byte for byte.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from crimeportal.cli import main
from payloads import HUGE_COORDINATE
from test_any_force import DISTRICTS, FORCE, add_burglary_by_district, write_police_uk_sample

# made-up ONS codes for the made-up districts, and one district elsewhere that an ONS file would also hold
CODES = {"Casterbridge": "E07000901", "Budmouth": "E07000902", "Sherton Abbas": "E07000903"}
PEOPLE = {"Casterbridge": 61240, "Budmouth": 14002, "Sherton Abbas": 9581}
ELSEWHERE = ("E06000001", "Hartlepool", 92571)
SOURCE = "Office for National Statistics, mid-2022 population estimates"


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    sample = write_police_uk_sample(tmp_path / "2024-01-wessex-street.csv")
    assert main(["init", str(tmp_path / "portal"), "--force-name", FORCE, "--police-uk", str(sample)]) == 0
    return tmp_path / "portal"


def population_csv(path: Path, rows: list[list[str]] | None = None, header: str = "code,name,year,population",
                   delimiter: str = ",", bom: bool = False) -> Path:
    """A population CSV as /work/shared/data/essex/population.csv is laid out (ONS code, name, year, population)."""
    if rows is None:
        rows = [[CODES[name], name, "2022", str(PEOPLE[name])] for name in DISTRICTS]
        rows.append([ELSEWHERE[0], ELSEWHERE[1], "2022", str(ELSEWHERE[2])])
    text = "\r\n".join([header.replace(",", delimiter)] + [delimiter.join(row) for row in rows]) + "\r\n"
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")
    return path


def square(x: float, y: float) -> list:
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def boundaries_geojson(path: Path, names: list[str] | None = None, code_key: str = "LAD22CD",
                       name_key: str = "LAD22NM") -> Path:
    """A tiny square for each made-up district, and one for a district outside the register, one Feature a line."""
    names = list(DISTRICTS) if names is None else names
    features = [{"type": "Feature", "properties": {code_key: CODES[name], name_key: name},
                 "geometry": {"type": "Polygon", "coordinates": square(-2.6 + 0.2 * i, 50.6)}} for i, name in enumerate(names)]
    features.append({"type": "Feature", "properties": {code_key: ELSEWHERE[0], name_key: ELSEWHERE[1]},
                     "geometry": {"type": "Polygon", "coordinates": square(-1.2, 54.6)}})
    path.write_text('{"type": "FeatureCollection", "features": [\n' + ",\n".join(json.dumps(f) for f in features)
                    + "\n]}\n", encoding="utf-8")
    return path


def run(portal: Path, *args: str) -> int:
    return main(["--root", str(portal), "areas", *args])


def test_population_and_boundaries_fill_a_new_register_and_keep_its_comments(portal: Path, tmp_path: Path, capsys):
    register = portal / "data/areas.yml"
    before = register.read_text(encoding="utf-8")
    assert "ons_code:" not in before and "population:" not in before.split("areas:")[1]
    csv_file = population_csv(tmp_path / "population.csv")

    assert run(portal, "import-population", str(csv_file), "--source", SOURCE, "--check") == 0
    assert register.read_text(encoding="utf-8") == before  # --check writes nothing
    assert "Would change data/areas.yml" in capsys.readouterr().out

    assert run(portal, "import-population", str(csv_file), "--source", SOURCE) == 0
    out, err = capsys.readouterr()
    assert "The portal's files check out" in out
    assert "1 row for an area not in the areas register was left out ('Hartlepool')" in err  # a note, not an error
    after = register.read_text(encoding="utf-8")
    for line in before.splitlines():  # every comment and line of init's register is still there, in order
        assert line in after
    assert re.search(r'population:\n  year: 2022\n  source: "Office for National Statistics, mid-2022 population '
                     r'estimates"\nareas:', after)
    for name in DISTRICTS:
        assert re.search(rf'name: "{name}"\n    kind: district  # [0-9]+ rows in the police.uk files\n'
                         rf"    ons_code: {CODES[name]}\n    population: {PEOPLE[name]}\n", after), name
    assert "Hartlepool" not in after and ELSEWHERE[0] not in after

    geojson = boundaries_geojson(tmp_path / "lad.geojson")
    assert run(portal, "import-boundaries", str(geojson)) == 0
    written = json.loads((portal / "data/boundaries/districts.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["LAD22CD"] for f in written["features"]] == [CODES[n] for n in sorted(DISTRICTS)]
    assert register.read_text(encoding="utf-8") == after  # the codes were there: the register is left alone
    capsys.readouterr()
    assert main(["--root", str(portal), "validate"]) == 0


def test_boundaries_first_fill_in_the_ons_codes_by_name(portal: Path, tmp_path: Path, capsys):
    register = portal / "data/areas.yml"
    assert run(portal, "import-boundaries", str(boundaries_geojson(tmp_path / "b.geojson", code_key="lad23cd",
                                                                   name_key="lad23nm"))) == 0
    text = register.read_text(encoding="utf-8")
    assert all(f"ons_code: {code}" in text for code in CODES.values()) and "population:" not in text.split("areas:")[1]
    shapes = (portal / "data/boundaries/districts.geojson").read_text(encoding="utf-8")
    assert shapes.count('"type":"Feature"') == 3 and "Hartlepool" not in shapes
    # a CSV without codes is then matched by name, whatever its case and spacing; its year comes from --year
    csv_file = population_csv(tmp_path / "p.csv", [[name.upper().replace(" ", "  "), str(PEOPLE[name])] for name in DISTRICTS],
                              header="District,Population")
    assert run(portal, "import-population", str(csv_file), "--year", "2021", "--source", SOURCE) == 0
    assert "  year: 2021\n" in register.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(portal), "validate"]) == 0


def test_an_excel_csv_with_a_byte_order_mark_and_semicolons_is_read(portal: Path, tmp_path: Path):
    csv_file = population_csv(tmp_path / "excel.csv", header="Code;Name;Year;Population", delimiter=";", bom=True)
    assert run(portal, "import-population", str(csv_file), "--source", SOURCE) == 0
    assert f"population: {PEOPLE['Budmouth']}" in (portal / "data/areas.yml").read_text(encoding="utf-8")


def _refused(portal: Path, capsys, *args: str) -> str:
    register = portal / "data/areas.yml"
    before = register.read_bytes()
    assert run(portal, *args) == 1
    assert register.read_bytes() == before
    assert not (portal / "data/boundaries/districts.geojson").exists()
    out, err = capsys.readouterr()
    assert "crimeportal: nothing was written" in err and "Traceback" not in out + err
    return out + err


def rows(**changed: str) -> list[list[str]]:
    return [[CODES[name], name, "2022", changed.get(name.split()[0], str(PEOPLE[name]))] for name in DISTRICTS]


def test_bad_population_rows_are_refused_at_their_lines(portal: Path, tmp_path: Path, capsys):
    bad = population_csv(tmp_path / "bad.csv", rows(Budmouth="about 14k", Sherton="0"))
    said = _refused(portal, capsys, "import-population", str(bad), "--source", SOURCE)
    assert "bad.csv:3:4: population: must be a whole number of people, such as 185862; found 'about 14k'" in said
    assert "bad.csv:4:4: population: must be 1 or more" in said

    huge = population_csv(tmp_path / "huge.csv", rows(Budmouth="9" * 5000, Sherton="999999999"))
    said = _refused(portal, capsys, "import-population", str(huge), "--source", SOURCE)
    assert "huge.csv:3:4: population: is a number 5,000 characters long" in said
    assert "huge.csv:4:4: population: 999,999,999 is more people than any district has" in said


def test_a_missing_district_and_a_duplicate_are_refused(portal: Path, tmp_path: Path, capsys):
    some = rows()
    missing = population_csv(tmp_path / "missing.csv", some[:2])
    said = _refused(portal, capsys, "import-population", str(missing), "--source", SOURCE)
    assert ("missing.csv:1:1: has no row for Sherton Abbas (by its name), a district in the areas register "
            "(data/areas.yml)") in said
    twice = population_csv(tmp_path / "twice.csv", some + [some[0]])
    said = _refused(portal, capsys, "import-population", str(twice), "--source", SOURCE)
    assert "twice.csv:5:1: Casterbridge is given again here (first at line 2): give each district one row" in said


def test_year_source_and_columns_are_asked_for(portal: Path, tmp_path: Path, capsys):
    good = population_csv(tmp_path / "good.csv")
    said = _refused(portal, capsys, "import-population", str(good))
    assert "data/areas.yml:1:1: population: says nothing yet of where the populations come from" in said
    mixed = population_csv(tmp_path / "mixed.csv", [[CODES[n], n, y, "5"] for n, y in zip(DISTRICTS, ("2021", "2022", "2022"))])
    said = _refused(portal, capsys, "import-population", str(mixed), "--source", SOURCE)
    assert "mixed.csv:1:3: year: the districts' rows give different years, 2021 (line 2), 2022 (line 3)" in said
    wrong = population_csv(tmp_path / "wrong.csv", header="area,people,when")
    said = _refused(portal, capsys, "import-population", str(wrong), "--source", SOURCE)
    assert "wrong.csv:1:1: the first line must name the columns" in said


def test_through_make_the_source_and_year_are_asked_for_as_make_s_variables(portal: Path, tmp_path: Path, capsys,
                                                                            monkeypatch):
    """`make import-population` passes SOURCE= and YEAR=, so its messages name those, not crimeportal's options."""
    said = _refused(portal, capsys, "import-population", str(population_csv(tmp_path / "good.csv")))
    assert 'give it with --source "Office for National Statistics, mid-2022 population estimates"' in said
    monkeypatch.setenv("CRIMEPORTAL_VIA_MAKE", "1")
    said = _refused(portal, capsys, "import-population", str(population_csv(tmp_path / "good.csv")))
    assert 'give it with SOURCE="Office for National Statistics, mid-2022 population estimates"' in said
    no_year = population_csv(tmp_path / "no-year.csv", [[CODES[n], n, "5"] for n in DISTRICTS], header="code,name,population")
    said = _refused(portal, capsys, "import-population", str(no_year), "--source", SOURCE)
    assert "has no year column: say which year the populations are for, such as YEAR=2022" in said
    assert "--year" not in said and "--source" not in said


def test_a_code_that_disagrees_with_the_register_is_refused(portal: Path, tmp_path: Path, capsys):
    assert run(portal, "import-population", str(population_csv(tmp_path / "p.csv")), "--source", SOURCE) == 0
    capsys.readouterr()
    other = population_csv(tmp_path / "other.csv", [[c.replace("E07000901", "E07000999"), *rest] for c, *rest in rows()])
    register = (portal / "data/areas.yml").read_bytes()
    assert run(portal, "import-population", str(other)) == 1
    assert (portal / "data/areas.yml").read_bytes() == register
    assert ("other.csv:2:1: gives Casterbridge the ONS code 'E07000999', but the areas register (data/areas.yml) "
            "gives it E07000901: which is right?") in capsys.readouterr().out


@pytest.mark.parametrize("text, expected", [
    ("not json at all", "bad.geojson:1:1: is not GeoJSON that can be read"),
    ('{"type": "FeatureCollection", "features": [' + HUGE_COORDINATE + "]}", "a number 5,001 characters long"),
    ('{"type": "FeatureCollection", "features": [NaN]}', "NaN is not a number"),
    ("[" * 100_000, "it is nested too deeply"),
    ('{"type": "Topology"}', "must be a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"LAD22CD": 7}}]}',
     "features[0].properties.LAD22CD: the code must be text"),
])
def test_hostile_geojson_is_refused_plainly(portal: Path, tmp_path: Path, capsys, text: str, expected: str):
    bad = tmp_path / "bad.geojson"
    bad.write_text(text, encoding="utf-8")
    assert expected in _refused(portal, capsys, "import-boundaries", str(bad))


def test_boundaries_the_loader_would_refuse_are_refused(portal: Path, tmp_path: Path, capsys):
    geojson = boundaries_geojson(tmp_path / "b.geojson", names=["Casterbridge", "Budmouth"])
    said = _refused(portal, capsys, "import-boundaries", str(geojson))
    assert "has no Feature for Sherton Abbas (by its name)" in said
    data = json.loads(boundaries_geojson(tmp_path / "b.geojson").read_text(encoding="utf-8"))
    data["features"][0]["geometry"]["coordinates"][0][1] = [200, 50.6]  # a longitude beyond 180
    (tmp_path / "open.geojson").write_text(json.dumps(data), encoding="utf-8")
    said = _refused(portal, capsys, "import-boundaries", str(tmp_path / "open.geojson"))
    assert "features[0].geometry: has a ring that is not a closed list" in said


def test_the_built_measure_page_then_shows_rates_and_the_map(portal: Path, tmp_path: Path, capsys):
    add_burglary_by_district(portal, tmp_path)
    assert run(portal, "import-population", str(population_csv(tmp_path / "p.csv")), "--source", SOURCE) == 0
    assert run(portal, "import-boundaries", str(boundaries_geojson(tmp_path / "b.geojson"))) == 0
    assert main(["--root", str(portal), "build"]) == 0
    page = (portal / "site/metrics/burglary/index.html").read_text(encoding="utf-8")
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "have not been added yet" not in words
    assert "per 1,000" in words and "<svg" in page
    # Casterbridge: 5 burglaries among 61,240 people is 0.08 per 1,000
    assert re.search(r"Casterbridge 5 61,240 0\.08", words), words[words.find("Casterbridge"):][:300]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
@pytest.mark.parametrize("link", ["data/boundaries/districts.geojson", "data/boundaries"])
def test_a_link_where_the_boundaries_go_is_refused_and_nothing_outside_is_written(portal: Path, tmp_path: Path,
                                                                               capsys, link: str):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "districts.geojson").write_text("mine\n", encoding="utf-8")
    target = portal / link
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(outside / "districts.geojson" if link.endswith(".geojson") else outside)
    geojson = boundaries_geojson(tmp_path / "b.geojson")
    register = (portal / "data/areas.yml").read_bytes()
    for check in (["--check"], []):
        assert run(portal, "import-boundaries", str(geojson), *check) == 1
        out, err = capsys.readouterr()
        assert "link" in out + err and "Traceback" not in out + err
        assert (outside / "districts.geojson").read_text(encoding="utf-8") == "mine\n"
        assert (portal / "data/areas.yml").read_bytes() == register


def test_boundaries_with_names_but_no_codes_for_a_register_without_codes_are_refused_at_the_feature(
        portal: Path, tmp_path: Path, capsys):
    data = json.loads(boundaries_geojson(tmp_path / "b.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"] = {"name": feature["properties"]["LAD22NM"]}
    (tmp_path / "names.geojson").write_text('{"type": "FeatureCollection", "features": [\n'
                                            + ",\n".join(json.dumps(f) for f in data["features"]) + "\n]}\n", encoding="utf-8")
    said = _refused(portal, capsys, "import-boundaries", str(tmp_path / "names.geojson"))
    assert "names.geojson:2:1: features[0].properties: gives Casterbridge's name but no ONS code" in said
