"""Commands take time and memory in proportion to what they are given: 100,000 rows of add-period, an import of
20,000 months, and the figures they add written exactly as the YAML tool would write them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.editing.police_uk import NO_LOCATION, OUTSIDE, PUBLISHED_HEADER, Counts
from crimeportal.editing.yaml_edit import _dump, open_metric

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
REPO = Path(__file__).resolve().parents[1]
MONTHLY = ("police-uk-robbery", "police-uk-violence-and-sexual-offences", "police-uk-burglary",
           "police-uk-possession-of-weapons", "police-uk-anti-social-behaviour")


def _months(first_year: int, count: int) -> list[str]:
    return [f"{first_year + i // 12:04d}-{i % 12 + 1:02d}" for i in range(count)]


@pytest.mark.parametrize("path", sorted((REPO / "data" / "metrics").glob("*.yml")), ids=lambda p: p.stem)
def test_figures_added_quickly_are_written_exactly_as_the_yaml_tool_writes_them(path: Path, tmp_path: Path):
    copy = tmp_path / path.name
    shutil.copy2(path, copy)
    document = open_metric(copy, copy.name)
    assert not isinstance(document, type(None)) and hasattr(document, "add"), document
    values = [{"end": end, "value": 17 + i, "status": "provisional"} for i, end in enumerate(_months(2030, 60))]
    values[3] = {"end": values[3]["end"], "value": 4.25, "numerator": 17, "denominator": 400}
    values[7] = {"end": values[7]["end"], "value": None, "suppressed": True}
    values[9] = {"end": values[9]["end"], "value": 5, "areas": {"basildon": 2, "castle-point": 3}, "not_located": 0}
    values[11] = {"end": values[11]["end"], "value": 5, "note": "a note: with \"quotes\", yes"}
    for figure in values:
        document.add(figure)
    quick = document.text()
    whole = _dump(document.yaml, document.data)
    whole = whole.replace("\n", "\r\n") if document.crlf else whole
    assert quick == ("\ufeff" if document.bom else "") + whole


def test_add_period_takes_100000_rows_in_under_a_minute(portal_copy: Path):
    # 100,000 figures, 20,000 for each monthly measure: more than a metric file may hold, so refused at the end,
    # after every row was read, checked, planned and written out in memory
    rows = "".join(f"{metric},{end},{100 + i % 50}\n" for metric in MONTHLY for i, end in enumerate(_months(2019, 20_000)))
    csv = portal_copy / "big.csv"
    csv.write_text("metric,end,value\n" + rows, encoding="utf-8")
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(portal_copy), "add-period", str(csv), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("the file holds more than 20,000 values") == len(MONTHLY)

    # figures the files can hold are written, and the portal checks out afterwards
    others = sorted(p.stem for p in (portal_copy / "data" / "metrics").glob("*.yml") if p.stem not in MONTHLY)
    rows = "".join(f"{metric},{end},{40 + i % 7}\n" for metric in others for i, end in enumerate(_months(2020, 1_000)))
    csv.write_text("metric,end,value\n" + rows, encoding="utf-8")
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(portal_copy), "add-period", str(csv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "The portal's files check out" in done.stdout


def test_an_import_of_20000_months_is_linear_and_small(portal_copy: Path, tmp_path: Path):
    header = ",".join(PUBLISHED_HEADER)
    rows = [f"id{i:08d},{month},Essex Police,Essex Police,0.1,51.7,On or near X,E01000001,Harlow 001A,Burglary,,"
            for i, month in enumerate(_months(1000, 20_000))]
    files = tmp_path / "months.csv"
    files.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert subprocess.run([str(CRIMEPORTAL), "--root", str(portal_copy), "new", "metric", "--strand",
                           "house-burglary-and-street-robbery", "--title", "Test burglary", "--id", "test-burglary",
                           "--unit", "count", "--period", "month"], capture_output=True).returncode == 0
    command = [str(CRIMEPORTAL), "--root", str(portal_copy), "import", "police-uk", str(files), "--crime-type",
               "Burglary", "--metric", "test-burglary", "--check"]
    # the largest memory the command took, measured by a process that starts nothing else
    measure = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(done.stdout)")
    done = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, timeout=180)
    code, peak_kb = map(int, done.stdout.splitlines()[0].split())
    # more figures than a metric file may hold: refused at the end, after every month was counted and planned
    assert code == 1 and "test-burglary.yml:1:1: is 5,261,115 bytes long; a source file over 1,000,000" in done.stdout
    assert peak_kb < 300_000, f"the import took {peak_kb / 1000:.0f} MB"  # 711 MB before


def test_counts_by_month_equal_the_counts_asked_one_by_one():
    counts = Counts()
    for month, crime_type, place, n in [("2018-01", "Burglary", "harlow", 3), ("2018-01", "Burglary", OUTSIDE, 1),
                                        ("2018-02", "Burglary", NO_LOCATION, 2), ("2018-01", "Robbery", "harlow", 5)]:
        counts.by_place[(month, crime_type, place)] += n
    months = counts.by_month("Burglary")
    assert sorted(months) == ["2018-01", "2018-02"]
    for month, places in months.items():
        assert sum(places.values()) == counts.total(month, "Burglary")
        for place in ("harlow", OUTSIDE, NO_LOCATION):
            assert places[place] == counts.count(month, "Burglary", place)
