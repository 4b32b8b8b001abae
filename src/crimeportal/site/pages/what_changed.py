"""The What changed page and the table of releases: the page's markdown, and the HTML of each of its blocks.

The words about each change are worked out here; the HTML around them comes
from the `what_changed_*.html` templates, which escape every value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple

from markdown.extensions.toc import slugify

from ...core.formats import format_value, in_period, long_date, period_words
from ...core.stats import BASIS_LABELS, VERDICT_LABELS, Comparison
from ...core.model import Observation
from ...core.delivery import STATUS_LABELS, date_words
from ...releases.changes import Changes, FigureChange, VerdictChange, latest_status
from ...releases.current import LATEST, ReleaseBuild
from ...releases.git import PAGES_BRANCH
from ...releases.register import Release
from .delivery_html import record_anchor
from . import evaluation_pages, verdicts
from ..templates import Markup, render

BLOCK_KINDS = ("what-changed", "releases")

Relative = Callable[[str, str], str]
Record = dict[str, Any]  # a metric's or strand's record as data/all-metrics.json and data/strands.json publish it

# corrections to what readers already used come first, then verdicts that moved, then what is new
_HEADINGS = (("revised", "Revised figures"), ("withdrawn", "Figures withdrawn"), ("verdicts", "Verdicts that changed"),
             ("new-figures", "New figures"),
             ("new-measures", "New measures"), ("removed-measures", "Measures removed"),
             ("status", "Figures with a new status"), ("details", "Measure details changed"), ("strands", "Strands"),
             # the delivery plan: a moved due date first, as a revised figure comes first, then what moved on
             ("due-moved", "Due dates moved"), ("actions-completed", "Actions completed"),
             ("actions-delayed", "Actions delayed"), ("actions-stopped", "Actions stopped"), ("actions-added", "Actions added"),
             ("evaluation-results", "Evaluation results"))


class Link(NamedTuple):
    href: str
    title: str


@dataclass(frozen=True)
class Item:
    """One line of a list of changes: what changed (linked, when it has a page), then words about it."""

    link: Link | None
    words: str


def changes_markdown(build: ReleaseBuild) -> str:
    """The What changed page: headings for the sections that have something, each filled in by a block."""
    sections = "".join(f"## {heading}\n\n<!-- crimeportal:block what-changed:{key} -->\n\n"
                       for key, heading in _sections(build.changes))
    return f"---\ntitle: What changed\n---\n\n# What changed\n\n<!-- crimeportal:block what-changed:intro -->\n\n{sections}"


def _sections(changes: Changes | None) -> list[tuple[str, str]]:
    if changes is None:
        return []
    present = {
        "verdicts": changes.verdicts, "revised": changes.revised, "withdrawn": changes.withdrawn, "new-figures": changes.new_figures,
        "new-measures": changes.added_metrics, "removed-measures": changes.removed_metrics,
        "status": changes.restatused, "details": changes.details,
        "strands": changes.strands_added or changes.strands_removed or changes.strands_restatused,
        "due-moved": changes.actions.due_moved, "actions-completed": changes.actions.now("complete"),
        "actions-delayed": changes.actions.now("delayed"), "actions-stopped": changes.actions.now("stopped"),
        "actions-added": changes.actions.added, "evaluation-results": changes.evaluation_results,
    }
    return [(key, heading) for key, heading in _HEADINGS if present[key]]


def first_section(changes: Changes) -> str:
    """The anchor of the page's first section with something in it ("" for none): where a strand's or an area's
    feed links, its changes kept to its own (releases/scope.py). The id is the heading's, as MkDocs' toc makes it."""
    found = _sections(changes)
    return "#" + slugify(found[0][1], "-") if found else ""


def block(kind: str, arg: str, build: ReleaseBuild, page_url: str, relative: Relative) -> Markup:
    if kind == "releases":
        return releases_table(build, page_url)
    if arg == "intro":
        return _intro(build)
    assert build.changes is not None and build.previous is not None  # only sections with content get a block
    section = _Sections(build.changes, build.previous, page_url, relative)
    return getattr(section, arg.replace("-", "_"))()


def _intro(build: ReleaseBuild) -> Markup:
    current, changes = build.current, build.changes
    corrected = len(changes.revised) + len(changes.withdrawn) if changes else 0
    return render("what_changed_intro.html", current=current, previous=build.previous, changes=changes,
                  published=long_date(current.published) if current else "", corrected=corrected,
                  pages_branch=PAGES_BRANCH)


@dataclass
class _Sections:
    """The HTML of each What changed section, one method per section key."""

    changes: Changes
    earlier: Release
    page_url: str
    relative: Relative

    def link(self, metric: Record) -> Link:
        return Link(self.relative("metrics/" + metric["id"] + "/", self.page_url), metric["title"])

    def revised(self) -> Markup:
        rows = [{"link": self.link(c.metric), "period": period_words(c.new["end"], c.metric["period"]),
                 "before": _figure(c.old, c.metric), "now": _figure(c.new, c.metric), "note": c.new.get("note") or ""}
                for c in self.changes.revised]
        return render("what_changed_revised.html", rows=rows, earlier=self.earlier)

    def verdicts(self) -> Markup:
        return _list(Item(self.link(c.metric), verdict_words(c)) for c in self.changes.verdicts)

    def withdrawn(self) -> Markup:
        items = self._items(self.changes.withdrawn,
                            lambda c: f", {period_words(c.old['end'], c.metric['period'])}: {_figure(c.old, c.metric)}")
        return render("what_changed_withdrawn.html", items=items, earlier=self.earlier)

    def new_figures(self) -> Markup:
        return _list(self._items(self.changes.new_figures, lambda c: f": {_figure(c.new, c.metric)} "
                                 f"{in_period(c.new['end'], c.metric['period'])}{_status_words(c.new)}"))

    def new_measures(self) -> Markup:
        def words(m: Record) -> str:
            count, last = len(m["observations"]), m["observations"][-1]
            return f": {count} figure{'s' if count != 1 else ''}, the latest {_figure(last, m)} {in_period(last['end'], m['period'])}"
        return _list(Item(self.link(m), words(m)) for m in self.changes.added_metrics)

    def removed_measures(self) -> Markup:
        # the measure has no page in this release, so link to it in the release that last had it
        where = f"{_to_root(self.page_url)}../{self.earlier.version}/metrics/"
        return _list(Item(Link(f"{where}{m['id']}/", m["title"]), f": last published in the {self.earlier.title}")
                     for m in self.changes.removed_metrics)

    def status(self) -> Markup:
        return _list(self._items(self.changes.restatused, lambda c: (
            f", {period_words(c.new['end'], c.metric['period'])}: {c.old.get('status', 'final')} → "
            f"{c.new.get('status', 'final')}; the figure, {_figure(c.new, c.metric)}, is unchanged")))

    def details(self) -> Markup:
        return _list(Item(self.link(m), f": the {_and([n.replace('_', ' ') for n in names])} changed")
                     for m, names in self.changes.details)

    def strands(self) -> Markup:
        changes = self.changes
        words = [f"{s['title']}: added ({s['status']})" for s in changes.strands_added]
        words += [f"{s['title']}: removed" for s in changes.strands_removed]
        words += [f"{new['title']}: {old['status']} → {new['status']}" for old, new in changes.strands_restatused]
        return _list(Item(None, text) for text in words)

    def action_link(self, action: Record) -> Link:
        return Link(self.relative(record_anchor(action), self.page_url), action["title"])

    def due_moved(self) -> Markup:
        rows = [{"link": self.action_link(c.new), "before": _due(c.old), "now": _due(c.new), "note": _latest_note(c.new)}
                for c in self.changes.actions.due_moved]
        return render("what_changed_due_moved.html", rows=rows, earlier=self.earlier)

    def _status_moves(self, status: str) -> Markup:
        return _list(Item(self.action_link(c.new), f": {STATUS_LABELS.get(c.old_status, c.old_status)} → "
                          f"{STATUS_LABELS.get(c.new_status, c.new_status)}{_note_words(c.new)}")
                     for c in self.changes.actions.now(status))

    def actions_completed(self) -> Markup:
        return self._status_moves("complete")

    def actions_delayed(self) -> Markup:
        return self._status_moves("delayed")

    def actions_stopped(self) -> Markup:
        return self._status_moves("stopped")

    def actions_added(self) -> Markup:
        return _list(Item(self.action_link(a), f": {a['owner']}; {STATUS_LABELS.get(latest_status(a), latest_status(a))}"
                          f"{_note_words(a)}") for a in self.changes.actions.added)

    def evaluation_results(self) -> Markup:
        return _list(Item(Link(self.relative(f"evaluations/{r['id']}/", self.page_url), r["title"]),
                          f": {evaluation_pages.record_headline(r)}") for r in self.changes.evaluation_results)

    def _items(self, figures: list[FigureChange], words: Callable[[FigureChange], str]) -> list[Item]:
        return [Item(self.link(c.metric), words(c)) for c in figures]


def verdict_words(change: VerdictChange) -> str:
    """': Improvement → No significant change. Then: …. Now: …. Why: …'"""
    metric = change.metric
    old, new = _verdict_label(change.old), _verdict_label(change.new)
    return (f": {old} → {new}. In the earlier release: {_compared(change.old, change.old_latest, metric)}. "
            f"Now: {_compared(change.new, change.new_latest, metric)}. Why: {_why(change)}.")


def _verdict_label(comparison: Comparison | None) -> str:
    return VERDICT_LABELS[comparison.verdict] if comparison else "no comparison"


def _compared(comparison: Comparison | None, latest: Observation | None, metric: Record) -> str:
    if comparison is None or latest is None:
        return "there was no earlier figure to compare with"
    unit, period = metric["unit"], metric["period"]
    test = (verdicts.test_words(comparison) if comparison.test and comparison.p_value is not None
            else f"not tested, because {comparison.reason}")
    return (f"{format_value(latest.value, unit)} ({period_words(latest.end, period)}) with "
            f"{format_value(comparison.value, unit)} ({period_words(comparison.end, period)}), "
            f"{BASIS_LABELS[comparison.basis]}; {test}")


def _why(change: VerdictChange) -> str:
    old, new, was, now = change.old, change.new, change.old_latest, change.new_latest
    reasons = []
    if was is not None and now is not None and was.end != now.end:
        reasons.append("a newer figure is now the latest")
    if old is not None and new is not None and old.basis != new.basis:
        reasons.append(f"the comparison is now {BASIS_LABELS[new.basis]}, not {BASIS_LABELS[old.basis]}")
    elif old is not None and new is not None and old.end != new.end:
        reasons.append("the latest figure is compared with a different earlier figure")
    if change.method_changed:
        reasons.append("this release judges change in a new way: a count's test now allows for how much its series "
                       "varies by itself, a comparison with the previous period gets a verdict only when that variation "
                       "is known (it does not allow for the time of year), and a change is not called when the "
                       "measure's control chart shows the figure within its usual range")
    if not reasons:
        reasons.append("figures compared were revised")
    return "; ".join(reasons)


def _figure(observation: Record, metric: Record) -> str:
    value = None if observation.get("suppressed") else observation.get("value")
    text = format_value(value, metric["unit"])
    numerator, denominator = observation.get("numerator"), observation.get("denominator")
    if numerator is not None and denominator is not None:
        text += f" ({numerator:,} of {denominator:,})"
    return text


def _due(action: Record) -> str:
    due = action.get("due")
    return date_words(due) if isinstance(due, str) and due else "No due date"


def _latest_note(action: Record) -> str:
    progress = action.get("progress") or []
    last = progress[-1] if progress and isinstance(progress[-1], dict) else {}
    return str(last.get("note") or "")


def _note_words(action: Record) -> str:
    note = _latest_note(action)
    return f". {note}" if note else ""


def _status_words(observation: Record) -> str:
    status = observation.get("status", "final")
    return "" if status == "final" else f" ({status})"


def _list(items: Iterable[Item]) -> Markup:
    return render("what_changed_list.html", items=list(items))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _to_root(page_url: str) -> str:
    return "../" * page_url.count("/") or "./"


def releases_table(build: ReleaseBuild, page_url: str) -> Markup:
    """Every release this build knows of, newest first, for readers without the JavaScript version selector."""
    releases = [{"version": r.version, "title": r.title, "published": long_date(r.published),
                 "replaced": long_date(r.replaced) if r.replaced else "",
                 "board_meeting": long_date(r.board_meeting) if r.board_meeting else ""}
                for r in reversed(build.register)]
    return render("what_changed_releases.html", releases=releases, root=_to_root(page_url), latest=LATEST)
