"""Reading a CSV of figures, as spreadsheets save it, and checking each row on its own.

Every mistake is a located `Problem` naming the CSV's line and column, in words an editor can act on without
knowing what CSV or UTF-8 mean beyond the name of the menu item that saves them.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..core.commands import command
from ..core.encodings import UTF16_MARKS, bad_bytes
from ..core.conventions import MAX_CSV_BYTES, METRIC_SUFFIX, METRICS_DIR, MONTH_PATTERN
from ..core.model import BREAKDOWN_FIELDS, OBSERVATION_STATUSES, Metric, Observation
from ..core.problems import Problem
from ..source.load import read_at_most, size_words
from ..source.rules import number_length_problem, range_problem
from . import EditRefused
from .spreadsheet_dates import meant_month

OBSERVATION_KEYS = tuple(f.name for f in fields(Observation))  # the order a figure's keys are written in its file
REQUIRED_COLUMNS = ("metric", "end", "value")
# figures by area come from an import (crimeportal import police-uk), not from a quarter's spreadsheet
OPTIONAL_COLUMNS = tuple(key for key in OBSERVATION_KEYS if key not in REQUIRED_COLUMNS + BREAKDOWN_FIELDS)
SAVE_AS_CSV = "'CSV UTF-8 (Comma delimited)'"  # the menu item's name in Excel

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\Z")
_WHOLE = re.compile(r"^\d+\Z")


@dataclass
class Row:
    """One line of the CSV: its cells by column name."""

    file: str  # the CSV as shown in messages
    line: int
    cells: dict[str, str]
    columns: tuple[str, ...] = ()  # the header row's names, in order: where each cell is

    def problem(self, column: str, message: str) -> Problem:
        """A problem in one cell, named as a spreadsheet shows it: 'column 3 (value)'; or in the whole row."""
        if column and column in self.columns:
            number = self.columns.index(column) + 1
            return Problem(self.file, self.line, number, f"column {number} ({column})", message)
        return Problem(self.file, self.line, 1, column, message)


@dataclass
class Figure:
    """One CSV row, checked: a figure ready to go into its metric's file."""

    row: Row
    metric: str
    end: str
    values: dict[str, Any]  # observation fields in file order; "end" and "value" always present

    @property
    def line(self) -> int:
        return self.row.line


def table_rows(records: list[tuple[int, list[str]]], columns: list[str], shown_as: str,
               inside: str) -> tuple[list[Row], list[Problem]]:
    """Each record below the header as a Row of its named cells, and a problem for each row with a filled cell
    beyond the header's columns (`inside`: what a stray comma is probably inside, as the message says)."""
    rows, problems = [], []
    for line, cells in records[1:]:
        row = Row(shown_as, line, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name},
                  tuple(columns))
        # spreadsheets often save empty columns after the real ones: only a filled cell there is a mistake
        if any(cell.strip() and (i >= len(columns) or not columns[i]) for i, cell in enumerate(cells)):
            problems.append(row.problem("", f"this row has {len(cells)} cells but the header row has {len(columns)} columns; "
                                            f"is there a comma inside {inside}? Put such a note in double quotes"))
        else:
            rows.append(row)
    return rows, problems


def parse_number(text: str) -> int | float | None:
    """A figure as people type it, 1,948 or 46.3; None when it is not a plain number."""
    if number_length_problem(text) or not _NUMBER.match(text):  # never converted: see number_length_problem
        return None
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


# --- reading the file --------------------------------------------------------------------------------------


def read_rows(path: Path, shown_as: str) -> list[Row]:
    """The CSV's data rows with their line numbers; `EditRefused` when the file cannot be read as figures."""
    hint = "" if path.suffix.lower() == ".csv" else " Is it a CSV file?"
    records = _records(path, shown_as, hint)
    if not records:
        raise _refused(Row(shown_as, 1, {}), "the file is empty: it needs a header row, metric,end,value, and one row per figure")
    header_line, header = records[0]
    columns = [name.strip().lower() for name in header]
    problems = _header_problems(columns, Row(shown_as, header_line, {}, tuple(columns)), hint)
    if problems:
        raise EditRefused.because(problems)
    rows, problems = table_rows(records, columns, shown_as, "a figure or a note")
    if problems:
        raise EditRefused.because(problems)
    if not rows:
        raise _refused(Row(shown_as, header_line, {}), "the file has a header row but no figures below it")
    return rows


