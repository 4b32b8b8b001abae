"""Editors' routine changes as single commands: scaffold a metric or a strand page, add a quarter's figures.

Every change is checked in full before anything is written, so a mistake leaves every file as it was. Metric
files are changed through ruamel.yaml's round trip, which keeps comments, key order, quoting and layout: adding
a figure adds only its own lines. Each file is written to a temporary file beside it and then renamed over it.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..core.conventions import ID_PATTERN, METRICS_DIR, MONTH_PATTERN, SCHEMA_LINE_METRIC, SCHEMA_LINE_STRAND, SCHEMAS_DIR, STRANDS_DIR
from ..core.model import OBSERVATION_STATUSES, PERIODS, POLARITIES, STRAND_STATUSES, UNITS, Metric
from ..core.problems import count_words, Problem, format_problems
from ..source.validate import _range_problem, load_portal

EXIT_OK, EXIT_PROBLEMS = 0, 1  # the same codes as the rest of the crimeportal command
COMMANDS = ("new", "add-period")
REQUIRED_COLUMNS = ("metric", "end", "value")
OPTIONAL_COLUMNS = ("status", "note", "numerator", "denominator", "suppressed")
OBSERVATION_KEYS = ("end", "value", "status", "note", "numerator", "denominator", "suppressed")
PLACEHOLDER_NOTE = "Placeholder: no figure has been added yet. crimeportal add-period replaces it with the first figures."
COMMENT_COLUMN = 32


class EditRefused(Exception):
    """A scaffold that cannot be written; the message says why in plain words."""


# --- scaffolding -------------------------------------------------------------------------------------------


def slug(title: str) -> str:
    """`"Knife-enabled crime (all ages)"` -> `knife-enabled-crime-all-ages`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "").replace("’", "")).strip("-")


