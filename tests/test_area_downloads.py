"""A measure with figures by area: its own CSV has a column per area and `not_located` for every period, its
JSON has them for every period, and the data package describes the columns (checked with frictionless)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import frictionless
import pytest

from crimeportal.core.records import published_record
from crimeportal.site.publishing.downloads import AREA_PREFIX, NOT_LOCATED, area_columns, measure_csv
from crimeportal.site.publishing.open_data import table_schema
from crimeportal.source.validate import check_portal

REPO = Path(__file__).resolve().parents[1]
MEASURE = "police-uk-violence-and-sexual-offences"


@pytest.fixture(scope="module")
def metric():
    portal = check_portal(REPO).portal
    return next(m for m in portal.metrics if m.id == MEASURE)


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_every_district_and_not_located_for_every_period(metric):
    rows = _rows(measure_csv(metric))
    assert len(rows) == len(metric.observations) > 1
    areas = area_columns(metric)
    assert "basildon" in areas and len(areas) == 14
    for row, observation in zip(rows, metric.observations):
        assert [row[AREA_PREFIX + a] for a in areas] == [str(observation.by_area[a]) for a in areas]
        assert row[NOT_LOCATED] == str(observation.not_located)
        if metric.areas_add_up:
            assert sum(int(row[AREA_PREFIX + a]) for a in areas) + int(row[NOT_LOCATED]) == int(row["value"])


def test_the_json_has_the_figures_by_area_for_every_period(metric):
    record = json.loads(json.dumps(published_record(metric)))
    assert all(o["areas"].keys() == set(area_columns(metric)) and "not_located" in o for o in record["observations"])


def test_a_measure_without_areas_keeps_the_plain_columns():
    portal = check_portal(REPO).portal
    plain = next(m for m in portal.metrics if not area_columns(m))
    header = measure_csv(plain).decode("utf-8-sig").splitlines()[0]
    assert AREA_PREFIX not in header and NOT_LOCATED not in header


def test_frictionless_reads_the_csv_by_the_package_s_description_of_its_columns(metric, tmp_path):
    (tmp_path / "figures.csv").write_bytes(measure_csv(metric))
    schema = table_schema(metric)
    names = [f["name"] for f in schema["fields"]]
    assert names[-1] == NOT_LOCATED and f"{AREA_PREFIX}basildon" in names
    resource = frictionless.Resource(path="figures.csv", basepath=str(tmp_path), schema=frictionless.Schema.from_descriptor(schema))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    broken = measure_csv(metric).decode("utf-8-sig").replace(",19\n", ",nineteen\n", 1)
    (tmp_path / "figures.csv").write_text(broken, encoding="utf-8")
    assert not frictionless.Resource(path="figures.csv", basepath=str(tmp_path),
                                     schema=frictionless.Schema.from_descriptor(schema)).validate().valid