def _refused(at: Row, message: str) -> EditRefused:
    return EditRefused.because([at.problem("", message)])


def _records(path: Path, shown_as: str, hint: str) -> list[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on; a quoted cell may run over several lines."""
    return text_records(_text(path, shown_as), shown_as, hint)


def text_records(text: str, shown_as: str, hint: str = "", delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """A CSV's text (as `csv_text` reads it) as its non-blank records, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            records.append((start, record))
    except csv.Error as error:
        raise _refused(Row(shown_as, reader.line_num or 1, {}), f"{_csv_words(str(error))}.{hint}") from None
    return [(line, cells) for line, cells in records if any(cell.strip() for cell in cells)]


def too_large_words(limit: int) -> str:
    """Why a CSV past `limit` is refused, in the words of the person who chose it."""
    return (f"the file is larger than {size_words(limit)}, the most a CSV given to a command may be (a quarter's "
            f"figures or a partnership's return is a few kilobytes; 100,000 rows about 4 MB): is it the right file? "
            "It was not read further")


def _csv_words(complaint: str) -> str:
    """Python's csv complaint as the mistake behind it."""
    if "expected after" in complaint:
        return ("a cell goes on after its closing quote: a quote mark inside a quoted cell is written twice (\"\"), "
                "as spreadsheets save it")
    if "end of data" in complaint:
        return "a quote opened in this line is never closed: close it, or remove it"
    if "field larger" in complaint:
        return "a cell here is far too long to be a figure or a note: is a quote mark missing?"
    return "this line cannot be read as CSV: check the quotes in it"


def csv_text(path: Path, shown_as: str) -> str:
    """A CSV's text as a spreadsheet saved it (a byte-order mark dropped), or EditRefused saying why it cannot be
    read: too large, UTF-16, a workbook, not UTF-8. Shared by every command that reads an editor's CSV."""
    return _text(path, shown_as)


def _text(path: Path, shown_as: str) -> str:
    try:
        raw = read_at_most(path, MAX_CSV_BYTES)
    except OSError as error:
        raise _refused(Row(shown_as, 1, {}), f"the file could not be read: {error.strerror or error}") from None
    if raw is None:
        raise _refused(Row(shown_as, 1, {}), too_large_words(MAX_CSV_BYTES))
    if raw.startswith(UTF16_MARKS):
        raise _refused(Row(shown_as, 1, {}), f"the file is saved as Unicode Text (UTF-16). Save it from the spreadsheet "
                                             f"as {SAVE_AS_CSV}")
    if b"\0" in raw:
        raise _refused(Row(shown_as, 1, {}), "this is not a CSV file: it holds binary data, as an Excel workbook does. "
                                             f"Save it from the spreadsheet as {SAVE_AS_CSV}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = bad_bytes(raw, error)
        raise _refused(Row(shown_as, bad.line, {}), f"the file is not saved as UTF-8 text: {bad.described()}. Save it "
                                                    f"from the spreadsheet as {SAVE_AS_CSV}") from None


def _header_problems(columns: list[str], header: Row, hint: str) -> list[Problem]:
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if len(columns) == 1 and ";" in columns[0]:
        return [header.problem("", "the columns are separated by semicolons: save the file as CSV with commas, "
                                   f"{SAVE_AS_CSV} in Excel")]
    if not set(columns) & set(known):
        return [header.problem("", "this does not look like a CSV of figures: its first line must be the header row, "
                                   f"metric,end,value (optionally with {','.join(OPTIONAL_COLUMNS)}).{hint}")]
    problems = [header.problem(name, "is a column name that appears twice in the header row; remove one")
                for name in sorted(set(columns) - {""}) if columns.count(name) > 1]
    for name in columns:
        if name and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            problems.append(header.problem(name, f"is not a column add-period knows; {guess}the columns are {', '.join(known)}"))
    problems += [header.problem(name, "is missing: the first line must be the header row, with at least the columns "
                                      f"metric, end and value.{hint}") for name in REQUIRED_COLUMNS if name not in columns]
    return problems


# --- checking a row ------------------------------------------------------------------------------------------


def check_row(row: Row, metrics: dict[str, Metric], broken: set[str]) -> tuple[Figure | None, list[Problem]]:
    """One row checked on its own, with its problems; no figure when its metric or period is wrong.

    The order of periods is checked later, per metric, for the rows that have both.
    """
    cells = row.cells
    metric_id, end = cells["metric"], cells["end"]
    metric = metrics.get(metric_id)
    found = [("metric", _metric_problem(metric_id, metrics, broken)), ("end", _end_problem(end))]
    placed = not any(message for _, message in found)
    suppressed, flag_problem = _flag(cells.get("suppressed", ""))
    value, value_problem = _value(cells["value"], metric, suppressed)
    found += [("suppressed", flag_problem), ("value", value_problem)]
    values: dict[str, Any] = {"end": end, "value": value}
    status = cells.get("status", "")
    if status and status.lower() not in OBSERVATION_STATUSES:
        found.append(("status", f"must be one of {', '.join(OBSERVATION_STATUSES)}, or empty for final; found '{status}'"))
    if status:
        values["status"] = status.lower()  # Final and PROVISIONAL, as spreadsheets capitalise them, mean the same
    if cells.get("note"):
        values["note"] = cells["note"]
    numbers, number_problems = _whole_numbers(cells)
    values.update(numbers)
    found += number_problems
    if values.get("numerator", 0) > values.get("denominator", float("inf")):
        found.append(("numerator", f"{values['numerator']} is larger than the denominator {values['denominator']}"))
    if suppressed:
        values["suppressed"] = True
    problems = [row.problem(column, message) for column, message in found if message]
    return (Figure(row, metric_id, end, values) if placed else None), problems


def _metric_problem(metric_id: str, metrics: dict[str, Metric], broken: set[str]) -> str | None:
    if metric_id in metrics and metric_id not in broken:
        return None  # the usual case, checked first: it is every row of a long CSV
    file = f"{(METRICS_DIR / metric_id).as_posix()}{METRIC_SUFFIX}"
    if not metric_id:
        return "is empty: give the metric's id, such as knife-enabled-crime"
    if metric_id in broken:
        return f"{file} has problems of its own; fix them first ({command('validate', file)} lists them)"
    if metric_id not in metrics:
        close = difflib.get_close_matches(metric_id, list(metrics), n=1)
        guess = f"; did you mean '{close[0]}'?" if close else ""
        return f"there is no metric '{metric_id}' (no file {file}){guess}"
    return None


def _end_problem(end: str) -> str | None:
    if MONTH_PATTERN.match(end):
        return None
    if not end:
        return "must be the last month the figure covers, written YYYY-MM, such as 2019-10; it is empty"
    meant = meant_month(end)
    if meant is None:
        return f"must be the last month the figure covers, written YYYY-MM, such as 2019-10; found '{end}'"
    return (f"must be the last month the figure covers, written YYYY-MM; found '{end}', which looks like {meant} "
            f"turned into a date by the spreadsheet: type {meant} in a column formatted as Text (in Excel: select "
            f"the column, Format Cells, Text), or type it as '{meant} with an apostrophe first")


def _flag(text: str) -> tuple[bool, str | None]:
    if text.lower() in ("", "false", "no"):
        return False, None
    if text.lower() in ("true", "yes"):
        return True, None
    return False, f"must be true or empty; found '{text}'"


def _value(text: str, metric: Metric | None, suppressed: bool) -> tuple[int | float | None, str | None]:
    """The figure, or None when it is withheld or wrong; and what is wrong with it."""
    if suppressed:
        return None, (f"must be empty when suppressed is true (the figure is withheld); found '{text}'" if text else None)
    if not text:
        return None, "is empty: give the figure, or write true in a suppressed column if it is withheld to protect people"
    if (too_long := number_length_problem(text)):  # before converting: Python refuses over 4,300 digits
        return None, too_long
    number = parse_number(text)
    if number is None:
        tip = ": write it without the % sign" if text.endswith("%") else ", such as 176 or 46.43"
        return None, f"must be a number{tip}; found '{text}'"
    if metric is None:
        return number, None
    if message := range_problem(metric.unit, number):
        return number, f"{metric.id} is measured as a {metric.unit}: {message}"
    return (int(number) if metric.unit == "count" else number), None


def _whole_numbers(cells: dict[str, str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The numerator and denominator given, and (column, message) for each that is not a whole number in range."""
    numbers, problems = {}, []
    for name, least in (("numerator", 0), ("denominator", 1)):
        text = cells.get(name, "").replace(",", "")
        if (too_long := number_length_problem(text)):
            problems.append((name, too_long))
        elif text and (not _WHOLE.match(text) or int(text) < least):
            problems.append((name, f"must be a whole number, {least} or more; found '{cells[name]}'"))
        elif text:
            numbers[name] = int(text)
    return numbers, problems
