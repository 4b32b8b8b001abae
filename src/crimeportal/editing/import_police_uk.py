"""`import police-uk`: police.uk street-level files counted by month and district, into measures' figures by area.

Each crime type named goes to one count measure with monthly periods: per month its `value` is every row of
that type in the files (the force's whole count, as police.uk publishes it), `areas` the rows in each
district of the areas register, and `not_located` the rest: rows located outside the register's districts
and rows with no location, which the command reports apart. As `add-period` does, everything is checked and
planned first, the changed files are checked as they would be (`files.problems_if_written`), and then every
file is written or none (`files.write_all`), through the round trip that keeps each file's layout (`yaml_edit`).
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core.conventions import MAX_CSV_BYTES, AREAS_REGISTER, METRIC_SUFFIX, METRICS_DIR, PLACEHOLDER_NOTE
from ..core.model import Metric, Observation, Portal
from ..core.problems import Problem
from ..source.load import parse_yaml, read_at_most, read_text
from ..source.load import top_level_locations
from ..source.validate import load_portal
from . import EditRefused
from .add_period import MetricChange
from .figures_csv import too_large_words
from .files import problems_if_written, shown_path, write_all
from .police_uk import NO_LOCATION, OUTSIDE, Counts, count_files, district_names
from .yaml_edit import MetricDocument, open_metric


@dataclass
class MonthFigures:
    """One month of one crime type, as it goes into the measure's file, with what not_located is made of."""

    end: str
    value: int
    areas: dict[str, int]
    outside: int
    no_location: int

    @property
    def not_located(self) -> int:
        return self.outside + self.no_location

    def values(self) -> dict:
        return {"end": self.end, "value": self.value, "areas": self.areas, "not_located": self.not_located}


@dataclass(kw_only=True)
class ImportedMeasure(MetricChange):
    """What the import did (or, with --check, would do) to one measure, as add-period says it, and what it counted."""

    crime_type: str
    months: list[MonthFigures]


@dataclass
class PoliceUkImport:
    counts: Counts
    measures: list[ImportedMeasure]
    other_rows: int  # rows of crime types not imported
    problems_after: list[Problem] = field(default_factory=list)


def import_police_uk(root: Path, files: list[Path], mapping: dict[str, str], *, check: bool = False,
                     revise: bool = False) -> PoliceUkImport:
    """Count the files and put each mapped crime type's monthly figures into its measure: all files or none.

    `mapping` is crime type -> metric id. Raises `EditRefused`, with every problem found, when anything stops
    the change; with `check`, everything is checked and planned the same and nothing is written.
    """
    portal, problems = load_portal(root)
    register_problems = [p for p in problems if p.file == AREAS_REGISTER.as_posix()]
    if register_problems:
        raise EditRefused.because(register_problems)
    districts = district_names(portal.areas)
    if not districts:
        raise EditRefused(f"importing by district needs the areas register, {AREAS_REGISTER.as_posix()}, with the "
                          "force's districts (kind: district) in it")
    _check_measures(mapping, portal, problems)
    counts, found = count_files(files, [shown_path(path, root) for path in files], districts)
    if found:
        raise EditRefused.because(found)
    _check_crime_types(mapping, counts)
    district_ids = [a.id for a in portal.areas if a.kind == "district"]
    measures = [ImportedMeasure(metric_id, root / METRICS_DIR / f"{metric_id}{METRIC_SUFFIX}", crime_type=crime_type,
                                months=_figures(counts, crime_type, district_ids)) for crime_type, metric_id in mapping.items()]
    edits, found = _edited(root, measures, {m.id: m for m in portal.metrics}, revise)
    found += problems_if_written(root, {document.shown_as: after for document, after in edits})
    if found:
        raise EditRefused.because(sorted(found))
    other_rows = counts.rows - sum(m.value for measure in measures for m in measure.months)
    result = PoliceUkImport(counts, measures, other_rows)
    if not check:
        write_all(root, {document.path: after for document, after in edits})
        result.problems_after = load_portal(root)[1]
    return result


def _check_measures(mapping: dict[str, str], portal: Portal, problems: list[Problem]) -> None:
    metrics = {m.id: m for m in portal.metrics}
    broken = {Path(p.file).stem for p in problems if p.file.startswith(METRICS_DIR.as_posix() + "/")}
    reasons = []
    for crime_type, metric_id in mapping.items():
        file = f"{(METRICS_DIR / metric_id).as_posix()}{METRIC_SUFFIX}"
        metric = metrics.get(metric_id)
        if metric_id in broken:
            reasons.append(f"{file} has problems of its own; fix them first (crimeportal validate lists them)")
        elif metric is None:
            close = difflib.get_close_matches(metric_id, list(metrics), n=1)
            guess = f"; did you mean '{close[0]}'?" if close else (
                "; start it with crimeportal new metric --unit count --period month")
            reasons.append(f"there is no measure '{metric_id}' (no file {file}){guess}")
        elif metric.unit != "count" or metric.period != "month":
            reasons.append(f"{file} is a {metric.unit} measure by {metric.period}; police.uk's records go into a count "
                           "measure by month (unit: count, period: month)")
    if reasons:
        raise EditRefused("; ".join(reasons))


def _check_crime_types(mapping: dict[str, str], counts: Counts) -> None:
    present = counts.crime_types()
    missing = [crime_type for crime_type in mapping if crime_type not in present]
    if missing:
        raise EditRefused(f"no row of the files has the crime type {', '.join(repr(c) for c in missing)}; the crime "
                          f"types in them are {', '.join(present)}")


