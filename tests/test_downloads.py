"""CSV downloads are safe to open in a spreadsheet; the JSON downloads keep every text exactly as written."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.core.model import Metric, Observation
from crimeportal.site.downloads import CSV_COLUMNS, FORMULA_STARTS, metrics_csv, spreadsheet_text

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
    for name in ("content", "data", "schemas", "hooks", "overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    metric = root / "data" / "metrics" / f"{METRIC}.yml"
    text = metric.read_text(encoding="utf-8").replace("period: rolling-3-months", "period: month")
    metric.write_text(text[: text.index("observations:")] + "observations:\n" + observations_yaml(BUILDABLE_NOTES),
                      encoding="utf-8")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return root / "site"


def csv_rows(path: Path) -> list[dict[str, str]]:
    # newline="" as the csv module asks, so that a carriage return inside a quoted cell survives
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_csv_with_the_notes_has_them_neutralised(built):
    holding = {}
    for path in sorted(built.rglob("*.csv")):
        notes = [row["note"] for row in csv_rows(path) if row["metric"] == METRIC]
        if notes:
            holding[path.relative_to(built).as_posix()] = notes
    assert {"data/all-metrics.csv", f"data/metrics/{METRIC}.csv"} <= set(holding)
    for path, notes in holding.items():
        assert notes == [SAFE_NOTES[note] for note in BUILDABLE_NOTES], path


def test_no_cell_of_any_csv_begins_a_formula(built):
    for path in built.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                assert len(row) == len(CSV_COLUMNS), (path, number)
                text_cells = [cell for column, cell in zip(CSV_COLUMNS, row) if column not in ("value", "numerator", "denominator")]
                assert not any(cell.startswith(FORMULA_STARTS) for cell in text_cells), (path, number, row)


def test_a_neutralised_cell_is_quoted_in_the_file_itself(built):
    raw = (built / "data" / "metrics" / f"{METRIC}.csv").read_text(encoding="utf-8")
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
    text = metrics_csv([metric_with([Observation("2019-01", -3, note="-3", numerator=-1, denominator=2)])]).decode()
    assert text.splitlines()[1] == "m,2019-01,-3,final,\"'-3\",-1,2,false"


def test_a_figure_that_is_not_a_number_is_made_safe_as_text():
    text = metrics_csv([metric_with([Observation("2019-01", "=1+2")])]).decode()  # type: ignore[arg-type]
    assert list(csv.reader(io.StringIO(text)))[1][2] == "'=1+2"


def test_cells_with_nothing_to_fear_are_written_as_the_csv_module_writes_them():
    notes = ["Plain words", "Commas, and \"quotes\"", "Two\nlines", "'Already quoted", "3 = three", None]
    observations = [Observation(f"2019-{i:02d}", i, "revised", note, 1, 2, bool(i % 2)) for i, note in enumerate(notes, 1)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for o in observations:
        writer.writerow(["m", o.end, o.value, o.status, o.note, o.numerator, o.denominator, str(o.suppressed).lower()])
    assert metrics_csv([metric_with(observations)]).decode() == buffer.getvalue()


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@A1", "\t1", "\r1"])
def test_spreadsheet_text_puts_a_quote_before_each_formula_start(text):
    assert spreadsheet_text(text) == "'" + text
    assert spreadsheet_text("a" + text) == "a" + text
