"""The live preview (`mkdocs serve --dirty`, `make serve`): a save rebuilds only the pages it changes.

MkDocs' dirty mode rebuilds a page when its source file is newer than its output, which is wrong both ways
here: every page generated from YAML looks new, and a strand page never looks changed when one of its
measures is. So the portal decides instead. Each page's output is made from a known set of files (a
measure's page from its metric file; a strand page from its own file, its measures' files and the delivery
plan; a page that gathers every measure from every file), and from what every page shows (the configuration,
the theme's overrides, the navigation and the titles in it, the release banner, the glossary's
abbreviations). A digest of those is recorded for every output in the preview's own site folder
(`MANIFEST`); a page is rebuilt when its digest differs from the one recorded, or its output is missing.
Outputs the last build made and this one does not (a deleted measure's page and downloads) are removed.

Search: the search plugin indexes only the pages a build renders, so the index this build writes is merged
into the last one: each rebuilt page's entries replace its old ones, a removed page's go, and the entries
keep the order a full build gives them, so the preview's index equals a full build's.

A build that fails part-way leaves no record, so the next one rebuilds every page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer

from ..core.conventions import ACTIONS_DIR, AREAS_REGISTER, BOUNDARIES, CONTENT_DIR, EVALUATIONS_DIR, METRIC_MARKER
from ..core.model import Portal
from ..source.reuse import FileResults, file_digest
from .charts.drawing import Renderer

MANIFEST = ".crimeportal-preview.json"
_FORMAT = 1
SEARCH_INDEX = "search/search_index.json"
# the folders whose files pages are made from (mkdocs.yml and overrides/ count for every page)
SOURCE_FOLDERS = (CONTENT_DIR, Path("data"), Path("overrides"))
_DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass
class PreviewSession:
    """What one `mkdocs serve --dirty` keeps between its builds, dropped when the server stops: results worked
    out from unchanged files (see source/reuse.py), and the chart renderer, whose start costs half a second."""

    results: FileResults = field(default_factory=FileResults)
    renderer: Renderer = field(default_factory=lambda: Renderer(kept=True))
    templates: "TemplatesCompiled" = field(default_factory=lambda: TemplatesCompiled())

    def close(self) -> None:
        self.renderer.close()


class TemplatesCompiled(BytecodeCache):
    """The theme's templates as Jinja compiled them, kept in memory; Jinja checks each against its source."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Changes:
    """One preview build's decisions: what each output is made from, and which pages it rebuilds."""

    site_dir: Path
    digests: dict[str, str]  # output (relative to the site folder) -> digest of what it is made from
    rebuilt: set[str]  # the addresses (as search entries give them) of the pages this build renders
    pages: list[str]  # every page's address, in the order MkDocs builds them (a full build's search order)
    gone: set[str]  # outputs of the last build that this one does not make
    old_search: list[dict] | None  # the last build's search entries


class HideDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build's navigation may be wrong, which `strict: true` would count as a failure;
    the preview rebuilds every page whose navigation changes, so the warning does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def source_digests(root: Path, digest: Callable[[Path], str] = file_digest) -> dict[str, str]:
    """Every file pages are made from, by its path from the portal's folder (a link by where it points:
    it is never read)."""
    digests = {}
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_symlink():
                digests[name] = "link to " + os.readlink(path)
            elif path.is_file():
                digests[name] = digest(path)
    digests["mkdocs.yml"] = digest(root / "mkdocs.yml")
    return digests


def engine_source(uri: str) -> str:
    """How `sources` names one of the package's default pages that this portal publishes."""
    return f"engine:{uri}"


def strand_facts(portal: Portal) -> dict[str, str]:
    """Each strand's front matter, as if it were a file of its own: a measure's page shows its strand's title
    and facts but not its text, so an edit to a strand's text need not rebuild the strand's measures."""
    return {strand_facts_name(strand.id): _digest(repr(dataclasses.replace(strand, path=None))) for strand in portal.strands}


def strand_facts_name(strand_id: str) -> str:
    return f"front matter of strand {strand_id}"


def shared_digest(sources: dict[str, str], shown_everywhere: object) -> str:
    """What every page shows: the configuration, the theme's overrides, and `shown_everywhere` (the
    navigation, the release banner, problems: whatever the build passes)."""
    everywhere = {name: digest for name, digest in sources.items()
                  if name == "mkdocs.yml" or name.startswith("overrides/")}
    return _digest([everywhere, shown_everywhere])


