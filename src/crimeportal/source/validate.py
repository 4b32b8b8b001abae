"""Check strand pages and metric files against the schemas and each other.

Every problem in every file is collected before anything is decided, so an
editor sees the whole list in one run, sorted by file and line.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import jsonschema

import fastjsonschema

from ..core.conventions import METRIC_MARKER, METRICS_DIR, SCHEMA_LINE_METRIC, SCHEMAS_DIR, STRANDS_DIR
from .load import (Document, Location, parse_yaml, quick_load, read_text, split_front_matter,
                   top_level_locations)
from ..core.model import Metric, Observation, Portal, Strand
from ..core.problems import Problem, field_name


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a set of fields",
    "boolean": "true or false",
    "null": "empty (null)",
}
_PATTERN_WORDS = {
    "id": "lowercase letters, digits and single hyphens, such as knife-enabled-crime",
    "strand": "a strand id: lowercase letters, digits and single hyphens",
    "end": "a month written YYYY-MM, such as 2019-07",
    "updated": "a date written YYYY-MM-DD, such as 2019-09-12",
}


@dataclass
class Schemas:
    """The JSON Schemas in schemas/, each compiled once per build when first needed."""

    root: Path
    _compiled: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    _validators: dict[str, "jsonschema.Draft7Validator"] = field(default_factory=dict)

    def is_valid(self, name: str, data: Any) -> bool:
        """A compiled check, many times faster than jsonschema; it waves clean files through."""
        if name not in self._compiled:
            self._compiled[name] = fastjsonschema.compile(self._schema(name))
        try:
            self._compiled[name](data)
            return True
        except fastjsonschema.JsonSchemaException:
            return False

    def validator(self, name: str) -> "jsonschema.Draft7Validator":
        """jsonschema, which says what is wrong and where; imported only when something is."""
        import jsonschema

        if name not in self._validators:
            self._validators[name] = jsonschema.Draft7Validator(self._schema(name))
        return self._validators[name]

    def _schema(self, name: str) -> dict:
        return json.loads((self.root / SCHEMAS_DIR / name).read_text(encoding="utf-8"))


METRIC_SCHEMA, STRAND_SCHEMA = "metric.schema.json", "strand.schema.json"


# Below this many metric files, starting worker processes costs more than it saves.
PARALLEL_FROM = 400


@dataclass
class Loaded:
    """A strand or metric that passed its own file's checks, and where its top-level fields were written."""

    item: Strand | Metric
    shown_as: str
    where: dict[str, Location]  # only top-level fields: the cross-file checks point at nothing deeper

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.shown_as, *self.where.get(field, (1, 1)), field, message)


def load_portal(root: Path) -> tuple[Portal, list[Problem]]:
    """Read and check everything under `root`; the portal holds what passed."""
    schemas = Schemas(root)
    problems: list[Problem] = []
    loaded_strands = [s for s in (_check_strand(p, root, schemas, problems) for p in _files(root / STRANDS_DIR, "*.md")) if s]
    loaded_metrics = _check_metrics(metric_files(root), root, schemas, problems)
    strand_pages = {p.stem for p in _files(root / STRANDS_DIR, "*.md")}
    problems += _cross_check(loaded_strands, loaded_metrics, strand_pages)
    strands: list[Strand] = [s.item for s in loaded_strands]  # type: ignore[misc]
    metrics: list[Metric] = [m.item for m in loaded_metrics]  # type: ignore[misc]
    problems += marker_problems(root, {m.id for m in metrics})
    strands.sort(key=lambda s: (s.order, s.id))
    strand_rank = {s.id: index for index, s in enumerate(strands)}
    metrics.sort(key=lambda m: (strand_rank.get(m.strand, len(strands)), m.sort_key))
    return Portal(strands, metrics), sorted(set(problems))


def marker_problems(root: Path, metric_ids: set[str]) -> list[Problem]:
    """Every `<!-- metric: id -->` marker in the content must name a metric that exists."""
    problems = []
    for page in _files(root / "content", "**/*.md"):
        text = page.read_text(encoding="utf-8", errors="replace")
        if "metric:" not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in METRIC_MARKER.finditer(line):
                if match["id"] not in metric_ids:
                    problems.append(Problem(_shown(page, root), number, match.start() + 1, "metric marker",
                                            f"there is no metric with id '{match['id']}' in {METRICS_DIR}/"))
    return problems


def metric_files(root: Path) -> list[Path]:
    return _files(root / METRICS_DIR, "*.yml")


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass
class MetricFile:
    """One metric file's outcome, in plain data so that worker processes can send it back cheaply."""

    path: Path
    shown_as: str
    data: dict | None  # the parsed file when it passed every check of its own
    where: dict[str, Location]
    problems: list[Problem]


