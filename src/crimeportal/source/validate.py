"""Check strand pages and metric files against the schemas and each other.

Every problem in every file is collected before anything is decided, so an
editor sees the whole list in one run, sorted by file and line.
"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core.conventions import (BOUNDARIES, METRIC_SCHEMA, PLACEHOLDERS, RESERVED_IDS, SCHEMA_LINE_METRIC, SCHEMAS_DIR, STRAND_SCHEMA,
                                STRANDS_DIR)
from ..core.model import Area, Metric, Portal, Strand, observation_of
from ..core.problems import Problem, field_name
from .files import left_out_of_site, scan_sources, shown_path as _shown
from .load import Document, Location, parse_yaml, quick_load, read_text, split_front_matter, top_level_locations
from .breakdowns import breakdown_problems
from .pages import page_problems
from .drafts import placeholder_problems
from .boundaries import load_boundaries
from .plans import area_name, check_plans, load_areas
from .evaluations import check_evaluations, register_of
from .figure_names import name_figures
from .plausible import unusual_figure_warnings
from .rules import METRIC_TEXT, STRAND_TEXT, count_problem, range_problem, schema_line_notes, text_field_problems
from .reuse import FileResults, files_digest
from .schemas import SchemaFileError, Schemas, schema_problems, show_value as _show

# Failures of the portal's set-up, not of one file: the command line explains them and stops.
_SET_UP_FAILURES = (SchemaFileError, OSError, json.JSONDecodeError)


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


@dataclass
class PortalCheck:
    """Everything `check_portal` found: the portal as far as it passed, its problems, and notes.

    Problems fail validation and the build. Warnings fail nothing unless the editor asks (`--strict-warnings`):
    they point at what may be a mistake but may be right (an unusual latest figure), and a note on the figure
    silences them. Notes never fail: they say what was left alone and why (an editor's lock or backup file, say)
    or how to help editors' tools. All are `Problem`s, sorted by file and line, so each prints with
    `format_problems` at its own level.
    """

    portal: Portal
    problems: list[Problem]
    notes: list[Problem]
    never_published: set[str] = field(default_factory=set)  # content/ files (as MkDocs names them) a build drops
    warnings: list[Problem] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)  # every page under content/ (validate checks their links too)
    metric_ids: list[str] = field(default_factory=list)  # every metric file's name, whether or not it loaded


def load_portal(root: Path) -> tuple[Portal, list[Problem]]:
    """Read and check everything under `root`; the portal holds what passed."""
    check = check_portal(root)
    return check.portal, check.problems


def check_portal(root: Path, figures: bool = True, reuse: FileResults | None = None) -> PortalCheck:
    """Read and check everything under `root`, as `load_portal`, keeping the notes as well.

    With `figures=False` every check is made just the same, but the portal's metrics come without their
    observations: for a caller that wants only the problems (`crimeportal validate`), which then need not
    carry 60 figures a file from the workers and build an Observation of each.
    """
    sources = scan_sources(root)
    problems = list(sources.problems)
    if any(p.file.startswith(f"{SCHEMAS_DIR.as_posix()}/") for p in problems):
        # files are checked against the schemas: a schema that is a link cannot be trusted to check anything
        return PortalCheck(Portal([], []), sorted(set(problems)), sorted(set(sources.notes)), left_out_of_site(root, sources),
                           metric_ids=[path.stem for path in sources.metrics])
    # compiled once for a live preview's builds while the schema files stay as they are
    schemas = reuse.get(("schemas", _schemas_digest(root)), lambda: Schemas(root)) if reuse else Schemas(root)
    loaded_strands = [s for s in (_check_strand(p, root, schemas, problems) for p in sources.strands) if s]
    notes = list(sources.notes)
    # the register first: a measure's figures by area are checked against it (None: there is none to check against)
    areas, population, register = load_areas(root, schemas, problems, notes)
    warnings: list[Problem] = []
    loaded_metrics = _check_metrics(sources.metrics, root, schemas, (problems, notes, warnings), areas if register else None,
                                    figures, reuse)
    problems += _cross_check(loaded_strands, loaded_metrics, {p.stem for p in sources.strands})
    problems += placeholder_problems([(loaded.item, loaded.shown_as) for loaded in loaded_strands + loaded_metrics])
    strands: list[Strand] = [s.item for s in loaded_strands]  # type: ignore[misc]
    metrics: list[Metric] = [m.item for m in loaded_metrics]  # type: ignore[misc]
    problems += page_problems(sources.pages, root, {m.id for m in metrics}, set(sources.strands))
    strands.sort(key=lambda s: (s.order, s.id))
    strand_rank = {s.id: index for index, s in enumerate(strands)}
    metrics.sort(key=lambda m: (strand_rank.get(m.strand, len(strands)), m.sort_key))
    actions = check_plans(root, sources.actions, schemas, {s.id for s in strands} | {p.stem for p in sources.strands},
                          register, problems, notes)
    actions.sort(key=lambda a: strand_rank.get(a.strand, len(strands)))  # stable: file order within a strand
    evaluations = check_evaluations(root, sources.evaluations, schemas, {s.id for s in strands} | {p.stem for p in sources.strands},
                                    register_of(root, register), {a.id for a in actions}, problems, notes)
    portal = Portal(strands, metrics, areas, actions, population, area_name(register) or Portal.area_name,
                    _boundaries(root, areas, problems, reuse), evaluations)
    return PortalCheck(portal, sorted(set(problems)), sorted(set(notes)), left_out_of_site(root, sources), sorted(warnings),
                       sources.pages, [path.stem for path in sources.metrics])


@dataclass
class MetricFile:
    """One metric file's outcome, in plain data so that worker processes can send it back cheaply."""

    path: Path
    shown_as: str
    data: dict | None  # the parsed file when it passed every check of its own
    where: dict[str, Location]
    problems: list[Problem]
    notes: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # unusual figures: worth a look, a failure only when strict


Outcome = tuple["MetricFile", "Loaded | None"]


def _check_metrics(paths: list[Path], root: Path, schemas: Schemas, found: tuple[list[Problem], list[Problem], list[Problem]],
                   areas: list[Area] | None = None, figures: bool = True, reuse: FileResults | None = None) -> list[Loaded]:
    """Every metric file checked, in worker processes when there are many; `found` gathers their problems, notes
    and warnings."""
    if reuse is None:
        return _gathered(_outcomes(paths, root, schemas, areas, figures), found)
    # everything a file's outcome depends on besides its own bytes: the schemas, the areas register, `figures`
    context = (_schemas_digest(root), repr(areas), figures)
    keys = {path: ("metric file", path.as_posix(), reuse.digest(path), *context) for path in paths}
    outcomes = reuse.each(keys, lambda missing: _outcomes(missing, root, schemas, areas, figures))
    for (result, loaded), key in zip(outcomes, keys.values()):
        if loaded is not None:
            reuse.remember(loaded.item, key)
    return _gathered(outcomes, found)


def _schemas_digest(root: Path) -> str:
    return files_digest(sorted((root / SCHEMAS_DIR).glob("*.json")))


def _outcomes(paths: list[Path], root: Path, schemas: Schemas, areas: list[Area] | None, figures: bool) -> Iterator[Outcome]:
    """Each file's result, and the metric it holds when it passed, in the order of `paths`."""
    for result in _results(paths, root, schemas, areas, figures):
        yield result, Loaded(_metric(result.data, result.path), result.shown_as, result.where) if result.data is not None else None


def _results(paths: list[Path], root: Path, schemas: Schemas, areas: list[Area] | None, figures: bool) -> Iterator[MetricFile]:
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (_finished(check_metric(path, root, schemas, areas), figures) for path in paths)
        return
    with ProcessPoolExecutor(workers, mp_context=_start_method(), initializer=_start_worker, initargs=(root, areas)) as pool:
        # each result is turned into a Metric as it arrives, while the workers go on with the rest
        yield from pool.map(partial(_check_metric_in_worker, figures=figures), paths,
                            chunksize=max(1, len(paths) // (workers * 8)))


def _boundaries(root: Path, areas: list[Area], problems: list[Problem], reuse: FileResults | None) -> dict:
    if reuse is None:
        return load_boundaries(root, areas, problems)
    found: list[Problem] = []
    shapes, found = reuse.get(("boundaries", reuse.digest(root / BOUNDARIES), repr(areas)),
                              lambda: (load_boundaries(root, areas, found), found))
    problems += found
    return shapes


def _finished(result: MetricFile, figures: bool) -> MetricFile:
    """The result with its warnings about unusual figures, judged where the file was checked (in its worker),
    and then, with figures=False, without the figures the checks across files no longer need."""
    if result.data is not None:
        result.warnings = unusual_figure_warnings([(_metric(result.data, result.path), result.shown_as)])
    return _without_figures(result, figures)


def _without_figures(result: MetricFile, figures: bool) -> MetricFile:
    """The result as it is, or (figures=False) with only the observations the checks across files still read.

    Those are the ones whose note is placeholder text, which `placeholder_problems` looks for in every metric.
    """
    if not figures and result.data is not None:
        observations = [o for o in result.data["observations"] if o.get("note") in PLACEHOLDERS]
        result.data = {**result.data, "observations": observations}
    return result


def _gathered(outcomes: Iterable[Outcome], found: tuple[list[Problem], list[Problem], list[Problem]]) -> list[Loaded]:
    problems, notes, warnings = found
    loaded = []
    for result, metric in outcomes:
        problems += result.problems
        notes += result.notes
        warnings += result.warnings
        if metric is not None:
            loaded.append(metric)
    return loaded


def _start_method() -> BaseContext:
    """fork while this process runs no other thread, else spawn.

    A forked worker starts at once, with the modules already imported; a spawned one imports the package again
    (and the command's own script with it), which costs more than checking hundreds of files. But a fork copies
    a process mid-flight: where a build already runs threads (the chart renderer's), only spawn is safe.
    """
    if threading.active_count() == 1 and "fork" in get_all_start_methods():
        return get_context("fork")
    return get_context("spawn")


_worker_schemas: Schemas | None = None  # set only inside a worker process, which ends with the validation
_worker_areas: list[Area] | None = None


def _start_worker(root: Path, areas: list[Area] | None = None) -> None:
    global _worker_schemas, _worker_areas
    _worker_schemas, _worker_areas = Schemas(root), areas


def _check_metric_in_worker(path: Path, figures: bool = True) -> MetricFile:
    assert _worker_schemas is not None
    return _finished(check_metric(path, _worker_schemas.root, _worker_schemas, _worker_areas), figures)


def check_metric(path: Path, root: Path, schemas: Schemas, areas: list[Area] | None = None) -> MetricFile:
    """One metric file, checked on its own (its figures by area against the register's `areas`, None when the
    portal has no usable register): its data when it passed, else its problems."""
    try:
        return _check_metric(path, root, schemas, areas)
    except _SET_UP_FAILURES:
        raise
    except Exception as error:  # the last guard of "never a traceback": a check that failed is still reported
        return MetricFile(path, _shown(path, root), None, {}, [_unchecked(_shown(path, root), error)])


def _unchecked(shown_as: str, error: Exception) -> Problem:
    return Problem(shown_as, 1, 1, "", f"could not be checked ({type(error).__name__}: {str(error)[:200]}); this is a "
                                       "fault in the portal's checks, not necessarily in the file: please report it")


def _check_metric(path: Path, root: Path, schemas: Schemas, areas: list[Area] | None) -> MetricFile:
    source = read_text(path, _shown(path, root))
    if source.text is None:
        return MetricFile(path, source.path, None, {}, source.problems)
    notes = _schema_line_notes(source.text, source.path)
    data = quick_load(source.text)
    if data is not None and schemas.is_valid(METRIC_SCHEMA, data) and not _metric_rules(Document(data), path, source.path, areas):
        return MetricFile(path, source.path, data, top_level_locations(source.text), [], notes)
    # something is wrong: read the file again, carefully, to say exactly where
    problems: list[Problem] = []
    document, found = parse_yaml(source.text, source.path)
    problems += found
    if document is not None and not found:
        found = schema_problems(document, schemas, METRIC_SCHEMA, source.path)
        # the rules across observations need the unit and observations the schema promises
        rules_can_run = isinstance(document.data, dict) and not any(
            p.field == "unit" or p.field.startswith("observations") for p in found)
        problems += found + (_metric_rules(document, path, source.path, areas) if rules_can_run else _id_problems(document, path, source.path))
    if problems or document is None:
        return MetricFile(path, source.path, None, {}, name_figures(problems, document and document.data), notes)
    return MetricFile(path, source.path, document.data, top_level_locations(source.text), [], notes)


def _schema_line_notes(text: str, shown_as: str) -> list[Problem]:
    return schema_line_notes(text, shown_as, SCHEMA_LINE_METRIC)


def _check_strand(path: Path, root: Path, schemas: Schemas, problems: list[Problem]) -> Loaded | None:
    try:
        return _check_strand_file(path, root, schemas, problems)
    except _SET_UP_FAILURES:
        raise
    except Exception as error:  # as in check_metric
        problems.append(_unchecked(_shown(path, root), error))
        return None


def _check_strand_file(path: Path, root: Path, schemas: Schemas, problems: list[Problem]) -> Loaded | None:
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
    found += [] if found else _date_problems(document, "updated", source.path) + _text_problems(document, STRAND_TEXT, source.path)
    problems += found
    return None if found else Loaded(_strand(document.data, path), source.path, top_level_locations(front_matter, first_line))


def _date_problems(document: Document, field: str, shown_as: str) -> list[Problem]:
    try:
        date.fromisoformat(document.data[field])
        return []
    except ValueError:
        return [Problem(shown_as, *document.locate((field,)), field, f"{document.data[field]} is not a date in the calendar")]


def _id_problems(document: Document, path: Path, shown_as: str) -> list[Problem]:
    found = document.data.get("id") if isinstance(document.data, dict) else path.stem  # not a mapping: reported already
    if found == path.stem and found in RESERVED_IDS:
        what, place = ("metric", "metrics/index/ is the All measures page") if path.suffix == ".yml" else (
            "strand", f"{STRANDS_DIR.as_posix()}/index.md would be the page of the Strands section itself")
        return [Problem(shown_as, *document.locate(("id",)), "id", f"'{found}' cannot be a {what}'s id: {place}; choose "
                                                                    "another id and rename the file to match")]
    if found == path.stem:
        return []
    return [Problem(shown_as, *document.locate(("id",)), "id", f"must be the same as the file name, '{path.stem}'; found {_show(found)}")]


def _metric_rules(document: Document, path: Path, shown_as: str, areas: list[Area] | None = None) -> list[Problem]:
    data = document.data
    problems = _id_problems(document, path, shown_as) + _text_problems(document, METRIC_TEXT, shown_as)
    unit = data["unit"]
    previous_end = None
    for index, observation in enumerate(data["observations"]):
        where = ("observations", index)

        def add(field: str, message: str) -> None:
            problems.append(Problem(shown_as, *document.locate(where + (field,)), field_name(where + (field,)), message))

        end, value = observation["end"], observation["value"]
        if previous_end is not None and end <= previous_end:
            add("end", f"{end} must come after {previous_end}: figures go oldest first, one per period"
                if end != previous_end else f"{end} appears twice: each period may have one figure only")
        previous_end = max(end, previous_end or end)
        suppressed = observation.get("suppressed", False)
        if value is None and not suppressed:
            add("value", "is empty: give the figure, or add 'suppressed: true' if it is withheld to protect people")
        if value is not None and suppressed:
            add("suppressed", "is true but a value is given: a withheld figure must have 'value: null'")
        if value is not None:
            message = range_problem(unit, value)
            if message:
                add("value", message)
        numerator, denominator = observation.get("numerator"), observation.get("denominator")
        if numerator is not None and (message := count_problem(numerator)):
            add("numerator", message)
        if denominator is not None and (message := count_problem(denominator)):
            add("denominator", message)
        if numerator is not None and denominator is not None and numerator > denominator:
            add("numerator", f"{numerator} is larger than the denominator {denominator}")
    return problems + breakdown_problems(document, shown_as, areas)




def _text_problems(document: Document, shapes: tuple, shown_as: str) -> list[Problem]:
    return [Problem(shown_as, *document.locate(path), field_name(path), message)
            for path, message in text_field_problems(document.data, shapes)]


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
    observations = [observation_of(obs) for obs in data["observations"]]
    fields = {k: v for k, v in data.items() if k != "observations"}
    return Metric(**fields, observations=observations, path=path)


def _strand(data: dict[str, Any], path: Path) -> Strand:
    return Strand(**data, path=path)
