"""`crimeportal import police-uk`: its arguments, and what it prints of the records it counted and the files it changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..editing import EditRefused
from ..editing.files import shown_path
from ..editing.import_police_uk import PoliceUkImport, import_police_uk, read_mapping
from .exit_codes import EXIT_OK
from .written import figures_changed, report_after


def add_command(commands: argparse._SubParsersAction) -> None:
    imports = commands.add_parser("import", help="add figures by district from open data files")
    sources = imports.add_subparsers(dest="source", required=True)
    police = sources.add_parser("police-uk", help="count police.uk street-level crime files by month and district")
    police.add_argument("files", nargs="+", type=Path, help="police.uk street-level CSV files, one or many months")
    police.add_argument("--crime-type", help="the police.uk crime type to count, e.g. \"Burglary\" (with --metric)")
    police.add_argument("--metric", help="the id of the count measure by month that takes it (with --crime-type)")
    police.add_argument("--mapping", type=Path, help="a .yml ('Burglary: metric-id' lines) or .csv (crime_type,metric) "
                                                     "file naming several crime types and their measures")
    police.add_argument("--revise", action="store_true", help="allow replacing months already there (marked status: revised)")
    police.add_argument("--check", action="store_true", help="count and say what would change, writing nothing")
    police.add_argument("--evaluation", help="the id of an evaluation whose groups' counts it fills (with --crime-type, "
                                             "unless the evaluation names its crime)")


def run(root: Path, args: argparse.Namespace) -> int:
    """Raises EditRefused for the caller to report; prints what was (or would be) done."""

    if args.evaluation:  # an evaluation's counts, not a measure's figures: its own module
        from .evaluations import run_import
        return run_import(root, args)
    if args.mapping is not None and (args.crime_type or args.metric):
        raise EditRefused("give either --mapping, or --crime-type with --metric, not both")
    if args.mapping is None and not (args.crime_type and args.metric):
        raise EditRefused("say what to import: --crime-type \"Burglary\" --metric ID, or --mapping FILE")
    mapping = read_mapping(args.mapping, root) if args.mapping else {args.crime_type: args.metric}
    done = import_police_uk(root, args.files, mapping, check=args.check, revise=args.revise)
    _print_counts(done, root, would=args.check)
    if args.check:
        print("Nothing was written: run the same command without --check to make these changes.")
        return EXIT_OK
    return report_after(done.problems_after)


def _print_counts(done: PoliceUkImport, root: Path, would: bool) -> None:
    months = done.counts.months()
    print(f"Read {done.counts.files} file{'s' if done.counts.files != 1 else ''}: {done.counts.rows:,} records, "
          f"{months[0]} to {months[-1]}." if months else "Read the files: they hold no records.")
    if done.counts.repeated:
        print(f"{done.counts.repeated:,} rows repeated a record already read (the same Crime ID, or a month's records "
              "without a Crime ID that another file already gave) and were counted once.")
    for measure in done.measures:
        print(f"\n{measure.crime_type} -> {shown_path(measure.path, root)}: {figures_changed(measure, would, 'counted')}")
        print(f"  {'month':<8} {'records':>8} {'in districts':>13} {'outside them':>13} {'no location':>12}")
        for month in measure.months:
            print(f"  {month.end:<8} {month.value:>8,} {sum(month.areas.values()):>13,} {month.outside:>13,} "
                  f"{month.no_location:>12,}")
    print("\nRecords outside the districts and records with no location are written together as not_located.")
    if done.other_rows:
        print(f"{done.other_rows:,} records of other crime types were not imported.")



