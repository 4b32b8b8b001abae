"""What a killed command leaves behind, named so that the next command can tell it is stale, and removed.

A command killed outright (SIGKILL, a closed laptop, a cancelled CI job) cannot tidy up: a build's staging
folder beside `site/`, add-period's scratch copy of the data in the system's temporary folder, and the chart
workers' folder stay. Each is named with the id of the process that made it ("site.building-4242-…"), so a
later command removes those whose process has ended, and never one a running command is still using. A
name without a process id was not made by this portal, or by an older version: it is left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

# the prefixes of the portal's own scratch folders in the system's temporary folder
CHECK_PREFIX = "crimeportal-check-"  # add-period and the other editing commands: the data as it would be written
RENDERER_PREFIX = "crimeportal-renderer-"  # a build's chart workers: fonts and shared chart shapes


def owned_prefix(prefix: str) -> str:
    """The prefix of a folder this process makes: its process id after `prefix`, for `remove_stale` to read."""
    return f"{prefix}{os.getpid()}-"


def process_running(pid: int) -> bool:
    """Whether a process with this id exists (someone else's too: it is then left alone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's process, or a system that cannot say
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether the process has ended but not been reaped (Linux): a killed command's child whose new parent has not
    collected it still answers to its id."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def owner_ended(name: str, prefix: str) -> bool:
    """Whether the folder `name`, made as `owned_prefix(prefix)` names it, belongs to a process that has ended."""
    pid = name[len(prefix):].split("-", 1)[0] if name.startswith(prefix) else ""
    return pid.isdigit() and not process_running(int(pid))


def remove_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove the folders in `folder` named `prefix<pid>-…` whose process has ended; the ones removed."""
    removed = []
    try:
        candidates = list(folder.glob(f"{prefix}*"))
    except OSError:
        return []
    for candidate in candidates:
        if candidate.is_dir() and not candidate.is_symlink() and owner_ended(candidate.name, prefix):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def remove_stale_scratch() -> list[Path]:
    """The portal's scratch folders in the system's temporary folder left by processes that have ended."""
    scratch = Path(tempfile.gettempdir())
    return remove_stale(scratch, CHECK_PREFIX) + remove_stale(scratch, RENDERER_PREFIX)


_PR_SET_PDEATHSIG = 1  # from linux/prctl.h


def end_with_parent(parent: int | None = None) -> None:
    """Ask Linux to end this process when the one that started it ends (PR_SET_PDEATHSIG): a killed build's MkDocs
    would otherwise go on writing into a folder the next command removes, and its chart workers, which wait on a
    queue they hold both ends of, would wait for ever. Elsewhere it does nothing. `parent`: the process that
    started this one, if known; if it has already ended (before the request could be made), this one ends now."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # then a killed build's processes finish on their own, and the next command removes their folder
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)  # the parent ended before the request was made, so it never will be