def _comment_lines(pairs: list[tuple[str, str]]) -> str:
    """YAML lines with their comments lined up, as in the design's example, unless a line is too long for it."""
    lines = []
    for text, comment in pairs:
        if not comment:
            lines.append(text)
            continue
        lines.append(f"{text.ljust(COMMENT_COLUMN - 1)} # {comment}" if len(text) < COMMENT_COLUMN - 1 else f"{text}  # {comment}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # a JSON string is a valid double-quoted YAML scalar, and quoting keeps words like "yes" or "1:30" as text
    return json.dumps(text, ensure_ascii=False)


def _new_id(title: str, given: str | None, what: str) -> str:
    if not title.strip():
        raise EditRefused(f"the {what} needs a title: give --title with some words in it")
    new_id = given if given is not None else slug(title)
    if not ID_PATTERN.match(new_id):
        hint = "" if given is not None else f" (made from the title {title!r})"
        raise EditRefused(f"the id '{new_id}'{hint} must be lowercase letters, digits and single hyphens, "
                          "such as knife-enabled-crime: give one with --id")
    return new_id


def _stems(folder: Path, pattern: str) -> list[str]:
    return sorted(p.stem for p in folder.glob(pattern)) if folder.is_dir() else []


@dataclass
class Written:
    """A file a command wrote, and what the portal's checks said afterwards."""

    path: Path
    problems: list[Problem]


def new_metric(root: Path, strand: str, title: str, *, metric_id: str | None = None, unit: str = "count",
               polarity: str = "neutral", period: str = "quarter", end: str | None = None,
               value: float | None = None) -> Written:
    new_id = _new_id(title, metric_id, "metric")
    target = root / METRICS_DIR / f"{new_id}.yml"
    if target.exists():
        raise EditRefused(f"there is already a metric with id '{new_id}' ({(METRICS_DIR / target.name).as_posix()}): "
                          "choose another title or give a different --id")
    strands = _stems(root / STRANDS_DIR, "*.md")
    if strand not in strands:
        close = difflib.get_close_matches(strand, strands, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise EditRefused(f"there is no strand '{strand}' (no file {STRANDS_DIR.as_posix()}/{strand}.md); {hint}"
                          f"the strands are {', '.join(strands)}")
    for name, given, allowed in (("unit", unit, UNITS), ("polarity", polarity, POLARITIES), ("period", period, PERIODS)):
        if given not in allowed:
            raise EditRefused(f"--{name} must be one of {', '.join(allowed)}; found '{given}'")
    if (end is None) != (value is None):
        raise EditRefused("give the first figure with both --end and --value, or neither")
    if end is not None and not MONTH_PATTERN.match(end):
        raise EditRefused(f"--end must be a month written YYYY-MM, such as 2019-07; found '{end}'")
    if value is not None and (message := _range_problem(unit, value)):
        raise EditRefused(f"--value: {message}")
    _write_all({target: _metric_text(new_id, title, strand, unit, polarity, period, _next_order(root, strand), end, value)})
    return Written(target, load_portal(root)[1])


def _next_order(root: Path, strand: str) -> int:
    portal, _ = load_portal(root)
    orders = [m.order for m in portal.metrics_of(strand) if m.order is not None]
    return max(orders, default=len(portal.metrics_of(strand))) + 1


def _metric_text(metric_id: str, title: str, strand: str, unit: str, polarity: str, period: str, order: int,
                 end: str | None, value: float | None) -> str:
    head = _comment_lines([
        (f"id: {metric_id}", "the file name without .yml"),
        (f"title: {_quoted(title)}", "the measure's name as readers see it"),
        (f"strand: {strand}", f"the strand page it belongs to: {STRANDS_DIR.as_posix()}/{strand}.md"),
        ('description: "Describe what is counted, in one or two sentences."', "replace this"),
        (f"unit: {unit}", "count | percent | rate (rate = per 1,000 population)"),
        (f"polarity: {polarity}", "higher-is-better | lower-is-better | neutral"),
        (f"period: {period}", "month | quarter | rolling-3-months | financial-year | year"),
        ('source: "Say where the figures come from."', "replace this"),
        ("caveats: []", 'optional: what a reader should know, one - "sentence" per line'),
        (f"order: {order}", "where this measure comes within its strand (1 first)"),
        ("observations:", "the figures, oldest first; add more with crimeportal add-period"),
    ])
    if end is not None:
        figure = int(value) if unit == "count" and float(value).is_integer() else value
        return f"{SCHEMA_LINE_METRIC}\n{head}  - end: {end}\n    value: {figure}\n"
    placeholder_end = _previous_month(date.today())
    return (f"{SCHEMA_LINE_METRIC}\n{head}"
            f"  - end: {placeholder_end}\n    value: null\n    suppressed: true\n    note: {_quoted(PLACEHOLDER_NOTE)}\n")


def _previous_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def new_strand(root: Path, title: str, *, strand_id: str | None = None, order: int | None = None,
               status: str = "active", summary: str | None = None, lead: str | None = None) -> Written:
    new_id = _new_id(title, strand_id, "strand")
    target = root / STRANDS_DIR / f"{new_id}.md"
    if target.exists():
        raise EditRefused(f"there is already a strand with id '{new_id}' ({(STRANDS_DIR / target.name).as_posix()}): "
                          "choose another title or give a different --id")
    if status not in STRAND_STATUSES:
        raise EditRefused(f"--status must be one of {', '.join(STRAND_STATUSES)}; found '{status}'")
    portal, _ = load_portal(root)
    taken = {s.order: s.id for s in portal.strands}
    if order is not None and order in taken:
        raise EditRefused(f"order {order} is already used by the strand '{taken[order]}': give another --order, "
                          f"or leave it out to come last ({max(taken) + 1})")
    if order is not None and order < 1:
        raise EditRefused(f"--order must be 1 or more; found {order}")
    order = order if order is not None else max(taken, default=0) + 1
    _write_all({target: _strand_text(new_id, title, order, status, summary, lead, date.today())})
    return Written(target, load_portal(root)[1])


def _strand_text(strand_id: str, title: str, order: int, status: str, summary: str | None, lead: str | None,
                 today: date) -> str:
    summary_line = (f"summary: {_quoted(summary)}", "one sentence on what this strand is for") if summary else \
        ('summary: "Say in one sentence what this strand is for."', "replace this")
    lead_line = (f"lead: {_quoted(lead)}", "the senior officer providing oversight") if lead else \
        ('# lead: "Name, role"', "optional: the senior officer providing oversight")
    front = _comment_lines([
        (f"id: {strand_id}", "the file name without .md"),
        (f"title: {_quoted(title)}", "the strand's name as readers see it"),
        (f"order: {order}", "its place in the strategy (1 first); no two strands share one"),
        summary_line,
        (f"status: {status}", "active | planned (not yet part of the strategy)"),
        lead_line,
        (f'updated: "{today.isoformat()}"', "the date of the latest update, YYYY-MM-DD"),
    ])
    month = today.strftime("%B %Y")
    return (f"---\n{SCHEMA_LINE_STRAND}\n{front}---\n\n"
            f"## {month} update\n\n"
            "- **What was done.** Replace this with what the strand has done since the last update, in plain words.\n\n"
            "## What comes next\n\n"
            "- Replace this with what the strand will do next.\n")


# --- add-period: reading the CSV -----------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class Figure:
    """One CSV row, checked: a figure ready to go into its metric's file."""

    line: int
    metric: str
    end: str
    values: dict[str, Any]  # observation fields in file order; "end" and "value" always present
    complete: bool = True  # False when a cell other than metric and end is wrong: its period is still checked


@dataclass
class MetricChange:
    metric_id: str
    path: Path
    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced_placeholder: bool = False


@dataclass
class PeriodUpdate:
    """What `add-period` did: nothing at all when `problems` is not empty."""

    problems: list[Problem]
    changes: list[MetricChange] = field(default_factory=list)
    problems_after: list[Problem] = field(default_factory=list)


class _CsvProblems:
    def __init__(self, shown_as: str) -> None:
        self.shown_as = shown_as
        self.found: list[Problem] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.found.append(Problem(self.shown_as, line, 1, column, message))


def read_rows(path: Path, report: _CsvProblems) -> list[Row]:
    """The CSV's data rows with their line numbers; problems that stop it being read go into `report`."""
    hint = "" if path.suffix.lower() == ".csv" else " Is it a CSV file?"
    try:
        raw = path.read_bytes()
    except OSError as error:
        report.add(1, "", f"the file could not be read: {error.strerror or error}")
        return []
    if b"\0" in raw:
        report.add(1, "", "this is not a CSV file: it holds binary data, as an Excel workbook does. "
                          "Save it from the spreadsheet as 'CSV UTF-8 (Comma delimited)'")
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        report.add(line, "", f"the file is not saved as UTF-8 text (the first bad byte is 0x{raw[error.start]:02x}). "
                             "Save it from the spreadsheet as 'CSV UTF-8 (Comma delimited)'")
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
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
        report.add(reader.line_num or 1, "", f"the CSV cannot be read here ({error}); check the quotes in this line.{hint}")
        return []
    records = [(line, cells) for line, cells in records if any(cell.strip() for cell in cells)]
    if not records:
        report.add(1, "", "the file is empty: it needs a header row, metric,end,value, and one row per figure")
        return []
    header_line, header = records[0]
    columns = [name.strip().lower() for name in header]
    if not _header_ok(columns, header_line, report, hint):
        return []
    rows = []
    for line, cells in records[1:]:
        # spreadsheets often save empty columns after the real ones: only a filled cell there is a mistake
        extra = [cell for i, cell in enumerate(cells) if cell.strip() and (i >= len(columns) or not columns[i])]
        if extra:
            report.add(line, "", f"this row has {len(cells)} cells but the header row has {len(columns)} columns; "
                                 "is there a comma inside a figure or a note? Put such a note in double quotes")
            continue
        rows.append(Row(line, {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns)}))
    if not rows and not report.found:
        report.add(header_line, "", "the file has a header row but no figures below it")
    return rows


def _header_ok(columns: list[str], line: int, report: _CsvProblems, hint: str) -> bool:
    before = len(report.found)
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    if len(columns) == 1 and ";" in columns[0]:
        report.add(line, "", "the columns are separated by semicolons: save the file as CSV with commas, "
                             "'CSV UTF-8 (Comma delimited)' in Excel")
        return False
    if not set(columns) & set(known):
        report.add(line, "", "this does not look like a CSV of figures: its first line must be the header row, "
                             f"metric,end,value (optionally with {','.join(OPTIONAL_COLUMNS)}).{hint}")
        return False
    for name in sorted(set(columns) - {""}):
        if columns.count(name) > 1:
            report.add(line, name, "is a column name that appears twice in the header row; remove one")
    for name in columns:
        if name and name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            report.add(line, name, f"is not a column add-period knows; {guess}the columns are {', '.join(known)}")
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            report.add(line, name, "is missing: the first line must be the header row, with at least the columns "
                                   f"metric, end and value.{hint}")
    return len(report.found) == before


# --- add-period: checking the rows ---------------------------------------------------------------------


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_WHOLE = re.compile(r"^\d+$")


def _number(text: str) -> int | float | None:
    """A figure as people type it, 1,948 or 46.3; None when it is not a plain number."""
    if not _NUMBER.match(text):
        return None
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def check_row(row: Row, metrics: dict[str, Metric], broken: set[str], report: _CsvProblems) -> Figure | None:
    """Check one row on its own; the order of periods is checked later, per metric, for rows with both."""
    before = len(report.found)
    cells, line = row.cells, row.line
    metric_id = cells["metric"]
    metric = metrics.get(metric_id)
    if not metric_id:
        report.add(line, "metric", "is empty: give the metric's id, such as knife-enabled-crime")
    elif metric_id in broken:
        report.add(line, "metric", f"{(METRICS_DIR / metric_id).as_posix()}.yml has problems of its own; fix them first "
                                   f"(crimeportal validate {(METRICS_DIR / metric_id).as_posix()}.yml lists them)")
    elif metric is None:
        close = difflib.get_close_matches(metric_id, list(metrics), n=1)
        guess = f"; did you mean '{close[0]}'?" if close else ""
        report.add(line, "metric", f"there is no metric '{metric_id}' (no file {METRICS_DIR.as_posix()}/{metric_id}.yml){guess}")
    end = cells["end"]
    if not MONTH_PATTERN.match(end):
        found = f"found '{end}'" if end else "it is empty"
        report.add(line, "end", f"must be the last month the figure covers, written YYYY-MM, such as 2019-10; {found}")
    placed = len(report.found) == before
    values: dict[str, Any] = {"end": end}
    suppressed = _flag(cells.get("suppressed", ""), line, report)
    values["value"] = _value(cells["value"], metric, suppressed, line, report)
    status = cells.get("status", "")
    if status and status not in OBSERVATION_STATUSES:
        report.add(line, "status", f"must be one of {', '.join(OBSERVATION_STATUSES)}, or empty for final; found '{status}'")
    if status:
        values["status"] = status
    if cells.get("note"):
        values["note"] = cells["note"]
    for name, least in (("numerator", 0), ("denominator", 1)):
        text = cells.get(name, "").replace(",", "")
        if text and (not _WHOLE.match(text) or int(text) < least):
            report.add(line, name, f"must be a whole number, {least} or more; found '{cells[name]}'")
        elif text:
            values[name] = int(text)
    if values.get("numerator", 0) > values.get("denominator", float("inf")):
        report.add(line, "numerator", f"{values['numerator']} is larger than the denominator {values['denominator']}")
    if suppressed:
        values["suppressed"] = True
    return Figure(line, metric_id, end, values, len(report.found) == before) if placed else None


def _flag(text: str, line: int, report: _CsvProblems) -> bool:
    if text.lower() in ("", "false", "no"):
        return False
    if text.lower() in ("true", "yes"):
        return True
    report.add(line, "suppressed", f"must be true or empty; found '{text}'")
    return False


def _value(text: str, metric: Metric | None, suppressed: bool, line: int, report: _CsvProblems) -> int | float | None:
    if suppressed:
        if text:
            report.add(line, "value", f"must be empty when suppressed is true (the figure is withheld); found '{text}'")
        return None
    if not text:
        report.add(line, "value", "is empty: give the figure, or write true in a suppressed column if it is withheld to protect people")
        return None
    number = _number(text)
    if number is None:
        tip = ": write it without the % sign" if text.endswith("%") else ", such as 176 or 46.43"
        report.add(line, "value", f"must be a number{tip}; found '{text}'")
        return None
    if metric is not None:
        message = _range_problem(metric.unit, number)
        if message:
            report.add(line, "value", f"{metric.id} is measured as a {metric.unit}: {message}")
        elif metric.unit == "count" and isinstance(number, float):
            number = int(number)
    return number


def _is_placeholder(metric: Metric) -> bool:
    only = metric.observations
    return len(only) == 1 and only[0].suppressed and only[0].note == PLACEHOLDER_NOTE


def plan_changes(figures: list[Figure], metrics: dict[str, Metric], revise: bool,
                 report: _CsvProblems) -> dict[str, list[tuple[str, Figure]]]:
    """For each metric, what to do with each figure ("add", "revise" or "same"), or problems about their periods."""
    plans: dict[str, list[tuple[str, Figure]]] = {}
    for metric_id in dict.fromkeys(f.metric for f in figures):
        metric = metrics[metric_id]
        existing = {} if _is_placeholder(metric) else {o.end: o for o in metric.observations}
        latest = max(existing, default=None)
        seen: dict[str, int] = {}
        plan = []
        for figure in sorted((f for f in figures if f.metric == metric_id), key=lambda f: (f.end, f.line)):
            if figure.end in seen:
                report.add(figure.line, "end", f"{metric_id} has another figure for {figure.end} on line {seen[figure.end]}: "
                                               "give each period once")
                continue
            seen[figure.end] = figure.line
            old = existing.get(figure.end)
            if old is not None and not revise:
                report.add(figure.line, "end", f"{metric_id} already has a figure for {figure.end} ({_shown(old.value)}): "
                                               "to change it, run add-period again with --revise")
            elif old is not None:
                plan.append(_revision(figure, old, report))
            elif latest is not None and figure.end < latest:
                also = f" (--revise changes figures already there, and {metric_id} has none for {figure.end})" if revise else ""
                report.add(figure.line, "end", f"{figure.end} comes before {metric_id}'s latest figure, for {latest}: "
                                               f"new figures can only be added after it{also}")
            else:
                plan.append(("add", figure))
        plans[metric_id] = plan
    return plans


def _shown(value: Any) -> str:
    return "withheld" if value is None else f"{value}"


def _revision(figure: Figure, old: Any, report: _CsvProblems) -> tuple[str, Figure]:
    status = figure.values.get("status")
    if status not in (None, "revised"):
        report.add(figure.line, "status", f"a changed figure is marked revised; leave status empty or write revised, not '{status}'")
    same = (figure.values["value"] == old.value and bool(figure.values.get("suppressed")) == old.suppressed
            and all(figure.values[k] == getattr(old, k) for k in ("note", "numerator", "denominator") if k in figure.values))
    figure.values["status"] = "revised"
    return ("same" if same else "revise"), figure


# --- add-period: changing the files ----------------------------------------------------------------------


class _Representer(RoundTripRepresenter):
    """ruamel's round trip writes nothing for null; the files say `value: null`, as the data contract shows."""


_Representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))


