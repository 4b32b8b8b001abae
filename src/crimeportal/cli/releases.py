"""`crimeportal publish`: the command line for publishing a release; the workflow itself is in releases.publish.

This is the only part of publishing that prints. Everything goes to stderr, so
that mike's and MkDocs' own messages, which reach the terminal directly, read
in order with ours.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.engines import DEFAULT, ENGINES
from ..core.problems import count_words, format_problems
from ..releases.errors import GitError, Refused, RolledBack
from ..releases.git import PAGES_BRANCH, REMOTE, succeeds

if TYPE_CHECKING:  # publishing's modules are imported when it runs, so that `crimeportal validate` starts without them
    from ..releases.publish import Plan

PUBLISHED, NOT_PUBLISHED = 0, 1  # pushing that fails after a local publish counts as not published: it is not online


def add_command(commands: Any) -> None:
    publish_command = commands.add_parser(
        "publish", help="publish a release: validate, build and deploy it with mike to the gh-pages branch as VERSION and latest")
    publish_command.add_argument("version", help="the release id: the board update's month as YYYY-MM, such as 2019-09")
    publish_command.add_argument("--title", required=True, help="the release's name in the version selector, e.g. 'September 2019 board update'")
    publish_command.add_argument("--board-meeting", metavar="YYYY-MM-DD", help="the date of the board meeting the release reports to")
    publish_command.add_argument("--replace", action="store_true", help="overwrite the latest release, which must be VERSION (said loudly)")
    publish_command.add_argument("--push", action="store_true", help=f"push the source branch and {PAGES_BRANCH} to {REMOTE} afterwards")
    add_engine(publish_command)


def add_engine(command: Any) -> None:
    """The --engine option of the commands that build: which generator builds the site."""
    command.add_argument("--engine", choices=sorted(ENGINES), default=DEFAULT.name,
                         help=f"the site generator that builds the site (default: {DEFAULT.name}); both build the same site")


def run(root: Path, args: Any) -> int:
    from ..releases.current import LATEST
    from ..releases.interrupted import undo_interrupted
    from ..releases.publish import Request, check, publish

    request = Request(args.version, args.title, args.board_meeting, args.replace, args.push, ENGINES[args.engine])
    try:
        undone = undo_interrupted(root) if succeeds(root, "rev-parse", "--git-dir") else None
        if undone:
            _say(f"crimeportal: {undone}")
        plan = check(root, request, date.today())
    except Refused as refusal:
        _say(f"crimeportal: not published; nothing was changed.\n{refusal}")
        return NOT_PUBLISHED
    _warn_before(plan)  # before mike starts talking
    _warn_of_unusual_figures(root)
    try:
        register_commit = publish(plan)
    except RolledBack as failure:
        _say(f"crimeportal: {failure}")
        _say(_after_roll_back(plan, failure))
        return NOT_PUBLISHED
    _say(f"crimeportal: published {request.version} ({request.title}) to the {PAGES_BRANCH} branch; {LATEST} and the "
         f"site root now go to it.\ncrimeportal: the register entry is commit {register_commit[:7]} on {plan.branch}.")
    if not request.push:
        _say(f"crimeportal: nothing was pushed. To put it online: git push {REMOTE} {plan.branch} {PAGES_BRANCH}")
        return PUBLISHED
    return _push(plan)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _warn_before(plan: Plan) -> None:
    if plan.replacing:
        bar = "!" * 78
        _say(f"{bar}\nREPLACING RELEASE {plan.entry.version}: the published {plan.entry.version} will be overwritten.\n"
             "Anyone who has already read or downloaded it will find different content at the same addresses.\n"
             f"The register records the replacement date ({plan.entry.replaced}). If figures have changed, publishing a\n"
             f"new release is usually better: its What changed page lists every revision.\n{bar}")
    if "example.invalid" in plan.site_root:
        _say(f"crimeportal: warning: site_url in mkdocs.yml is still the placeholder {plan.site_root}; canonical links "
             "and sitemaps will point there. Set it to the address the gh-pages branch is served at.")


def _warn_of_unusual_figures(root: Path) -> None:
    """Publishing is the last moment an unusual figure without a note can be noticed; it is said, not refused."""
    from ..source.validate import check_portal

    warnings = check_portal(root).warnings
    if warnings:
        _say(format_problems(warnings, "text", level="warning"))
        _say(f"crimeportal: {count_words(warnings, 'warning')} about unusual figures (above), published as they are; if "
             "one is a mistake, correct it and publish again with --replace straight away.")


def _after_roll_back(plan: Plan, failure: RolledBack) -> str:
    if failure.not_undone:
        return "crimeportal: and some of it could not be undone; put it right by hand:\n  " + "\n  ".join(failure.not_undone)
    pages = f"at {plan.pages_before[:7]}" if plan.pages_before else "does not exist"
    return f"crimeportal: everything was put back as it was: {plan.branch} is at {plan.head[:7]} and {PAGES_BRANCH} {pages}."


def _push(plan: Plan) -> int:
    from ..releases.publish import push

    try:
        push(plan)
    except GitError as error:
        _say(f"crimeportal: the release is published locally, but pushing failed: {error}\n"
             f"crimeportal: fix that, then run: git push {REMOTE} {plan.branch} {PAGES_BRANCH}")
        return NOT_PUBLISHED
    _say(f"crimeportal: pushed {plan.branch} and {PAGES_BRANCH} to {REMOTE}.")
    return PUBLISHED
