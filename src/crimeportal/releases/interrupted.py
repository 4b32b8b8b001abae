"""A publish that was killed part-way, found and undone by the next one.

Before `publish` changes anything it writes a note in the repository's git
folder (never committed): the release, where both branches were, and where the
editor's own site/ was set aside. Each step adds to it; a publish that ends,
however it ends short of a kill, removes it. If the note is there when publish
starts, the earlier one was killed: its register commit is taken off the branch,
gh-pages is put back, and the editor's site/ comes back. Nothing is guessed:
if the branch has moved on since, the editor is told what to do instead.

A publish asked to stop, rather than killed, undoes itself at once: Ctrl-C
(SIGINT) raises KeyboardInterrupt, and while publish changes things SIGTERM (as
CI sends when a job is cancelled) and SIGHUP (as a closed terminal or SSH
session sends) do the same (`stops_undone`), where by default they would end the
process with the register commit on the branch and no gh-pages.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import FrameType
from typing import Iterator

from .errors import Refused
from .git import PAGES_BRANCH, commit_of, git, git_text


@dataclass
class PublishNote:
    version: str
    branch: str
    head: str  # the source branch's commit before the register was committed
    pages_before: str | None
    site_dir: str
    site_aside: str  # where the editor's own site/ waits while mike builds
    register_commit: str | None = None


class Stopped(KeyboardInterrupt):
    """The process was asked to stop by a signal other than Ctrl-C's; handled as Ctrl-C is."""

    def __init__(self, name: str) -> None:
        super().__init__(f"it was stopped ({name})")

    def __str__(self) -> str:
        return str(self.args[0])


# SIGHUP does not exist on Windows, where a closed console ends the process outright
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stops:
    """While armed, a stop signal raises `Stopped`; once held (a roll-back is running) it is only remembered."""

    def __init__(self) -> None:
        self.armed = True
        self.received: str | None = None

    def hold(self) -> None:
        """From now on no signal interrupts: a roll-back stopped half-way would leave more to undo, not less."""
        self.armed = False

    def handle(self, number: int, _frame: FrameType | None) -> None:
        self.received = signal.Signals(number).name
        if self.armed:
            self.armed = False  # a second signal, as CI sends to every process of the job, must not stop the roll-back
            raise Stopped(self.received)


@contextmanager
def stops_undone() -> Iterator[Stops]:
    """SIGTERM and SIGHUP raise `Stopped` inside the block, so a publish's roll-back runs as on Ctrl-C."""
    stops = Stops()
    if threading.current_thread() is not threading.main_thread():
        yield stops  # only the main thread may set handlers; a publish run in a thread is stopped only by Ctrl-C
        return
    before = {number: signal.signal(number, stops.handle) for number in STOP_SIGNALS}
    try:
        yield stops
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def note_path(root: Path) -> Path:
    return (root / git_text(root, "rev-parse", "--git-path", "crimeportal-publish.json")).resolve()


def begin(root: Path, note: PublishNote) -> None:
    _write(root, note)


def record_register_commit(root: Path, note: PublishNote, commit: str) -> None:
    note.register_commit = commit
    _write(root, note)


def end(root: Path) -> None:
    note_path(root).unlink(missing_ok=True)


def _write(root: Path, note: PublishNote) -> None:
    path = note_path(root)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(asdict(note)), encoding="utf-8")
    os.replace(partial, path)


def undo_interrupted(root: Path) -> str | None:
    """Undo a killed publish, if there was one; says what was undone. Raises Refused if it cannot be done safely."""
    path = note_path(root)
    if not path.is_file():
        return None
    try:
        note = PublishNote(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        path.unlink()
        return None  # torn before the first step: nothing had been changed
    head = commit_of(root, "HEAD")
    if head not in (note.head, note.register_commit):
        raise Refused([f"an earlier publish of {note.version} was interrupted, and {note.branch} has moved on since, "
                       f"so it cannot be undone for you. Its register commit is {(note.register_commit or '?')[:7]}: "
                       f"run `git revert {note.register_commit}` if it is on the branch, then delete {path} "
                       "and publish again."])
    if head == note.register_commit:
        git(root, "reset", "--quiet", "--hard", note.head)
    pages = f"refs/heads/{PAGES_BRANCH}"
    if note.pages_before:
        git(root, "update-ref", pages, note.pages_before)
    elif commit_of(root, pages):
        git(root, "update-ref", "-d", pages)
    put_site_back(Path(note.site_dir), Path(note.site_aside))
    path.unlink()
    return (f"an earlier publish of {note.version} was interrupted; it has been undone: {note.branch} is back at "
            f"{note.head[:7]}, {PAGES_BRANCH} is as it was before it, and your site/ folder is back.")


def put_site_back(site: Path, aside: Path) -> None:
    """The editor's own site/ back in its place, if it is still set aside."""
    if aside.is_dir():
        shutil.rmtree(site, ignore_errors=True)  # mike's half-built release, not the editor's
        aside.rename(site)