def _yaml(indent: int | None, offset: int | None) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never fold a long caveat onto a second line
    sequence = indent or 4
    dash = offset if offset is not None else 2
    yaml.indent(mapping=max(sequence - dash, 2), sequence=sequence, offset=dash)
    yaml.Representer = _Representer
    return yaml


@dataclass
class _Edit:
    """A metric file's text before and after the figures go in."""

    path: Path
    shown_as: str
    before: str
    after: str = ""


def edit_metric(path: Path, shown_as: str, plan: list[tuple[str, Figure]], change: MetricChange) -> _Edit | Problem:
    raw = path.read_bytes().decode("utf-8")  # not read_text: it would hide the file's \r\n line ends
    bom = raw.startswith("\ufeff")
    text = raw.removeprefix("\ufeff")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = _yaml(indent, offset)
    data = yaml.load(text)
    problem = _layout_problem(_dump(yaml, data), text, shown_as)
    if problem:
        return problem
    observations = data["observations"]
    if plan and plan[0][0] == "add" and len(observations) == 1 and observations[0].get("note") == PLACEHOLDER_NOTE:
        observations.pop(0)
        change.replaced_placeholder = True
    for action, figure in plan:
        if action == "add":
            observations.append(_observation(figure.values))
            change.added.append(figure.end)
        elif action == "revise":
            _revise(next(o for o in observations if str(o["end"]) == figure.end), figure.values)
            change.revised.append(figure.end)
        else:
            change.unchanged.append(figure.end)
    after = _dump(yaml, data)
    if crlf:
        after = after.replace("\n", "\r\n")
    return _Edit(path, shown_as, raw, ("\ufeff" if bom else "") + after)


