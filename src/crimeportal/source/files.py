"""Which files under the portal's source folders are read, which are refused, and which are only noted.

The repository is the boundary. Any symbolic link under content/, data/, schemas/ or overrides/ is
refused, wherever it points: a link works on Linux but not for editors on Windows, and a link that is
refused cannot publish what it points at (the build machine's environment, say). Files that editors'
programs leave behind are ignored with a note. A file that looks meant for the portal but would be
skipped, or published unchecked, is named with the name it should have.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..core.conventions import (ACTIONS_DIR, EVALUATIONS_DIR, CONTENT_DIR, is_editor_leftover, GENERATED_FOLDERS, GENERATED_PAGES, METRIC_SUFFIX,
                                METRICS_DIR, SOURCE_FOLDERS, STRAND_LIKE_SUFFIXES, STRAND_SUFFIX, STRANDS_DIR)
from ..core.problems import Problem

# MkDocs 1.6 publishes files with these endings as pages (mkdocs/utils/__init__.py, markdown_extensions)
MKDOCS_PAGE_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")

_LINK_REASON = ("the portal refuses every link under content/, data/, schemas/ and overrides/: a link works on "
                "Linux but not for editors on Windows, and it could publish a file from outside the repository. "
                "Put the file itself here instead")


@dataclass
class SourceFiles:
    """The files a portal's checks read, found once per load."""

    metrics: list[Path] = field(default_factory=list)  # data/metrics/*.yml
    actions: list[Path] = field(default_factory=list)  # data/actions/*.yml
    evaluations: list[Path] = field(default_factory=list)  # data/evaluations/*.yml
    strands: list[Path] = field(default_factory=list)  # content/strands/*.md
    pages: list[Path] = field(default_factory=list)  # every page MkDocs would publish from content/, strands included
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # ignored files: worth saying, not worth failing for
    never_published: list[Path] = field(default_factory=list)  # links and leftovers: no site, not even a preview, copies them


def left_out_of_site(root: Path, sources: SourceFiles) -> set[str]:
    """Files under content/ that no site may publish, as MkDocs names them ('secret.md'): refused links and leftovers."""
    return {path.relative_to(root / CONTENT_DIR).as_posix() for path in sources.never_published
            if (root / CONTENT_DIR) in path.parents}


def scan_sources(root: Path) -> SourceFiles:
    found = SourceFiles()
    for folder in SOURCE_FOLDERS:
        if (root / folder).is_symlink():
            found.problems.append(_link_problem(root, root / folder))
        elif (root / folder).is_dir():
            _scan_folder(root, root / folder, found)
    for kind in (found.metrics, found.actions, found.evaluations, found.strands, found.pages):
        kind.sort()
    return found


def _scan_folder(root: Path, folder: Path, found: SourceFiles) -> None:
    for top, folders, names in os.walk(folder, followlinks=False, onerror=lambda error: _unreadable(root, error, found)):
        here = Path(top)
        for name in sorted(folders):
            if os.path.islink(here / name):
                found.problems.append(_link_problem(root, here / name))
                found.never_published.append(here / name)
                folders.remove(name)  # os.walk would not follow it; say so, and do not look inside
        for name in sorted(names):
            _classify(root, here / name, found)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _classify(root: Path, path: Path, found: SourceFiles) -> None:
    shown = shown_path(path, root)
    if path.name.startswith(".#"):  # Emacs's lock: a link to nowhere, and a dotfile MkDocs never publishes
        found.notes.append(_leftover_note(shown))
        found.never_published.append(path)
        return
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        found.problems.append(Problem(shown, 1, 1, "", f"could not be read: {error.strerror or error}"))
        return
    if _CONTROL.search(shown):  # a line break in a name would become a line break in a page's address
        found.problems.append(Problem(_CONTROL.sub(lambda m: repr(m[0])[1:-1], shown), 1, 1, "",
                                      "is not read: its name (or its folder's) holds a line break or another "
                                      "invisible control character; rename it with letters, digits and hyphens only"))
        found.never_published.append(path)
    elif stat.S_ISLNK(mode):
        found.problems.append(_link_problem(root, path))
        found.never_published.append(path)
    elif not stat.S_ISREG(mode):
        found.problems.append(Problem(shown, 1, 1, "", "is not an ordinary file (a pipe, socket or device): remove it"))
        found.never_published.append(path)
    elif is_editor_leftover(path.name):
        found.notes.append(_leftover_note(shown))
        found.never_published.append(path)
    else:
        _sort_into(root, path, found)