def _check_metrics(paths: list[Path], root: Path, schemas: Schemas, problems: list[Problem]) -> list[Loaded]:
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_FROM or workers < 2:
        results = [check_metric(path, root, schemas) for path in paths]
    else:
        # spawn, not fork: the build may already run threads (the chart renderer's) that a fork would copy mid-flight
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(root,)) as pool:
            results = list(pool.map(_check_metric_in_worker, paths, chunksize=max(1, len(paths) // (workers * 8))))
    loaded = []
    for result in results:
        problems += result.problems
        if result.data is not None:
            loaded.append(Loaded(_metric(result.data, result.path), result.shown_as, result.where))
    return loaded


_worker_schemas: Schemas | None = None  # set only inside a worker process, which ends with the validation


def _start_worker(root: Path) -> None:
    global _worker_schemas
    _worker_schemas = Schemas(root)


def _check_metric_in_worker(path: Path) -> MetricFile:
    assert _worker_schemas is not None
    return check_metric(path, _worker_schemas.root, _worker_schemas)


def check_metric(path: Path, root: Path, schemas: Schemas) -> MetricFile:
    """One metric file, checked on its own: its data when it passed, else its problems."""
    source = read_text(path, _shown(path, root))
    if source.text is None:
        return MetricFile(path, source.path, None, {}, source.problems)
    if source.text.startswith(SCHEMA_LINE_METRIC):
        data = quick_load(source.text)
        if data is not None and schemas.is_valid(METRIC_SCHEMA, data) and not _metric_rules(Document(data), path, source.path):
            return MetricFile(path, source.path, data, top_level_locations(source.text), [])
    # something is wrong: read the file again, carefully, to say exactly where
    problems: list[Problem] = []
    if not source.text.startswith(SCHEMA_LINE_METRIC):
        problems.append(Problem(source.path, 1, 1, "", f"the first line must be '{SCHEMA_LINE_METRIC}' so editors' tools can check the file"))
    document, found = parse_yaml(source.text, source.path)
    problems += found
    if document is not None and not found:
        found = schema_problems(document, schemas, METRIC_SCHEMA, source.path)
        # the rules across observations need the unit and observations the schema promises
        rules_can_run = isinstance(document.data, dict) and not any(
            p.field == "unit" or p.field.startswith("observations") for p in found)
        problems += found + (_metric_rules(document, path, source.path) if rules_can_run else _id_problems(document, path, source.path))
    if problems or document is None:
        return MetricFile(path, source.path, None, {}, problems)
    return MetricFile(path, source.path, document.data, top_level_locations(source.text), [])


def _check_strand(path: Path, root: Path, schemas: Schemas, problems: list[Problem]) -> Loaded | None:
    source = read_text(path, _shown(path, root))
    problems += source.problems
    if source.text is None:
        return None
    split = split_front_matter(source.text, source.path)
    if isinstance(split, Problem):
        problems.append(split)
        return None
    front_matter, first_line, _ = split
    document, found = parse_yaml(front_matter, source.path, first_line)
    problems += found
    if document is None or found:
        return None
    found = schema_problems(document, schemas, STRAND_SCHEMA, source.path) + _id_problems(document, path, source.path)
    found += [] if found else _date_problems(document, "updated", source.path)
    problems += found
    return None if found else Loaded(_strand(document.data, path), source.path, top_level_locations(front_matter, first_line))


def schema_problems(document: Document, schemas: Schemas, name: str, shown_as: str) -> list[Problem]:
    if not isinstance(document.data, dict):
        return [Problem(shown_as, *document.locate(()), "", "the file must be a set of 'field: value' lines")]
    if schemas.is_valid(name, document.data):
        return []
    return [_explain(error, document, shown_as) for error in schemas.validator(name).iter_errors(document.data)]


def _explain(error: jsonschema.ValidationError, document: Document, shown_as: str) -> Problem:
    path = tuple(error.absolute_path)
    line, column = document.locate(path)
    kind, expected = error.validator, error.validator_value
    name = path[-1] if path else ""
    if kind == "required":
        missing = error.message.split("'")[1]
        return Problem(shown_as, line, column, field_name(path + (missing,)), "is missing: this field is required")
    if kind == "additionalProperties":
        return _unknown_field(error, document, path, shown_as)
    found = error.instance
    if kind == "enum":
        message = f"must be one of {', '.join(expected)}; found {_show(found)}"
        if path in document.yes_no_words:
            message += f" (YAML reads the word {document.yes_no_words[path]} as {_show(found)})"
    elif kind == "type":
        message = _type_message(expected, found, document.yes_no_words.get(path))
    elif kind == "pattern":
        message = f"must be {_PATTERN_WORDS.get(str(name), 'in the documented form')}; found {_show(found)}"
    elif kind == "minLength":
        message = "must not be empty"
    elif kind == "minItems":
        message = "must have at least one entry"
    elif kind == "minimum":
        message = f"must be at least {expected}; found {_show(found)}"
    else:  # pragma: no cover - every keyword the schemas use is handled above
        message = error.message
    return Problem(shown_as, line, column, field_name(path), message)


def _unknown_field(error: jsonschema.ValidationError, document: Document, path: tuple, shown_as: str) -> Problem:
    allowed = list(error.schema.get("properties", {}))
    extra = sorted(set(error.instance) - set(allowed))[0]
    line, column = document.key_at.get(path + (extra,), document.locate(path))
    close = difflib.get_close_matches(extra, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; the fields allowed are {', '.join(allowed)}"
    return Problem(shown_as, line, column, field_name(path + (extra,)), f"is not a field this file can have{hint}")


def _type_message(expected: str | list[str], found: Any, yes_no_word: str | None) -> str:
    wanted = " or ".join(_TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected))
    if yes_no_word is not None:
        return f"must be {wanted}; found {yes_no_word}, which YAML reads as {str(found).lower()}: put it in quotes, \"{yes_no_word}\""
    return f"must be {wanted}; found {_show(found)}"


def _show(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a set of fields"
    return repr(value) if isinstance(value, str) else str(value)


def _date_problems(document: Document, field: str, shown_as: str) -> list[Problem]:
    try:
        date.fromisoformat(document.data[field])
        return []
    except ValueError:
        return [Problem(shown_as, *document.locate((field,)), field, f"{document.data[field]} is not a date in the calendar")]


def _id_problems(document: Document, path: Path, shown_as: str) -> list[Problem]:
    found = document.data.get("id") if isinstance(document.data, dict) else path.stem  # not a mapping: reported already
    if found == path.stem:
        return []
    return [Problem(shown_as, *document.locate(("id",)), "id", f"must be the same as the file name, '{path.stem}'; found {_show(found)}")]


def _metric_rules(document: Document, path: Path, shown_as: str) -> list[Problem]:
    data = document.data
    problems = _id_problems(document, path, shown_as)
    unit = data["unit"]
    previous_end = None
    for index, observation in enumerate(data["observations"]):
        where = ("observations", index)

        def add(field: str, message: str) -> None:
            problems.append(Problem(shown_as, *document.locate(where + (field,)), field_name(where + (field,)), message))

        end, value = observation["end"], observation["value"]
        if previous_end is not None and end <= previous_end:
            add("end", f"{end} must come after {previous_end}: observations go oldest first, one per period"
                if end != previous_end else f"{end} appears twice: each period may have one observation only")
        previous_end = max(end, previous_end or end)
        suppressed = observation.get("suppressed", False)
        if value is None and not suppressed:
            add("value", "is empty: give the figure, or add 'suppressed: true' if it is withheld to protect people")
        if value is not None and suppressed:
            add("suppressed", "is true but a value is given: a withheld figure must have 'value: null'")
        if value is not None:
            message = _range_problem(unit, value)
            if message:
                add("value", message)
        numerator, denominator = observation.get("numerator"), observation.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            add("numerator", f"{numerator} is larger than the denominator {denominator}")
    return problems


def _range_problem(unit: str, value: float) -> str | None:
    if unit == "percent" and not 0 <= value <= 100:
        return f"a percent must be between 0 and 100; found {value}"
    if unit == "count" and (value < 0 or value != int(value)):
        return f"a count must be a whole number, 0 or more; found {value}"
    if unit == "rate" and value < 0:
        return f"a rate cannot be negative; found {value}"
    return None


def _cross_check(strands: list[Loaded], metrics: list[Loaded], strand_pages: set[str]) -> list[Problem]:
    problems = _repeats(strands, "id", "strand id") + _repeats(strands, "order", "strand order") + _repeats(metrics, "id", "metric id")
    # a strand page with problems of its own still exists: its metrics should not be blamed for it
    strand_ids = {s.item.id for s in strands} | strand_pages
    for metric in metrics:
        if metric.item.strand not in strand_ids:
            problems.append(metric.problem("strand", f"there is no strand page {STRANDS_DIR.as_posix()}/{metric.item.strand}.md; "
                                                     f"the strands are {', '.join(sorted(strand_ids))}"))
    return problems


def _repeats(loaded: list[Loaded], field: str, what: str) -> list[Problem]:
    first: dict[Any, Loaded] = {}
    problems = []
    for entry in loaded:
        key = getattr(entry.item, field)
        if key in first:
            problems.append(entry.problem(field, f"{what} {key} is already used by {first[key].shown_as}; each must be different"))
        else:
            first[key] = entry
    return problems


def _metric(data: dict[str, Any], path: Path) -> Metric:
    observations = [Observation(**obs) for obs in data["observations"]]
    fields = {k: v for k, v in data.items() if k != "observations"}
    return Metric(**fields, observations=observations, path=path)


def _strand(data: dict[str, Any], path: Path) -> Strand:
    return Strand(**data, path=path)