def _layout_problem(round_trip: str, text: str, shown_as: str) -> Problem | None:
    """Refuse a file the YAML tool would not write back exactly as it is: the edit would then change other lines."""
    if round_trip == text:
        return None
    old, new = text.splitlines(), round_trip.splitlines()
    line = next((i for i, (a, b) in enumerate(zip(old, new), start=1) if a != b), min(len(old), len(new)) + 1)
    return Problem(shown_as, line, 1, "", "this file's layout cannot be kept when figures are added to it "
                                          "(the YAML tool would rewrite this line); add the figures by hand")


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _scalar(key: str, value: Any) -> Any:
    # notes are always quoted, as the files' other text is: YAML would read a bare yes or 1:30 as something else
    return DoubleQuotedScalarString(value) if key == "note" else value


def _observation(values: dict[str, Any]) -> CommentedMap:
    observation = CommentedMap()
    for key in OBSERVATION_KEYS:
        if key in values:
            observation[key] = _scalar(key, values[key])
    return observation


def _revise(observation: CommentedMap, values: dict[str, Any]) -> None:
    if "suppressed" in observation and not values.get("suppressed"):
        del observation["suppressed"]
    for key in OBSERVATION_KEYS[1:]:
        if key not in values:
            continue
        if key in observation:
            observation[key] = _scalar(key, values[key])
        else:
            position = sum(1 for k in observation if k in OBSERVATION_KEYS[: OBSERVATION_KEYS.index(key)])
            observation.insert(position, key, _scalar(key, values[key]))


