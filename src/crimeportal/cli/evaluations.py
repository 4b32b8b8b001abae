"""`new evaluation`: its arguments, its messages and its exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.conventions import EVALUATIONS_DIR
from ..core.evaluation import DESIGNS
from ..core.problems import format_problems, shown_file
from ..editing import EditRefused
from ..editing.files import shown_path
from .exit_codes import EXIT_OK, EXIT_PROBLEMS
from .written import report_after, report_refusal


def add_new_evaluation(kinds: argparse._SubParsersAction) -> None:
    """`new evaluation`, beside `new metric`, `new strand` and `new action`."""
    new = kinds.add_parser("evaluation", help=f"register an evaluation of an operation, {EVALUATIONS_DIR.as_posix()}/<id>.yml")
    new.add_argument("--strand", required=True, help="the id of the strand the operation belongs to")
    new.add_argument("--title", required=True, help="the evaluation's name as readers see it")
    new.add_argument("--question", required=True, help="the question it answers, in one sentence")
    new.add_argument("--after-start", dest="after_start", required=True, help="the operation's first month, YYYY-MM")
    new.add_argument("--after-end", dest="after_end", required=True, help="the operation's last month, YYYY-MM")
    new.add_argument("--design", default="comparison-areas", help=f"{' | '.join(DESIGNS)} (default: comparison-areas)")
    new.add_argument("--registered", help="the date the design was first published, YYYY-MM-DD (default: left to fill in)")
    new.add_argument("--id", help="the file name without .yml (default: made from the title)")
    new.add_argument("--check", action="store_true", help="check the file and show it, writing nothing")


def run(root: Path, args: argparse.Namespace) -> int:
    from ..editing.new_evaluation import new_evaluation

    try:
        made = new_evaluation(root, args.strand, args.title, args.question, after_start=args.after_start,
                              after_end=args.after_end, design=args.design, evaluation_id=args.id,
                              registered=args.registered, check=args.check)
    except EditRefused as refusal:
        return report_refusal(refusal)
    shown = shown_file(shown_path(made.path, root))
    if not made.written:
        print(f"{shown} would be written as:\n\n{made.text}")
        print("Nothing was written: run the same command without --check to write it.")
        return EXIT_OK
    print(f"Wrote {shown}: add its areas, before months and expected effect, and publish it before the operation starts.")
    if made.problems:
        print(format_problems(made.problems, "text"))
        print("crimeportal: the file was written, but the portal has problems elsewhere; fix them before publishing.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    print("The portal's files check out: no problems found.")
    return EXIT_OK


def run_import(root: Path, args: argparse.Namespace) -> int:
    """`import police-uk FILES --evaluation ID`: raises EditRefused for the caller to report, as the import does."""
    from ..editing.evaluation_counts import import_evaluation_counts

    if args.mapping is not None or args.metric:
        raise EditRefused("--evaluation fills an evaluation's counts: give it without --metric or --mapping")
    done = import_evaluation_counts(root, args.files, args.evaluation, args.crime_type, check=args.check,
                                    revise=args.revise)
    months = done.months_read
    print(f"Read {len(args.files)} file{'s' if len(args.files) != 1 else ''}: {done.rows:,} records, "
          f"{months[0]} to {months[-1]}." if months else "Read the files: they hold no records.")
    print(f"{done.crime_type} in each group's areas -> {shown_file(shown_path(done.path, root))}:")
    for group, counts in done.counts.items():
        print(f"  {group:<22} before {counts.before:>7,}   after {counts.after:>7,}")
    if not done.written:
        print("Nothing was written: run the same command without --check to write these counts.")
        return EXIT_OK
    return report_after(done.problems_after)