class PageSources:
    """Which files each page is made from, worked out once per build from the portal and its files."""

    def __init__(self, portal: Portal, sources: dict[str, str], root: Path) -> None:
        self.root = root
        self.register = [AREAS_REGISTER.as_posix(), BOUNDARIES.as_posix()]
        self.actions = [name for name in sources if name.startswith(f"{ACTIONS_DIR.as_posix()}/")]
        # a strand page lists its evaluations, so an edit to any evaluation file may change it
        self.evaluations = [name for name in sources if name.startswith(f"{EVALUATIONS_DIR.as_posix()}/")]
        self.sources = sources
        self.metric_file = {m.id: _name(m.path, root) for m in portal.metrics if m.path}
        self.strand_of = {m.id: m.strand for m in portal.metrics}
        self.by_strand: dict[str, list[str]] = {}
        for metric in portal.metrics:
            if metric.id in self.metric_file:
                self.by_strand.setdefault(metric.strand, []).append(self.metric_file[metric.id])
        self.with_breakdowns = [self.metric_file[m.id] for m in portal.metrics if m.has_breakdown and m.id in self.metric_file]

    def of(self, src_uri: str) -> list[str] | None:
        """The files the page is made from, by their paths from the portal's folder; None: from every file."""
        if src_uri.startswith("metrics/") and src_uri.count("/") == 1 and src_uri != "metrics/index.md":
            metric_id = src_uri.removeprefix("metrics/").removesuffix(".md")
            if metric_id not in self.metric_file:
                return None
            return [self.metric_file[metric_id], strand_facts_name(self.strand_of[metric_id]), *self.register]
        if src_uri.startswith("areas/"):  # strands' titles are in the navigation, which every page's digest holds
            return [*self.actions, *self.register, *self.with_breakdowns]
        if engine_source(src_uri) in self.sources:  # the package's default page, with the whole area's name in it
            return [engine_source(src_uri), *self.register]
        if f"{CONTENT_DIR.as_posix()}/{src_uri}" not in self.sources:
            return None  # a page the portal writes itself that gathers measures, actions or releases
        return self._written(src_uri)

    def _written(self, src_uri: str) -> list[str] | None:
        """An editor's page: its own file, the measures it names, and for a strand page its measures and plans."""
        text = (self.root / CONTENT_DIR / src_uri).read_text(encoding="utf-8", errors="replace")
        if "crimeportal:strand-cards" in text:
            return None
        named = [self.metric_file[match["id"]] for match in METRIC_MARKER.finditer(text) if match["id"] in self.metric_file]
        if not src_uri.startswith("strands/"):
            return [f"{CONTENT_DIR.as_posix()}/{src_uri}", *named]
        strand_id = src_uri.removeprefix("strands/").removesuffix(".md")
        return [f"{CONTENT_DIR.as_posix()}/{src_uri}", *named, *self.by_strand.get(strand_id, []), *self.actions, *self.register,
                *self.evaluations]


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:  # found under another spelling of the folder's path
        return path.resolve().relative_to(root.resolve()).as_posix()


def _digest(value: object) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True, default=repr).encode()).hexdigest()


def plan(files: Files, site_dir: Path, shared: str, sources: dict[str, str],
         sources_of: Callable[[str], Iterable[str] | None], content_digest: Callable[[bytes], str]) -> Changes:
    """Decide, for every page and generated file, whether this build writes it, and tell MkDocs."""
    previous = _read_manifest(site_dir)
    (site_dir / MANIFEST).unlink(missing_ok=True)  # a build that fails part-way must not be trusted next time
    everything = _digest(sources)
    digests: dict[str, str] = {}
    rebuilt: set[str] = set()
    pages: list[str] = []
    for file in files:
        if file.is_documentation_page():
            named = sources_of(file.src_uri)
            inputs = everything if named is None else _digest({name: sources.get(name, "") for name in named})
            digests[file.dest_uri] = _digest([shared, file.src_uri, inputs])
            pages.append(_location(file.url))
        elif file.generated_by is not None:
            digests[file.dest_uri] = content_digest(file.content_bytes)
        else:
            digests[file.dest_uri] = "copied"  # MkDocs copies it when its source is newer, as ever
            continue
        changed = previous.get(file.dest_uri) != digests[file.dest_uri] or not os.path.isfile(file.abs_dest_path)
        file.is_modified = _ALWAYS if changed else _NEVER  # type: ignore[method-assign]
        if changed and file.is_documentation_page():
            rebuilt.add(_location(file.url))
    old_search = _read_search(site_dir) if previous else None
    if previous and old_search is None:  # nothing to merge this build's index into: every page is rebuilt
        return plan(files, site_dir, shared, sources, sources_of, content_digest)
    return Changes(site_dir, digests, rebuilt, pages, set(previous) - set(digests), old_search)