def add_period(root: Path, csv_path: Path, *, revise: bool = False) -> PeriodUpdate:
    """Add (or with `revise`, change) the figures in a CSV: every row checked, then every file written, or none."""
    report = _CsvProblems(_shown_path(csv_path, root))
    rows = read_rows(csv_path, report)
    if report.found:
        return PeriodUpdate(report.found)
    portal, problems = load_portal(root)
    metrics = {m.id: m for m in portal.metrics}
    broken = {Path(p.file).stem for p in problems if p.file.startswith(METRICS_DIR.as_posix() + "/")}
    figures = [f for f in (check_row(row, metrics, broken, report) for row in rows) if f]
    plans = plan_changes(figures, metrics, revise, report)
    if report.found:
        return PeriodUpdate(sorted(report.found))
    changes, edits = [], []
    for metric_id, plan in plans.items():
        path = root / METRICS_DIR / f"{metric_id}.yml"
        change = MetricChange(metric_id, path)
        edit = edit_metric(path, _shown_path(path, root), plan, change)
        if isinstance(edit, Problem):
            report.found.append(edit)
            continue
        changes.append(change)
        if edit.after != edit.before:
            edits.append(edit)
    report.found += _problems_if_written(root, edits)
    if report.found:
        return PeriodUpdate(sorted(report.found))
    _write_all({edit.path: edit.after for edit in edits})
    return PeriodUpdate([], changes, load_portal(root)[1])


