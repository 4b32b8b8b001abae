"""The release register, data/releases.yml: every published release, oldest first, as editors keep it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..core.conventions import REGISTER, RELEASES_SCHEMA, SCHEMA_LINE_RELEASES
from ..core.formats import long_date, month_name
from ..core.problems import Problem
from ..source.load import Document, parse_yaml, read_text
from ..source.rules import text_problem
from ..source.validate import Schemas, schema_problems

# what "the documented form" of each field is, in words an editor can follow
FORM_WORDS = {
    "version": "a release id written YYYY-MM, such as 2019-09 (YYYY-MM-DD for a second release in one month)",
    "published": "a date written YYYY-MM-DD, such as 2019-09-20",
    "board_meeting": "a date written YYYY-MM-DD, such as 2019-09-12",
    "replaced": "a date written YYYY-MM-DD, such as 2019-09-27",
}


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
    problems = [_worded(p) for p in schema_problems(document, Schemas(root), RELEASES_SCHEMA, shown)]
    if problems:
        return Register([], problems, source.text, document)
    problems = _title_problems(document, shown) + _date_problems(document, shown)
    if problems:  # a title reaches the version selector and feed.xml, where one control character breaks the XML
        return Register([], problems, source.text, document)
    releases = [Release(**entry) for entry in document.data["releases"]]
    return Register(releases, _order_problems(releases, document, shown), source.text, document)


def _title_problems(document: Document, shown: str) -> list[Problem]:
    """Each release's title held to the one rule for text readers see (source/rules.py)."""
    found = [(index, text_problem("title", entry["title"])) for index, entry in enumerate(document.data["releases"])]
    return [Problem(shown, *document.locate(("releases", index, "title")), f"releases[{index}].title", message)
            for index, message in found if message]


def _date_problems(document: Document, shown: str) -> list[Problem]:
    """The schema holds a date to its form; the calendar is checked here: 2024-02-30 is not a day."""
    found = []
    for index, entry in enumerate(document.data["releases"]):
        for name in ("published", "board_meeting", "replaced"):
            try:
                if name in entry:
                    date.fromisoformat(entry[name])
            except ValueError:
                found.append(Problem(shown, *document.locate(("releases", index, name)), f"releases[{index}].{name}",
                                     f"{entry[name]} is not a date in the calendar"))
    return found


def _worded(problem: Problem) -> Problem:
    name = problem.field.rsplit(".", 1)[-1]
    if name in FORM_WORDS and "in the documented form" in problem.message:
        return replace(problem, message=problem.message.replace("in the documented form", FORM_WORDS[name]))
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
        return f"{SCHEMA_LINE_RELEASES}\n# Every published release of the portal, oldest first.\nreleases:\n{_entry_text(entry)}"
    lines = text.splitlines(keepends=True)
    if not register.releases:
        key_line = document.key_at[("releases",)][0]
        return "".join(lines[: key_line - 1]) + "releases:\n" + _entry_text(entry)
    if replacing:
        last_line = document.locate(("releases", len(register.releases) - 1))[0]
        return "".join(lines[: last_line - 1]) + _entry_text(entry)
    return text + ("" if text.endswith("\n") else "\n") + _entry_text(entry)


def layout_problems(text: str, register: Register, entry: Release, replacing: bool) -> list[str]:
    """Whether `text` reads back as the register with `entry` in place; the editors' layout may defeat register_text."""
    document, problems = parse_yaml(text, REGISTER.as_posix())
    expected = register.releases[:-1] + [entry] if replacing else register.releases + [entry]
    found = [Release(**e) for e in document.data.get("releases", [])] if document and not problems else None
    if found == expected:
        return []
    return [f"{REGISTER.as_posix()} is laid out in a way publishing cannot add to; keep it as a "
            "'releases:' list of entries, each starting '  - version:', and try again."]
