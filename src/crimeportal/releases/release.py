"""Versioned releases: the register, what changed since the last release, and publishing with mike.

Each release is one frozen copy of the site on the `gh-pages` branch, put
there by mike (https://github.com/jimporter/mike); this module never writes a
version's files itself. It keeps the register `data/releases.yml`, computes
the "What changed" page from the previous release's published
`data/all-metrics.json` and `data/strands.json` (read back from `gh-pages`,
so nothing else needs storing), and runs a publish as: check everything,
then commit the register, `mike deploy`, `mike set-default`, add the root
404 page; if any step fails, both branches are put back as they were.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import yaml

from ..core.conventions import DATE_PATTERN as DATE_FORM, REGISTER, RELEASES_SCHEMA as SCHEMA_NAME, SCHEMA_LINE_RELEASES as SCHEMA_LINE, VERSION_PATTERN as VERSION_FORM
from ..core.formats import format_value, in_period, long_date, month_name, period_words
from ..source.load import Document, parse_yaml, read_text
from ..core.model import Portal
from ..core.problems import Problem, count_words, format_problems
from ..site.downloads import metric_record, strand_record
from html import escape as esc
from ..source.validate import Schemas, load_portal, schema_problems

VERSION_ENV = "CRIMEPORTAL_VERSION"  # set by `crimeportal publish` for the build mike runs
MIKE_VERSION_ENV = "MIKE_DOCS_VERSION"  # set by mike itself for that build
PAGES_BRANCH = "gh-pages"
REMOTE = "origin"
LATEST = "latest"
CHANGES_PAGE = "what-changed.md"
BLOCK_KINDS = ("what-changed", "releases")
_FORM_WORDS = {
    "version": "a release id written YYYY-MM, such as 2019-09 (YYYY-MM-DD for a second release in one month)",
    "published": "a date written YYYY-MM-DD, such as 2019-09-20",
    "board_meeting": "a date written YYYY-MM-DD, such as 2019-09-12",
    "replaced": "a date written YYYY-MM-DD, such as 2019-09-27",
}
_CANONICAL = re.compile(r'[ \t]*<link rel="canonical" href="[^"]*">\n?')
_MIKE = "import sys; from mike.driver import main; sys.exit(main())"


# ---------------------------------------------------------------------------------------------- register


@dataclass(frozen=True)
class Release:
    version: str
    title: str
    published: str
    board_meeting: str | None = None
    replaced: str | None = None

    @property
    def name(self) -> str:
        return release_name(self.version)


@dataclass
class Register:
    """data/releases.yml as read: its releases, oldest first, and anything wrong with it."""

    releases: list[Release]
    problems: list[Problem]
    text: str | None = None
    document: Document | None = None

    def find(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def before(self, version: str | None) -> Release | None:
        """The release a version is compared with: the one before it, or the latest for a preview."""
        earlier = [r for r in self.releases if version is None or version_key(r.version) < version_key(version)]
        return earlier[-1] if earlier else None


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-"))


def release_name(version: str) -> str:
    """'2019-09' -> 'September 2019'; '2019-09-27' -> '27 September 2019'."""
    if version.count("-") == 2:
        return long_date(version)
    return month_name(version)


def read_register(root: Path) -> Register:
    path = root / REGISTER
    shown = REGISTER.as_posix()
    if not path.exists():
        return Register([], [])
    source = read_text(path, shown)
    if source.text is None:
        return Register([], source.problems)
    document, problems = parse_yaml(source.text, shown)
    if document is None or problems:
        return Register([], problems, source.text, document)
    problems = [_worded(p) for p in schema_problems(document, Schemas(root), SCHEMA_NAME, shown)]
    if problems:
        return Register([], problems, source.text, document)
    releases = [Release(**entry) for entry in document.data["releases"]]
    return Register(releases, _order_problems(releases, document, shown), source.text, document)


def _worded(problem: Problem) -> Problem:
    name = problem.field.rsplit(".", 1)[-1]
    if name in _FORM_WORDS and "in the documented form" in problem.message:
        return replace(problem, message=problem.message.replace("in the documented form", _FORM_WORDS[name]))
    return problem


def _order_problems(releases: list[Release], document: Document, shown: str) -> list[Problem]:
    problems = []
    for index in range(1, len(releases)):
        earlier, this = releases[index - 1].version, releases[index].version
        if version_key(this) <= version_key(earlier):
            why = (f"{this} appears twice: each release has its own version" if this == earlier
                   else f"{this} must come after {earlier}: releases go oldest first")
            problems.append(Problem(shown, *document.locate(("releases", index, "version")), f"releases[{index}].version", why))
    return problems


def _entry_text(release: Release) -> str:
    # JSON strings are valid YAML double-quoted strings, so any title survives the round trip
    lines = [f"  - version: {json.dumps(release.version)}", f"    title: {json.dumps(release.title, ensure_ascii=False)}",
             f"    published: {release.published}"]
    lines += [f"    board_meeting: {release.board_meeting}"] if release.board_meeting else []
    lines += [f"    replaced: {release.replaced}"] if release.replaced else []
    return "\n".join(lines) + "\n"


def register_text(register: Register, entry: Release, replacing: bool) -> str:
    """The register with `entry` added (or put in place of the last release), keeping the editors' comments."""
    text, document = register.text, register.document
    if text is None or document is None:
        return f"{SCHEMA_LINE}\n# Every published release of the portal, oldest first.\nreleases:\n{_entry_text(entry)}"
    lines = text.splitlines(keepends=True)
    if not register.releases:
        key_line = document.key_at[("releases",)][0]
        return "".join(lines[: key_line - 1]) + "releases:\n" + _entry_text(entry)
    if replacing:
        last_line = document.locate(("releases", len(register.releases) - 1))[0]
        return "".join(lines[: last_line - 1]) + _entry_text(entry)
    return text + ("" if text.endswith("\n") else "\n") + _entry_text(entry)