def _problems_if_written(root: Path, edits: list[_Edit]) -> list[Problem]:
    """Check the changed files as they would be, in a scratch copy of the data, before touching the real ones."""
    if not edits:
        return []
    with tempfile.TemporaryDirectory(prefix="crimeportal-check-") as scratch:
        copy = Path(scratch)
        for folder in (SCHEMAS_DIR, STRANDS_DIR, METRICS_DIR):
            if (root / folder).is_dir():
                shutil.copytree(root / folder, copy / folder)
        for edit in edits:
            (copy / edit.shown_as).write_text(edit.after, encoding="utf-8", newline="")
        _, problems = load_portal(copy)
    changed = {edit.shown_as for edit in edits}
    return [p for p in problems if p.file in changed]


def _write_all(contents: dict[Path, str]) -> None:
    """Write every file beside its target first, then rename each over its target, so no file is ever half written."""
    temporary: dict[Path, Path] = {}
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            with open(temp, "x", encoding="utf-8", newline="") as stream:  # "x": a new file, with the usual permissions
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            if target.exists():
                os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
            temporary[target] = temp
        for target, temp in temporary.items():
            os.replace(temp, target)
    finally:
        for temp in temporary.values():
            temp.unlink(missing_ok=True)


def _shown_path(path: Path, root: Path) -> str:
    absolute = path.resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path.as_posix()


