"""Every file the Data page offers: the CSV and JSON downloads, the schemas, a Frictionless data package
describing them (`datapackage.json`), a README saying what each file is, and all of it in one zip.

The data package follows Frictionless Data Package v2: each CSV is a tabular resource with its fields,
their types and (for the figures) their unit, and every resource names the licence. Each release builds
its own, so `<release>/data/portal-data.zip` is a stable address for that release's data.
"""

from __future__ import annotations

import functools
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Hashable, TypeVar

from ...core.delivery import AsAt
from ...core.formats import UNIT_WORDS
from ...core.model import Metric, OBSERVATION_STATUSES, PERIODS, POLARITIES, Portal, UNITS
from .citation import Citation
from ...core.records import published_record, strand_record
from .downloads import AREA_PREFIX, NOT_LOCATED, area_columns, csv_of, json_list, measure_csv, metric_rows, to_json
from . import evaluation_data, plan_data
from .publication import Publication

DATA_PACKAGE = "datapackage.json"  # at the site's root, so that every resource path is inside its folder
README = "data/README.txt"
ZIP = "data/portal-data.zip"
DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes from the same data, whenever it is built

Files = dict[str, tuple[bytes, str]]  # site path -> (content, what it holds)
T = TypeVar("T")


@dataclass(frozen=True)
class OpenData:
    """What the downloads need to know beyond the data: who publishes it, under which licence, and how to cite it."""

    publication: Publication
    portal_citation: Citation
    cite: Callable[[Metric], Citation]
    as_at: AsAt | None = None  # the build's as-at date, which says whether an evaluation is planned or running


# Works out a value from one metric (the second argument names what, with anything else it depends on), or
# gives back the one a live preview's earlier build worked out from the same file (source/reuse.py).
PerMetric = Callable[[Metric, Hashable, Callable[[], T]], T]


def _afresh(metric: Metric, what: Hashable, make: Callable[[], T]) -> T:
    return make()


def download_files(portal: Portal, root: Path, about: OpenData, per_metric: PerMetric = _afresh,
                   with_zip: bool = True) -> Files:
    """Site path -> (content, what it holds), for every file the Data page lists.

    `with_zip=False` leaves the zip out: a live preview would remake and hash all of the portal's data in it
    on every save, a third of a second at a thousand measures, and the Data page then says it was not made."""
    files = data_files(portal, root, about, per_metric)
    files[DATA_PACKAGE] = (to_json(data_package(portal, files, about, per_metric)),
                           "Data package (Frictionless Data Package v2): every file here, its fields and licence")
    files[README] = (readme(files, about).encode(), "What each file is, the licence and how to cite the data")
    if with_zip:
        files[ZIP] = (zip_of(files), "Every file on this page in one zip, with the data package and the README")
    return files


def download_paths(portal: Portal, root: Path) -> set[str]:
    """The paths `download_files` writes, by name alone, without making any of them (validate's link check)."""
    paths = {"data/all-metrics.csv", "data/all-metrics.json", "data/strands.json", DATA_PACKAGE, README, ZIP}
    paths |= set(plan_data.PLAN_FILES)
    paths |= {f"schemas/{schema.name}" for schema in (root / "schemas").glob("*.json")}
    return paths | {f"data/metrics/{metric.id}.{kind}" for metric in portal.metrics for kind in ("csv", "json")}