def _sort_into(root: Path, path: Path, found: SourceFiles) -> None:
    relative = path.relative_to(root)
    shown = relative.as_posix()
    if relative.parent == METRICS_DIR:
        if path.suffix == METRIC_SUFFIX:
            found.metrics.append(path)
        else:
            found.problems.append(Problem(shown, 1, 1, "", f"is not read: a metric file's name must end in {METRIC_SUFFIX}; "
                                          f"if it is a metric, rename it {path.stem}{METRIC_SUFFIX}, otherwise move it "
                                          f"out of {METRICS_DIR.as_posix()}/"))
    elif METRICS_DIR in relative.parents:
        found.problems.append(Problem(shown, 1, 1, "", f"is not read: metric files go directly in {METRICS_DIR.as_posix()}/, "
                                      "not in a folder inside it; move it up, or out of the folder"))
    elif relative.parent == ACTIONS_DIR and path.suffix == METRIC_SUFFIX:
        found.actions.append(path)
    elif relative.parent == EVALUATIONS_DIR and path.suffix == METRIC_SUFFIX:
        found.evaluations.append(path)
    elif ACTIONS_DIR in relative.parents:
        found.problems.append(Problem(shown, 1, 1, "", f"is not read: a delivery plan is a file directly in {ACTIONS_DIR.as_posix()}/ "
                                      f"whose name ends in {METRIC_SUFFIX}, such as {ACTIONS_DIR.as_posix()}/domestic-abuse{METRIC_SUFFIX}"))
    if CONTENT_DIR in relative.parents:
        _sort_content(path, relative.relative_to(CONTENT_DIR), shown, found)


def _sort_content(path: Path, page: Path, shown: str, found: SourceFiles) -> None:
    in_strands = Path(shown).parent == STRANDS_DIR
    if path.name.endswith(MKDOCS_PAGE_SUFFIXES):
        found.pages.append(path)
    if in_strands and path.suffix == STRAND_SUFFIX:
        found.strands.append(path)
    elif in_strands and path.suffix.lower() in STRAND_LIKE_SUFFIXES:
        found.problems.append(Problem(shown, 1, 1, "", f"is not checked as a strand page: its name must end in {STRAND_SUFFIX}; "
                                      f"rename it {path.stem}{STRAND_SUFFIX}"))
    elif STRANDS_DIR in Path(shown).parents and path.name.endswith(MKDOCS_PAGE_SUFFIXES):
        found.problems.append(Problem(shown, 1, 1, "", f"is published without a strand's checks: strand pages go directly in "
                                      f"{STRANDS_DIR.as_posix()}/; move it there, or to {CONTENT_DIR.as_posix()}/"))
    if (clash := generated_clash(page, path.name.endswith(MKDOCS_PAGE_SUFFIXES))):
        found.problems.append(Problem(shown, 1, 1, "", f"would take the place of {clash}, which the build makes itself: "
                                      "rename or move this file"))


def page_address(page: PurePosixPath | Path) -> str:
    """Where MkDocs (with directory URLs) serves a page: `a/b.md` at `a/b/`, `a/index.md` at `a/`."""
    parent = page.parent.as_posix()
    folder = "" if parent == "." else parent + "/"
    stem = page.name.rsplit(".", 1)[0]
    return folder if stem in ("index", "README") else f"{folder}{stem}/"


_GENERATED_ADDRESSES = {page_address(PurePosixPath(p)) for p in GENERATED_PAGES}


def generated_clash(page: Path, is_page: bool) -> str | None:
    """What the build makes at the place this file under content/ would be published, if anything."""
    where = page_address(page) if is_page else page.as_posix()
    top = where.split("/", 1)[0]
    if top in GENERATED_FOLDERS:
        return f"the site's {top}/ folder"
    if where in _GENERATED_ADDRESSES:
        return f"the page {where}"
    return None


def _link_problem(root: Path, path: Path) -> Problem:
    try:
        target = os.readlink(path)
    except OSError:
        target = "somewhere"
    return Problem(shown_path(path, root), 1, 1, "", f"is a symbolic link (to {target}); {_LINK_REASON}")


def _leftover_note(shown: str) -> Problem:
    return Problem(shown, 1, 1, "", "ignored: it looks like a lock, backup or swap file an editor's program left behind; "
                                   "it is not read or published, and can be deleted")


def _unreadable(root: Path, error: OSError, found: SourceFiles) -> None:
    where = shown_path(Path(error.filename), root) if error.filename else "."
    found.problems.append(Problem(where, 1, 1, "", f"could not be read: {error.strerror or error}"))


def shown_path(path: Path, root: Path) -> str:
    """A path as editors see it: relative to the portal, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
