"""What a live preview keeps from one build to the next: results worked out from a file's exact bytes.

`mkdocs serve --dirty` rebuilds on every save, and a save changes one file. Checking a metric file, building
its Metric, assessing it and making its downloads depend only on that file's bytes and a few portal-wide facts,
which every key names, so a result kept under its key is the result working it out again would give: the
preview shows what a fresh build shows. Only the preview keeps a `FileResults` (it lives as long as the server);
every other command starts from nothing. A build keeps only what it used, so the memory is one build's worth.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")
Key = tuple[Hashable, ...]


def file_digest(path: Path) -> str:
    """The file's bytes, summarised; "" for a file that cannot be read (its check reports why)."""
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def files_digest(paths: Iterable[Path]) -> str:
    summary = hashlib.sha1()
    for path in paths:
        summary.update(f"{path.as_posix()}\0{file_digest(path)}\0".encode())
    return summary.hexdigest()


class FileResults:
    """Results by key, for the builds of one live preview.

    Every key begins with what the result is and includes the digest of each file it was worked out from.
    """

    def __init__(self) -> None:
        self._kept: dict[Key, object] = {}
        self._used: dict[Key, object] = {}
        # id of a kept object (a Metric) -> the key it was made under, and the object, so that its id stays its own
        self._key_of: dict[int, tuple[Key, object]] = {}
        self._digests: dict[Path, str] = {}  # this build's, as each file is first read
        self.reused = 0
        self.made = 0

    def begin_build(self) -> None:
        """Files are read afresh in every build, even after one that failed before `end_build`."""
        self._digests = {}

    def digest(self, path: Path) -> str:
        """`file_digest(path)`, read once in a build however many results name the file."""
        if path not in self._digests:
            self._digests[path] = file_digest(path)
        return self._digests[path]

    def content_digest(self, content: bytes) -> str:
        """The digest of bytes a build made, kept while the build after makes the same: an unchanged
        result is the same object, which a dictionary finds without reading it again."""
        return self.get(("content digest", content), lambda: hashlib.sha1(content).hexdigest())

    def get(self, key: Key, make: Callable[[], T]) -> T:
        if key in self._used:
            return self._used[key]  # type: ignore[return-value]
        if key in self._kept:
            self.reused += 1
            value = self._kept[key]
        else:
            self.made += 1
            value = make()
        self._used[key] = value
        return value  # type: ignore[return-value]

    def each(self, keys: dict[T, Key], make: Callable[[list[T]], Iterable[object]]) -> list:
        """The result for every item of `keys`, making all the missing ones in one call (which may share them
        out over processes), in the order of `keys`."""
        missing = [item for item, key in keys.items() if key not in self._kept and key not in self._used]
        made = dict(zip(missing, make(missing)))
        self.made += len(made)
        results = []
        for item, key in keys.items():
            if item in made:
                self._used[key] = made[item]
            elif key not in self._used:
                self.reused += 1
                self._used[key] = self._kept[key]
            results.append(self._used[key])
        return results

    def remember(self, thing: object, key: Key) -> None:
        """Note that `thing` (a Metric kept here) was made under `key`, so results derived from it can be kept."""
        self._key_of[id(thing)] = (key, thing)

    def derived(self, thing: object, what: Hashable, make: Callable[[], T]) -> T:
        """A result worked out from `thing` alone (and what `what` names), kept while `thing` is."""
        known = self._key_of.get(id(thing))
        if known is None or known[1] is not thing:
            return make()
        return self.get(("derived", what, known[0]), make)

    def end_build(self) -> None:
        """Keep what this build used, and nothing else."""
        self._kept, self._used, self._digests = self._used, {}, {}
        self._key_of = {thing_id: known for thing_id, known in self._key_of.items() if known[0] in self._kept}