def data_files(portal: Portal, root: Path, about: OpenData, per_metric: PerMetric = _afresh) -> Files:
    made: dict[str, dict[str, Any]] = {}  # this call's records, so each measure is assessed once for both files

    def record_of(metric: Metric) -> dict[str, Any]:
        if metric.id not in made:
            made[metric.id] = published_record(metric)
        return made[metric.id]

    records = [per_metric(m, "record", lambda m=m: to_json(record_of(m))) for m in portal.metrics]
    rows = [per_metric(m, "csv rows", lambda m=m: metric_rows(m)) for m in portal.metrics]
    files: Files = {
        "data/all-metrics.csv": (csv_of(rows), "Every figure of every measure, one row per figure, with what each measure is"),
        "data/all-metrics.json": (json_list(records), "Every measure with its details, figures and the latest change's test and verdict"),
        "data/strands.json": (to_json([strand_record(s) for s in portal.strands]), "Every strand with its status and place in the strategy"),
    }
    files.update(plan_data.plan_files(portal))  # the delivery plan, and the blank spreadsheets partners fill in
    files.update(evaluation_data.downloads(portal, about.as_at))  # data/evaluations/<id>.json
    for schema in sorted((root / "schemas").glob("*.json")):
        files[f"schemas/{schema.name}"] = (schema.read_bytes(), "JSON Schema that the portal's files are checked against")
    licence = about.publication.licence_record()
    for metric, metric_csv in zip(portal.metrics, rows):
        files[f"data/metrics/{metric.id}.csv"] = (per_metric(metric, "own csv", lambda m=metric: measure_csv(m)),
                                                  f"{metric.title}: figures" + (", and by area" if area_columns(metric) else ""))
        # a measure's own file says how it may be reused and cited; all-metrics.json stays the records (and the
        # release's assessment) that later releases compare with
        citation = about.cite(metric).record()
        own = per_metric(metric, ("own record", repr(licence), repr(citation)),
                         lambda m=metric, c=citation: to_json({**record_of(m), "licence": licence, "citation": c}))
        files[f"data/metrics/{metric.id}.json"] = (own, f"{metric.title}: details, figures, the latest change's test and verdict, licence and citation")
    return files


def data_package(portal: Portal, files: Files, about: OpenData, per_metric: PerMetric = _afresh) -> dict[str, Any]:
    licences = [_licence(about.publication)]
    metrics = {f"data/metrics/{m.id}.{kind}": m for m in portal.metrics for kind in ("csv", "json")}

    def resource(path: str, content: bytes, what: str) -> dict[str, Any]:
        make = functools.partial(_resource, path, content, what, metrics.get(path), licences)
        if path not in metrics:
            return make()
        # the content itself is part of the key: a live preview's unchanged file is the same object
        return per_metric(metrics[path], ("resource", path, what, content, repr(licences)), make)

    resources = [resource(path, content, what) for path, (content, what) in files.items()]
    citation = about.portal_citation
    return {
        "$schema": DATA_PACKAGE_PROFILE,
        "name": "crime-prevention-portal",
        "title": citation.site_name,
        "description": "The figures behind every measure of the portal and the actions of its delivery plan, "
                       "as CSV and JSON, with the schemas the portal's files are checked against.",
        "version": citation.release.version if citation.release else "preview",
        "homepage": citation.url,
        "licenses": licences,
        "contributors": [{"title": about.publication.publisher, "roles": ["publisher"]}],
        "citation": citation.record(),  # a custom property: Data Package v2 has none for a citation
        "resources": resources,
    }


def _licence(publication: Publication) -> dict[str, str]:
    licence = publication.licence
    return {"name": licence.identifier, "path": licence.url, "title": licence.name}


def _resource(path: str, content: bytes, what: str, metric: Metric | None, licences: list[dict[str, str]]) -> dict[str, Any]:
    name = path.removesuffix(".csv").removesuffix(".json").replace("/", "-").replace("_", "-").lower()
    resource: dict[str, Any] = {"name": f"{name}-{path.rsplit('.', 1)[-1]}", "path": path, "description": what,
                                "bytes": len(content), "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
                                "licenses": licences}
    if path.endswith(".csv"):
        resource.update(type="table", format="csv", mediatype="text/csv", encoding="utf-8",
                        schema=plan_data.table_schema(path) or table_schema(metric))
    else:
        # frictionless reads a JSON Schema file as a Table Schema unless told that it is plain JSON
        resource.update(type="json", format="json", mediatype="application/json", encoding="utf-8")
    return resource