# ---------------------------------------------------------------------------------------------- git


class GitFailed(Exception):
    pass


def _git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=data, capture_output=True)
    except FileNotFoundError as error:
        raise GitFailed("git is not installed") from error
    if done.returncode != 0:
        raise GitFailed(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _git_text(root: Path, *args: str) -> str:
    return _git(root, *args).decode().strip()


def _ref(root: Path, ref: str) -> str | None:
    try:
        return _git_text(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}")
    except GitFailed:
        return None


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    try:
        _git(root, "merge-base", "--is-ancestor", older, newer)
        return True
    except GitFailed:
        return False


def published_ref(root: Path) -> str | None:
    """The ref that holds what has been published: local gh-pages, or origin's when it is ahead (mike moves to it)."""
    local, remote = _ref(root, f"refs/heads/{PAGES_BRANCH}"), _ref(root, f"refs/remotes/{REMOTE}/{PAGES_BRANCH}")
    if remote and (not local or (local != remote and _is_ancestor(root, local, remote))):
        return f"{REMOTE}/{PAGES_BRANCH}"
    return PAGES_BRANCH if local else None


def read_published(root: Path, ref: str | None, path: str) -> bytes | None:
    if ref is None:
        return None
    try:
        return _git(root, "show", f"{ref}:{path}")
    except GitFailed:
        return None


def published_versions(root: Path, ref: str | None) -> list[dict[str, Any]]:
    """mike's versions.json from the published branch: [{version, title, aliases}], newest first."""
    raw = read_published(root, ref, "versions.json")
    return json.loads(raw) if raw else []


# ---------------------------------------------------------------------------------------------- what changed


@dataclass(frozen=True)
class FigureChange:
    metric: dict[str, Any]  # the metric's record in the newer release
    old: dict[str, Any] | None  # the observation as the earlier release published it
    new: dict[str, Any] | None


@dataclass
class Changes:
    """How one set of published data differs from an earlier one."""

    added_metrics: list[dict[str, Any]] = field(default_factory=list)
    removed_metrics: list[dict[str, Any]] = field(default_factory=list)
    new_figures: list[FigureChange] = field(default_factory=list)
    revised: list[FigureChange] = field(default_factory=list)
    withdrawn: list[FigureChange] = field(default_factory=list)
    restatused: list[FigureChange] = field(default_factory=list)
    details: list[tuple[dict[str, Any], list[str]]] = field(default_factory=list)
    strands_added: list[dict[str, Any]] = field(default_factory=list)
    strands_removed: list[dict[str, Any]] = field(default_factory=list)
    strands_restatused: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    strands_compared: bool = True

    @property
    def anything(self) -> bool:
        return any((self.added_metrics, self.removed_metrics, self.new_figures, self.revised, self.withdrawn,
                    self.restatused, self.details, self.strands_added, self.strands_removed, self.strands_restatused))


_FIGURE_FIELDS = ("value", "numerator", "denominator", "suppressed")
_DETAIL_FIELDS = ("title", "strand", "description", "unit", "polarity", "period", "source", "caveats")


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]],
            strands_before: list[dict[str, Any]] | None, strands_after: list[dict[str, Any]]) -> Changes:
    """Compare two releases' all-metrics records (and strand records, when the earlier release published them)."""
    changes = Changes()
    old = {m["id"]: m for m in before}
    new = {m["id"]: m for m in after}
    changes.added_metrics = [m for m in after if m["id"] not in old]
    changes.removed_metrics = [m for m in before if m["id"] not in new]
    for metric in after:
        if metric["id"] in old:
            _compare_metric(old[metric["id"]], metric, changes)
    if strands_before is None:
        changes.strands_compared = False
    else:
        _compare_strands(strands_before, strands_after, changes)
    return changes


