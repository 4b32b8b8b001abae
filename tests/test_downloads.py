"""CSV downloads are safe to open in a spreadsheet (UTF-8 with a byte-order mark, periods that stay text, no
cell that runs as a formula) and say what each measure is; the JSON downloads keep every text exactly as written."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.core.conventions import ACTIONS_CSV_COLUMNS, PROGRESS_CSV_COLUMNS
from crimeportal.core.model import Metric, Observation
from crimeportal.site.publishing.downloads import (AREA_PREFIX, BOM, CSV_COLUMNS, FORMULA_STARTS, NOT_LOCATED, csv_period, last_day, metrics_csv,
                                                   spreadsheet_text)
from portal_files import copy_portal

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
METRIC = "knife-enabled-crime"
HOSTILE_NOTES = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "\tTab first", "\rReturn first",
                 "Fine until a spreadsheet splits here;=1+2"]
# validation refuses control characters in a note, so a built site can only hold the others
BUILDABLE_NOTES = [note for note in HOSTILE_NOTES if note[0] not in "\t\r"]
SAFE_NOTES = {  # what a spreadsheet is given, once the csv module has read the quoting
    '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
    "@SUM(1)": "'@SUM(1)",
    "+1": "'+1",
    "-1+2": "'-1+2",
    "\tTab first": "'\tTab first",
    "\rReturn first": "'\rReturn first",
    "Fine until a spreadsheet splits here;=1+2": "Fine until a spreadsheet splits here;=1+2",
}


def observations_yaml(notes: list[str]) -> str:
    return "".join(f"  - end: 2019-{month:02d}\n    value: {160 + month}\n    note: {json.dumps(note)}\n"
                   for month, note in enumerate(notes, start=1))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portal")
    copy_portal(root)
    metric = root / "data" / "metrics" / f"{METRIC}.yml"
    text = metric.read_text(encoding="utf-8").replace("period: rolling-3-months", "period: month")
    metric.write_text(text[: text.index("observations:")] + "observations:\n" + observations_yaml(BUILDABLE_NOTES),
                      encoding="utf-8")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return root / "site"


def csv_rows(path: Path) -> list[dict[str, str]]:
    # newline="" as the csv module asks, so that a carriage return inside a quoted cell survives; utf-8-sig
    # reads past the byte-order mark, as Excel does
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_csv_with_the_notes_has_them_neutralised(built):
    holding = {}
    for path in sorted(built.rglob("*.csv")):
        notes = [row["note"] for row in csv_rows(path) if row.get("metric") == METRIC]  # the plan's CSVs have no such column
        if notes:
            holding[path.relative_to(built).as_posix()] = notes
    assert {"data/all-metrics.csv", f"data/metrics/{METRIC}.csv"} <= set(holding)
    for path, notes in holding.items():
        assert notes == [SAFE_NOTES[note] for note in BUILDABLE_NOTES], path


def test_no_cell_of_any_csv_begins_a_formula(built):
    # the figures' files, and the delivery plan's (laid out as a partnership's return, or a quarter's progress)
    layouts = (CSV_COLUMNS, ACTIONS_CSV_COLUMNS, PROGRESS_CSV_COLUMNS)
    for path in built.rglob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
            # a measure with figures by area has a count column per area and not_located after the usual ones
            by_area = tuple(rows[0][:len(CSV_COLUMNS)]) == CSV_COLUMNS and all(
                c.startswith(AREA_PREFIX) for c in rows[0][len(CSV_COLUMNS):-1]) and rows[0][-1] == NOT_LOCATED
            columns = tuple(rows[0]) if by_area else next(layout for layout in layouts if tuple(rows[0]) == layout)
            for number, row in enumerate(rows, start=1):
                assert len(row) == len(columns), (path, number)
                text_cells = [cell for column, cell in zip(columns, row) if column not in ("value", "numerator", "denominator")
                              and not (number > 1 and (column.startswith(AREA_PREFIX) or column == NOT_LOCATED))]
                assert not any(cell.startswith(FORMULA_STARTS) for cell in text_cells), (path, number, row)


def test_a_neutralised_cell_is_quoted_in_the_file_itself(built):
    raw = (built / "data" / "metrics" / f"{METRIC}.csv").read_text(encoding="utf-8-sig")
    assert ',"\'@SUM(1)",' in raw and ',"\'+1",' in raw and ',"\'-1+2",' in raw
    assert ',"\'=HYPERLINK(""http://x"",""y"")",' in raw
    assert ',"Fine until a spreadsheet splits here;=1+2",' in raw


def test_the_json_downloads_keep_the_exact_text(built):
    mine = json.loads((built / "data" / "metrics" / f"{METRIC}.json").read_text(encoding="utf-8"))
    every = json.loads((built / "data" / "all-metrics.json").read_text(encoding="utf-8"))
    from_all = next(metric for metric in every if metric["id"] == METRIC)
    for record in (mine, from_all):
        assert [o["note"] for o in record["observations"]] == BUILDABLE_NOTES


def test_the_figures_stay_numbers(built):
    rows = [row for row in csv_rows(built / "data" / "all-metrics.csv") if row["metric"] == METRIC]
    assert [row["value"] for row in rows] == [str(160 + month) for month in range(1, len(BUILDABLE_NOTES) + 1)]


def metric_with(observations: list[Observation]) -> Metric:
    return Metric("m", "M", "s", "d", "rate", "neutral", "month", "src", observations)


def test_a_negative_figure_is_a_number_but_a_note_that_looks_like_one_is_text():
    text = metrics_csv([metric_with([Observation("2019-01", -3, note="-3", numerator=-1, denominator=2)])]).decode("utf-8-sig")
    assert text.splitlines()[1] == "m,M,s,rate,neutral,month,month of January 2019,2019-01-31,-3,final,\"'-3\",-1,2,false"


def test_a_figure_that_is_not_a_number_is_made_safe_as_text():
    text = metrics_csv([metric_with([Observation("2019-01", "=1+2")])]).decode("utf-8-sig")  # type: ignore[arg-type]
    assert list(csv.reader(io.StringIO(text)))[1][CSV_COLUMNS.index("value")] == "'=1+2"


def test_every_csv_starts_with_a_byte_order_mark_and_names_what_each_measure_is(built):
    plan_headers = {",".join(columns).encode() + b"\n" for columns in (ACTIONS_CSV_COLUMNS, PROGRESS_CSV_COLUMNS)}
    for path in built.rglob("*.csv"):
        content = path.read_bytes()
        assert content.startswith(b"\xef\xbb\xbf"), path
        header = content[3:].split(b"\n", 1)[0] + b"\n"
        # the delivery plan's files are laid out as the spreadsheets partners return; every other is a measure's
        assert content[3:].startswith(b"metric,title,strand,unit,polarity,period_type,") or header in plan_headers, path
    rows = [row for row in csv_rows(built / "data" / "all-metrics.csv")]
    assert {row["metric"] for row in rows} >= {METRIC, "hate-crime-solved-outcomes"}
    for row in rows:  # every row says what its measure is, so a percentage is never read as a count
        assert all(row[column] for column in ("metric", "title", "strand", "unit", "polarity", "period_type", "status"))
    knife = next(row for row in rows if row["metric"] == METRIC)
    assert (knife["title"], knife["unit"], knife["polarity"], knife["period_type"]) == (
        "Knife-enabled crime offences", "count", "lower-is-better", "month")
    assert (knife["period"], knife["period_end"]) == ("month of January 2019", "2019-01-31")


@pytest.mark.parametrize("end, period, words", [
    ("2019-07", "rolling-3-months", "3 months to July 2019"), ("2019-07", "quarter", "3 months to July 2019"),
    ("2019-02", "month", "month of February 2019"), ("2019-03", "financial-year", "financial year 2018/19"),
    ("2019-12", "year", "year 2019")])
def test_periods_in_words_are_never_a_bare_month_a_spreadsheet_would_read_as_a_date(end, period, words):
    assert csv_period(end, period) == words


@pytest.mark.parametrize("end, day", [("2019-07", "2019-07-31"), ("2019-02", "2019-02-28"), ("2020-02", "2020-02-29"),
                                      ("2019-04", "2019-04-30")])
def test_the_period_ends_on_the_last_day_of_its_last_month(end, day):
    assert last_day(end) == day


def test_a_pound_sign_and_a_dash_survive_as_utf8_after_the_mark():
    data = metrics_csv([metric_with([Observation("2019-01", 1, note="£65million – surge")])])
    assert data.startswith(BOM.encode()) and "£65million – surge".encode() in data


def test_cells_with_nothing_to_fear_are_written_as_the_csv_module_writes_them():
    notes = ["Plain words", "Commas, and \"quotes\"", "Two\nlines", "'Already quoted", "3 = three", None]
    observations = [Observation(f"2019-{i:02d}", i, "revised", note, 1, 2, bool(i % 2)) for i, note in enumerate(notes, 1)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in observations:
        writer.writerow(["m", "M", "s", "rate", "neutral", "month", csv_period(o.end, "month"), last_day(o.end),
                         o.value, o.status, o.note, o.numerator, o.denominator, str(o.suppressed).lower()])
    assert metrics_csv([metric_with(observations)]).decode("utf-8-sig") == buffer.getvalue()


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\t1", "\r1"])
def test_spreadsheet_text_puts_a_quote_before_each_formula_start(text):
    assert spreadsheet_text(text) == "'" + text
    assert spreadsheet_text("a" + text) == "a" + text
