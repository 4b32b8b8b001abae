"""Hostile and careless source files: each is reported at its file and line, in words, and never as a traceback.

Every payload is one row of HOSTILE: where it goes, what it is, a fragment of the message an editor
must see, and the line it must be reported at. A new case is one more row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from crimeportal.source.validate import check_portal

KNIFE = "data/metrics/knife-enabled-crime.yml"  # unit: count
REPEAT = "data/metrics/repeat-domestic-abuse-incidents.yml"  # unit: percent
RURAL = "content/strands/rural-crime.md"
HOME = "content/index.md"

Make = Callable[[Path, Path], None]  # (portal root, the file to make) -> None


# --------------------------------------------------------------------------- ways to make a payload


def text(content: str) -> Make:
    """The file holds exactly this text ("\\udcff" stands for the byte 0xff)."""
    return lambda root, path: _write(path, content)


def edited(source: str, *old_new: str) -> Make:
    """A copy of a real file with pieces of text replaced: old, new, old, new..."""
    def make(root: Path, path: Path) -> None:
        content = (root / source).read_text(encoding="utf-8")
        for old, new in zip(old_new[::2], old_new[1::2]):
            assert content.count(old) == 1, f"{old!r} should occur once in {source}"
            content = content.replace(old, new)
        _write(path, content)
    return make


def front_matter_only(source: str) -> Make:
    """The page cut after its closing '---', with no line break after it."""
    return lambda root, path: _write(path, (root / source).read_text(encoding="utf-8").split("\n---\n")[0] + "\n---")


def appended(source: str, extra: str) -> Make:
    return lambda root, path: _write(path, (root / source).read_text(encoding="utf-8") + extra)


def link(target: str) -> Make:
    """A symbolic link; `{outside}` in the target is a real file beside the portal, outside it."""
    def make(root: Path, path: Path) -> None:
        outside = root.parent / "outside.txt"
        outside.write_text("OUTSIDE-THE-REPOSITORY\n", encoding="utf-8")
        os.symlink(target.format(outside=outside, root=root), path)
    return make


def metric_as(new_id: str) -> Make:
    return edited(KNIFE, "id: knife-enabled-crime", f"id: {new_id}")


def strand_as(new_id: str) -> Make:
    return edited(RURAL, "id: rural-crime\n", f"id: {new_id}\n")


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8", "surrogateescape"))


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Hostile:
    file: str  # where the payload is made
    make: Make
    phrase: str  # part of the message the editor must see
    line: int | str  # the line it is reported at: a number, LAST, or text on that line (its first) of the file made
    note: bool = False  # reported as a note (the file is ignored), not as a problem


def case(name: str, file: str, make: Make, phrase: str, line: int | str, **more) -> object:
    return pytest.param(Hostile(file, make, phrase, line, **more), id=name)


LAST = -1
SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/metric.schema.json\n"
DEEP_FLOW = "[" * 5000 + "]" * 5000
DEEP_BLOCK = "".join(" " * depth + f"k{depth}:\n" for depth in range(1000))
MANY_VALUES = SCHEMA_LINE + "caveats:\n" + "- x\n" * 30_000  # value 20,001 is item 20,000, on line 20,002

HOSTILE = [
    # the repository is the boundary: no links, wherever they point
    case("link-to-environ", "data/metrics/x.yml", link("/proc/self/environ"), "is a symbolic link (to /proc/self/environ)", 1),
    case("link-outside-repo", "data/metrics/y.yml", link("{outside}"), "is a symbolic link", 1),
    case("link-inside-repo", "data/metrics/z.yml", link("{root}/" + KNIFE), "a link works on Linux but not for editors on Windows", 1),
    case("link-page", "content/secret.md", link("/etc/hostname"), "is a symbolic link (to /etc/hostname)", 1),
    case("link-dangling", "data/metrics/gone.yml", link("/nowhere/at/all.yml"), "is a symbolic link", 1),
    case("link-folder", "content/linked", link("/etc"), "is a symbolic link (to /etc)", 1),
    case("link-data-file", "data/extra.yml", link("{outside}"), "is a symbolic link", 1),
    case("link-override", "overrides/partials/leak.html", link("/etc/hostname"), "is a symbolic link", 1),
    case("link-schema", "schemas/extra.schema.json", link("{outside}"), "is a symbolic link", 1),
    # editors' leftovers: ignored, with a note
    case("emacs-lock", "data/metrics/.#knife-enabled-crime.yml", link("editor@host.4242:1700000000"), "lock, backup or swap file", 1, note=True),
    case("emacs-backup", "data/metrics/knife-enabled-crime.yml~", text("id: old\n"), "lock, backup or swap file", 1, note=True),
    case("vim-swap", "content/strands/.rural-crime.md.swp", text("\x00\x01binary"), "lock, backup or swap file", 1, note=True),
    case("office-owner", "content/~$board.docx", text("owner"), "lock, backup or swap file", 1, note=True),
    # files that would be skipped, or published unchecked, under the wrong name
    case("metric-yaml", "data/metrics/extra.yaml", metric_as("extra"), "rename it extra.yml", 1),
    case("metric-YML", "data/metrics/extra.YML", metric_as("extra"), "rename it extra.yml", 1),
    case("metric-json", "data/metrics/extra.json", text("{}"), "rename it extra.yml", 1),
    case("metric-csv", "data/metrics/extra.csv", text("end,value\n"), "otherwise move it out of data/metrics/", 1),
    case("metric-in-folder", "data/metrics/old/extra.yml", metric_as("extra"), "not in a folder inside it", 1),
    case("strand-markdown", "content/strands/extra.markdown", strand_as("extra"), "rename it extra.md", 1),
    case("strand-MD", "content/strands/extra.MD", strand_as("extra"), "rename it extra.md", 1),
    case("strand-txt", "content/strands/extra.txt", strand_as("extra"), "rename it extra.md", 1),
    case("strand-in-folder", "content/strands/old/extra.md", strand_as("extra"), "published without a strand's checks", 1),
    # the build's own markers
    case("block-marker", HOME, appended(HOME, "\n<!-- crimeportal:block measure:nope -->\n"), "the build's own markers", "crimeportal:block measure"),
    case("late-marker", RURAL, appended(RURAL, "\nText <!-- crimeportal:late chart:nope -->\n"), "the build's own markers", "crimeportal:late"),
    case("marker-odd-case", HOME, appended(HOME, "\n<!--CrimePortal:cards: -->\n"), "the build's own markers", "CrimePortal"),
    # ids and pages that land where the build writes its own
    case("metric-id-index", "data/metrics/index.yml", metric_as("index"), "'index' cannot be a metric's id", "id: index"),
    case("strand-id-index", "content/strands/index.md", strand_as("index"), "'index' cannot be a strand's id", "id: index"),
    case("page-data", "content/data.md", text("# Mine\n"), "would take the place of the site's data/ folder", 1),
    case("page-metrics", "content/metrics/extra.md", text("# Mine\n"), "the site's metrics/ folder", 1),
    case("page-metrics-index", "content/metrics.md", text("# Mine\n"), "the site's metrics/ folder", 1),
    case("page-what-changed", "content/what-changed.md", text("# Mine\n"), "the page what-changed/", 1),
    case("page-board-report", "content/board-report/index.md", text("# Mine\n"), "the page board-report/", 1),
    case("download-clash", "content/data/all-metrics.csv", text("a,b\n"), "the site's data/ folder", 1),
    # figures that are not finite, or beyond any bound for their unit
    case("rate-infinite", KNIFE, edited(KNIFE, "unit: count", "unit: rate", "value: 176", "value: 1.0e+400"), "reads as infinity", "1.0e+400"),
    case("count-hundreds-of-digits", KNIFE, edited(KNIFE, "value: 176", "value: " + "9" * 300), "300 characters long", "999"),
    case("count-thousands-of-digits", KNIFE, edited(KNIFE, "value: 176", "value: " + "9" * 5000), "5,000 characters long", "999"),
    case("count-beyond-bound", KNIFE, edited(KNIFE, "value: 176", "value: 17600000000000"), "beyond any crime figure", "17600000000000"),
    case("denominator-beyond-bound", REPEAT, edited(REPEAT, "    value: 46.28\n", "    value: 46.28\n    numerator: 4628\n    denominator: 10000000000000\n"), "beyond any crime figure", "denominator:"),
    case("rate-beyond-bound", KNIFE, edited(KNIFE, "unit: count", "unit: rate", "value: 176", "value: 2000000.5"), "beyond any crime figure", "2000000.5"),
    case("big-float-count", KNIFE, edited(KNIFE, "value: 176", "value: 1.0e+300"), "beyond any crime figure", "1.0e+300"),
    # text that shows nothing, or hides something
    case("title-only-spaces", KNIFE, edited(KNIFE, "title: Knife-enabled crime offences", 'title: "   "'), "only spaces", "title:"),
    case("title-zero-width", KNIFE, edited(KNIFE, "title: Knife-enabled crime offences", 'title: "\\u200b"'), "only spaces", "title:"),
    case("title-rlo", KNIFE, edited(KNIFE, "title: Knife-enabled crime", "title: Knife-enabled \u202ecrime"), "U+202E RIGHT-TO-LEFT OVERRIDE", "title:"),
    case("title-line-break", KNIFE, edited(KNIFE, "title: Knife-enabled crime offences", 'title: "Knife\\ncrime"'), "must be one line", "title:"),
    case("description-bell", KNIFE, edited(KNIFE, 'description: "The', 'description: "\\aThe'), "U+0007", "description:"),
    case("caveat-nul", REPEAT, edited(REPEAT, '  - "Figures are', '  - "\\0Figures are'), "U+0000 NULL", '"\\0Figures'),
    case("summary-isolate", RURAL, edited(RURAL, "summary: Rural crime", "summary: Rural \u2066crime"), "U+2066 LEFT-TO-RIGHT ISOLATE", "summary:"),
    case("plan-item-spaces", RURAL, edited(RURAL, "status: planned\n", 'status: planned\nplan:\n  prevent: ["  "]\n'), "only spaces", "prevent:"),
    case("page-body-rlo", HOME, appended(HOME, "\nSee \u202eti daer\n"), "U+202E RIGHT-TO-LEFT OVERRIDE", "ti daer"),
    case("page-body-nul", RURAL, appended(RURAL, "\nA\x00B\n"), "U+0000 NULL", "A\x00B"),
    case("page-body-escape", HOME, appended(HOME, "\nColour \x1b[31mred\n"), "U+001B ESCAPE", "[31mred"),
    case("page-lone-surrogate", HOME, appended(HOME, "\nHalf \udced\udca0\udc80 a character\n"), "not saved as UTF-8", "Half"),
    # front matter MkDocs would show as page text
    case("front-matter-ends-file", RURAL, front_matter_only(RURAL), "ends the file without a line break", LAST),
    case("front-matter-empty", RURAL, text("---\n---\nBody.\n"), "the front matter is empty", 2),
    # YAML that used to end in a traceback
    case("tag-int-twelve", RURAL, edited(RURAL, "order: 11", "order: !!int twelve"), "the YAML tag !!int is not allowed", "order:"),
    case("tag-bool-maybe", KNIFE, edited(KNIFE, "    value: 176\n", "    value: 176\n    suppressed: !!bool maybe\n"), "the YAML tag !!bool", "suppressed:"),
    case("tag-map-on-scalar", KNIFE, edited(KNIFE, "title: Knife", "title: !!map Knife"), "the YAML tag !!map", "title:"),
    case("tag-seq-on-scalar", KNIFE, edited(KNIFE, "unit: count", "unit: !!seq count"), "the YAML tag !!seq", "unit:"),
    case("tag-binary", KNIFE, edited(KNIFE, "title: Knife-enabled crime offences", "title: !!binary aGVsbG8="), "the YAML tag !!binary", "title:"),
    case("tag-timestamp", RURAL, edited(RURAL, 'updated: "2019-09-12"', "updated: !!timestamp x"), "the YAML tag !!timestamp", "updated:"),
    case("tag-python-object", KNIFE, edited(KNIFE, "title: Knife-enabled crime offences", "title: !!python/object:os.system x"), "the YAML tag !!python/object:os.system", "title:"),
    case("nested-100-deep", KNIFE, appended(KNIFE, "deep: " + "[" * 100 + "]" * 100 + "\n"), "nested more than 20 deep", "deep:"),
    case("nested-5000-deep", KNIFE, appended(KNIFE, f"deep: {DEEP_FLOW}\n"), "brackets are nested more than 1,000 deep", "deep:"),
    case("unclosed-20000-deep", KNIFE, appended(KNIFE, "deep: " + "[" * 20_000 + "\n"), "brackets are nested more than 1,000 deep", "deep:"),
    case("indented-1000-deep", KNIFE, appended(KNIFE, DEEP_BLOCK), "nested more than 20 deep", "k20:"),
    case("tabs-everywhere", "data/metrics/tabs.yml", text(SCHEMA_LINE + "\tx: 1\n" * 10_000), "so are 9,949 more lines", 52),
    case("thirty-thousand-values", "data/metrics/many.yml", text(MANY_VALUES), "more than 20,000 values", 20_002),
    case("nul-byte-in-metric", KNIFE, edited(KNIFE, "title: Knife", "title: Kni\x00fe"), "U+0000 NULL", "title:"),
    case("nul-byte-in-front-matter", RURAL, edited(RURAL, "title: Rural Crime", "title: Rural\x00 Crime"), "U+0000", "title:"),
    # YAML 1.1 numbers that other readers read differently
    case("hex", KNIFE, edited(KNIFE, "value: 176", "value: 0xB0"), "write the plain number, 176", "0xB0"),
    case("underscores", KNIFE, edited(KNIFE, "value: 176", "value: 1_76"), "write the plain number, 176", "1_76"),
    case("binary", KNIFE, edited(KNIFE, "value: 176", "value: 0b10110000"), "write the plain number, 176", "0b1"),
    case("float-underscores", REPEAT, edited(REPEAT, "value: 46.28", "value: 4_6.28"), "write the plain number, 46.28", "4_6.28"),
    case("octal-0o", RURAL, edited(RURAL, "order: 11", "order: 0o13"), "other YAML readers read as a number", "order:"),
    case("exponent-without-sign", KNIFE, edited(KNIFE, "value: 176", "value: 1.76e2"), "other YAML readers read as a number", "1.76e2"),
    case("exponent-lead-dot", REPEAT, edited(REPEAT, "value: 46.28", "value: .4628e2"), "other YAML readers read as a number", ".4628e2"),
]


# --------------------------------------------------------------------------- the test


@pytest.mark.parametrize("hostile", HOSTILE)
def test_each_hostile_file_is_reported_at_its_line_in_words(portal_copy, run_cli, hostile: Hostile):
    path = portal_copy / hostile.file
    path.parent.mkdir(parents=True, exist_ok=True)
    hostile.make(portal_copy, path)
    line = _line_of(path, hostile.line)

    check = check_portal(portal_copy)
    reported = check.notes if hostile.note else check.problems
    mine = [p for p in reported if p.file == hostile.file and hostile.phrase in p.message]
    assert [p.line for p in mine] == [line], "\n".join(p.as_text() for p in check.problems + check.notes)
    if hostile.note:
        assert check.problems == [], "\n".join(p.as_text() for p in check.problems)

    result = run_cli(portal_copy)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.code == (0 if hostile.note else 1), result.stdout + result.stderr
    assert "OUTSIDE-THE-REPOSITORY" not in result.stdout + result.stderr


def _line_of(path: Path, needle: int | str) -> int:
    if needle == LAST:
        return len(path.read_bytes().split(b"\n"))
    if isinstance(needle, int):
        return needle
    lines = path.read_bytes().decode("utf-8", "surrogateescape").split("\n")
    numbers = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert numbers, f"{needle!r} is on no line of {path.name}"
    return numbers[0]


def test_front_matter_is_found_exactly_as_mkdocs_finds_it():
    from mkdocs.utils import meta

    from crimeportal.source.load import MKDOCS_FRONT_MATTER

    assert MKDOCS_FRONT_MATTER.pattern == meta.YAML_RE.pattern and MKDOCS_FRONT_MATTER.flags == meta.YAML_RE.flags


def test_notes_come_back_beside_the_problems_and_the_old_shape_stays(portal_copy):
    from crimeportal.source.validate import load_portal

    (portal_copy / "data/metrics/knife-enabled-crime.yml~").write_text("id: old\n", encoding="utf-8")
    check = check_portal(portal_copy)
    assert check.problems == [] and [note.file for note in check.notes] == ["data/metrics/knife-enabled-crime.yml~"]
    portal, problems = load_portal(portal_copy)
    assert problems == [] and portal.metric("knife-enabled-crime") is not None


def test_the_site_is_told_which_content_files_to_leave_out(portal_copy):
    from crimeportal.source.files import left_out_of_site, scan_sources

    os.symlink("/etc/hostname", portal_copy / "content/secret.md")
    (portal_copy / "content/about/editing.md~").write_text("old", encoding="utf-8")
    assert left_out_of_site(portal_copy, scan_sources(portal_copy)) == {"secret.md", "about/editing.md~"}


def test_editors_leftovers_are_noted_not_failed_and_never_published(portal_copy: Path):
    import subprocess
    import sys

    crimeportal = Path(sys.executable).parent / "crimeportal"
    (portal_copy / "content" / "about" / "index.md~").write_text("backup", encoding="utf-8")
    (portal_copy / "content" / "strands" / ".#domestic-abuse.md").write_text("lock", encoding="utf-8")
    checked = subprocess.run([str(crimeportal), "--root", str(portal_copy), "validate"], capture_output=True, text=True)
    assert checked.returncode == 0
    assert "note: content/about/index.md~:1:1: ignored:" in checked.stderr
    github = subprocess.run([str(crimeportal), "--root", str(portal_copy), "validate", "--format", "github"],
                            capture_output=True, text=True)
    assert "::notice file=content/about/index.md~,line=1,col=1::" in github.stdout
    built = subprocess.run([str(crimeportal), "--root", str(portal_copy), "build"], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert not [p for p in (portal_copy / "site").rglob("*") if p.name.endswith("~") or p.name.startswith(".#")]
