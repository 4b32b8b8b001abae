"""New metric files and strand pages, written ready to fill in, with a comment on every line saying what goes there."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.conventions import (PLACEHOLDER_DESCRIPTION, PLACEHOLDER_DONE, PLACEHOLDER_NEXT, PLACEHOLDER_NOTE,
                                  PLACEHOLDER_SOURCE, PLACEHOLDER_SUMMARY, ID_PATTERN, METRIC_SUFFIX, METRICS_DIR, MONTH_PATTERN, SCHEMA_LINE_METRIC, SCHEMA_LINE_STRAND,
                                STRAND_SUFFIX, STRANDS_DIR)
from ..core.model import PERIODS, POLARITIES, STRAND_STATUSES, UNITS
from ..core.problems import Problem
from ..source.validate import load_portal
from ..source.rules import range_problem
from . import EditRefused
from .files import write_all

COMMENT_COLUMN = 32


@dataclass
class Written:
    """A file a command wrote, and what the portal's checks said afterwards."""

    path: Path
    problems: list[Problem]


def slug(title: str) -> str:
    """`"Knife-enabled crime (all ages)"` -> `knife-enabled-crime-all-ages`."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("'", "").replace("’", "")).strip("-")


def new_metric(root: Path, strand: str, title: str, *, metric_id: str | None = None, unit: str = "count",
               polarity: str = "neutral", period: str = "quarter", end: str | None = None,
               value: float | None = None) -> Written:
    """Write `data/metrics/<id>.yml`, with its first figure when one is given; raise `EditRefused` if it cannot be."""
    new_id, target = _free_target(root, METRICS_DIR, METRIC_SUFFIX, title, metric_id, "metric")
    _check_strand_exists(root, strand)
    for name, given, allowed in (("unit", unit, UNITS), ("polarity", polarity, POLARITIES), ("period", period, PERIODS)):
        _check_choice(name, given, allowed)
    if (end is None) != (value is None):
        raise EditRefused("give the first figure with both --end and --value, or neither")
    if end is not None and not MONTH_PATTERN.match(end):
        raise EditRefused(f"--end must be a month written YYYY-MM, such as 2019-07; found '{end}'")
    if value is not None and (message := range_problem(unit, value)):
        raise EditRefused(f"--value: {message}")
    write_all(root, {target: metric_text(new_id, title, strand, unit, polarity, period, _next_order(root, strand), end, value)})
    return Written(target, load_portal(root)[1])


def new_strand(root: Path, title: str, *, strand_id: str | None = None, order: int | None = None,
               status: str = "active", summary: str | None = None, lead: str | None = None) -> Written:
    """Write `content/strands/<id>.md`, last in the strategy unless `order` says otherwise; raise `EditRefused` if it cannot be."""
    new_id, target = _free_target(root, STRANDS_DIR, STRAND_SUFFIX, title, strand_id, "strand")
    _check_choice("status", status, STRAND_STATUSES)
    portal, _ = load_portal(root)
    taken = {s.order: s.id for s in portal.strands}
    if order is not None and order in taken:
        raise EditRefused(f"order {order} is already used by the strand '{taken[order]}': give another --order, "
                          f"or leave it out to come last ({max(taken) + 1})")
    if order is not None and order < 1:
        raise EditRefused(f"--order must be 1 or more; found {order}")
    order = order if order is not None else max(taken, default=0) + 1
    write_all(root, {target: strand_text(new_id, title, order, status, summary, lead, date.today())})
    return Written(target, load_portal(root)[1])


def _free_target(root: Path, folder: Path, suffix: str, title: str, given: str | None, what: str) -> tuple[str, Path]:
    """The new file's id and path; refused when the id is not one or a file of that id is already there."""
    new_id = _new_id(title, given, what)
    target = root / folder / f"{new_id}{suffix}"
    if target.exists():
        raise EditRefused(f"there is already a {what} with id '{new_id}' ({(folder / target.name).as_posix()}): "
                          "choose another title or give a different --id")
    return new_id, target


