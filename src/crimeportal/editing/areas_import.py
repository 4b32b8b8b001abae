"""`crimeportal areas import-population` and `import-boundaries`: what `crimeportal init` leaves for later.

A new portal's register (data/areas.yml) names its districts without their ONS codes or populations, and has no
boundaries. These two commands add them from the files the ONS publishes, matching each district of the register
by its `ons_code` when the register has one, else by its name (without regard to case or spaces), and filling in
the `ons_code` when the register lacks it. Rows or Features for areas outside the register are left out with a
note: an ONS file covers the whole country.

The population CSV is read as a spreadsheet saves it (a byte-order mark, commas, semicolons or tabs). Its header
names the columns, in any case, spaces and underscores alike (`POPULATION_COLUMNS`): a code column (`code`,
`ons_code`, `area_code`, `lad_code`, `geography_code`, or ONS's `LAD23CD` and the like) and/or a name column
(`name`, `district`, `area_name`, `lad_name`, `geography`, `LAD23NM`...), a `population` (or `all_ages`) column,
and optionally a `year` column. The GeoJSON is a FeatureCollection with each Feature's ONS code and/or name in its
properties (`code`, `ons_code` or `LADxxCD`; `name` or `LADxxNM`, in any case).

Everything is checked first; the files as they would be written are checked as the portal's own checks would
(`files.problems_if_written`), and then all are written or none (`files.write_all`). The register is changed
through the round trip that keeps its comments and layout (`yaml_edit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..core.commands import option_with
from ..core.conventions import AREAS_REGISTER, BOUNDARIES, MAX_DISTRICT_POPULATION
from ..core.model import Area, Population
from ..core.problems import Problem
from ..source.rules import number_length_problem
from ..source.validate import load_portal
from . import EditRefused
from .figures_csv import csv_text, text_records
from .files import problems_if_written, shown_path, write_all
from .yaml_edit import RoundTripFile, read_round_trip

ONS_CODE = re.compile(r"^[EWSN][0-9]{8}$")
# the columns of a population CSV, by role, as its header names them once lower-cased with spaces and underscores alike
POPULATION_COLUMNS = {
    "code": re.compile(r"^(code|ons_code|area_code|lad_code|geography_code|lad[0-9]{2}cd)$"),
    # not "geography": in ONS's own tables (Code, Name, Geography, All ages) it is the kind of area, not its name
    "name": re.compile(r"^(name|district|area_name|lad_name|lad[0-9]{2}nm)$"),
    "population": re.compile(r"^(population|all_ages)$"),
    "year": re.compile(r"^year$"),
}
YEARS = (1900, 2200)  # as the areas schema bounds `population.year`
MAX_LISTED = 5  # areas named in the note about rows left out


def _plain(name: str) -> str:
    """A name as it is matched: without regard to case or runs of spaces."""
    return " ".join(name.split()).casefold()


@dataclass
class DistrictChange:
    """What an import does (or would do) to one district of the register."""

    id: str
    name: str
    ons_code: str | None  # as it will be
    code_added: bool
    population: int | None  # as it will be (import-boundaries leaves it as it is)
    population_before: int | None


@dataclass
class AreasImport:
    districts: list[DistrictChange]
    written: list[str]  # the files changed (or that would be), as shown
    notes: list[Problem] = field(default_factory=list)
    population: Population | None = None  # the register's, as it will be (import-population)
    problems_after: list[Problem] = field(default_factory=list)


@dataclass
class Candidate:
    """A CSV row or a GeoJSON Feature that may be a district's."""

    line: int
    code: str  # '' when not given
    name: str
    payload: Any
    code_column: int = 1