def _compare_metric(old: dict[str, Any], new: dict[str, Any], changes: Changes) -> None:
    was = {o["end"]: o for o in old["observations"]}
    now = {o["end"]: o for o in new["observations"]}
    for end, observation in now.items():
        earlier = was.get(end)
        if earlier is None:
            changes.new_figures.append(FigureChange(new, None, observation))
        elif any(earlier.get(f) != observation.get(f) for f in _FIGURE_FIELDS):
            changes.revised.append(FigureChange(new, earlier, observation))
        elif earlier.get("status") != observation.get("status"):
            changes.restatused.append(FigureChange(new, earlier, observation))
    changes.withdrawn += [FigureChange(new, o, None) for end, o in was.items() if end not in now]
    changed = [name for name in _DETAIL_FIELDS if old.get(name) != new.get(name)]
    if changed:
        changes.details.append((new, changed))


def _compare_strands(before: list[dict[str, Any]], after: list[dict[str, Any]], changes: Changes) -> None:
    old = {s["id"]: s for s in before}
    new_ids = {s["id"] for s in after}
    changes.strands_added = [s for s in after if s["id"] not in old]
    changes.strands_removed = [s for s in before if s["id"] not in new_ids]
    changes.strands_restatused = [(old[s["id"]], s) for s in after if s["id"] in old and old[s["id"]]["status"] != s["status"]]


# ---------------------------------------------------------------------------------------------- the build


@dataclass
class ReleaseBuild:
    """What one build knows about releases: the version it is (None for a preview) and what changed."""

    version: str | None
    register: list[Release]
    previous: Release | None
    changes: Changes | None  # None when there was nothing to compare with, or its data could not be read
    site_root: str | None  # the public address of the gh-pages branch, from site_url

    @property
    def current(self) -> Release | None:
        return next((r for r in self.register if r.version == self.version), None)


class ReleaseBuildError(Exception):
    pass


def prepare(root: Path, portal: Portal, site_url: str | None, environ: Mapping[str, str] | None = None) -> ReleaseBuild:
    """Read the register and the previous release's data for this build; raise with a plain message if a release cannot be built."""
    environ = os.environ if environ is None else environ
    register = read_register(root)
    if register.problems:
        raise ReleaseBuildError(f"The release register has problems; nothing was built.\n{format_problems(register.problems, 'text')}")
    version = environ.get(VERSION_ENV) or None
    if version and register.find(version) is None:
        raise ReleaseBuildError(f"{VERSION_ENV} is {version}, but {REGISTER.as_posix()} has no release {version}; "
                                "publish with `crimeportal publish`, which adds it first.")
    previous = register.before(version)
    changes = None
    if previous is not None:
        changes = _changes_since(root, previous, portal)
        if changes is None and version:
            raise ReleaseBuildError(f"cannot say what changed since release {previous.version}: its data/all-metrics.json "
                                    f"is not on the {PAGES_BRANCH} branch. Fetch it (git fetch {REMOTE} {PAGES_BRANCH}:{PAGES_BRANCH}).")
    return ReleaseBuild(version, register.releases, previous, changes, site_root(site_url, environ.get(MIKE_VERSION_ENV)))


def _changes_since(root: Path, previous: Release, portal: Portal) -> Changes | None:
    ref = published_ref(root)
    metrics = read_published(root, ref, f"{previous.version}/data/all-metrics.json")
    if metrics is None:
        return None
    strands = read_published(root, ref, f"{previous.version}/data/strands.json")
    return compare(json.loads(metrics), [metric_record(m) for m in portal.metrics],
                   json.loads(strands) if strands else None, [strand_record(s) for s in portal.strands])


def site_root(site_url: str | None, mike_version: str | None) -> str | None:
    """The address of the whole published site; mike has already put its version on the end of site_url."""
    if not site_url:
        return None
    bare = site_url.rstrip("/")
    if mike_version and bare.endswith("/" + mike_version):
        bare = bare[: -len(mike_version)]
    return bare.rstrip("/") + "/"


def release_site_url(build: ReleaseBuild) -> str | None:
    """site_url for a release: its own folder, so sitemaps and citations give the frozen release's addresses."""
    return f"{build.site_root}{build.version}/" if build.site_root and build.version else None


def template_data(build: ReleaseBuild) -> dict[str, str] | None:
    current = build.current
    if current is None:
        return None
    return {"version": current.version, "name": current.name, "title": current.title}


def canonical(html: str, page_url: str, build: ReleaseBuild) -> str:
    """Point a release page's canonical link at the same page in `latest`; a preview is not the published site, so it has none."""
    end = html.find("</head>")  # the link is in the head: leave the (long) body unsearched
    end = len(html) if end < 0 else end
    head, body = html[:end], html[end:]
    if build.version is None or build.site_root is None:
        return _CANONICAL.sub("", head) + body
    link = f'<link rel="canonical" href="{esc(build.site_root + LATEST + "/" + page_url)}">\n'
    return _CANONICAL.sub(lambda _: link, head, count=1) + body


