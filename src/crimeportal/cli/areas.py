"""`crimeportal areas import-population` and `areas import-boundaries`: their arguments, and what they print of the
districts they matched and the files they changed (or, with --check, would change)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.commands import option
from ..core.problems import format_problems, shown_file
from ..editing import EditRefused
from .exit_codes import EXIT_OK
from .written import report_after, report_refusal

if TYPE_CHECKING:  # imported where they run, so that `crimeportal validate` starts without them
    from ..editing.areas_import import AreasImport

COMMANDS = ("areas",)


def add_command(commands: argparse._SubParsersAction) -> None:
    areas = commands.add_parser("areas", help="add the districts' populations and boundaries to the areas register")
    imports = areas.add_subparsers(dest="areas_command", required=True)
    population = imports.add_parser(
        "import-population", help="each district's population (and ONS code) from a CSV, into data/areas.yml",
        description="Columns (first line; any case): population, and code (ONS code) and/or name; year optional. "
                    "Each district of data/areas.yml is found by its ons_code, else by its name.")
    population.add_argument("csv", type=Path, help="a CSV such as code,name,year,population (commas or semicolons)")
    population.add_argument("--year", type=_year, help="the year the populations are for (default: the CSV's year column)")
    population.add_argument("--source", help="who published the estimates, in plain words (needed the first time)")
    population.add_argument("--check", action="store_true", help="say what would change, and write nothing")
    boundaries = imports.add_parser(
        "import-boundaries", help="the districts' boundaries from a GeoJSON file, into data/boundaries/districts.geojson",
        description="A GeoJSON FeatureCollection with each Feature's ONS code (code or LADxxCD) and/or name "
                    "(name or LADxxNM) in its properties; Features of other areas are left out.")
    boundaries.add_argument("geojson", type=Path, help="a GeoJSON FeatureCollection of district boundaries, such as the ONS's")
    boundaries.add_argument("--check", action="store_true", help="say what would change, and write nothing")


def _year(text: str) -> int:
    if not text.strip().isdigit() or len(text.strip()) != 4:
        raise argparse.ArgumentTypeError(f"must be a year written YYYY, such as 2022; found '{text[:20]}'")
    return int(text)


def run(root: Path, args: argparse.Namespace) -> int:
    """Make the change, then say what was written and what the portal's checks found; refused, say why."""
    from ..editing.areas_import import import_population
    from ..editing.boundaries_import import import_boundaries

    try:
        if args.areas_command == "import-population":
            done = import_population(root, args.csv, year=args.year, source=args.source, check=args.check)
        else:
            done = import_boundaries(root, args.geojson, check=args.check)
    except EditRefused as refusal:
        return report_refusal(refusal)
    _print(done, args.areas_command == "import-population", args.check)
    if args.check and done.written:
        print(f"Nothing was written: run the same command without {option('--check')} to make these changes.")
        return EXIT_OK
    if args.check:
        return EXIT_OK
    return report_after(done.problems_after)


def _print(done: AreasImport, population: bool, would: bool) -> None:
    if done.notes:
        print(format_problems(done.notes, "text", level="notice"), file=sys.stderr)
    if not done.written:
        print("Nothing to change: the files already say this.")
        return
    print(f"{'Would change' if would else 'Changed'} {', '.join(shown_file(f) for f in done.written)}:")
    if population and done.population:
        print(f"  population: {done.population.year}, {done.population.source}")
    for district in done.districts:
        code = f"{district.ons_code or '(no ONS code)'}{' (new)' if district.code_added else ''}"
        people = ""
        if population and district.population is not None:
            before = "" if district.population_before in (None, district.population) else \
                f" (was {district.population_before:,})"
            people = f"  {district.population:>10,}{before}"
        print(f"  {district.name:<24} {code:<16}{people}".rstrip())