def _new_id(title: str, given: str | None, what: str) -> str:
    if not title.strip():
        raise EditRefused(f"the {what} needs a title: give --title with some words in it")
    new_id = given if given is not None else slug(title)
    if not ID_PATTERN.match(new_id):
        hint = "" if given is not None else f" (made from the title {title!r})"
        raise EditRefused(f"the id '{new_id}'{hint} must be lowercase letters, digits and single hyphens, "
                          "such as knife-enabled-crime: give one with --id")
    return new_id


def _check_strand_exists(root: Path, strand: str) -> None:
    folder = root / STRANDS_DIR
    strands = sorted(p.stem for p in folder.glob(f"*{STRAND_SUFFIX}")) if folder.is_dir() else []
    if strand not in strands:
        close = difflib.get_close_matches(strand, strands, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise EditRefused(f"there is no strand '{strand}' (no file {STRANDS_DIR.as_posix()}/{strand}{STRAND_SUFFIX}); {hint}"
                          f"the strands are {', '.join(strands)}")


def _check_choice(name: str, given: str, allowed: tuple[str, ...]) -> None:
    if given not in allowed:
        raise EditRefused(f"--{name} must be one of {', '.join(allowed)}; found '{given}'")


def _next_order(root: Path, strand: str) -> int:
    portal, _ = load_portal(root)
    orders = [m.order for m in portal.metrics_of(strand) if m.order is not None]
    return max(orders, default=len(portal.metrics_of(strand))) + 1


# --- the files' text ---------------------------------------------------------------------------------------


def _choices(allowed: tuple[str, ...]) -> str:
    return " | ".join(allowed)


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


def metric_text(metric_id: str, title: str, strand: str, unit: str, polarity: str, period: str, order: int,
                end: str | None, value: float | None) -> str:
    """A new metric file: its first figure, or a withheld placeholder that add-period later replaces."""
    head = _comment_lines([
        (f"id: {metric_id}", f"the file name without {METRIC_SUFFIX}"),
        (f"title: {_quoted(title)}", "the measure's name as readers see it"),
        (f"strand: {strand}", f"the strand page it belongs to: {STRANDS_DIR.as_posix()}/{strand}{STRAND_SUFFIX}"),
        (f"description: {_quoted(PLACEHOLDER_DESCRIPTION)}", "replace this"),
        (f"unit: {unit}", f"{_choices(UNITS)} (rate = per 1,000 population)"),
        (f"polarity: {polarity}", _choices(POLARITIES)),
        (f"period: {period}", _choices(PERIODS)),
        (f"source: {_quoted(PLACEHOLDER_SOURCE)}", "replace this"),
        ("caveats: []", 'optional: what a reader should know, one - "sentence" per line'),
        (f"order: {order}", "where this measure comes within its strand (1 first)"),
        ("draft: true", "remove this line when the measure is ready to publish"),
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


def strand_text(strand_id: str, title: str, order: int, status: str, summary: str | None, lead: str | None,
                today: date) -> str:
    """A new strand page: front matter with a comment on each line, and placeholder sentences for its update."""
    summary_line = (f"summary: {_quoted(summary)}", "one sentence on what this strand is for") if summary else \
        (f"summary: {_quoted(PLACEHOLDER_SUMMARY)}", "replace this")
    lead_line = (f"lead: {_quoted(lead)}", "the senior officer providing oversight") if lead else \
        ('# lead: "Name, role"', "optional: the senior officer providing oversight")
    front = _comment_lines([
        (f"id: {strand_id}", f"the file name without {STRAND_SUFFIX}"),
        (f"title: {_quoted(title)}", "the strand's name as readers see it"),
        (f"order: {order}", "its place in the strategy (1 first); no two strands share one"),
        summary_line,
        (f"status: {status}", f"{_choices(STRAND_STATUSES)} (not yet part of the strategy)"),
        lead_line,
        (f'updated: "{today.isoformat()}"', "the date of the latest update, YYYY-MM-DD"),
        ("draft: true", "remove this line when the strand page is ready to publish"),
    ])
    month = today.strftime("%B %Y")
    return (f"---\n{SCHEMA_LINE_STRAND}\n{front}---\n\n"
            f"## {month} update\n\n"
            f"- **What was done.** {PLACEHOLDER_DONE}\n\n"
            "## What comes next\n\n"
            f"- {PLACEHOLDER_NEXT}\n")
