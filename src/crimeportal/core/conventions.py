"""Where a portal keeps its files and how their names and dates are written: stated once, used everywhere."""

from __future__ import annotations

import re
from pathlib import Path

STRANDS_DIR = Path("content/strands")
METRICS_DIR = Path("data/metrics")
SCHEMAS_DIR = Path("schemas")
REGISTER = Path("data/releases.yml")
CHART_CACHE = Path(".cache/charts")
WRITE_JOURNAL = Path("data/.crimeportal-writing.json")  # present only while add-period replaces files

METRIC_SUFFIX = ".yml"
STRAND_SUFFIX = ".md"

METRIC_SCHEMA = "metric.schema.json"
STRAND_SCHEMA = "strand.schema.json"
RELEASES_SCHEMA = "releases.schema.json"

# The first line that lets editors' YAML tooling find the schema; relative to the file it heads.
SCHEMA_LINE_METRIC = f"# yaml-language-server: $schema=../../schemas/{METRIC_SCHEMA}"
SCHEMA_LINE_STRAND = f"# yaml-language-server: $schema=../../schemas/{STRAND_SCHEMA}"
SCHEMA_LINE_RELEASES = f"# yaml-language-server: $schema=../schemas/{RELEASES_SCHEMA}"

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MONTH_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
DATE_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
VERSION_PATTERN = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$")

# `<!-- metric: id -->` in a page places that measure there.
METRIC_MARKER = re.compile(r"<!--\s*metric:\s*(?P<id>[^\s>]*)\s*-->")

METRIC_PAGES = "metrics"  # metrics/<id>/ is each measure's generated page


def is_editor_leftover(name: str) -> bool:
    """An editor's lock, backup or swap file (Emacs, Vim, Office, most editors' `name~`): never read, never published."""
    return name.startswith((".#", "~$")) or name.endswith(("~", ".swp", ".swo", ".tmp"))
