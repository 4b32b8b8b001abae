"""Publishing a release with mike (https://github.com/jimporter/mike): check everything, then change things.

`check` finds every reason not to publish before anything is touched and
raises `Refused` with all of them. `publish` then commits the register, runs
`mike deploy` and `mike set-default`, and adds the root 404 page; if any step
fails, both branches are put back as they were and it raises `RolledBack`.
`push` sends both branches. None of them prints: the command line reports.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import yaml
from html import escape

from ..core.commands import option
from ..core.engines import DEFAULT as DEFAULT_ENGINE, Engine
from ..core.conventions import DATE_PATTERN, REGISTER, VERSION_PATTERN
from ..core.problems import Problem, count_words, format_problems
from ..source.drafts import draft_reasons
from ..source.rules import text_problem
from ..source.validate import load_portal
from ..source.yaml_errors import FALLBACK, syntax_problem
from .current import LATEST, VERSION_ENV, published_metrics, site_root
from . import interrupted
from .interrupted import PublishNote
from .errors import GitError, PublishStepFailed, Refused, RolledBack, SiteNotWhole
from .git import (PAGES_BRANCH, REMOTE, commit_of, git, git_text, is_ancestor, pages_commits, published_ref,
                  published_versions, succeeds)
from .site_check import site_problems
from .register import FORM_WORDS, Register, Release, layout_problems, read_register, register_text, version_key

# mike 2.2 picks its engine once, when it is imported: ProperDocs whenever that is installed, as it is beside MkDocs
# here. The launcher sets the engine the editor chose (its command, name and version, as mike's own choice would),
# then runs mike; tests/test_platform.py checks that mike still keeps its choice there.
_MIKE = ("import sys; from importlib import metadata; import mike.mkdocs_utils as engine; "
         "engine._program_name, engine._brand, distribution = sys.argv[1:4]; del sys.argv[1:4]; "
         "engine._version = metadata.version(distribution); "
         "from mike.driver import main; sys.exit(main())")


@dataclass(frozen=True)
class Request:
    version: str
    title: str
    board_meeting: str | None = None
    replace: bool = False
    push: bool = False
    engine: Engine = DEFAULT_ENGINE


@dataclass
class Plan:
    """Everything the checks found, so the steps that change things need decide nothing."""

    root: Path
    request: Request
    branch: str
    head: str
    pages_before: str | None  # the local gh-pages commit, or None when there is no such branch
    entry: Release
    register_text: str
    replacing: bool
    site_root: str
    site_dir: Path  # where mike builds: the editor's own build there is set aside and put back


# ---------------------------------------------------------------------------------------------- the checks


def check(root: Path, request: Request, today: date) -> Plan:
    """Every reason not to publish, all found before anything is changed; raises Refused listing them."""
    if not succeeds(root, "rev-parse", "--is-inside-work-tree"):
        raise Refused([f"{root} is not a git repository: a release is published from a commit, so the portal must be in git."])
    register = read_register(root)
    portal, portal_problems = load_portal(root)
    branch, head, branch_reasons = _branch(root)
    site, site_dir, site_reasons = _site_config(root)
    pages, pages_reasons = _pages(root)
    published = _published(register, pages or [])
    replacing = request.replace and request.version in published and not register.problems and pages is not None
    drafts = [(item, item.path.relative_to(root).as_posix()) for item in [*portal.strands, *portal.metrics] if item.path]
    reasons = [*_request_problems(request), *_tool_problems(request.engine), *_problem_reasons(register.problems, portal_problems),
               *draft_reasons(drafts),
               *branch_reasons, *_clean_problems(root), *_identity_problems(root), *site_reasons, *pages_reasons]
    if not register.problems and pages is not None:
        reasons += _version_problems(root, request, register, published)
    if request.push and commit_of(root, "HEAD") and not succeeds(root, "remote", "get-url", REMOTE):
        reasons.append(f"{option('--push')} needs a git remote called {REMOTE}; there is none.")
    if reasons:
        raise Refused(reasons, register.problems + portal_problems)
    existing = register.find(request.version)
    entry = Release(request.version, request.title, existing.published if replacing and existing else today.isoformat(),
                    request.board_meeting, today.isoformat() if replacing else None)
    text = register_text(register, entry, replacing)
    if layout := layout_problems(text, register, entry, replacing):
        raise Refused(layout)
    return Plan(root, request, branch, head, pages_commits(root)[0], entry, text, replacing, site, site_dir)


def _indented(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def _request_problems(request: Request) -> list[str]:
    reasons = []
    if not VERSION_PATTERN.match(request.version):
        reasons.append(f"the version must be {FORM_WORDS['version']}; found {request.version!r}.")
    if not request.title.strip():
        reasons.append("the title must not be empty: it names the release in the version selector.")
    elif (wrong := text_problem("title", request.title)):  # the rule the register holds it to, as it is written
        reasons.append(f"the title {wrong}.")
    if request.board_meeting is not None and not DATE_PATTERN.match(request.board_meeting):
        reasons.append(f"the board meeting must be {FORM_WORDS['board_meeting']}; found {request.board_meeting!r}.")
    return reasons


def _tool_problems(engine: Engine) -> list[str]:
    try:
        import mike  # noqa: F401  (mike does the deploying; only its command line is used)
    except ImportError:
        return ["mike is not installed: run `make publish`, which installs the pinned dependencies."]
    if shutil.which(engine.module, path=_tool_path()) is None:
        return [f"{engine.module} is not installed beside {sys.executable}; run `make publish`."]
    return []


def _problem_reasons(register: list[Problem], portal: list[Problem]) -> list[str]:
    reasons = ["the release register has problems:\n" + _indented(format_problems(register, "text"))] if register else []
    if portal:
        reasons.append(f"the portal's files have {count_words(portal)}:\n" + _indented(format_problems(portal, "text")))
    return reasons


def _branch(root: Path) -> tuple[str, str, list[str]]:
    """The branch to publish from and its commit, and what is wrong with publishing from there."""
    head = commit_of(root, "HEAD")
    if head is None:
        return "", "", ["the repository has no commits yet: commit the portal first."]
    try:
        branch = git_text(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    except GitError:
        return "", head, ["HEAD is not on a branch (a detached HEAD): check out the branch to publish from."]
    if branch == PAGES_BRANCH:
        return branch, head, [f"you are on the {PAGES_BRANCH} branch, which holds the published site: check out the source branch."]
    return branch, head, []


def _clean_problems(root: Path) -> list[str]:
    lines = git(root, "status", "--porcelain", "--untracked-files=all").decode().splitlines()
    if not lines:
        return []
    shown = _indented("\n".join(lines[:10] + (["..."] if len(lines) > 10 else [])))
    return [f"there are uncommitted changes; a release must be exactly a commit, so commit or remove them first:\n{shown}"]


def _identity_problems(root: Path) -> list[str]:
    if succeeds(root, "var", "GIT_COMMITTER_IDENT") and succeeds(root, "var", "GIT_AUTHOR_IDENT"):
        return []
    return ["git does not know who you are, so it cannot record the release: set user.name and user.email "
            "(git config user.name 'Your Name'; git config user.email you@example.org)."]


def _site_config(root: Path) -> tuple[str, Path, list[str]]:
    """site_url's site root and site_dir from mkdocs.yml, and what is wrong with them."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils import yaml_load  # MkDocs' own reader understands the !ENV tags mkdocs.yml may use

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as config_file:
            config = yaml_load(config_file) or {}
    except ConfigurationError as error:  # MkDocs' wrapping of the YAML complaint, which it keeps as the context
        complaint = error.__context__
        if not isinstance(complaint, yaml.MarkedYAMLError):
            return "", root / "site", [f"mkdocs.yml could not be read: {error}"]
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        return "", root / "site", [syntax_problem(complaint, "mkdocs.yml", 0, text).as_text()]
    except UnicodeDecodeError:
        return "", root / "site", ["mkdocs.yml is not saved as UTF-8 text: save it again as UTF-8."]
    except yaml.YAMLError:
        return "", root / "site", [f"mkdocs.yml: {FALLBACK}"]
    except OSError as error:
        return "", root / "site", [f"mkdocs.yml could not be read: {error.strerror or error}"]
    site_dir = root / str(config.get("site_dir") or "site")
    if not config.get("site_url"):
        return "", site_dir, ["mkdocs.yml has no site_url: set it to the address the gh-pages branch is served at, so each "
                              "release gets canonical links and a sitemap."]
    return site_root(config["site_url"], None) or "", site_dir, []