def register_districts(root: Path) -> tuple[list[Area], Population | None]:
    portal, problems = load_portal(root)
    # the files this command writes, and the folders they are in: a link there (which the checks report at the
    # link) would take the writing outside the portal
    written = {path.as_posix() for target in (AREAS_REGISTER, BOUNDARIES) for path in (target, *target.parents)}
    register_problems = [p for p in problems if p.file in written]
    if register_problems:
        raise EditRefused.because(register_problems)
    districts = [a for a in portal.areas if a.kind == "district"]
    if not districts:
        raise EditRefused(f"the areas register, {AREAS_REGISTER.as_posix()}, has no districts (kind: district) to "
                          "import for: crimeportal init --police-uk FILE finds them, or add them by hand")
    return districts, portal.population


def match_districts(districts: list[Area], candidates: list[Candidate], shown_as: str, what: str, by_code: bool,
           by_name: bool, problems: list[Problem]) -> dict[str, Candidate]:
    """Each district's one candidate, by ONS code when the register has it and the file gives codes, else by name."""
    codes: dict[str, list[Candidate]] = {}
    names: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.code:
            codes.setdefault(candidate.code.upper(), []).append(candidate)
        if candidate.name:
            names.setdefault(_plain(candidate.name), []).append(candidate)
    matched: dict[str, Candidate] = {}
    for district in districts:
        if district.ons_code and by_code:
            found = codes.get(district.ons_code.upper(), [])
            named = [c for c in names.get(_plain(district.name), []) if c.code]
            if not found and named:
                problems.append(Problem(shown_as, named[0].line, named[0].code_column, "",
                                        f"gives {district.name} the ONS code {named[0].code[:20]!r}, but the areas register "
                                        f"({AREAS_REGISTER.as_posix()}) gives it {district.ons_code}: which is right?"))
                continue
        elif by_name:
            found = names.get(_plain(district.name), [])
        else:
            problems.append(Problem(shown_as, 1, 1, "", f"has no {what[1]} to find {district.name} by: the register gives it no "
                                                        "ons_code, so the file needs the districts' names"))
            continue
        if not found:
            known = f"ONS code {district.ons_code}" if district.ons_code and by_code else "name"
            problems.append(Problem(shown_as, 1, 1, "", f"has no {what[0]} for {district.name} (by its {known}), a district "
                                                        f"in the areas register ({AREAS_REGISTER.as_posix()}): add it, or "
                                                        "check the spelling"))
            continue
        for again in found[1:]:
            problems.append(Problem(shown_as, again.line, 1, "", f"{district.name} is given again here (first at line "
                                                                 f"{found[0].line}): give each district one {what[0]}"))
        matched[district.id] = found[0]
        if not district.ons_code and found[0].code and not ONS_CODE.match(found[0].code):
            problems.append(Problem(shown_as, found[0].line, found[0].code_column, "",
                                    f"{found[0].code[:40]!r}, the code given for {district.name}, is not an ONS code "
                                    "such as E07000066 (a letter E, W, S or N and eight digits)"))
    return matched


def left_out(candidates: list[Candidate], matched: dict[str, Candidate], shown_as: str, what: str) -> list[Problem]:
    used = {id(c) for c in matched.values()}
    others = [c for c in candidates if id(c) not in used]
    if not others:
        return []
    names = ", ".join(repr(c.name or c.code)[:60] for c in others[:MAX_LISTED]) + (", ..." if len(others) > MAX_LISTED else "")
    counted = f"1 {what[:-1]} for an area not in the areas register was" if len(others) == 1 else \
        f"{len(others):,} {what} for areas not in the areas register were"
    return [Problem(shown_as, others[0].line, 1, "", f"{counted} left out ({names}); a file may cover the whole country")]


def set_key(entry: CommentedMap, key: str, value: Any, after: tuple[str, ...]) -> None:
    """Set `key`, in place when it is there, else just after the last of the keys `after` the entry has."""
    if key in entry:
        entry[key] = value
        return
    keys = list(entry)
    entry.insert(max((keys.index(k) + 1 for k in after if k in entry), default=len(keys)), key, value)


