"""The downloadable data: each metric and all metrics as CSV and JSON, and the schemas.

The CSV files are for spreadsheets: they start with a UTF-8 byte-order mark, without which Excel on
Windows reads the text in its own older encoding and garbles a £ or a dash; every row says what its
measure is (title, strand, unit, polarity, period type), so a percentage is never mistaken for a count;
the period is written in words, which spreadsheets keep as text, beside its last day as an ISO date,
which they read as the right date (unlike `2019-07`, which Excel turns into the 1st of July); and a text
cell that a spreadsheet would run as a formula is neutralised (`spreadsheet_text`). The JSON files hold
the data files' text unchanged.
"""

from __future__ import annotations

import calendar
import json
from typing import Any, Iterable

from ...core.formats import period_words
from ...core.model import Metric, Observation

CSV_COLUMNS = ("metric", "title", "strand", "unit", "polarity", "period_type", "period", "period_end", "value",
               "status", "note", "numerator", "denominator", "suppressed")
BOM = "\ufeff"  # UTF-8's byte-order mark, which tells Excel the file is UTF-8


def to_json(data: Any) -> bytes:
    # compact, not indented: Python's fast JSON encoder is used only without indentation
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def metrics_csv(metrics: list[Metric]) -> bytes:
    """One row per figure, each saying what its measure is; every text cell is safe to open in a spreadsheet."""
    return csv_of(metric_rows(metric) for metric in metrics)


def csv_of(rows: Iterable[str]) -> bytes:
    """The CSV file of these measures' rows (each measure's from `metric_rows`), with its header."""
    return (BOM + _row([_text(column) for column in CSV_COLUMNS]) + "".join(rows)).encode()


def metric_rows(metric: Metric) -> str:
    """A measure's rows of the CSV files, one per figure."""
    return "".join(_row(_cells(metric, o)) for o in metric.observations)


def _cells(metric: Metric, o: Observation) -> list[str]:
    about = [_text(metric.id), _text(metric.title), _text(metric.strand), _text(metric.unit),
             _text(metric.polarity), _text(metric.period)]
    return about + [_text(csv_period(o.end, metric.period)), _text(last_day(o.end)), _number(o.value),
                    _text(o.status), _text(o.note), _number(o.numerator), _number(o.denominator),
                    "true" if o.suppressed else "false"]


NOT_LOCATED = "not_located"
AREA_PREFIX = "area:"  # a column of figures for one area: `area:basildon`, never mistaken for the columns above


def area_columns(metric: Metric) -> list[str]:
    """The area ids of a measure's figures by area, in the order its file first names them (empty without any)."""
    seen: dict[str, None] = {}
    for observation in metric.observations:
        seen.update((area, None) for area, _ in observation.areas)
    return list(seen)


def measure_csv(metric: Metric) -> bytes:
    """A measure's own CSV: the rows of all-metrics.csv, and for a measure with figures by area a column for each
    area and one for `not_located`, filled for every period that has them. all-metrics.csv keeps one set of
    columns for every measure, so only a measure's own file is this wide."""
    areas = area_columns(metric)
    if not areas:
        return csv_of([metric_rows(metric)])
    header = [_text(column) for column in CSV_COLUMNS] + [_text(AREA_PREFIX + a) for a in areas] + [NOT_LOCATED]
    rows = []
    for o in metric.observations:
        by_area = o.by_area
        rows.append(_row(_cells(metric, o) + [_number(by_area.get(a)) for a in areas] + [_number(o.not_located)]))
    return (BOM + _row(header) + "".join(rows)).encode()


def json_list(items: Iterable[bytes]) -> bytes:
    """A JSON list of items each written by `to_json`: the bytes `to_json` gives the list itself."""
    return b"[" + b",".join(item.rstrip(b"\n") for item in items) + b"]\n"


def csv_period(end: str, period: str) -> str:
    """The period in words that no spreadsheet reads as a date: 'July 2019' alone would become 1 July 2019."""
    words = period_words(end, period)
    return f"month of {words}" if period == "month" else words


def last_day(end: str) -> str:
    """'2019-07' -> '2019-07-31': the last day the period covers, as an ISO date."""
    year, month = (int(part) for part in end.split("-"))
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a spreadsheet may take to end a cell, whichever separator it guesses: a text cell holding one is
# quoted, so that nothing after it can begin a cell of its own.
_CELL_ENDS = (",", ";", "\t", '"', "\r", "\n")


def spreadsheet_text(text: str) -> str:
    """Text as a spreadsheet must receive it to show it rather than run it: `=SUM(1)` becomes `'=SUM(1)`.

    OWASP's advice: a text cell beginning with =, +, -, @, a tab or a carriage return gets a single
    quote in front, which spreadsheets read as "this cell is text" and do not show, and the cell is
    quoted. Only text is changed (the metric id, period, status and note, and the header): the figures
    (value, numerator, denominator) are numbers the portal writes itself, so a value of -3 stays -3.
    The JSON downloads are not changed: they hold every text exactly as the data files do.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value: str | None) -> str:
    if value is None:
        return ""
    safe = spreadsheet_text(value)
    if safe != value or any(end in safe for end in _CELL_ENDS):
        return '"' + safe.replace('"', '""') + '"'  # RFC 4180's quoting
    return safe


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _text(str(value))  # not a number (the schema forbids it): then it is text, and made safe as text


def _row(cells: list[str]) -> str:
    return ",".join(cells) + "\n"
