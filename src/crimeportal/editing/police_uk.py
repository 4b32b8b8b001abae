"""Reading police.uk's street-level crime files and counting their rows by month, crime type and district.

police.uk publishes one CSV per force and month, one row per crime or anti-social behaviour record, each
placed at an anonymised point with the Lower layer Super Output Area (LSOA) it lies in. An LSOA's name is
its district's name and a code ("Castle Point 012A"), so a row's district is its LSOA name without the
code, matched against the districts of the areas register. Rows are read one at a time with the csv
module and only the counts are kept, with a small fingerprint of each Crime ID (see below).

One import counts each record once, however many files hold it. A record with a Crime ID is counted the first
time its ID is met: a month downloaded twice, under two names, adds nothing the second time. police.uk leaves
the Crime ID of anti-social behaviour empty, so those records cannot be told apart one by one (two incidents at
the same anonymised point in one month have identical rows); as police.uk publishes one file per force and
month, a month's records without a Crime ID for one force are taken from the first file that has them, and
another file's records for that month and force are taken as a copy and left out. A file named twice is refused.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, TextIO

from ..core.conventions import MAX_CSV_LINE_CHARS, MAX_POLICE_UK_BYTES, MONTH_PATTERN
from ..core.model import Area
from ..core.problems import Problem
from ..source.load import size_words

# police.uk's published header, and the snake_case copy some re-publishers write; the same 12 columns in order
PUBLISHED_HEADER = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
SNAKE_HEADER = tuple(re.sub(r"[^a-z0-9]+", "_", name.lower()) for name in PUBLISHED_HEADER)
_CRIME_ID, _MONTH, _REPORTED_BY, _LSOA_NAME, _CRIME_TYPE = 0, 1, 2, 8, 9
_LSOA_CODE_AT_END = re.compile(r"^(?P<district>.+) [0-9]{3}[A-Z]$")
OUTSIDE = "outside"  # located, in an LSOA of a district that is not one of the register's
NO_LOCATION = "no-location"  # police.uk's "No Location": no point, no LSOA
MAX_PROBLEMS_PER_FILE = 20  # a file of the wrong kind has thousands of bad rows: these say what is wrong


@dataclass
class Counts:
    """Rows counted by (month, crime type, place): a district's area id, OUTSIDE or NO_LOCATION."""

    by_place: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    rows: int = 0
    files: int = 0
    repeated: int = 0  # rows left out as another file's (or an earlier row's) copy: their record is counted once
    # 8-byte fingerprints of the Crime IDs counted, as ints (a 64-character ID as text would take four times the memory)
    seen_ids: set[int] = field(default_factory=set)
    # (month, force) -> the file whose rows without a Crime ID are counted for them
    without_id_from: dict[tuple[str, str], int] = field(default_factory=dict)

    def months(self) -> list[str]:
        return sorted({month for month, _, _ in self.by_place})

    def crime_types(self) -> list[str]:
        return sorted({crime_type for _, crime_type, _ in self.by_place})

    def count(self, month: str, crime_type: str, place: str) -> int:
        return self.by_place.get((month, crime_type, place), 0)

    def total(self, month: str, crime_type: str) -> int:
        return sum(n for (m, c, _), n in self.by_place.items() if m == month and c == crime_type)

    def by_month(self, crime_type: str) -> dict[str, Counter[str]]:
        """One crime type's rows by month and place, in one pass over the counts: asking `total` and `count` of
        every month instead reads all the counts once per month, which over 20,000 months took most of a minute."""
        months: dict[str, Counter[str]] = {}
        for (month, counted_type, place), n in self.by_place.items():
            if counted_type == crime_type:
                months.setdefault(month, Counter())[place] += n
        return months

    def of_type(self, crime_type: str, place: str) -> int:
        """All months' rows of one crime type at one place (OUTSIDE, NO_LOCATION or a district)."""
        return sum(n for (_, c, p), n in self.by_place.items() if c == crime_type and p == place)


def district_names(areas: list[Area]) -> dict[str, str]:
    """Each district's name as LSOA names write it (compared without case), to its area id."""
    return {area.name.casefold(): area.id for area in areas if area.kind == "district"}


def count_files(paths: list[Path], shown: list[str], districts: dict[str, str] | None) -> tuple[Counts, list[Problem]]:
    """Every file's rows counted, and every problem found (at most MAX_PROBLEMS_PER_FILE a file, then a summary).
    `districts` None: a row's place is its district's name as its LSOA name gives it, for a register not yet made."""
    problems = _named_twice(paths, shown)
    if problems:
        return Counts(), problems  # counted twice, every figure of the file would double
    counts = Counts()
    for number, (path, shown_as) in enumerate(zip(paths, shown)):
        problems += _count_file(path, shown_as, districts, counts, number)
    return counts, problems


def _named_twice(paths: list[Path], shown: list[str]) -> list[Problem]:
    """A problem for each file given again, under the same name or another name for the same file."""
    first: dict[object, str] = {}
    problems = []
    for path, shown_as in zip(paths, shown):
        try:
            status = os.stat(path)
            identity: object = (status.st_dev, status.st_ino)
        except OSError:
            identity = os.path.abspath(path)  # a missing file is reported when it is read
        if identity in first:
            also = "" if first[identity] == shown_as else f" (as {first[identity]})"
            problems.append(Problem(shown_as, 1, 1, "", f"this file is named twice{also}: give each file once, or "
                                                        "its records would be counted twice"))
        else:
            first[identity] = shown_as
    return problems