def table_schema(metric: Metric | None) -> dict[str, Any]:
    """The CSV's columns as a Table Schema; a measure's own file also says what unit its figures are in."""
    unit = f"In {UNIT_WORDS[metric.unit]}." if metric and metric.unit in UNIT_WORDS else "In the unit the row's `unit` names."
    return {"fields": [
        _field("metric", "string", "The measure's id, as in its page's address."),
        _field("title", "string", "The measure's title."),
        _field("strand", "string", "The id of the strategy strand the measure belongs to."),
        _field("unit", "string", "count, percent (0 to 100) or rate (per 1,000 population).", UNITS),
        _field("polarity", "string", "Whether a rise is good (higher-is-better), bad (lower-is-better) or neither (neutral).", POLARITIES),
        _field("period_type", "string", "How long each figure's period is.", PERIODS),
        _field("period", "string", "The period the figure covers, in words."),
        _field("period_end", "date", "The last day the period covers."),
        _field("value", "number", f"The figure. {unit} Empty when withheld."),
        _field("status", "string", "final, provisional (may change) or revised (changed since first published).", OBSERVATION_STATUSES),
        _field("note", "string", "A note on the figure. Text that a spreadsheet would run as a formula starts with an apostrophe."),
        _field("numerator", "integer", "For a percentage or rate: the count it was worked out from, when published."),
        _field("denominator", "integer", "For a percentage or rate: the total it was worked out from, when published."),
        {**_field("suppressed", "boolean", "true when the figure is withheld to protect people."),
         "trueValues": ["true"], "falseValues": ["false"]},
    ] + _area_fields(metric), "missingValues": [""]}


def _area_fields(metric: Metric | None) -> list[dict[str, Any]]:
    """A measure's own CSV with figures by area has a column per area and one for those located in none."""
    areas = area_columns(metric) if metric else []
    if not areas:
        return []
    return [_field(AREA_PREFIX + area, "integer", f"The count in the area `{area}` (its page is areas/{area}/); empty when the "
                   "period has no figures by area.") for area in areas] + [
        _field(NOT_LOCATED, "integer", "The count in the total but located in no area; empty when the period has no "
               "figures by area.")]


def _field(name: str, kind: str, description: str, choices: tuple[str, ...] | None = None) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if choices:
        field["constraints"] = {"enum": list(choices)}
    return field


def readme(files: Files, about: OpenData) -> str:
    """A plain-text README for the zip: what each file is, the licence, and how to cite."""
    publication, citation = about.publication, about.portal_citation
    listing = "\n".join(f"  {path}\n      {what}" for path, (_, what) in files.items())
    placeholder = ("\nThe licence above is a placeholder that the publisher has still to confirm.\n"
                   if not publication.licence.confirmed else "")
    return (f"{citation.site_name}: data files\n{'=' * (len(citation.site_name) + 12)}\n\n"
            f"Release: {citation.release_words[:1].upper()}{citation.release_words[1:]}\nPublished by: {publication.publisher}\n\n"
            f"Licence\n-------\n{publication.licence.name}: {publication.licence.url}\n"
            f"When you reuse the data, say: {publication.licence.attribution}\n{placeholder}\n"
            f"How to cite\n-----------\n{citation.text}\n\n"
            "The CSV files\n-------------\nUTF-8 with a byte-order mark, so that Excel reads every character. "
            "One row per figure; each row names its measure's title, strand, unit, polarity and period type. "
            "`period` is the period in words; `period_end` is its last day (YYYY-MM-DD). Text that a spreadsheet "
            "would run as a formula starts with an apostrophe. datapackage.json describes every column. "
            "data/actions.csv has one row per action of the delivery plan, laid out as a partnership's return; "
            "data/templates/ holds blank spreadsheets of that layout and of a quarter's progress.\n\n"
            f"The files\n---------\n{listing}\n  {DATA_PACKAGE}\n      Data package describing the files above\n")


def zip_of(files: Files) -> bytes:
    """Every file, at the same path as on the site, in a zip whose bytes depend only on the files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, (content, _) in sorted(files.items()):
            entry = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content)
    return buffer.getvalue()
