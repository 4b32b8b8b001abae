"""`import police-uk ... --evaluation <id>`: an evaluation's counts from police.uk street-level files.

Each row of the chosen crime type is counted for every group whose areas hold it: an area is an LSOA code (the
row's `LSOA code`), a district (the row's LSOA name starts with the district's name, as `police_uk` reads it) or a
partnership (any district it covers). Rows in the before months count as before, in the after months as after.
All or nothing: the files must hold every before and after month, every row must be readable, and the file as it
would be written must pass the portal's checks; otherwise nothing is written.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.conventions import EVALUATIONS_DIR, MONTH_PATTERN
from ..core.evaluation import GROUPS, Counts, Evaluation, months_of
from ..core.model import Portal
from ..core.problems import Problem, count_words
from ..source.validate import load_portal
from . import EditRefused
from .files import problems_if_written, shown_path, write_all
from .police_uk import PUBLISHED_HEADER, SNAKE_HEADER

_LSOA_CODE, _LSOA_NAME, _MONTH, _CRIME_TYPE = 7, 8, 1, 9
_DISTRICT_OF_LSOA_NAME = re.compile(r"^(?P<district>.+) [0-9]{3}[A-Z]$")


@dataclass
class EvaluationCounts:
    """What the import counted (or, with check, would write), for the command line to report."""

    path: Path
    crime_type: str
    counts: dict[str, Counts]
    rows: int  # rows read, of every type and month
    months_read: list[str]
    written: bool
    problems_after: list[Problem] = field(default_factory=list)


def import_evaluation_counts(root: Path, files: list[Path], evaluation_id: str, crime_type: str | None, *,
                             check: bool = False, revise: bool = False) -> EvaluationCounts:
    portal, problems = load_portal(root)
    path = root / EVALUATIONS_DIR / f"{evaluation_id}.yml"
    shown_as = shown_path(path, root)
    evaluation = next((e for e in portal.evaluations if e.id == evaluation_id), None)
    if evaluation is None:
        own = [p for p in problems if p.file == shown_as]
        if own:
            raise EditRefused(f"{shown_as} has {count_words(own)}: fix them first", own)
        raise EditRefused(f"there is no evaluation '{evaluation_id}' ({shown_as}); start one with crimeportal new evaluation")
    if evaluation.before is None or not evaluation.groups:
        raise EditRefused(f"{shown_as} needs its before months and its groups' areas before its crimes can be counted: "
                          "add before and groups")
    crime_type = crime_type or evaluation.crime
    if not crime_type:
        raise EditRefused("say which police.uk crime type to count: give --crime-type, e.g. \"Burglary\", or write "
                          f"crime: in {shown_as}")
    if evaluation.counts and not revise:
        raise EditRefused(f"{shown_as} already has counts: give --revise to replace them")
    counted, rows, months, found = _count(files, root, evaluation, crime_type, _district_names(portal),
                                          _partnerships(portal))
    if found:
        raise EditRefused(f"the files have {count_words(found)}; nothing was counted", found)
    missing = [m for m in months_of(evaluation.before) + months_of(evaluation.after) if m not in months]
    if missing:
        raise EditRefused(f"the files hold no records for {', '.join(missing)}: the counts need every before and after "
                          "month, so give the files for those months too")
    text = with_counts(path.read_text(encoding="utf-8"), counted)
    after = problems_if_written(root, {shown_as: text})
    if after:
        raise EditRefused(f"{shown_as} would have {count_words(after)} with these counts", after)
    if not check:
        write_all(root, {path: text})
    return EvaluationCounts(path, crime_type, counted, rows, sorted(months), written=not check,
                            problems_after=load_portal(root)[1] if not check else [])


def _district_names(portal: Portal) -> dict[str, str]:
    return {a.name.casefold(): a.id for a in portal.areas if a.kind == "district"}


def _partnerships(portal: Portal) -> dict[str, set[str]]:
    return {a.id: set(a.covers) for a in portal.areas if a.kind == "csp"}


def _members(evaluation: Evaluation, partnerships: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each group's LSOA codes and district ids, a partnership stood for by the districts it covers."""
    members = {}
    for group, areas in evaluation.groups.items():
        places: set[str] = set()
        for area in areas:
            places |= partnerships.get(area, {area})
        members[group] = places
    return members


def _count(files: list[Path], root: Path, evaluation: Evaluation, crime_type: str, districts: dict[str, str],
           partnerships: dict[str, set[str]]) -> tuple[dict[str, Counts], int, set[str], list[Problem]]:
    assert evaluation.before is not None
    period = {m: "before" for m in months_of(evaluation.before)} | {m: "after" for m in months_of(evaluation.after)}
    members = _members(evaluation, partnerships)
    tally: Counter[tuple[str, str]] = Counter()
    rows, months, problems = 0, set(), []
    for path in files:
        shown_as = shown_path(path, root) if path.is_relative_to(root) else str(path)
        try:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                reader = csv.reader(stream, strict=True)
                header = tuple(name.strip() for name in next(reader, []))
                if header not in (PUBLISHED_HEADER, SNAKE_HEADER):
                    problems.append(Problem(shown_as, 1, 1, "", "the first line is not the header of a police.uk "
                                                                "street-level crime file"))
                    continue
                for row in reader:
                    if not row:
                        continue
                    if len(row) != len(PUBLISHED_HEADER) or not MONTH_PATTERN.match(row[_MONTH].strip()):
                        problems.append(Problem(shown_as, reader.line_num, 1, "", "this row is not a police.uk "
                                                                                  "street-level row (its fields or Month)"))
                        continue
                    rows += 1
                    month = row[_MONTH].strip()
                    months.add(month)
                    if row[_CRIME_TYPE].strip() != crime_type or month not in period:
                        continue
                    named = _DISTRICT_OF_LSOA_NAME.match(row[_LSOA_NAME].strip())
                    places = {row[_LSOA_CODE].strip()} | ({districts[named["district"].casefold()]}
                                                          if named and named["district"].casefold() in districts else set())
                    for group, inside in members.items():
                        if places & inside:
                            tally[(group, month)] += 1
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            problems.append(Problem(shown_as, 1, 1, "", f"cannot be read as a police.uk CSV ({error})"))
    counted = {g: _counts(g, tally, period) for g in GROUPS if g in evaluation.groups}
    return counted, rows, months, problems


def _counts(group: str, tally: Counter[tuple[str, str]], period: dict[str, str]) -> Counts:
    """A group's before and after totals, and the months they add up from (which the page's chart draws)."""
    by_month = tuple((month, tally[(group, month)]) for month in sorted(period))
    return Counts(sum(n for m, n in by_month if period[m] == "before"), sum(n for m, n in by_month if period[m] == "after"),
                  by_month)


def _months_text(counts: Counts) -> str:
    # quoted, so that no YAML reader takes a month for a number or a date
    return (", by_month: {" + ", ".join(f"'{m}': {n}" for m, n in counts.by_month) + "}") if counts.by_month else ""


def with_counts(text: str, counts: dict[str, Counts]) -> str:
    """The file's text with its top-level `counts:` block replaced (or added at the end); comments elsewhere kept."""
    block = "counts:\n" + "".join(f"  {g}: {{before: {c.before}, after: {c.after}{_months_text(c)}}}\n"
                                   for g, c in counts.items())
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("counts:")), None)
    if start is None:
        return text + ("" if text.endswith("\n") else "\n") + block
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t", "#")) or not lines[end].strip()):
        end += 1
    return "".join(lines[:start]) + block + "".join(lines[end:])
