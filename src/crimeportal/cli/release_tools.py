"""`crimeportal check-site` and `crimeportal release-notes`: the release workflow's checks, runnable locally too.

The release workflow (.github/workflows/release.yml) runs these between the
build and the GitHub release; an editor can run them the same way. Like the
rest of the command line, this module is where their messages are printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .exit_codes import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS

COMMANDS = ("check-site", "release-notes")


def add_commands(commands: Any) -> None:
    check = commands.add_parser("check-site", help="check that a built site is the portal's, whole: every page carries the "
                                "portal's mark and has every block filled (publish checks the same)")
    check.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    notes = commands.add_parser("release-notes", help="write a published release's notes, from its What changed page "
                                "on the gh-pages branch, as Markdown")
    notes.add_argument("version", help="the release id, such as 2019-09")
    notes.add_argument("--output", type=Path, help="the file to write (default: print them)")


def run(root: Path, args: Any) -> int:
    if args.command == "check-site":
        return _check_site(root, args.site_dir)
    return _release_notes(root, args.version, args.output)


def _check_site(root: Path, site_dir: Path) -> int:
    from ..releases.site_check import site_problems

    site = root / site_dir
    problems = site_problems(site)
    if problems:
        print(f"crimeportal: the site in {site_dir} is not the portal's whole site, so it must not be published:\n"
              + "\n".join(f"  - {problem}" for problem in problems), file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"crimeportal: the site in {site_dir} carries the portal's mark on every page, with every block filled.",
          file=sys.stderr)
    return EXIT_OK


def _release_notes(root: Path, version: str, output: Path | None) -> int:
    from ..releases.errors import ReleaseError
    from ..releases.notes import release_notes
    from ..releases.publish import site_address

    try:
        notes = release_notes(root, version, site_address(root))
    except ReleaseError as error:
        print(f"crimeportal: no release notes: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    if output is None:
        print(notes, end="")
        return EXIT_OK
    try:
        (root / output).write_text(notes, encoding="utf-8", newline="\n")
    except OSError as error:
        print(f"crimeportal: the release notes could not be written to {output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"crimeportal: wrote the notes of release {version} to {output}", file=sys.stderr)
    return EXIT_OK
