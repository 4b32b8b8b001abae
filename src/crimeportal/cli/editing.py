"""The editing commands, `new metric`, `new strand` and `add-period`: their arguments, messages and exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.commands import option
from ..core.conventions import METRIC_SUFFIX, METRICS_DIR, STRAND_SUFFIX, STRANDS_DIR
from ..core.model import PERIODS, POLARITIES, STRAND_STATUSES, UNITS
from ..core.problems import count_words, format_problems, shown_file
from ..editing import EditRefused
from ..editing.figures_csv import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, parse_number
from ..editing.files import shown_path
from . import evaluations, plans, police_uk
from .exit_codes import EXIT_OK
from .written import figures_changed, report_after, report_refusal

if TYPE_CHECKING:  # imported where they run, so that `crimeportal validate` starts without them
    from ..editing.scaffold import Written

COMMANDS = ("new", "add-period", "import")


def add_commands(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="start a new metric file or strand page, ready to fill in")
    kinds = new.add_subparsers(dest="kind", required=True)
    metric = kinds.add_parser("metric", help=f"write {METRICS_DIR.as_posix()}/<id>{METRIC_SUFFIX} for a new measure")
    metric.add_argument("--strand", required=True, help="the id of the strand it belongs to, e.g. hate-crime")
    metric.add_argument("--title", required=True, help="the measure's name as readers see it")
    metric.add_argument("--id", help=f"the file name without {METRIC_SUFFIX} (default: made from the title)")
    metric.add_argument("--unit", default="count", help=f"{' | '.join(UNITS)} (default: count)")
    metric.add_argument("--polarity", default="neutral", help=f"{' | '.join(POLARITIES)} (default: neutral)")
    metric.add_argument("--period", default="quarter", help=f"{' | '.join(PERIODS)} (default: quarter)")
    metric.add_argument("--end", help="the first figure's last month, YYYY-MM (with --value)")
    metric.add_argument("--value", type=_cli_number, help="the first figure (with --end)")
    strand = kinds.add_parser("strand", help=f"write {STRANDS_DIR.as_posix()}/<id>{STRAND_SUFFIX} for a new strand")
    strand.add_argument("--title", required=True, help="the strand's name as readers see it")
    strand.add_argument("--id", help=f"the file name without {STRAND_SUFFIX} (default: made from the title)")
    strand.add_argument("--order", type=int, help="its place in the strategy (default: last)")
    strand.add_argument("--status", default="active", help=f"{' | '.join(STRAND_STATUSES)} (default: active)")
    strand.add_argument("--summary", help="one sentence on what the strand is for")
    strand.add_argument("--lead", help="the senior officer providing oversight")
    plans.add_new_action(kinds)  # new action: its own module, with the other delivery-plan commands
    evaluations.add_new_evaluation(kinds)  # new evaluation: its own module
    period = commands.add_parser("add-period", help="add a period's figures to the metric files from a CSV")
    period.add_argument("csv", type=Path, help=f"a CSV with columns {','.join(REQUIRED_COLUMNS)} and optionally "
                                               f"{','.join(OPTIONAL_COLUMNS)}")
    period.add_argument("--revise", action="store_true", help="allow changing figures already there (marked status: revised)")
    period.add_argument("--check", action="store_true", help="check the CSV and say what would change, writing nothing")
    period.add_argument("--strict-warnings", action="store_true",
                        help="refuse the change (exit 1, nothing written) if any new figure is unusual and has no note")
    police_uk.add_command(commands)


def _cli_number(text: str) -> float:
    number = parse_number(text.strip())
    if number is None:
        raise argparse.ArgumentTypeError(f"must be a number, such as 176 or 46.43; found '{text}'")
    return number


def run(root: Path, args: argparse.Namespace) -> int:
    """Make the change, then say what was written and what the portal's checks found; refused, say why."""
    if args.command == "new" and args.kind == "action":
        return plans.run(root, args)
    if args.command == "new" and args.kind == "evaluation":
        return evaluations.run(root, args)
    try:
        if args.command == "import":
            return police_uk.run(root, args)
        if args.command == "add-period":
            from ..editing.add_period import add_period

            update = add_period(root, args.csv, revise=args.revise, check=args.check,
                                strict_warnings=args.strict_warnings)
            for change in update.changes:
                print(f"{_shown(change.path, root)}: {figures_changed(change, args.check, 'given')}")
            if update.warnings:
                print(format_problems(update.warnings, "text", level="warning"))
                print(f"crimeportal: {count_words(update.warnings, 'warning')} about unusual figures (above); they fail "
                      "nothing unless --strict-warnings is given.", file=sys.stderr)
            if args.check:
                print(f"Nothing was written: run the same command without {option('--check')} to make these changes.")
                return EXIT_OK
            return report_after(update.problems_after)
        written, fill_in = _scaffold(root, args)
    except EditRefused as refusal:
        return report_refusal(refusal)
    print(f"Wrote {_shown(written.path, root)}: {fill_in}.")
    return report_after(written.problems)


def _shown(path: Path, root: Path) -> str:
    """A path in a message, relative to the portal's folder, with the platform's own separator."""
    return shown_file(shown_path(path, root))


def _scaffold(root: Path, args: argparse.Namespace) -> tuple[Written, str]:
    """The file written, and what the editor should fill in next."""
    from ..editing.scaffold import new_metric, new_strand

    if args.kind == "metric":
        written = new_metric(root, args.strand, args.title, metric_id=args.id, unit=args.unit, polarity=args.polarity,
                             period=args.period, end=args.end, value=args.value)
        return written, "fill in its description and source, then add figures with crimeportal add-period"
    written = new_strand(root, args.title, strand_id=args.id, order=args.order, status=args.status,
                         summary=args.summary, lead=args.lead)
    return written, "replace the placeholder sentences with the strand's update"


