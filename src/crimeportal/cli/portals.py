"""`crimeportal init` (a new portal for a force) and `crimeportal upgrade` (its engine's files brought up to date)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__
from ..core.problems import Problem
from ..editing import EditRefused
from .exit_codes import EXIT_OK, EXIT_PROBLEMS
from .written import report_refusal

NEEDS_NO_PORTAL = ("init",)  # run where there is no portal yet
COMMANDS = ("init", "upgrade")


def add_commands(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="write a new portal for a force into an empty or new folder")
    init.add_argument("folder", type=Path, help="where to write it: a new folder, or an empty one")
    init.add_argument("--force-name", required=True, help='the force\'s name as readers know it, e.g. "Wessex Constabulary"')
    init.add_argument("--police-uk", type=Path, nargs="+", default=[], metavar="FILE",
                      help="police.uk street-level CSVs of the force: its districts are found from their LSOA names")
    upgrade = commands.add_parser("upgrade", help="bring schemas/ and hooks/portal.py up to the installed crimeportal")
    upgrade.add_argument("--check", action="store_true", help="say what would change, and write nothing")


def run(root: Path, args: argparse.Namespace) -> int:
    if args.command == "init":
        return run_init(args.folder, args.force_name, args.police_uk)
    return run_upgrade(root, args.check)


def run_init(folder: Path, force: str, police_uk: list[Path]) -> int:
    from ..editing.portal_init import init_portal

    try:
        made = init_portal(folder.resolve(), force, police_uk, [str(p) for p in police_uk])
    except EditRefused as refusal:
        return report_refusal(refusal)
    print(f"crimeportal: wrote a new portal for {' '.join(force.split())} in {folder} ({len(made.written)} files).")
    if made.districts:
        print(f"Districts found in the police.uk files ({len(made.districts)}), with their rows:")
        for district in made.districts:
            print(f"  {district.name}: {district.rows:,}")
    print("Next: cd into it, `make serve` to see the example strand and measure (drafts), and read its README.md.")
    return EXIT_OK


def run_upgrade(root: Path, check: bool) -> int:
    from ..editing.upgrade import apply_upgrade, plan_upgrade

    changes = plan_upgrade(root)
    if not changes:
        print(f"crimeportal: schemas/ and hooks/ are already those of crimeportal {__version__}; nothing to change.")
        return EXIT_OK
    verb = ("would add", "would replace") if check else ("added", "replaced")
    if not check:
        apply_upgrade(root, changes)
    for change in changes:
        print(f"  {verb[0] if change.is_new else verb[1]} {change.path}")
    if check:
        print(f"crimeportal: {len(changes)} of the portal's engine files differ from crimeportal {__version__}'s; "
              "`crimeportal upgrade` (make upgrade) writes them. Nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"crimeportal: upgraded {len(changes)} file(s) to crimeportal {__version__}'s; commit them with the new pin.")
    return EXIT_OK


def schema_notes(root: Path) -> list[Problem]:
    """A note for each schema in schemas/ that is not the installed package's, for `validate` to show."""
    from ..editing.upgrade import plan_upgrade

    return [Problem(change.path, 1, 1, "", f"is not the schema crimeportal {__version__} writes: "
                                          "`crimeportal upgrade --check` says what would change")
            for change in plan_upgrade(root) if change.path.startswith("schemas/") and not change.is_new]
