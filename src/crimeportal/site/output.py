"""Building the site into its folder so that a reader of `site/` never finds it half-written or gone.

The build goes into a staging folder beside the site; only a build that
succeeded takes the site's place. Where the system can (Linux), the two folders
are exchanged in one step, so `site/` exists at every instant; elsewhere the old
site is moved aside first, and a build killed between the two moves is put
right by the next one, which also removes the staging folders of killed builds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

from ..core.conventions import PORTAL_FOLDERS, SITE_MARKER
from ..core.errors import PortalError
from ..source.leftovers import end_with_parent, owned_prefix, remove_stale

_RENAME_EXCHANGE = 2  # from linux/fs.h
_AT_FDCWD = -100


class BuildFailed(PortalError):
    """MkDocs stopped; its messages have already been printed, and the old site is as it was."""


class OutputRefused(PortalError):
    """The folder asked for may hold something other than a site this portal built; nothing was changed."""


def build_into(root: Path, target: Path, engine_module: str = "mkdocs") -> None:
    """Build the portal at `root` into `target` with the engine run as `python -m engine_module` (mkdocs or
    properdocs, core/engines.py), swapping it in only when the build succeeded."""
    check_output_folder(root, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=owned_prefix(staging_prefix(target)), dir=target.parent))
    try:
        result = subprocess.run(
            # the file named, since ProperDocs looks for properdocs.yml first and says so at every build
            [sys.executable, "-m", engine_module, "build", "--config-file", "mkdocs.yml", "--strict", "--clean",
             "--site-dir", str(staging)],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # Material's banner about MkDocs 2.0 says nothing an editor can act on
            # a killed command takes its build with it, not leaving it writing into a folder the next one removes
            preexec_fn=partial(end_with_parent, os.getpid()) if sys.platform.startswith("linux") else None,
        )
        if result.returncode != 0:
            raise BuildFailed("the build failed")
        (staging / SITE_MARKER).write_text("This folder was built by crimeportal; the next build replaces it whole.\n",
                                           encoding="utf-8")
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_output_folder(root: Path, target: Path) -> None:
    """Refuse a folder whose replacing would lose something: the swap replaces the whole folder, so only a
    missing or empty folder, or one an earlier build made (it holds the marker), may be the site's."""
    root, target = root.resolve(), target.resolve()
    reason = _why_not_output(root, target)
    if reason:
        raise OutputRefused(f"the site cannot be built into {target}: {reason}. Nothing was built and nothing was "
                            "deleted; give --site-dir a new folder, such as site.")


def _why_not_output(root: Path, target: Path) -> str | None:
    if target == root or target in root.parents:
        return "it holds the portal itself, which building would replace"
    for folder in PORTAL_FOLDERS:
        if target.is_relative_to(root / folder):
            return f"it is inside the portal's {folder.as_posix()} folder, which building would replace or fill"
    if not target.exists():
        return None
    if not target.is_dir() or target.is_symlink():
        return "it is not a folder"
    if (target / ".git").exists():
        return "it holds a git repository (.git), which building would delete"
    if (target / SITE_MARKER).is_file() or not any(target.iterdir()) or _built_before_marks(root, target):
        return None
    return (f"it already holds files that an earlier build did not make (a build leaves {SITE_MARKER} in its folder), "
            "and building would delete them; if it is a site built before builds were marked, delete it yourself")


def _built_before_marks(root: Path, target: Path) -> bool:
    """The portal's own site/ as a build made it before builds left their mark: a checkout that built its site before
    this rule would otherwise be refused on its next `make site`. Only there, and only with MkDocs' own files."""
    return target == root / "site" and all((target / name).is_file() for name in ("index.html", "sitemap.xml", "404.html"))


def recover(target: Path) -> None:
    """Put right what a killed build left: the old site moved aside and not back, staging folders."""
    aside = _aside(target)
    if aside.is_dir() and not target.exists():
        aside.rename(target)
    shutil.rmtree(aside, ignore_errors=True)
    remove_stale(target.parent, staging_prefix(target))


def staging_prefix(target: Path) -> str:
    return f"{target.name}.building-"


def _aside(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def _swap(new: Path, target: Path) -> None:
    if target.is_dir() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old site
        return
    aside = _aside(target)
    shutil.rmtree(aside, ignore_errors=True)
    if target.exists():
        target.rename(aside)
    new.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step with Linux's renameat2; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return done == 0


def write_whole(path: Path, content: bytes) -> None:
    """Write the file so that whoever reads it (another build, another worker) finds all of it or none: into a
    file of its own beside it first, then moved into place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        part.write(content)
    os.replace(part.name, path)
