"""`crimeportal import police-uk`: its counts equal the reference summary, and it changes every file or none."""

from __future__ import annotations

import csv
import hashlib
import os
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from crimeportal.cli import main
from crimeportal.editing import EditRefused
from crimeportal.editing.import_police_uk import import_police_uk, read_mapping
from crimeportal.editing.police_uk import (NO_LOCATION, OUTSIDE, PUBLISHED_HEADER, SNAKE_HEADER, count_files,
                                           district_names)
from crimeportal.source.validate import load_portal
from payloads import POLICE_UK_MONTH_ROWS

ESSEX = (Path(__file__).parents[1] / "../shared/data/essex").resolve()
MONTH_FILES = sorted((ESSEX / "police-uk").glob("2018-0?-essex-street.csv")) if ESSEX.is_dir() else []
needs_essex = pytest.mark.skipif(len(MONTH_FILES) != 7, reason=f"the shared police.uk data is not beside the "
                                                                 f"repository ({ESSEX} has no seven monthly files)")
METRIC = "test-burglary"  # the portal has police-uk-burglary already
METRIC_FILE = f"data/metrics/{METRIC}.yml"


def _fingerprint(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _new_measure(root: Path, metric_id: str = METRIC, unit: str = "count", period: str = "month") -> None:
    code = main(["--root", str(root), "new", "metric", "--strand", "house-burglary-and-street-robbery", "--title",
                 f"Measure {metric_id}", "--id", metric_id, "--unit", unit, "--period", period])
    assert code == 0


def _row(month: str = "2018-01", lsoa: str = "Harlow 001A", crime_type: str = "Burglary") -> list[str]:
    return ["", month, "Essex Police", "Essex Police", "0.1", "51.7", "On or near X", "E01000001", lsoa, crime_type, "", ""]


def _write(path: Path, rows: list[list[str]], header=SNAKE_HEADER, newline: str = "\r\n", bom: bool = False) -> Path:
    text = newline.join(",".join(row) for row in [list(header), *rows]) + newline
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return path


@pytest.fixture
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside the portal's copy (which is tmp_path itself) for files to import."""
    return tmp_path_factory.mktemp("inputs")


# --------------------------------------------------------------------------- the reference summary


@needs_essex
def test_the_counts_equal_the_reference_summary_for_every_area_month_and_crime_type(portal_copy: Path):
    portal, _ = load_portal(portal_copy)
    districts = district_names(portal.areas)
    counts, problems = count_files(MONTH_FILES, [p.name for p in MONTH_FILES], districts)
    assert problems == []
    names = {area.name: area.id for area in portal.areas if area.kind == "district"}
    place = {**names, "Outside Essex districts": OUTSIDE, "No location": NO_LOCATION}
    checked = Counter()
    with open(ESSEX / "police-uk-summary.csv", newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            month, area, crime_type, expected = row["month"], row["area"], row["crime_type"], int(row["count"])
            if area == "Essex Police (all)":
                assert counts.total(month, crime_type) == expected, (month, crime_type)
            else:
                assert counts.count(month, crime_type, place[area]) == expected, (month, area, crime_type)
            checked[area] += 1
    assert len(checked) == 17 and set(checked.values()) == {7 * 14}
    assert counts.rows == 115_065 and counts.files == 7


@needs_essex
def test_the_import_writes_the_summary_figures_and_check_writes_nothing(portal_copy: Path, capsys):
    _new_measure(portal_copy)
    before = _fingerprint(portal_copy)
    args = ["--root", str(portal_copy), "import", "police-uk", *map(str, MONTH_FILES), "--crime-type", "Burglary",
            "--metric", METRIC]
    capsys.readouterr()
    assert main([*args, "--check"]) == 0
    out = capsys.readouterr().out
    assert "would add 2018-01, 2018-02, 2018-03, 2018-04, 2018-05, 2018-06, 2018-07" in out
    assert "  2018-01     1,091         1,087             4            0" in out
    assert _fingerprint(portal_copy) == before  # byte for byte
    assert main(args) == 0
    portal, problems = load_portal(portal_copy)
    metric = portal.metric(METRIC)
    assert metric.areas_add_up is True
    january = metric.observations[0]
    assert (january.end, january.value, january.not_located) == ("2018-01", 1091, 4)
    assert january.by_area == {"basildon": 136, "braintree": 75, "brentwood": 64, "castle-point": 33, "chelmsford": 94,
                               "colchester": 113, "epping-forest": 132, "harlow": 52, "maldon": 24, "rochford": 42,
                               "tendring": 46, "uttlesford": 50, "southend-on-sea": 117, "thurrock": 109}
    assert [o.end for o in metric.observations] == [f"2018-0{m}" for m in range(1, 8)]
    assert sum(o.value for o in metric.observations) == 6918
    text = (portal_copy / METRIC_FILE).read_text(encoding="utf-8")
    assert "    areas: {basildon: 136, braintree: 75, brentwood: 64," in text  # one line per period
    # the same files again: nothing changes
    written = _fingerprint(portal_copy)
    assert main(args) == 0
    assert _fingerprint(portal_copy) == written


# --------------------------------------------------------------------------- reading files


@pytest.mark.parametrize("header, newline, bom", [(PUBLISHED_HEADER, "\r\n", False), (SNAKE_HEADER, "\n", False),
                                                  (PUBLISHED_HEADER, "\n", True), (SNAKE_HEADER, "\r\n", True)])
def test_both_headers_either_line_end_and_a_byte_order_mark_are_read(inputs: Path, header, newline, bom):
    path = _write(inputs / "a.csv", [_row(), _row("2018-02", "Castle Point 012A"), _row(lsoa=""),
                                       _row(lsoa="Havering 020B")], header, newline, bom)
    counts, problems = count_files([path], ["a.csv"], {"harlow": "harlow", "castle point": "castle-point"})
    assert problems == []
    assert counts.by_place == Counter({("2018-01", "Burglary", "harlow"): 1, ("2018-02", "Burglary", "castle-point"): 1,
                                       ("2018-01", "Burglary", NO_LOCATION): 1, ("2018-01", "Burglary", OUTSIDE): 1})


def test_a_wrong_header_is_reported_at_line_1(inputs: Path):
    path = _write(inputs / "a.csv", [_row()], header=("metric", "end", "value"))
    _, problems = count_files([path], ["a.csv"], {})
    assert [(p.file, p.line, p.message.split(":")[0]) for p in problems] == [
        ("a.csv", 1, "the first line is not the header of a police.uk street-level crime file")]
    assert problems[0].message.endswith("found metric,end,value")


def test_a_bad_month_and_a_short_row_are_reported_at_their_lines(inputs: Path):
    path = _write(inputs / "a.csv", [_row(), _row("Jan 2018"), _row()[:11], _row(lsoa="Harlow")], newline="\n")
    _, problems = count_files([path], ["a.csv"], {"harlow": "harlow"})
    assert [(p.line, p.field, p.message) for p in problems] == [
        (3, "Month", "must be a month written YYYY-MM, such as 2018-01; found 'Jan 2018'"),
        (4, "", "this row has 11 fields; a police.uk street-level row has 12"),
        (5, "LSOA name", "'Harlow' does not end in an LSOA code such as 012A, so its district cannot be told")]


def test_a_file_of_the_wrong_kind_reports_a_few_rows_and_how_many_more(inputs: Path):
    path = _write(inputs / "a.csv", [_row("x")] * 100)
    _, problems = count_files([path], ["a.csv"], {})
    assert len(problems) == 21
    assert problems[-1].message == "and 80 more rows with problems (100 in all): is this a police.uk street-level file?"


def test_memory_does_not_grow_with_the_number_of_files(inputs: Path):
    # rows without a Crime ID, as anti-social behaviour's are: 20 downloads of the same year keep nothing per row
    rows = [_row(f"2018-{m:02d}", f"Harlow {n:03d}A") for m in range(1, 13) for n in range(200)]
    files = [_write(inputs / f"download-{n}.csv", rows) for n in range(20)]

    def peak(files: list[Path]) -> int:
        tracemalloc.start()
        counts, problems = count_files(files, [f.name for f in files], {"harlow": "harlow"})
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert problems == [] and counts.rows == len(rows) and counts.repeated == len(rows) * (len(files) - 1)
        return top

    assert peak(files) < peak(files[:1]) * 1.5  # 20 times the rows, about the same memory


# --------------------------------------------------------------------------- each record once


def _month_file(path: Path) -> Path:
    return _write(path, POLICE_UK_MONTH_ROWS)


def test_a_file_named_twice_is_refused_in_plain_words(inputs: Path, portal_copy: Path, capsys):
    _new_measure(portal_copy)
    path = _month_file(inputs / "2018-01-essex-street.csv")
    before = _fingerprint(portal_copy)
    capsys.readouterr()
    os.link(path, inputs / "copy.csv")  # the same file under another name
    code = main(["--root", str(portal_copy), "import", "police-uk", str(path), str(path), str(inputs / "copy.csv"),
                 "--crime-type", "Burglary", "--metric", METRIC])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{path.as_posix()}:1:1: this file is named twice: give each file once, or its records would be counted " \
           "twice" in out
    assert f"{inputs.as_posix()}/copy.csv:1:1: this file is named twice (as {path.as_posix()})" in out
    assert "Traceback" not in out
    assert _fingerprint(portal_copy) == before


def test_two_downloads_of_a_month_count_each_record_once(inputs: Path):
    first = _month_file(inputs / "2018-01-essex-street.csv")
    second = _month_file(inputs / "essex-january-2018 (1).csv")
    counts, problems = count_files([first, second], [first.name, second.name], {"harlow": "harlow"})
    assert problems == []
    assert counts.count("2018-01", "Burglary", "harlow") == 2  # the same two Crime IDs in both files
    assert counts.count("2018-01", "Anti-social behaviour", "harlow") == 2  # the first file's, not both
    assert (counts.rows, counts.repeated) == (4, 4)


def test_records_without_a_crime_id_of_other_months_and_forces_are_all_counted(inputs: Path):
    january = _month_file(inputs / "january.csv")
    february_rows = [[""] + row[1:] for row in POLICE_UK_MONTH_ROWS]
    for row in february_rows:
        row[1] = "2018-02"
    february = _write(inputs / "february.csv", february_rows)
    counts, problems = count_files([january, february], ["january.csv", "february.csv"], {"harlow": "harlow"})
    assert problems == [] and (counts.rows, counts.repeated) == (8, 0)


def test_the_command_says_how_many_rows_it_counted_once(inputs: Path, portal_copy: Path, capsys):
    _new_measure(portal_copy)
    first = _month_file(inputs / "a.csv")
    second = _month_file(inputs / "b.csv")
    capsys.readouterr()
    assert main(["--root", str(portal_copy), "import", "police-uk", str(first), str(second), "--crime-type", "Burglary",
                 "--metric", METRIC]) == 0
    out = capsys.readouterr().out
    assert "Read 2 files: 4 records, 2018-01 to 2018-01." in out
    assert "4 rows repeated a record already read" in out
    assert load_portal(portal_copy)[0].metric(METRIC).observations[0].value == 2


# --------------------------------------------------------------------------- all or nothing


def test_a_crime_type_no_row_has_is_refused_naming_those_there_are(portal_copy: Path, inputs: Path):
    _new_measure(portal_copy)
    path = _write(inputs / "a.csv", [_row()])
    with pytest.raises(EditRefused, match="no row of the files has the crime type 'Burglery'; the crime types in them are Burglary"):
        import_police_uk(portal_copy, [path], {"Burglery": METRIC})


def test_only_a_count_measure_by_month_takes_police_uk_figures(portal_copy: Path, inputs: Path):
    _new_measure(portal_copy, unit="count", period="quarter")
    with pytest.raises(EditRefused, match="is a count measure by quarter; police.uk's records go into a count measure by month"):
        import_police_uk(portal_copy, [_write(inputs / "a.csv", [_row()])], {"Burglary": METRIC})


def test_one_measure_refused_means_no_file_is_written(portal_copy: Path, inputs: Path):
    _new_measure(portal_copy)
    _new_measure(portal_copy, "test-robbery")
    files = [_write(inputs / "a.csv", [_row(), _row(crime_type="Robbery")])]
    import_police_uk(portal_copy, files, {"Robbery": "test-robbery"})
    before = _fingerprint(portal_copy)
    changed = [_write(inputs / "b.csv", [_row(), _row(crime_type="Robbery"), _row(crime_type="Robbery")])]
    with pytest.raises(EditRefused) as refused:
        import_police_uk(portal_copy, changed, {"Burglary": METRIC, "Robbery": "test-robbery"})
    assert [p.message for p in refused.value.problems] == [
        "2018-01 is already there with other figures (1); the files give 2: to replace them, run the import again with --revise"]
    assert _fingerprint(portal_copy) == before
    import_police_uk(portal_copy, changed, {"Burglary": METRIC, "Robbery": "test-robbery"}, revise=True)
    robbery = load_portal(portal_copy)[0].metric("test-robbery").observations[0]
    assert (robbery.value, robbery.status, robbery.by_area["harlow"]) == (2, "revised", 2)


@pytest.mark.parametrize("name, text", [("map.yml", "Burglary: test-burglary\nRobbery: test-robbery\n"),
                                        ("map.csv", "crime_type,metric\r\nBurglary,test-burglary\r\nRobbery,test-robbery\r\n")])
def test_a_mapping_file_imports_several_measures_at_once(portal_copy: Path, inputs: Path, name: str, text: str):
    _new_measure(portal_copy)
    _new_measure(portal_copy, "test-robbery")
    (inputs / name).write_text(text, encoding="utf-8")
    assert read_mapping(inputs / name, portal_copy) == {"Burglary": METRIC, "Robbery": "test-robbery"}
    csv_file = _write(inputs / "a.csv", [_row(), _row(crime_type="Robbery", lsoa="")])
    code = main(["--root", str(portal_copy), "import", "police-uk", str(csv_file), "--mapping", str(inputs / name)])
    assert code == 0
    portal, problems = load_portal(portal_copy)
    assert problems == []
    robbery = portal.metric("test-robbery").observations[0]
    assert (robbery.value, robbery.not_located, sum(robbery.by_area.values())) == (1, 1, 0)


def test_a_mapping_giving_one_measure_twice_is_refused(portal_copy: Path, inputs: Path):
    (inputs / "map.csv").write_text("crime_type,metric\nBurglary,x\nRobbery,x\n", encoding="utf-8")
    with pytest.raises(EditRefused, match="each measure takes one crime type; x is given more than once"):
        read_mapping(inputs / "map.csv", portal_copy)


ESSEX_MEASURES = {"Burglary": "police-uk-burglary", "Robbery": "police-uk-robbery",
                  "Violence and sexual offences": "police-uk-violence-and-sexual-offences",
                  "Possession of weapons": "police-uk-possession-of-weapons",
                  "Anti-social behaviour": "police-uk-anti-social-behaviour"}


@needs_essex
def test_the_portals_police_uk_measures_hold_the_reference_summary(portal_copy: Path):
    portal, problems = load_portal(portal_copy)
    assert problems == []
    ids = {area.name: area.id for area in portal.areas if area.kind == "district"}
    expected: dict[tuple[str, str], dict[str, int]] = {}
    with open(ESSEX / "police-uk-summary.csv", newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            expected.setdefault((row["crime_type"], row["month"]), {})[row["area"]] = int(row["count"])
    for crime_type, metric_id in ESSEX_MEASURES.items():
        metric = portal.metric(metric_id)
        assert metric.unit == "count" and metric.period == "month" and metric.areas_add_up is True
        assert "Open Government Licence v3.0" in metric.source
        assert [o.end for o in metric.observations] == [f"2018-0{m}" for m in range(1, 8)]
        for o in metric.observations:
            summary = expected[(crime_type, o.end)]
            assert o.value == summary["Essex Police (all)"]
            assert o.by_area == {ids[name]: summary[name] for name in ids}
            assert o.not_located == summary["Outside Essex districts"] + summary["No location"]


def test_the_command_needs_a_crime_type_and_measure_or_a_mapping(portal_copy: Path, inputs: Path, capsys):
    path = _write(inputs / "a.csv", [_row()])
    base = ["--root", str(portal_copy), "import", "police-uk", str(path)]
    capsys.readouterr()
    assert main([*base, "--crime-type", "Burglary"]) == 1
    assert "say what to import: --crime-type \"Burglary\" --metric ID, or --mapping FILE" in capsys.readouterr().err
    assert main([*base, "--mapping", str(path), "--metric", METRIC]) == 1
    assert "give either --mapping, or --crime-type with --metric, not both" in capsys.readouterr().err


def test_a_wrong_file_is_reported_at_its_line_and_nothing_is_written(portal_copy: Path, inputs: Path, capsys):
    _new_measure(portal_copy)
    before = _fingerprint(portal_copy)
    path = _write(inputs / "a.csv", [_row(), _row("2018-13")], newline="\n")
    capsys.readouterr()
    code = main(["--root", str(portal_copy), "import", "police-uk", str(path), "--crime-type", "Burglary", "--metric", METRIC])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{path.as_posix()}:3:1: Month: must be a month written YYYY-MM, such as 2018-01; found '2018-13'" in captured.out
    assert "nothing was written" in captured.err
    assert _fingerprint(portal_copy) == before
