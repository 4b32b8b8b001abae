"""The downloadable data: each metric and all metrics as CSV and JSON, and the schemas.

The CSV files are for spreadsheets, so a text cell that a spreadsheet would run as a formula is
neutralised (`spreadsheet_text`); the JSON files hold the data files' text unchanged.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from ..core.model import Metric, Portal, Strand

CSV_COLUMNS = ("metric", "end", "value", "status", "note", "numerator", "denominator", "suppressed")


def metric_record(metric: Metric) -> dict[str, Any]:
    """The metric as its YAML file holds it, defaults filled in, without build-only fields."""
    # shallow copies rather than dataclasses.asdict, whose deep copying dominates a large build's downloads
    record = {f.name: getattr(metric, f.name) for f in fields(Metric) if f.name not in ("path", "observations")}
    record["caveats"] = list(metric.caveats)
    record["observations"] = [dict(vars(o)) for o in metric.observations]
    return record


def strand_record(strand: Strand) -> dict[str, Any]:
    """What a later release's "What changed" page needs to know about a strand."""
    return {"id": strand.id, "title": strand.title, "status": strand.status, "order": strand.order}


def to_json(data: Any) -> bytes:
    # compact, not indented: Python's fast JSON encoder is used only without indentation
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def metrics_csv(metrics: list[Metric]) -> bytes:
    """One row per figure; every text cell is safe to open in a spreadsheet (see `spreadsheet_text`)."""
    lines = [_row([_text(column) for column in CSV_COLUMNS])]
    for metric in metrics:
        for o in metric.observations:
            lines.append(_row([_text(metric.id), _text(o.end), _number(o.value), _text(o.status), _text(o.note),
                               _number(o.numerator), _number(o.denominator), "true" if o.suppressed else "false"]))
    return "".join(lines).encode()


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


def download_files(portal: Portal, root: Path) -> dict[str, tuple[bytes, str]]:
    """Site path -> (content, what it holds), for every file the Data page lists."""
    records = [metric_record(m) for m in portal.metrics]
    files: dict[str, tuple[bytes, str]] = {
        "data/all-metrics.csv": (metrics_csv(portal.metrics), "Every figure of every measure, one row per figure"),
        "data/all-metrics.json": (to_json(records), "Every measure with its details and figures"),
        "data/strands.json": (to_json([strand_record(s) for s in portal.strands]), "Every strand with its status and place in the strategy"),
    }
    for schema in sorted((root / "schemas").glob("*.json")):
        files[f"schemas/{schema.name}"] = (schema.read_bytes(), "JSON Schema that the portal's files are checked against")
    for metric, record in zip(portal.metrics, records):
        files[f"data/metrics/{metric.id}.csv"] = (metrics_csv([metric]), f"{metric.title}: figures")
        files[f"data/metrics/{metric.id}.json"] = (to_json(record), f"{metric.title}: details and figures")
    return files