def site_address(root: Path) -> str:
    """The address the gh-pages branch is served at, from mkdocs.yml's site_url ('' when it cannot be read)."""
    return _site_config(root)[0]


def _pages(root: Path) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """mike's list of published versions (None when it cannot be trusted), and why not."""
    local, remote = pages_commits(root)
    if local and remote and not is_ancestor(root, local, remote) and not is_ancestor(root, remote, local):
        return None, [f"{PAGES_BRANCH} and {REMOTE}/{PAGES_BRANCH} have diverged: someone else has published. "
                      "Bring the two together before publishing."]
    try:
        return published_versions(root, published_ref(root)), []
    except json.JSONDecodeError:
        return None, [f"versions.json on the {PAGES_BRANCH} branch is not valid JSON."]


def _published(register: Register, pages: list[dict[str, Any]]) -> set[str]:
    return {r.version for r in register.releases} | {str(v["version"]) for v in pages}


def _version_problems(root: Path, request: Request, register: Register, published: set[str]) -> list[str]:
    """Refusals about the version itself."""
    if not VERSION_PATTERN.match(request.version):
        return []
    ordered = sorted((v for v in published if VERSION_PATTERN.match(v)), key=version_key)
    latest = ordered[-1] if ordered else None
    version = request.version
    reasons = []
    if version in published and not request.replace:
        reasons.append(f"release {version} has already been published. To replace it, run again with {option('--replace')} "
                       "(readers will see the new content at the same addresses); to correct figures, publish a new release.")
    elif request.replace and version not in published:
        reasons.append(f"{option('--replace')} was given, but release {version} has not been published: there is nothing to replace.")
    elif request.replace and version != latest:
        reasons.append(f"release {version} is not the latest ({latest}); only the latest release can be replaced. "
                       "Publish a new release instead: its What changed page will list the corrections.")
    elif request.replace and (not register.releases or register.releases[-1].version != version):
        reasons.append(f"release {version} is on the {PAGES_BRANCH} branch but is not the last entry in "
                       f"{REGISTER.as_posix()}, so publishing cannot tell what it replaces; add its entry first.")
    elif latest and version_key(version) < version_key(latest) and version not in published:
        reasons.append(f"release {version} is older than the latest release, {latest}: releases are published in time order.")
    previous = register.before(version)
    if previous and published_metrics(root, previous.version) is None:
        reasons.append(f"the previous release, {previous.version}, is in {REGISTER.as_posix()} but its data is not on the "
                       f"{PAGES_BRANCH} branch, so the What changed page cannot be made. Fetch it: "
                       f"git fetch {REMOTE} {PAGES_BRANCH}:{PAGES_BRANCH}")
    return reasons


