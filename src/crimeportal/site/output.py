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
from pathlib import Path

from ..core.errors import PortalError

_RENAME_EXCHANGE = 2  # from linux/fs.h
_AT_FDCWD = -100


class BuildFailed(PortalError):
    """MkDocs stopped; its messages have already been printed, and the old site is as it was."""


def build_into(root: Path, target: Path, engine_module: str = "mkdocs") -> None:
    """Build the portal at `root` into `target` with the engine run as `python -m engine_module` (mkdocs or
    properdocs, core/engines.py), swapping it in only when the build succeeded."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(target)}{os.getpid()}-", dir=target.parent))
    try:
        result = subprocess.run(
            # the file named, since ProperDocs looks for properdocs.yml first and says so at every build
            [sys.executable, "-m", engine_module, "build", "--config-file", "mkdocs.yml", "--strict", "--clean",
             "--site-dir", str(staging)],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # Material's banner about MkDocs 2.0 says nothing an editor can act on
        )
        if result.returncode != 0:
            raise BuildFailed("the build failed")
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def recover(target: Path) -> None:
    """Put right what a killed build left: the old site moved aside and not back, staging folders."""
    aside = _aside(target)
    if aside.is_dir() and not target.exists():
        aside.rename(target)
    shutil.rmtree(aside, ignore_errors=True)
    for staging in target.parent.glob(f"{_staging_prefix(target)}*"):
        if staging.is_dir() and not staging.is_symlink() and not _running(staging.name):
            shutil.rmtree(staging, ignore_errors=True)


def _staging_prefix(target: Path) -> str:
    return f"{target.name}.building-"


def _aside(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def _running(staging_name: str) -> bool:
    """Whether the build that made this staging folder is still running (its process id is in the name)."""
    pid = staging_name.rsplit(".building-", 1)[-1].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


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