def changes_markdown(build: ReleaseBuild) -> str:
    """The What changed page: headings for the sections that have something, each filled in by a block."""
    sections = "".join(f"## {heading}\n\n<!-- crimeportal:block what-changed:{key} -->\n\n"
                       for key, heading in _sections(build.changes))
    return f"---\ntitle: What changed\n---\n\n# What changed\n\n<!-- crimeportal:block what-changed:intro -->\n\n{sections}"


def _sections(changes: Changes | None) -> list[tuple[str, str]]:
    if changes is None:
        return []
    present = {
        "revised": changes.revised, "withdrawn": changes.withdrawn, "new-figures": changes.new_figures,
        "new-measures": changes.added_metrics, "removed-measures": changes.removed_metrics,
        "status": changes.restatused, "details": changes.details,
        "strands": changes.strands_added or changes.strands_removed or changes.strands_restatused,
    }
    headings = (("revised", "Revised figures"), ("withdrawn", "Figures withdrawn"), ("new-figures", "New figures"),
                ("new-measures", "New measures"), ("removed-measures", "Measures removed"),
                ("status", "Figures with a new status"), ("details", "Measure details changed"), ("strands", "Strands"))
    return [(key, heading) for key, heading in headings if present[key]]


Relative = Callable[[str, str], str]


def block(kind: str, arg: str, build: ReleaseBuild, page_url: str, relative: Relative) -> str:
    if kind == "releases":
        return releases_table(build, page_url)
    if arg == "intro":
        return _intro(build)
    assert build.changes is not None and build.previous is not None  # only sections with content get a block
    section = _Sections(build.changes, build.previous, page_url, relative)
    return getattr(section, arg.replace("-", "_"))()


@dataclass
class _Sections:
    """The HTML of each What changed section, one method per section key."""

    changes: Changes
    earlier: Release
    page_url: str
    relative: Relative

    def link(self, metric: dict[str, Any]) -> str:
        return f'<a href="{self.relative("metrics/" + metric["id"] + "/", self.page_url)}">{esc(metric["title"])}</a>'

    def revised(self) -> str:
        return _revised(self.changes.revised, self.earlier, self.link)

    def withdrawn(self) -> str:
        return _withdrawn(self.changes.withdrawn, self.earlier, self.link)

    def new_figures(self) -> str:
        return _list(f"{self.link(c.metric)}: {_figure(c.new, c.metric)} {in_period(c.new['end'], c.metric['period'])}"
                     f"{_status_words(c.new)}" for c in self.changes.new_figures)

    def new_measures(self) -> str:
        def line(m: dict[str, Any]) -> str:
            count, last = len(m["observations"]), m["observations"][-1]
            return (f"{self.link(m)}: {count} figure{'s' if count != 1 else ''}, "
                    f"the latest {_figure(last, m)} {in_period(last['end'], m['period'])}")
        return _list(line(m) for m in self.changes.added_metrics)

    def removed_measures(self) -> str:
        # the measure has no page in this release, so link to it in the release that last had it
        where = f"{_to_root(self.page_url)}../{self.earlier.version}/metrics/"
        return _list(f'<a href="{where}{m["id"]}/">{esc(m["title"])}</a>: last published in the {esc(self.earlier.title)}'
                     for m in self.changes.removed_metrics)

    def status(self) -> str:
        return _list(f"{self.link(c.metric)}, {period_words(c.new['end'], c.metric['period'])}: "
                     f"{esc(c.old.get('status', 'final'))} → {esc(c.new.get('status', 'final'))}; "
                     f"the figure, {_figure(c.new, c.metric)}, is unchanged" for c in self.changes.restatused)

    def details(self) -> str:
        return _list(f"{self.link(m)}: the {_and([n.replace('_', ' ') for n in names])} changed"
                     for m, names in self.changes.details)

    def strands(self) -> str:
        return _strands(self.changes)


def _intro(build: ReleaseBuild) -> str:
    current, previous, changes = build.current, build.previous, build.changes
    if current is not None:
        this = f"This release, the {esc(current.title)} ({current.version}), published on {long_date(current.published)}"
        if previous is None:
            return f"<p>{this}, is the first release of the portal: there is no earlier release to compare it with.</p>"
        opening = f"<p>{this}, compared with the release before it, the {esc(previous.title)} ({previous.version}).</p>"
    elif previous is None:
        return ("<p>This is a preview, and nothing has been published yet. When it is published as the first release, "
                "this page will say so.</p>")
    elif changes is None:
        return (f"<p>This is a preview. It cannot say what has changed since the latest release, the {esc(previous.title)} "
                f"({previous.version}): that release's data is not in this copy of the repository (it needs the "
                f"{PAGES_BRANCH} branch).</p>")
    else:
        opening = (f"<p>This is a preview, not a published release: it shows what has changed since the latest release, "
                   f"the {esc(previous.title)} ({previous.version}).</p>")
    assert changes is not None
    method = ("<p>Both are compared through the data they published for download, so every figure here is as each "
              "release showed it.</p>")
    if not changes.anything:
        return opening + method + "<p>Nothing changed: the measures, their figures and the strands are as they were.</p>"
    if changes.revised or changes.withdrawn:
        count = len(changes.revised) + len(changes.withdrawn)
        method += (f"<p><strong>{count} figure{'s' if count != 1 else ''} published in the {esc(previous.title)} "
                   f"{'have' if count != 1 else 'has'} been revised or withdrawn since</strong>: see below.</p>")
    if not changes.strands_compared:
        method += "<p>The earlier release did not publish its strands, so changes to strands are not listed.</p>"
    return opening + method