def _location(url: str) -> str:
    """A page's address as search entries give it: the home page's is "", not "./"."""
    return "" if url == "./" else url


def _always() -> bool:
    return True


def _never() -> bool:
    return False


_ALWAYS, _NEVER = _always, _never


def finish(changes: Changes) -> None:
    """After the build: remove what it no longer makes, merge the search index, and record the digests."""
    site = changes.site_dir.resolve()
    for name in sorted(changes.gone):
        output = (site / name)
        if output.resolve().is_relative_to(site) and output.is_file() and not output.is_symlink():
            output.unlink()
            _remove_empty_folders(output.parent, site)
    _merge_search(changes)
    (changes.site_dir / MANIFEST).write_text(json.dumps({"format": _FORMAT, "outputs": changes.digests}), encoding="utf-8")


def _remove_empty_folders(folder: Path, site: Path) -> None:
    while folder != site and folder.is_relative_to(site) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _merge_search(changes: Changes) -> None:
    index_file = changes.site_dir / SEARCH_INDEX
    if changes.old_search is None or not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    order = {url: rank for rank, url in enumerate(changes.pages)}
    kept = [doc for doc in changes.old_search if _page_of(doc) in order and _page_of(doc) not in changes.rebuilt]
    merged = kept + [doc for doc in index.get("docs", []) if _page_of(doc) in order]
    merged.sort(key=lambda doc: order[_page_of(doc)])  # stable: a page's entries keep their order
    index["docs"] = merged
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _page_of(doc: dict) -> str:
    return str(doc.get("location", "")).split("#", 1)[0]


def _read_manifest(site_dir: Path) -> dict[str, str]:
    try:
        recorded = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(recorded, dict) or recorded.get("format") != _FORMAT or not isinstance(recorded.get("outputs"), dict):
        return {}
    return {str(name): str(digest) for name, digest in recorded["outputs"].items()}


def _read_search(site_dir: Path) -> list[dict] | None:
    try:
        docs = json.loads((site_dir / SEARCH_INDEX).read_text(encoding="utf-8")).get("docs")
    except (OSError, ValueError, AttributeError):
        return None
    return [doc for doc in docs if isinstance(doc, dict)] if isinstance(docs, list) else None


def without_search_merge(plugins: Iterable[object]) -> None:
    """Material's search merges only one rebuilt page into its last index, by a prefix of its address (so a
    rebuilt Measures page would drop every measure's entries): `finish` merges instead."""
    for plugin in plugins:
        if hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None  # type: ignore[attr-defined]


def watch_natively(server: LiveReloadServer) -> LiveReloadServer:
    """MkDocs polls what it watches every half second, which alone can cost an editor half a second after a
    save; the system's own notifications (inotify, or Windows' and macOS' equivalents) arrive at once. Where
    the system refuses them (too many watches, a network drive), the server polls as before."""
    watched = list(server._watched_paths)  # MkDocs' own record of what it watches; it has no public one
    if not _notified_of(watched):
        return server
    for path in watched:
        while path in server._watched_paths:
            server.unwatch(path)
    server.observer = _SavesOnly()
    for path in watched:
        server.watch(path)
    return server


def _notified_of(paths: list[str]) -> bool:
    """Whether the system will notify us of changes under every path (asked before the server is changed)."""
    probe = _SavesOnly()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
    except OSError:
        return False
    finally:
        probe.unschedule_all()
    return True


class _SavesOnly(Observer):  # type: ignore[misc,valid-type]  (Observer is the system's own observer class)
    """The system's observer reports a file being opened and read too, and MkDocs rebuilds on any report, so
    the build's own reading would start the next build: only what changes a file is passed on."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):  # type: ignore[no-untyped-def]
        return super().schedule(event_handler, path, recursive=recursive, follow_symlink=follow_symlink,
                                event_filter=event_filter or _SAVES)


_SAVES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]