# ---------------------------------------------------------------------------------------------- the steps


def publish(plan: Plan) -> str:
    """Commit the register and deploy the release; returns the register's commit. Raises RolledBack if a step fails."""
    note = PublishNote(plan.entry.version, plan.branch, plan.head, plan.pages_before, str(plan.site_dir),
                       str(_aside(plan.site_dir)))
    with interrupted.stops_undone() as stops:  # SIGTERM and SIGHUP undo it as Ctrl-C does
        interrupted.begin(plan.root, note)  # so that a kill from here on is undone by the next publish
        try:
            register_commit = _commit_register(plan)
            interrupted.record_register_commit(plan.root, note, register_commit)
            with _set_aside(plan.site_dir):
                # mike's version selector inserts the title as HTML, so it gets the title as HTML text
                _mike(plan, "deploy", "--update-aliases", plan.request.version, LATEST, "--title", escape(plan.request.title))
                _check_built_site(plan.site_dir)  # what mike built and committed; rolled back, never pushed, if not whole
            _mike(plan, "set-default", LATEST, quiet=True)  # from the second release on it changes nothing, and mike warns
            _add_root_404(plan)
        except (GitError, PublishStepFailed, OSError, KeyboardInterrupt) as error:
            stops.hold()
            # a stop that came while the site was being put back may have cut that short
            interrupted.put_site_back(plan.site_dir, _aside(plan.site_dir))
            raise RolledBack(plan.request.version, error, _roll_back(plan)) from error
        finally:
            interrupted.end(plan.root)
    return register_commit


def push(plan: Plan) -> None:
    """Send the source branch and gh-pages to origin; raises GitError if git cannot."""
    # both or neither: the register entry and the release it records belong together
    git(plan.root, "push", "--quiet", "--atomic", REMOTE, plan.branch, PAGES_BRANCH)