def _figures(counts: Counts, crime_type: str, district_ids: list[str]) -> list[MonthFigures]:
    months = counts.by_month(crime_type)
    return [MonthFigures(month, sum(places.values()), {area: places[area] for area in district_ids}, places[OUTSIDE],
                         places[NO_LOCATION])
            for month, places in sorted(months.items()) if sum(places.values())]


def _edited(root: Path, measures: list[ImportedMeasure], metrics: dict[str, Metric],
            revise: bool) -> tuple[list[tuple[MetricDocument, str]], list[Problem]]:
    edits, problems = [], []
    for measure in measures:
        document = open_metric(measure.path, shown_path(measure.path, root))
        if isinstance(document, Problem):
            problems.append(document)
            continue
        problems += _apply(measure, document, metrics[measure.metric_id], revise)
        after = document.text()
        if after != document.before:
            edits.append((document, after))
    return edits, problems


def _apply(measure: ImportedMeasure, document: MetricDocument, metric: Metric, revise: bool) -> list[Problem]:
    """Each month added, found the same, or (with `revise`) revised; the problems that stop it otherwise."""
    placeholder = len(metric.observations) == 1 and metric.observations[0].note == PLACEHOLDER_NOTE
    existing = {} if placeholder else {o.end: o for o in metric.observations}
    latest = max(existing, default=None)
    problems = []

    def problem(message: str) -> Problem:
        return Problem(document.shown_as, *metric_line(document, "observations"), "observations", message)

    for month in measure.months:
        old = existing.get(month.end)
        if old is not None and _same(month, old):
            measure.unchanged.append(month.end)
        elif old is not None and not revise:
            problems.append(problem(f"{month.end} is already there with other figures ({_shown(old)}); the files "
                                    f"give {month.value:,}: to replace them, run the import again with --revise"))
        elif old is not None:
            document.revise(month.end, {**month.values(), "status": "revised"})
            measure.revised.append(month.end)
        elif latest is not None and month.end < latest:
            problems.append(problem(f"{month.end} comes before the measure's latest figure, for {latest}: new figures "
                                    "can only be added after it"))
        else:
            measure.added.append(month.end)
    if problems:
        return problems
    if placeholder and measure.added:
        document.observations.pop(0)
        measure.replaced_placeholder = True
    added = set(measure.added)  # a set: asking a list for each of 20,000 months was quadratic
    for month in measure.months:
        if month.end in added:
            document.add(month.values())
    if measure.added or measure.revised:
        document.set_field("areas_add_up", True)
    return []


def metric_line(document: MetricDocument, field_name: str) -> tuple[int, int]:
    return top_level_locations(document.before.removeprefix("\ufeff")).get(field_name, (1, 1))


def _same(month: MonthFigures, old: Observation) -> bool:
    return (old.value == month.value and old.by_area == month.areas and (old.not_located or 0) == month.not_located)


def _shown(old: Observation) -> str:
    return "withheld" if old.value is None else f"{old.value:,}"


# --- the mapping file ---------------------------------------------------------------------------------------


def read_mapping(path: Path, root: Path) -> dict[str, str]:
    """crime type -> metric id, from a YAML file (`Burglary: police-uk-burglary`) or a CSV (crime_type,metric)."""
    shown_as = shown_path(path, root)
    if path.suffix.lower() == ".csv":
        return _csv_mapping(path, shown_as)
    source = read_text(path, shown_as)
    if source.text is None:
        raise EditRefused.because(source.problems)
    document, problems = parse_yaml(source.text, shown_as)
    if problems or document is None:
        raise EditRefused.because(problems)
    data = document.data
    if not isinstance(data, dict) or not data:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", "must be lines of 'crime type: metric-id', such as "
                                                               "'Burglary: police-uk-burglary'")])
    bad = [Problem(shown_as, *document.locate((key,)), str(key), "must be a metric id, such as police-uk-burglary")
           for key, value in data.items() if not isinstance(value, str) or not value]
    if bad:
        raise EditRefused.because(bad)
    return _one_each(data, shown_as)


def _csv_mapping(path: Path, shown_as: str) -> dict[str, str]:
    raw = read_at_most(path, MAX_CSV_BYTES)
    if raw is None:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", too_large_words(MAX_CSV_BYTES))])
    text = raw.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header != ["crime_type", "metric"]:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", "the first line must be the header row crime_type,metric")])
    problems, mapping = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            problems.append(Problem(shown_as, line, 1, "", "each row must be a crime type and a metric id, such as "
                                                           "Burglary,police-uk-burglary"))
        elif row[0].strip() in mapping:
            problems.append(Problem(shown_as, line, 1, "crime_type", f"'{row[0].strip()}' is given twice"))
        else:
            mapping[row[0].strip()] = row[1].strip()
    if problems or not mapping:
        raise EditRefused.because(problems or [Problem(shown_as, 1, 1, "", "the file has no rows below its header")])
    return _one_each(mapping, shown_as)


def _one_each(mapping: dict[str, str], shown_as: str) -> dict[str, str]:
    repeated = sorted({m for m in mapping.values() if list(mapping.values()).count(m) > 1})
    if repeated:
        raise EditRefused(f"{shown_as}: each measure takes one crime type; {', '.join(repeated)} is given more than once")
    return dict(mapping)