def register_document(root: Path, added: str) -> RoundTripFile:
    path = root / AREAS_REGISTER
    document = read_round_trip(path, shown_path(path, root), added)
    if isinstance(document, Problem):
        raise EditRefused.because([document])
    return document


def register_entries(document: RoundTripFile) -> dict[str, CommentedMap]:
    return {entry["id"]: entry for entry in document.data["areas"]}


def finish_import(root: Path, contents: dict[Path, str], result: AreasImport, check: bool) -> AreasImport:
    """The changed files checked as they would be written, then written (all or none) unless `check`."""
    outside = [path for path in contents if not path.resolve().is_relative_to(root.resolve())]
    if outside:
        raise EditRefused(f"{outside[0].as_posix()} leads outside the portal's folder (through a link): nothing was written")
    shown = {shown_path(path, root): text for path, text in contents.items()}
    found = problems_if_written(root, shown)
    if found:
        raise EditRefused.because(sorted(found))
    result.written = sorted(shown)
    if not check and contents:
        write_all(root, contents)
        result.problems_after = load_portal(root)[1]
    return result


# ---------------------------------------------------------------------------------------------- population

def import_population(root: Path, path: Path, *, year: int | None = None, source: str | None = None,
                      check: bool = False) -> AreasImport:
    """Each district's population (and ONS code, when the register lacks it) from a CSV, and the register's
    population year and source: every district or none. Raises `EditRefused` with every problem found."""
    districts, population = register_districts(root)
    shown_as = shown_path(path, root)
    rows, columns, header = _population_rows(path, shown_as)
    problems: list[Problem] = []
    matched = match_districts(districts, rows, shown_as, ("row", "name column"), "code" in columns, "name" in columns, problems)
    values: dict[str, int] = {}
    for district_id, row in matched.items():
        value, message = _whole_number(row.payload[columns["population"]] if columns["population"] < len(row.payload) else "")
        if message:
            problems.append(Problem(shown_as, row.line, columns["population"] + 1, header[columns["population"]], message))
        else:
            values[district_id] = value
    year = _year(year, matched, columns, header, population, shown_as, problems)
    source = " ".join((source or "").split()) or (population.source if population else "")
    if not source:
        problems.append(Problem(AREAS_REGISTER.as_posix(), 1, 1, "population", "says nothing yet of where the populations "
                                "come from: give it with " + option_with("--source", "Office for National Statistics, mid-2022 "
                                                                   "population estimates")))
    if problems:
        raise EditRefused.because(sorted(problems))
    document = register_document(root, "populations")
    entries = register_entries(document)
    changes = []
    for district in districts:
        entry, row = entries[district.id], matched[district.id]
        added = not district.ons_code and bool(row.code)
        if added:
            set_key(entry, "ons_code", row.code.upper(), ("id", "name", "kind"))
        set_key(entry, "population", values[district.id], ("id", "name", "kind", "ons_code"))
        changes.append(DistrictChange(district.id, district.name, row.code.upper() if added else district.ons_code, added,
                                      values[district.id], district.population))
    if "population" in document.data:
        document.data["population"]["year"] = year
        if source != population.source:  # type: ignore[union-attr]
            document.data["population"]["source"] = DoubleQuotedScalarString(source)
    else:
        keys = list(document.data)  # below `name:`, as the schema's order has it; else first, above `areas:`
        document.data.insert(keys.index("name") + 1 if "name" in keys else 0, "population",
                             CommentedMap([("year", year), ("source", DoubleQuotedScalarString(source))]))
    after = document.text()
    result = AreasImport(changes, [], left_out(rows, matched, shown_as, "rows"), Population(year, source))  # type: ignore[arg-type]
    contents = {document.path: after} if after != document.before else {}
    return finish_import(root, contents, result, check)


