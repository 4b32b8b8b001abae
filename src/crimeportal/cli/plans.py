"""The delivery-plan commands, `new action`, `progress` and `import-actions`: arguments, messages, exit codes."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.conventions import ACTIONS_CSV_COLUMNS, ACTIONS_DIR, PROGRESS_CSV_COLUMNS, STRATEGY_WIDE_ACTIONS
from ..core.model import PLAN_STAGES
from ..editing import EditRefused
from ..editing.files import shown_path
from ..editing.import_actions import import_actions
from ..editing.new_action import new_action
from ..editing.progress import FileChange, PlanUpdate, add_progress
from .exit_codes import EXIT_OK
from .written import report_after, report_refusal

COMMANDS = ("progress", "import-actions")


def add_new_action(kinds: argparse._SubParsersAction) -> None:
    """`new action`, beside `new metric` and `new strand`."""
    action = kinds.add_parser("action", help=f"add an action to a strand's delivery plan, {ACTIONS_DIR.as_posix()}/<strand>.yml")
    belongs = action.add_mutually_exclusive_group(required=True)
    belongs.add_argument("--strand", help="the id of the strand it belongs to, e.g. hate-crime")
    belongs.add_argument("--strategy-wide", dest="strategy_wide", action="store_true",
                         help=f"it belongs to the whole strategy: {ACTIONS_DIR.as_posix()}/{STRATEGY_WIDE_ACTIONS}.yml (needs --owner)")
    action.add_argument("--title", required=True, help="what will be done, in plain words")
    action.add_argument("--owner", help="the role or body responsible, as the plan names it (default: the strand page's lead)")
    action.add_argument("--area", help="the id of a district or partnership in data/areas.yml (default: force-wide)")
    action.add_argument("--due", help="when it is due, YYYY-MM or YYYY-MM-DD")
    action.add_argument("--category", help=f"{' | '.join(PLAN_STAGES)}, only where the plan says")
    action.add_argument("--as-at", dest="as_at", help="the date of its first progress entry, planned (default: today)")


def add_commands(commands: argparse._SubParsersAction) -> None:
    progress = commands.add_parser("progress", help="add a quarter's progress entries to many actions from a CSV")
    progress.add_argument("csv", type=Path, help=f"a CSV with columns {','.join(PROGRESS_CSV_COLUMNS)}")
    progress.add_argument("--check", action="store_true", help="check the CSV and say what would change, writing nothing")
    returns = commands.add_parser("import-actions", help="add a partnership's return (actions and progress) from a CSV")
    returns.add_argument("csv", type=Path, help=f"a CSV with columns {','.join(ACTIONS_CSV_COLUMNS)}")
    returns.add_argument("--area", help="the partnership whose return it is, e.g. csp-colchester (default: from the rows' area)")
    returns.add_argument("--check", action="store_true", help="check the CSV and say what would change, writing nothing")


def run(root: Path, args: argparse.Namespace) -> int:
    """Make the change and say what changed; refused, say why and write nothing."""
    check = getattr(args, "check", False)
    try:
        if args.command == "progress":
            update = add_progress(root, args.csv, check=check)
        elif args.command == "import-actions":
            update = import_actions(root, args.csv, area=args.area, check=check)
        else:
            update = new_action(root, None if args.strategy_wide else args.strand, args.title, owner=args.owner, area=args.area, due=args.due,
                                category=args.category, as_at=args.as_at)
    except EditRefused as refusal:
        return report_refusal(refusal)
    for change in update.changes:
        print(f"{shown_path(change.path, root)}{' (a new file)' if change.created else ''}: {what_changed(change, check)}")
    if check:
        print("Nothing was written: run the same command without --check to make these changes.")
        return EXIT_OK
    return _report_after(update)


def what_changed(change: FileChange, would: bool) -> str:
    add = "would add" if would else "added"
    parts = [f"{add} the action{'s' if len(change.new_actions) > 1 else ''} {', '.join(change.new_actions)}" if change.new_actions else "",
             f"{add} progress for " + ", ".join(f"{e.action_id} ({e.as_at}, {e.values['status']})" for e in change.added)
             if change.added else "",
             ", ".join(f"{e.action_id} ({e.as_at})" for e in change.unchanged) + " already as given" if change.unchanged else ""]
    return "; ".join(p for p in parts if p) or "nothing to change"


def _report_after(update: PlanUpdate) -> int:
    return report_after(update.problems_after)