# --- the command line ------------------------------------------------------------------------------------


def add_commands(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="start a new metric file or strand page, ready to fill in")
    kinds = new.add_subparsers(dest="kind", required=True)
    metric = kinds.add_parser("metric", help="write data/metrics/<id>.yml for a new measure")
    metric.add_argument("--strand", required=True, help="the id of the strand it belongs to, e.g. hate-crime")
    metric.add_argument("--title", required=True, help="the measure's name as readers see it")
    metric.add_argument("--id", help="the file name without .yml (default: made from the title)")
    metric.add_argument("--unit", default="count", help=f"{' | '.join(UNITS)} (default: count)")
    metric.add_argument("--polarity", default="neutral", help=f"{' | '.join(POLARITIES)} (default: neutral)")
    metric.add_argument("--period", default="quarter", help=f"{' | '.join(PERIODS)} (default: quarter)")
    metric.add_argument("--end", help="the first figure's last month, YYYY-MM (with --value)")
    metric.add_argument("--value", type=_cli_number, help="the first figure (with --end)")
    strand = kinds.add_parser("strand", help="write content/strands/<id>.md for a new strand")
    strand.add_argument("--title", required=True, help="the strand's name as readers see it")
    strand.add_argument("--id", help="the file name without .md (default: made from the title)")
    strand.add_argument("--order", type=int, help="its place in the strategy (default: last)")
    strand.add_argument("--status", default="active", help="active | planned (default: active)")
    strand.add_argument("--summary", help="one sentence on what the strand is for")
    strand.add_argument("--lead", help="the senior officer providing oversight")
    period = commands.add_parser("add-period", help="add a period's figures to the metric files from a CSV")
    period.add_argument("csv", type=Path, help="a CSV with columns metric,end,value and optionally "
                                               "status,note,numerator,denominator,suppressed")
    period.add_argument("--revise", action="store_true", help="allow changing figures already there (marked status: revised)")


def _cli_number(text: str) -> float:
    number = _number(text.strip())
    if number is None:
        raise argparse.ArgumentTypeError(f"must be a number, such as 176 or 46.43; found '{text}'")
    return number


def run(root: Path, args: argparse.Namespace) -> int:
    if args.command == "add-period":
        return _run_add_period(root, args.csv, args.revise)
    try:
        if args.kind == "metric":
            written = new_metric(root, args.strand, args.title, metric_id=args.id, unit=args.unit, polarity=args.polarity,
                                 period=args.period, end=args.end, value=args.value)
            fill_in = "fill in its description and source, then add figures with crimeportal add-period"
        else:
            written = new_strand(root, args.title, strand_id=args.id, order=args.order, status=args.status,
                                 summary=args.summary, lead=args.lead)
            fill_in = "replace the placeholder sentences with the strand's update"
    except EditRefused as refusal:
        print(f"crimeportal: nothing was written: {refusal}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {_shown_path(written.path, root)}: {fill_in}.")
    return _report_after(written.problems)


def _run_add_period(root: Path, csv_path: Path, revise: bool) -> int:
    update = add_period(root, csv_path, revise=revise)
    if update.problems:
        print(format_problems(update.problems, "text"))
        print(f"crimeportal: nothing was written: {count_words(update.problems)} to fix first.", file=sys.stderr)
        return EXIT_PROBLEMS
    for change in update.changes:
        parts = [f"added {', '.join(change.added)}" if change.added else "",
                 f"revised {', '.join(change.revised)}" if change.revised else "",
                 f"{', '.join(change.unchanged)} already as given" if change.unchanged else "",
                 "removed the placeholder" if change.replaced_placeholder else ""]
        print(f"{_shown_path(change.path, root)}: {'; '.join(p for p in parts if p)}")
    return _report_after(update.problems_after)


def _report_after(problems: list[Problem]) -> int:
    if not problems:
        print("The portal's files check out: no problems found.")
        return EXIT_OK
    print(format_problems(problems, "text"))
    print(f"crimeportal: the files were written, but the portal has {count_words(problems)}; fix them before publishing.",
          file=sys.stderr)
    return EXIT_PROBLEMS