def _header_columns(header: list[str], shown_as: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        plain = re.sub(r"[^a-z0-9]+", "_", cell.strip().casefold()).strip("_")
        for role, pattern in POPULATION_COLUMNS.items():
            if pattern.match(plain):
                if role in columns:
                    problems.append(Problem(shown_as, 1, index + 1, "", f"columns {header[columns[role]].strip()!r} and "
                                                                       f"{cell.strip()!r} could both be the {role}: keep one"))
                columns.setdefault(role, index)
    if "population" not in columns or not ("code" in columns or "name" in columns):
        problems.append(Problem(shown_as, 1, 1, "", "the first line must name the columns: a population column "
                                                    "(population), and the district's ONS code (code) or name (name), or "
                                                    f"both; found {','.join(c.strip() for c in header)[:200]!r}"))
    if problems:
        raise EditRefused.because(problems)
    return columns


def _population_rows(path: Path, shown_as: str) -> tuple[list[Candidate], dict[str, int], list[str]]:
    text = csv_text(path, shown_as)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel saves with semicolons where a comma is the decimal mark
    records = text_records(text, shown_as, "", delimiter)
    if not records:
        raise EditRefused.because([Problem(shown_as, 1, 1, "", "the file is empty: its first line names the columns, "
                                                               "such as code,name,year,population")])
    (_, header), rows = records[0], records[1:]
    columns = _header_columns(header, shown_as)

    def cell(cells: list[str], role: str) -> str:
        return cells[columns[role]].strip() if role in columns and columns[role] < len(cells) else ""

    candidates = [Candidate(line, cell(cells, "code"), cell(cells, "name"), cells, columns.get("code", 0) + 1)
                  for line, cells in rows]
    return candidates, columns, [h.strip() for h in header]


def _whole_number(text: str) -> tuple[int, str | None]:
    written = text.strip()
    if not written:
        return 0, "is empty: give the district's population, a whole number such as 185862"
    if (too_long := number_length_problem(written)):
        return 0, too_long
    if not re.fullmatch(r"[0-9]+|[0-9]{1,3}(,[0-9]{3})+", written):
        return 0, f"must be a whole number of people, such as 185862; found {written[:40]!r}"
    value = int(written.replace(",", ""))
    if value < 1:
        return 0, "must be 1 or more: a district has people in it"
    if value > MAX_DISTRICT_POPULATION:
        return 0, f"{value:,} is more people than any district has (at most {MAX_DISTRICT_POPULATION:,}): check it"
    return value, None


def _year(given: int | None, matched: dict[str, Candidate], columns: dict[str, int], header: list[str],
          population: Population | None, shown_as: str, problems: list[Problem]) -> int | None:
    if given is not None:
        if not YEARS[0] <= given <= YEARS[1]:
            problems.append(Problem(shown_as, 1, 1, "", f"{option_with('--year', str(given))} is not a year of population estimates "
                                                        f"({YEARS[0]} to {YEARS[1]})"))
        return given
    if "year" not in columns:
        if population is None:
            problems.append(Problem(shown_as, 1, 1, "", "has no year column: say which year the populations are for, "
                                                        "such as " + option_with("--year", "2022")))
        return population.year if population else None
    years: dict[int, int] = {}
    for row in sorted(matched.values(), key=lambda r: r.line):
        written = row.payload[columns["year"]].strip() if columns["year"] < len(row.payload) else ""
        if not re.fullmatch(r"[0-9]{4}", written) or not YEARS[0] <= int(written) <= YEARS[1]:
            problems.append(Problem(shown_as, row.line, columns["year"] + 1, header[columns["year"]],
                                    f"must be a year written YYYY, such as 2022; found {written[:20]!r}"))
            continue
        years.setdefault(int(written), row.line)
    if len(years) > 1:
        told = ", ".join(f"{y} (line {line})" for y, line in sorted(years.items()))
        problems.append(Problem(shown_as, 1, columns["year"] + 1, header[columns["year"]],
                                f"the districts' rows give different years, {told}: one register has one year; "
                                "give the rows of one year, or say which, such as " + option_with("--year", str(max(years)))))
    return next(iter(years), None)
