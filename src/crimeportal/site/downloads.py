"""The downloadable data: each metric and all metrics as CSV and JSON, and the schemas."""

from __future__ import annotations

import csv
import io
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for metric in metrics:
        for o in metric.observations:
            writer.writerow([metric.id, o.end, _cell(o.value), o.status, _cell(o.note),
                             _cell(o.numerator), _cell(o.denominator), "true" if o.suppressed else "false"])
    return buffer.getvalue().encode()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


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