def _revised(revised: list[FigureChange], earlier: Release, link: Callable[[dict[str, Any]], str]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{link(c.metric)}</th><td>{period_words(c.new["end"], c.metric["period"])}</td>'
        f'<td class="portal-num">{_figure(c.old, c.metric)}</td><td class="portal-num">{_figure(c.new, c.metric)}</td>'
        f"<td>{esc(c.new.get('note') or '')}</td></tr>"
        for c in revised
    )
    count = len(revised)
    return (f'<div class="admonition warning"><p class="admonition-title">{count} figure{"s" if count != 1 else ""} '
            f"changed after {'they were' if count != 1 else 'it was'} published</p>"
            f"<p>These figures were published in the {esc(earlier.title)} and have been revised since. Both values "
            "are shown so that anyone who used the earlier figure can see how it changed.</p>"
            '<div class="portal-table-wrap"><table class="portal-table"><caption>Revised figures</caption><thead><tr>'
            '<th scope="col">Measure</th><th scope="col">Period</th>'
            f'<th scope="col" class="portal-num">Published in the {esc(earlier.title)}</th>'
            '<th scope="col" class="portal-num">Now</th><th scope="col">Note</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div></div>")


def _withdrawn(withdrawn: list[FigureChange], earlier: Release, link: Callable[[dict[str, Any]], str]) -> str:
    items = _list(f"{link(c.metric)}, {period_words(c.old['end'], c.metric['period'])}: {_figure(c.old, c.metric)}"
                  for c in withdrawn)
    return (f'<div class="admonition warning"><p class="admonition-title">Figures published in the {esc(earlier.title)} '
            "that this release no longer shows</p>" + items + "</div>")


def _strands(changes: Changes) -> str:
    items = [f"{esc(s['title'])}: added ({esc(s['status'])})" for s in changes.strands_added]
    items += [f"{esc(s['title'])}: removed" for s in changes.strands_removed]
    items += [f"{esc(new['title'])}: {esc(old['status'])} → {esc(new['status'])}" for old, new in changes.strands_restatused]
    return _list(items)


def _figure(observation: dict[str, Any], metric: dict[str, Any]) -> str:
    value = None if observation.get("suppressed") else observation.get("value")
    text = format_value(value, metric["unit"])
    numerator, denominator = observation.get("numerator"), observation.get("denominator")
    if numerator is not None and denominator is not None:
        text += f" ({numerator:,} of {denominator:,})"
    return text


def _status_words(observation: dict[str, Any]) -> str:
    status = observation.get("status", "final")
    return "" if status == "final" else f" ({esc(status)})"


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _to_root(page_url: str) -> str:
    return "../" * page_url.count("/") or "./"


def releases_table(build: ReleaseBuild, page_url: str) -> str:
    """Every release this build knows of, newest first, for readers without the JavaScript version selector."""
    if not build.register:
        return "<p>Nothing has been published yet.</p>"
    root = _to_root(page_url)
    rows = "".join(
        f'<tr><th scope="row"><a href="{root}../{r.version}/">{esc(r.title)}</a></th><td>{r.version}</td>'
        f"<td>{long_date(r.published)}{' (replaced ' + long_date(r.replaced) + ')' if r.replaced else ''}</td>"
        f"<td>{long_date(r.board_meeting) if r.board_meeting else ''}</td>"
        f'<td><a href="{root}../{r.version}/what-changed/">What changed</a></td></tr>'
        for r in reversed(build.register)
    )
    return ('<div class="portal-table-wrap"><table class="portal-table"><caption>Releases of this portal, newest first</caption>'
            '<thead><tr><th scope="col">Release</th><th scope="col">Version</th><th scope="col">Published</th>'
            f'<th scope="col">Board meeting</th><th scope="col">Changes</th></tr></thead><tbody>{rows}</tbody></table></div>'
            f'<p>The newest release is always also at <a href="{root}../{LATEST}/">{LATEST}/</a>.</p>')


# ---------------------------------------------------------------------------------------------- publishing


class Refused(Exception):
    """Publishing cannot go ahead; nothing has been changed."""


@dataclass(frozen=True)
class Request:
    version: str
    title: str
    board_meeting: str | None = None
    replace: bool = False
    push: bool = False


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


def publish(root: Path, request: Request, today: date | None = None, err=sys.stderr) -> int:
    """Check, then publish; 0 on success, 1 when refused or rolled back."""
    try:
        plan = check(root, request, today or date.today())
    except Refused as refusal:
        print(f"crimeportal: not published; nothing was changed.\n{refusal}", file=err)
        return 1
    if plan.replacing:
        _shout_replacing(plan, err)
    if "example.invalid" in plan.site_root:
        print(f"crimeportal: warning: site_url in mkdocs.yml is still the placeholder {plan.site_root}; canonical links "
              "and sitemaps will point there. Set it to the address the gh-pages branch is served at.", file=err)
    try:
        register_commit = _commit_register(plan)
        with _set_aside(plan.site_dir):
            _mike(plan, "deploy", "--update-aliases", request.version, LATEST, "--title", request.title)
        _mike(plan, "set-default", LATEST, quiet=True)  # from the second release on it changes nothing, and mike warns
        _add_root_404(plan)
    except (GitFailed, PublishStepFailed, OSError, KeyboardInterrupt) as error:
        failures = _roll_back(plan)
        print(f"crimeportal: publishing {request.version} failed: {error}", file=err)
        if failures:
            print("crimeportal: and some of it could not be undone; put it right by hand:\n  " + "\n  ".join(failures), file=err)
        else:
            print(f"crimeportal: everything was put back as it was: {plan.branch} is at {plan.head[:7]} and "
                  f"{PAGES_BRANCH} {'at ' + plan.pages_before[:7] if plan.pages_before else 'does not exist'}.", file=err)
        return 1
    print(f"crimeportal: published {request.version} ({request.title}) to the {PAGES_BRANCH} branch; {LATEST} and the "
          f"site root now go to it.\ncrimeportal: the register entry is commit {register_commit[:7]} on {plan.branch}.", file=err)
    if not request.push:
        print(f"crimeportal: nothing was pushed. To put it online: git push {REMOTE} {plan.branch} {PAGES_BRANCH}", file=err)
        return 0
    return _push(plan, err)


class PublishStepFailed(Exception):
    pass


def check(root: Path, request: Request, today: date) -> Plan:
    """Every reason not to publish, all found before anything is changed."""
    try:
        _git(root, "rev-parse", "--is-inside-work-tree")
    except GitFailed:
        raise Refused(f"  - {root} is not a git repository: a release is published from a commit, so the portal must be in git.")
    reasons = _request_problems(request)
    reasons += _tool_problems()
    register = read_register(root)
    if register.problems:
        reasons.append("the release register has problems:\n" + _indented(format_problems(register.problems, "text")))
    _, problems = load_portal(root)
    if problems:
        reasons.append(f"the portal's files have {count_words(problems)}:\n"
                       + _indented(format_problems(problems, "text")))
    branch, head = _branch_problems(root, reasons)
    reasons += _clean_problems(root) + _identity_problems(root)
    site, site_dir = _site_config(root, reasons)
    pages = _pages(root, reasons)
    replacing = False
    if not register.problems and pages is not None:
        replacing = _version_problems(root, request, register, pages, reasons)
    if request.push and _ref(root, "HEAD") and not _has_remote(root):
        reasons.append(f"--push needs a git remote called {REMOTE}; there is none.")
    if reasons:
        raise Refused("\n".join(f"  - {reason}" for reason in reasons))
    existing = register.find(request.version)
    entry = Release(request.version, request.title, existing.published if replacing and existing else today.isoformat(),
                    request.board_meeting, today.isoformat() if replacing else None)
    text = register_text(register, entry, replacing)
    _check_register_text(text, register, entry, replacing)
    return Plan(root, request, branch, head, _ref(root, f"refs/heads/{PAGES_BRANCH}"), entry, text, replacing, site, site_dir)


def _indented(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def _request_problems(request: Request) -> list[str]:
    reasons = []
    if not VERSION_FORM.match(request.version):
        reasons.append(f"the version must be {_FORM_WORDS['version']}; found {request.version!r}.")
    if not request.title.strip():
        reasons.append("the title must not be empty: it names the release in the version selector.")
    if request.board_meeting is not None and not DATE_FORM.match(request.board_meeting):
        reasons.append(f"the board meeting must be {_FORM_WORDS['board_meeting']}; found {request.board_meeting!r}.")
    return reasons


def _tool_problems() -> list[str]:
    try:
        import mike  # noqa: F401  (mike does the deploying; only its command line is used)
    except ImportError:
        return ["mike is not installed: run `make publish`, which installs the pinned dependencies."]
    if shutil.which("mkdocs", path=_tool_path()) is None:
        return [f"mkdocs is not installed beside {sys.executable}; run `make publish`."]
    return []


def _branch_problems(root: Path, reasons: list[str]) -> tuple[str, str]:
    head = _ref(root, "HEAD")
    if head is None:
        reasons.append("the repository has no commits yet: commit the portal first.")
        return "", ""
    try:
        branch = _git_text(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    except GitFailed:
        reasons.append("HEAD is not on a branch (a detached HEAD): check out the branch to publish from.")
        return "", head
    if branch == PAGES_BRANCH:
        reasons.append(f"you are on the {PAGES_BRANCH} branch, which holds the published site: check out the source branch.")
    return branch, head


def _clean_problems(root: Path) -> list[str]:
    lines = _git(root, "status", "--porcelain", "--untracked-files=all").decode().splitlines()
    if not lines:
        return []
    shown = _indented("\n".join(lines[:10] + (["..."] if len(lines) > 10 else [])))
    return [f"there are uncommitted changes; a release must be exactly a commit, so commit or remove them first:\n{shown}"]


def _identity_problems(root: Path) -> list[str]:
    try:
        _git(root, "var", "GIT_COMMITTER_IDENT")
        _git(root, "var", "GIT_AUTHOR_IDENT")
        return []
    except GitFailed:
        return ["git does not know who you are, so it cannot record the release: set user.name and user.email "
                "(git config user.name 'Your Name'; git config user.email you@example.org)."]


def _site_config(root: Path, reasons: list[str]) -> tuple[str, Path]:
    """site_url and site_dir from mkdocs.yml."""
    from mkdocs.utils import yaml_load  # MkDocs' own reader understands the !ENV tags mkdocs.yml may use

    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as config_file:
            config = yaml_load(config_file) or {}
    except (OSError, yaml.YAMLError) as error:
        reasons.append(f"mkdocs.yml could not be read: {error}")
        return "", root / "site"
    site_dir = root / str(config.get("site_dir") or "site")
    if not config.get("site_url"):
        reasons.append("mkdocs.yml has no site_url: set it to the address the gh-pages branch is served at, so each "
                       "release gets canonical links and a sitemap.")
        return "", site_dir
    return site_root(config["site_url"], None) or "", site_dir


def _pages(root: Path, reasons: list[str]) -> list[dict[str, Any]] | None:
    local, remote = _ref(root, f"refs/heads/{PAGES_BRANCH}"), _ref(root, f"refs/remotes/{REMOTE}/{PAGES_BRANCH}")
    if local and remote and not _is_ancestor(root, local, remote) and not _is_ancestor(root, remote, local):
        reasons.append(f"{PAGES_BRANCH} and {REMOTE}/{PAGES_BRANCH} have diverged: someone else has published. "
                       "Bring the two together before publishing.")
        return None
    try:
        return published_versions(root, published_ref(root))
    except json.JSONDecodeError:
        reasons.append(f"versions.json on the {PAGES_BRANCH} branch is not valid JSON.")
        return None


def _version_problems(root: Path, request: Request, register: Register, pages: list[dict[str, Any]],
                      reasons: list[str]) -> bool:
    """Refusals about the version itself; returns whether this publish replaces an existing release."""
    if not VERSION_FORM.match(request.version):
        return False
    published = {r.version for r in register.releases} | {str(v["version"]) for v in pages}
    ordered = sorted((v for v in published if VERSION_FORM.match(v)), key=version_key)
    latest = ordered[-1] if ordered else None
    version = request.version
    if version in published and not request.replace:
        reasons.append(f"release {version} has already been published. To replace it, run again with --replace "
                       "(readers will see the new content at the same addresses); to correct figures, publish a new release.")
    elif request.replace and version not in published:
        reasons.append(f"--replace was given, but release {version} has not been published: there is nothing to replace.")
    elif request.replace and version != latest:
        reasons.append(f"release {version} is not the latest ({latest}); only the latest release can be replaced. "
                       "Publish a new release instead: its What changed page will list the corrections.")
    elif request.replace and (not register.releases or register.releases[-1].version != version):
        reasons.append(f"release {version} is on the {PAGES_BRANCH} branch but is not the last entry in "
                       f"{REGISTER.as_posix()}, so publishing cannot tell what it replaces; add its entry first.")
    elif latest and version_key(version) < version_key(latest) and version not in published:
        reasons.append(f"release {version} is older than the latest release, {latest}: releases are published in time order.")
    previous = register.before(version)
    if previous and read_published(root, published_ref(root), f"{previous.version}/data/all-metrics.json") is None:
        reasons.append(f"the previous release, {previous.version}, is in {REGISTER.as_posix()} but its data is not on the "
                       f"{PAGES_BRANCH} branch, so the What changed page cannot be made. Fetch it: "
                       f"git fetch {REMOTE} {PAGES_BRANCH}:{PAGES_BRANCH}")
    return request.replace and version in published


def _check_register_text(text: str, register: Register, entry: Release, replacing: bool) -> None:
    document, problems = parse_yaml(text, REGISTER.as_posix())
    expected = register.releases[:-1] + [entry] if replacing else register.releases + [entry]
    found = [Release(**e) for e in document.data.get("releases", [])] if document and not problems else None
    if found != expected:
        raise Refused(f"  - {REGISTER.as_posix()} is laid out in a way publishing cannot add to; keep it as a "
                      "'releases:' list of entries, each starting '  - version:', and try again.")


def _has_remote(root: Path) -> bool:
    try:
        _git(root, "remote", "get-url", REMOTE)
        return True
    except GitFailed:
        return False


def _shout_replacing(plan: Plan, err) -> None:
    bar = "!" * 78
    print(f"{bar}\nREPLACING RELEASE {plan.entry.version}: the published {plan.entry.version} will be overwritten.\n"
          "Anyone who has already read or downloaded it will find different content at the same addresses.\n"
          f"The register records the replacement date ({plan.entry.replaced}). If figures have changed, publishing a\n"
          f"new release is usually better: its What changed page lists every revision.\n{bar}", file=err)


def _commit_register(plan: Plan) -> str:
    path = plan.root / REGISTER
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(plan.register_text, encoding="utf-8")
    _git(plan.root, "add", "--", REGISTER.as_posix())
    verb = "Replace" if plan.replacing else "Publish"
    _git(plan.root, "commit", "--quiet", "-m", f"{verb} release {plan.entry.version}: {plan.entry.title}", "--", REGISTER.as_posix())
    return _git_text(plan.root, "rev-parse", "HEAD")


def _tool_path() -> str:
    # mike runs `mkdocs` by name, so the one installed beside this Python must come first
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _mike(plan: Plan, *args: str, quiet: bool = False) -> None:
    env = {**os.environ, "PATH": _tool_path(), VERSION_ENV: plan.entry.version, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", _MIKE, *(["--quiet"] if quiet else []), *args], cwd=plan.root, env=env)
    if done.returncode != 0:
        raise PublishStepFailed(f"`mike {args[0]}` stopped (exit {done.returncode}); its messages are above.")


def _add_root_404(plan: Plan) -> None:
    """GitHub Pages serves the root 404.html for any missing address; mike leaves the root to us (jimporter/mike#72)."""
    page = _git(plan.root, "show", f"{PAGES_BRANCH}:{plan.entry.version}/404.html")
    blob = _git(plan.root, "hash-object", "-w", "--stdin", data=page).decode().strip()
    listing = [e for e in _git(plan.root, "ls-tree", "-z", PAGES_BRANCH).split(b"\0") if e and not e.endswith(b"\t404.html")]
    listing.append(f"100644 blob {blob}\t404.html".encode())
    tree = _git(plan.root, "mktree", "-z", data=b"\0".join(listing) + b"\0").decode().strip()
    parent = _git_text(plan.root, "rev-parse", PAGES_BRANCH)
    if tree == _git_text(plan.root, "rev-parse", f"{parent}^{{tree}}"):
        return
    commit = _git_text(plan.root, "commit-tree", tree, "-p", parent, "-m", f"Root 404 page from {plan.entry.version}")
    _git(plan.root, "update-ref", f"refs/heads/{PAGES_BRANCH}", commit, parent)


@contextmanager
def _set_aside(site: Path) -> Iterator[None]:
    """mike builds into site_dir after emptying it; keep the editor's own build out of its way, and put it back."""
    aside = site.with_name(site.name + ".before-publish")
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
    elif _ref(plan.root, pages):
        steps.append(("update-ref", "-d", pages))
    failures = []
    for step in steps:
        try:
            _git(plan.root, *step)
        except GitFailed as error:
            failures.append(str(error))
    return failures


def _push(plan: Plan, err) -> int:
    try:
        # both or neither: the register entry and the release it records belong together
        _git(plan.root, "push", "--quiet", "--atomic", REMOTE, plan.branch, PAGES_BRANCH)
    except GitFailed as error:
        print(f"crimeportal: the release is published locally, but pushing failed: {error}\n"
              f"crimeportal: fix that, then run: git push {REMOTE} {plan.branch} {PAGES_BRANCH}", file=err)
        return 1
    print(f"crimeportal: pushed {plan.branch} and {PAGES_BRANCH} to {REMOTE}.", file=err)
    return 0


# ---------------------------------------------------------------------------------------------- command line


def add_command(commands: Any) -> None:
    publish_command = commands.add_parser(
        "publish", help="publish a release: validate, build and deploy it with mike to the gh-pages branch as VERSION and latest")
    publish_command.add_argument("version", help="the release id: the board update's month as YYYY-MM, such as 2019-09")
    publish_command.add_argument("--title", required=True, help="the release's name in the version selector, e.g. 'September 2019 board update'")
    publish_command.add_argument("--board-meeting", metavar="YYYY-MM-DD", help="the date of the board meeting the release reports to")
    publish_command.add_argument("--replace", action="store_true", help="overwrite the latest release, which must be VERSION (said loudly)")
    publish_command.add_argument("--push", action="store_true", help=f"push the source branch and {PAGES_BRANCH} to {REMOTE} afterwards")


def run(root: Path, args: Any) -> int:
    return publish(root, Request(args.version, args.title, args.board_meeting, args.replace, args.push))