def _first_time(row: list[str], counts: Counts, file_number: int) -> bool:
    """Whether the row's record is counted: not when its Crime ID, or its month's rows without one, came before."""
    crime_id = row[_CRIME_ID].strip()
    if not crime_id:
        key = (row[_MONTH].strip(), row[_REPORTED_BY].strip())
        return counts.without_id_from.setdefault(key, file_number) == file_number
    fingerprint = int.from_bytes(hashlib.blake2b(crime_id.encode(), digest_size=8).digest(), "big")
    if fingerprint in counts.seen_ids:
        return False
    counts.seen_ids.add(fingerprint)
    return True


def _count_file(path: Path, shown_as: str, districts: dict[str, str] | None, counts: Counts, file_number: int = 0
                ) -> list[Problem]:
    problems: list[Problem] = []
    bad_rows = 0
    try:
        # utf-8-sig: a byte-order mark, as spreadsheets save one, is not part of the first column's name
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(_bounded_lines(stream), strict=True)
            header = next(reader, None)
            if (problem := _header_problem(header, shown_as)):
                return [problem]
            counts.files += 1
            line = reader.line_num
            for row in reader:
                start, line = line + 1, reader.line_num
                if not row:
                    continue  # a blank line, as at the end of a hand-edited file
                found = _row_problem(row, districts)
                if isinstance(found, str):
                    bad_rows += 1
                    if bad_rows <= MAX_PROBLEMS_PER_FILE:
                        column = _field_of(found)
                        problems.append(Problem(shown_as, start, 1, column, found.removeprefix(f"{column}: ")))
                    continue
                if not _first_time(row, counts, file_number):
                    counts.repeated += 1
                    continue
                counts.by_place[found] += 1
                counts.rows += 1
    except UnicodeDecodeError as error:
        return problems + [Problem(shown_as, 1, 1, "", f"is not UTF-8 text (byte 0x{error.object[error.start]:02x}): "
                                                      "is it a police.uk street-level CSV?")]
    except _TooLarge as error:
        return problems + [Problem(shown_as, reader.line_num + 1, 1, "", str(error))]
    except csv.Error as error:
        return problems + [Problem(shown_as, reader.line_num, 1, "", f"the CSV cannot be read here ({error})")]
    if bad_rows > MAX_PROBLEMS_PER_FILE:
        problems.append(Problem(shown_as, line, 1, "", f"and {bad_rows - MAX_PROBLEMS_PER_FILE:,} more rows with "
                                                      f"problems ({bad_rows:,} in all): is this a police.uk street-level file?"))
    return problems


def rows_by_district(counts: Counts) -> Counter[str]:
    """The rows counted in each district named (counted with `districts` None), all months and crime types."""
    found: Counter[str] = Counter()
    for (_, _, place), n in counts.by_place.items():
        if place != NO_LOCATION:
            found[place] += n
    return found


class _TooLarge(Exception):
    """A file or a line past its bound: what it says is the problem's message."""


def _bounded_lines(stream: TextIO) -> Iterator[str]:
    """The file's lines, stopping at a line or a file past its bound, so memory stays small whatever the file is."""
    read = 0
    while line := stream.readline(MAX_CSV_LINE_CHARS):
        if len(line) == MAX_CSV_LINE_CHARS and not line.endswith("\n"):
            raise _TooLarge(f"this line is longer than {MAX_CSV_LINE_CHARS:,} characters, and a police.uk row is about "
                            "250: is it a police.uk street-level CSV? The file was not read further")
        read += len(line)
        if read > MAX_POLICE_UK_BYTES:
            raise _TooLarge(f"the file is larger than {size_words(MAX_POLICE_UK_BYTES)}, the most one police.uk file "
                            "may be (a force's month is a few MB): is it the right file? It was not read further")
        yield line


def _header_problem(header: list[str] | None, shown_as: str) -> Problem | None:
    if header is None:
        return Problem(shown_as, 1, 1, "", "the file is empty: a police.uk street-level CSV starts with its header row")
    names = tuple(name.strip() for name in header)
    if names in (PUBLISHED_HEADER, SNAKE_HEADER):
        return None
    return Problem(shown_as, 1, 1, "", "the first line is not the header of a police.uk street-level crime file: "
                                       f"expected {','.join(PUBLISHED_HEADER)} (or the same in snake_case, "
                                       f"{','.join(SNAKE_HEADER)}); found {','.join(names)[:300]}")


def _row_problem(row: list[str], districts: dict[str, str] | None) -> tuple[str, str, str] | str:
    """The row's (month, crime type, place), or what is wrong with it."""
    if len(row) != len(PUBLISHED_HEADER):
        return f"this row has {len(row)} fields; a police.uk street-level row has {len(PUBLISHED_HEADER)}"
    month, lsoa_name, crime_type = row[_MONTH].strip(), row[_LSOA_NAME].strip(), row[_CRIME_TYPE].strip()
    if not MONTH_PATTERN.match(month):
        return f"Month: must be a month written YYYY-MM, such as 2018-01; found '{month[:40]}'"
    if not crime_type:
        return "Crime type: is empty"
    if not lsoa_name:
        return month, crime_type, NO_LOCATION
    named = _LSOA_CODE_AT_END.match(lsoa_name)
    if named is None:
        return (f"LSOA name: '{lsoa_name[:60]}' does not end in an LSOA code such as 012A, so its district cannot be "
                "told")
    if districts is None:  # `crimeportal init`: every district by its name as police.uk writes it
        return month, crime_type, named["district"]
    return month, crime_type, districts.get(named["district"].casefold(), OUTSIDE)


def _field_of(message: str) -> str:
    """The column a row's problem is about, as the file names it ('' for the row as a whole)."""
    column = message.split(":", 1)[0]
    return column if column in PUBLISHED_HEADER else ""
