"""The `crimeportal` command: validate, build and assess a portal."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import areas, editing, plans, portals, release_tools, releases
from ..editing.files import finish_interrupted_writes, shown_path as _relative
from ..site.output import staging_prefix
from ..source.leftovers import remove_stale, remove_stale_scratch
from ..releases.register import read_register
from ..core.engines import DEFAULT as DEFAULT_ENGINE, ENGINES
from ..core.errors import PortalError
from ..core.problems import count_words, format_problems, shown_file
# the site's modules (templates, charts, statistics) are imported by the commands that use them: `validate`, the
# check every pull request waits for, starts without them
from ..core.conventions import METRICS_DIR, SCHEMAS_DIR
from ..source.validate import check_portal, load_portal

from .exit_codes import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever goes wrong ends in a message and an exit code, never a traceback."""
    try:
        return _main(argv)
    except PortalError as error:
        print(f"crimeportal: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"crimeportal: could not read or write a file{where}: {error.strerror or error}. Nothing further was done.",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # a bug: say so plainly; CRIMEPORTAL_DEBUG=1 shows where
        if os.environ.get("CRIMEPORTAL_DEBUG"):
            raise
        print(f"crimeportal: an unexpected error stopped the command ({type(error).__name__}: {error}). "
              "This is a fault in the portal's code, not in your files: please report it, with the command you ran. "
              "Set CRIMEPORTAL_DEBUG=1 to see where it happened.", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="crimeportal", description="Check and build the Crime Prevention Portal.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the portal's folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check metric files and strand pages")
    validate.add_argument("paths", nargs="*", type=Path, help="only report problems in these files (default: all)")
    default_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    validate.add_argument("--format", choices=("text", "github", "json"), default=default_format,
                          help="how to print problems (default: text, or github inside GitHub Actions)")
    add_strict_warnings(validate)

    build = commands.add_parser("build", help="validate, then build the site into site/ (unchanged if the build fails)")
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    releases.add_engine(build)

    assess = commands.add_parser("assess", help="say whether a metric's latest change is statistically significant")
    assess.add_argument("file", type=Path, help="a metric file, e.g. data/metrics/knife-enabled-crime.yml")
    assess.add_argument("--json", action="store_true", help="print one JSON object instead of sentences")

    editing.add_commands(commands)  # new metric, new strand, new action, add-period
    plans.add_commands(commands)  # progress, import-actions
    releases.add_command(commands)  # publish
    release_tools.add_commands(commands)  # check-site, release-notes
    portals.add_commands(commands)  # init, upgrade
    areas.add_command(commands)  # areas import-population, areas import-boundaries

    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command in portals.NEEDS_NO_PORTAL:
        return portals.run(root, args)
    if not (root / SCHEMAS_DIR).is_dir():
        print(f"crimeportal: {root} is not a portal folder (it has no schemas/ folder)", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        finished = finish_interrupted_writes(root)
    except OSError as error:
        print(f"crimeportal: an earlier add-period was interrupted, and finishing it failed: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if finished:
        print(f"crimeportal: an earlier add-period was interrupted; finished writing {', '.join(finished)}", file=sys.stderr)
    _tidy_leftovers(root)
    if args.command == "validate":
        return run_validate(root, args.paths, args.format, args.strict_warnings)
    if args.command == "assess":
        return run_assess(root, args.file, args.json)
    if args.command in editing.COMMANDS:
        return editing.run(root, args)
    if args.command in plans.COMMANDS:
        return plans.run(root, args)
    if args.command == "publish":
        return releases.run(root, args)
    if args.command in release_tools.COMMANDS:
        return release_tools.run(root, args)
    if args.command in areas.COMMANDS:
        return areas.run(root, args)
    if args.command in portals.COMMANDS:
        return portals.run(root, args)
    return run_build(root, args.site_dir, args.engine)


def _tidy_leftovers(root: Path) -> None:
    """What killed commands left (a build's staging folder beside site/, scratch folders in the system's temporary
    folder), removed where the process that made it has ended; a build tidies beside its own --site-dir too."""
    remove_stale_scratch()
    remove_stale(root, staging_prefix(root / "site"))  # the default --site-dir, as `make site` builds it


def add_strict_warnings(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict-warnings", action="store_true",
                         help="fail (exit 1) on warnings as on problems, e.g. an unusual figure with no note")


def run_validate(root: Path, paths: list[Path], style: str, strict_warnings: bool = False) -> int:
    try:
        checked = check_portal(root, figures=False)  # only the problems are printed
        problems = sorted(checked.problems + read_register(root).problems + _link_problems(root, checked))
    except OSError as error:
        print(f"crimeportal: could not read the files: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except json.JSONDecodeError as error:
        print(f"crimeportal: a schema in schemas/ is not valid JSON: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    missing = [path for path in paths if not (root / path).is_file() and not path.is_file()]
    if missing:
        print("crimeportal: no such file: " + ", ".join(shown_file(str(p)) for p in missing), file=sys.stderr)
        return EXIT_CANNOT_RUN
    warnings = checked.warnings
    notes = checked.notes + portals.schema_notes(root)  # a schema not the package's fails nothing: upgrade --check does
    if paths:
        wanted = {_relative(path, root) for path in paths}
        problems = [p for p in problems if p.file in wanted]
        warnings = [w for w in warnings if w.file in wanted]
    if style == "json":  # JSON readers get exactly what fails: the problems, and the warnings when they fail too
        print(format_problems(sorted(problems + warnings) if strict_warnings else problems, style))
        return EXIT_PROBLEMS if problems or (warnings and strict_warnings) else EXIT_OK
    if problems:
        print(format_problems(problems, style))
    if warnings:
        print(format_problems(warnings, style, level="warning"))
    if notes:
        print(format_problems(notes, style, level="notice"), file=sys.stderr if style == "text" else sys.stdout)
    if style == "text":
        print(verdict_line(problems, warnings, strict_warnings), file=sys.stderr)
    return EXIT_PROBLEMS if problems or (warnings and strict_warnings) else EXIT_OK


def _link_problems(root: Path, checked) -> list:
    """The links the strict build would fail on, checked by MkDocs' own check (site/links.py): imported here
    only, since it loads MkDocs, which the rest of validate does without."""
    from ..site.links import link_problems

    return link_problems(root, checked.portal, checked.pages)


def verdict_line(problems: list, warnings: list, strict_warnings: bool) -> str:
    """The last line of a check: what was found, and whether the warnings fail it."""
    found = f"{count_words(problems)} found" if problems else "No problems found"
    if not warnings:
        return f"{found}."
    counted = count_words(warnings, "warning")
    if strict_warnings:
        return f"{found}, and {counted}, which fail the check because of --strict-warnings."
    return f"{found}, but {counted} to look at (they fail nothing unless --strict-warnings is given)."


def run_assess(root: Path, file: Path, as_json: bool) -> int:
    from ..core.stats import assess, assessment_to_dict
    from ..site.pages.render import Measure, describe

    portal, problems = load_portal(root)
    shown = _relative(file, root)
    own = [p for p in problems if p.file == shown]
    if own:
        print(format_problems(own, "text"), file=sys.stderr)
        return EXIT_PROBLEMS
    metric = next((m for m in portal.metrics if m.path and _relative(m.path, root) == shown), None)
    if metric is None:
        print(f"crimeportal: {shown_file(shown)} is not a metric file in {shown_file(METRICS_DIR.as_posix())}{os.sep}",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    assessment = assess(metric)
    if as_json:
        print(json.dumps(assessment_to_dict(assessment)))
    else:
        print(describe(Measure(metric, assessment, False, "")))
    return EXIT_OK


def _native(folder: Path, root: Path) -> str:
    """A folder in a message, relative to the portal's, as the platform writes it: site/ or site\\."""
    return shown_file(_relative(folder, root)) + os.sep


def run_build(root: Path, site_dir: Path, engine: str = DEFAULT_ENGINE.name) -> int:
    """Build beside the site, then swap, so a failed build leaves the old site exactly as it was."""
    from ..site.output import BuildFailed, build_into

    target = (root / site_dir).resolve()
    try:
        build_into(root, target, ENGINES[engine].module)
    except BuildFailed:
        print(f"crimeportal: the build failed; the site in {_native(target, root)} was left as it was.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"crimeportal: built the site in {_native(target, root)}", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