def _commit_register(plan: Plan) -> str:
    path = plan.root / REGISTER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan.register_text, encoding="utf-8", newline="")  # "\n" on Windows too, as the repository keeps it
    git(plan.root, "add", "--", REGISTER.as_posix())
    verb = "Replace" if plan.replacing else "Publish"
    git(plan.root, "commit", "--quiet", "-m", f"{verb} release {plan.entry.version}: {plan.entry.title}", "--", REGISTER.as_posix())
    return git_text(plan.root, "rev-parse", "HEAD")


def _tool_path() -> str:
    # mike runs `mkdocs` by name, so the one installed beside this Python must come first
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _mike(plan: Plan, *args: str, quiet: bool = False) -> None:
    env = {**os.environ, "PATH": _tool_path(), VERSION_ENV: plan.entry.version, "NO_MKDOCS_2_WARNING": "1"}
    engine = plan.request.engine
    command = [sys.executable, "-c", _MIKE, engine.module, engine.brand, engine.distribution,
               *(["--quiet"] if quiet else []), *args]
    # its own process group, so that a publish stopped part-way ends mike and everything it started (the build's chart
    # workers), which would otherwise live on and hold the publish's output open
    own_group = {"start_new_session": True} if hasattr(os, "killpg") else {}
    with subprocess.Popen(command, cwd=plan.root, env=env, **own_group) as mike:
        try:
            code = mike.wait()
        except BaseException:
            _end(mike, bool(own_group))
            raise
    if code != 0:
        raise PublishStepFailed(f"`mike {args[0]}` stopped (exit {code}); its messages are above.")


def _end(process: subprocess.Popen, whole_group: bool, grace: float = 10.0) -> None:
    """Stop a process (and its group): asked first, so the build closes its workers; ended if it has not in `grace` s."""
    def send(how: int) -> None:
        try:
            os.killpg(process.pid, how) if whole_group else process.send_signal(how)
        except ProcessLookupError:
            pass
    send(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    send(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    process.wait()


def _check_built_site(site: Path) -> None:
    problems = site_problems(site)
    if problems:
        raise SiteNotWhole("the site mike built is not the portal's whole site:\n" + "\n".join(f"  - {p}" for p in problems))


def _add_root_404(plan: Plan) -> None:
    """GitHub Pages serves the root 404.html for any missing address; mike leaves the root to us (jimporter/mike#72)."""
    page = git(plan.root, "show", f"{PAGES_BRANCH}:{plan.entry.version}/404.html")
    blob = git(plan.root, "hash-object", "-w", "--stdin", data=page).decode().strip()
    listing = [e for e in git(plan.root, "ls-tree", "-z", PAGES_BRANCH).split(b"\0") if e and not e.endswith(b"\t404.html")]
    listing.append(f"100644 blob {blob}\t404.html".encode())
    tree = git(plan.root, "mktree", "-z", data=b"\0".join(listing) + b"\0").decode().strip()
    parent = git_text(plan.root, "rev-parse", PAGES_BRANCH)
    if tree == git_text(plan.root, "rev-parse", f"{parent}^{{tree}}"):
        return
    commit = git_text(plan.root, "commit-tree", tree, "-p", parent, "-m", f"Root 404 page from {plan.entry.version}")
    git(plan.root, "update-ref", f"refs/heads/{PAGES_BRANCH}", commit, parent)


def _aside(site: Path) -> Path:
    return site.with_name(site.name + ".before-publish")


@contextmanager
def _set_aside(site: Path) -> Iterator[None]:
    """mike builds into site_dir after emptying it; keep the editor's own build out of its way, and put it back."""
    aside = _aside(site)
    shutil.rmtree(aside, ignore_errors=True)
    had_site = site.exists()
    if had_site:
        site.rename(aside)
    try:
        yield
    finally:
        shutil.rmtree(site, ignore_errors=True)
        if had_site:
            aside.rename(site)


def _roll_back(plan: Plan) -> list[str]:
    """Put both branches back as the checks found them; returns anything that could not be put back."""
    pages = f"refs/heads/{PAGES_BRANCH}"
    # the tree was clean when the checks ran, so resetting to the old commit restores it exactly
    steps = [("reset", "--quiet", "--hard", plan.head)]
    if plan.pages_before:
        steps.append(("update-ref", pages, plan.pages_before))
    elif commit_of(plan.root, pages):
        steps.append(("update-ref", "-d", pages))
    failures = []
    for step in steps:
        try:
            git(plan.root, *step)
        except GitError as error:
            failures.append(str(error))
    return failures
