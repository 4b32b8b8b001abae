"""Tests for crimeportal.validate: every rule and every YAML trap is reported with its file, line and field.

Each broken example starts from a copy of a real file, changes one thing by plain
string replacement, and works out the line the problem must point at from the
text it wrote, so the tests never guess a line number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from crimeportal.core.problems import Problem
from crimeportal.source.validate import load_portal

pytestmark = pytest.mark.editor  # runs on Windows too (pytest -m editor)

KNIFE = "data/metrics/knife-enabled-crime.yml"  # unit: count, two observations
REPEAT = "data/metrics/repeat-domestic-abuse-incidents.yml"  # unit: percent
RURAL = "content/strands/rural-crime.md"  # a strand page no metric belongs to
BUSINESS = "content/strands/business-crime.md"
HOME = "content/index.md"

APPEND = object()  # edit marker: add the new text at the end of the file
WHOLE = object()  # edit marker: the new text replaces the whole file

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/metric.schema.json\n"


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Broken:
    """One mistake: how to make it, and where and how it must be reported."""

    file: str
    edits: tuple[tuple[object, str], ...]
    line_text: str | None  # text on the line the problem points at; None: line 1 of a file with no lines
    field: str
    phrase: str  # part of the message an editor must see
    column_text: str | None = None  # the problem's column is where this text starts on its line
    nth: int | None = None  # which of several lines holding line_text (None: it must be unique)


def case(name: str, file: str, old: object, new: str, line_text: str | None, field: str, phrase: str, **more) -> object:
    return pytest.param(Broken(file, ((old, new),), line_text, field, phrase, **more), id=name)


def apply(root: Path, file: str, edits: tuple[tuple[object, str], ...]) -> str:
    """Make the edits to a copied file; return its new text (invalid bytes as surrogates)."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        if old is WHOLE:
            text = new
        elif old is APPEND:
            text = text + new
        else:
            assert isinstance(old, str) and text.count(old) == 1, f"{old!r} should occur exactly once in {file}"
            text = text.replace(old, new)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))  # "\udcff" becomes the byte 0xff
    return text


def line_of(text: str, needle: str, nth: int | None = None) -> int:
    """The 1-based number of the line holding `needle` (the nth such line, or the only one)."""
    numbers = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    if nth is None:
        assert len(numbers) == 1, f"{needle!r} is on lines {numbers}; expected exactly one"
        return numbers[0]
    return numbers[nth - 1]


def column_of(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


def shown(problems: list[Problem]) -> str:
    return "\n".join(problem.as_text() for problem in problems) or "(no problems)"


def fingerprint(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --------------------------------------------------------------------------- the real data


def test_the_real_portal_has_no_problems(portal_copy):
    portal, problems = load_portal(portal_copy)
    assert problems == [], shown(problems)
    assert {m.id for m in portal.metrics} >= {"knife-enabled-crime", "repeat-domestic-abuse-incidents"}
    assert {s.id for s in portal.strands} >= {"rural-crime", "business-crime", "gangs-and-knife-crime"}


def test_every_real_file_is_read(portal_copy):
    portal, _ = load_portal(portal_copy)
    metric_files = sorted(p.stem for p in (portal_copy / "data/metrics").glob("*.yml"))
    strand_files = sorted(p.stem for p in (portal_copy / "content/strands").glob("*.md"))
    assert sorted(m.id for m in portal.metrics) == metric_files
    assert sorted(s.id for s in portal.strands) == strand_files


# --------------------------------------------------------------------------- one mistake at a time

BROKEN = [
    # enums
    case("unit-enum", KNIFE, "unit: count", "unit: percentage", "unit: percentage", "unit",
         "must be one of count, percent, rate; found 'percentage'", column_text="percentage"),
    case("polarity-enum", KNIFE, "polarity: lower-is-better", "polarity: lower", "polarity: lower", "polarity",
         "must be one of higher-is-better, lower-is-better, neutral; found 'lower'", column_text="lower"),
    case("period-enum", KNIFE, "period: rolling-3-months", "period: quarterly", "period: quarterly", "period",
         "must be one of month, quarter, rolling-3-months, financial-year, year; found 'quarterly'",
         column_text="quarterly"),
    case("observation-status-enum", KNIFE, "    value: 176\n", "    value: 176\n    status: draft\n", "status: draft",
         "status in the figure for the 3 months to July 2019", "must be one of provisional, final, revised; found 'draft'", column_text="draft"),
    case("strand-status-enum", RURAL, "status: planned", "status: dormant", "status: dormant", "status",
         "must be one of active, planned; found 'dormant'", column_text="dormant"),
    # unknown fields
    case("unknown-field-titel", KNIFE, "title: Knife", "titel: Knife", "titel: Knife", "titel",
         "is not a field this file can have; did you mean 'title'?", column_text="titel"),
    case("unknown-observation-field", KNIFE, "    value: 169\n", "    value: 169\n    notes: rounded\n", "notes: rounded",
         "notes in the figure for the 3 months to July 2018", "did you mean 'note'?", column_text="notes"),
    case("unknown-strand-field", RURAL, "summary:", "sumary:", "sumary:", "sumary",
         "did you mean 'summary'?", column_text="sumary"),
    case("unknown-field-no-close-match", KNIFE, "order: 1\n", "order: 1\nzzz: 1\n", "zzz: 1", "zzz",
         "the fields allowed are id, title, strand"),
    # missing required fields: a figure's at the figure's first line, a file's above the field that follows it
    case("missing-source", KNIFE, 'source: "Essex Police, Crime Prevention Strategy board update, 12 September 2019"\n', "",
         "caveats:", "source", "is missing: this field is required; add a line 'source: ...' above this one",
         column_text="caveats"),
    case("missing-observation-value", KNIFE, "    value: 169\n", "", "end: 2018-07", "value in the figure for the 3 months to July 2018",
         "is missing", column_text="end"),
    case("missing-strand-updated", RURAL, 'updated: "2019-09-12"\n', "", "status: planned", "updated", "is missing: this field is required; add a line 'updated: ...' after this field"),
    # wrong types
    case("order-not-a-number", RURAL, "order: 11", "order: eleventh", "order: eleventh", "order",
         "must be a whole number; found 'eleventh'", column_text="eleventh"),
    case("value-quoted", KNIFE, "value: 176", 'value: "176"', 'value: "176"', "value in the figure for the 3 months to July 2019",
         "must be a number or empty (null); found '176'"),
    case("observations-not-a-list", KNIFE, "observations:\n", "observations: 3\nold_observations:\n",
         "observations: 3", "observations", "must be a list; found 3"),
    # the file name
    case("metric-id-not-stem", KNIFE, "id: knife-enabled-crime", "id: knife-crime", "id: knife-crime", "id",
         "must be the same as the file name, 'knife-enabled-crime'; found 'knife-crime'", column_text="knife-crime"),
    case("strand-id-not-stem", RURAL, "id: rural-crime", "id: rural", "id: rural", "id",
         "must be the same as the file name, 'rural-crime'"),
    # across files
    case("unknown-strand", KNIFE, "strand: gangs-and-knife-crime", "strand: gangs", "strand: gangs", "strand",
         "there is no strand page content/strands/gangs.md", column_text="gangs"),
    case("duplicate-strand-order", RURAL, "order: 11", "order: 10", "order: 10", "order",
         f"strand order 10 is already used by {BUSINESS}", column_text="10"),
    # observations
    case("observations-out-of-order", KNIFE, "end: 2018-07", "end: 2019-08", "end: 2019-07", "end in the figure for the 3 months to July 2019",
         "2019-07 must come after 2019-08", column_text="2019-07"),
    case("observation-end-repeated", KNIFE, "end: 2018-07", "end: 2019-07", "end: 2019-07", "end in the figure for the 3 months to July 2019 (the 2nd figure in the file)",
         "2019-07 appears twice", nth=2, column_text="2019-07"),
    case("end-month-13", KNIFE, "end: 2019-07", "end: 2019-13", "end: 2019-13", "end in the 2nd figure",
         "must be a month written YYYY-MM", column_text="2019-13"),
    case("end-with-day", KNIFE, "end: 2019-07", "end: 2019-07-31", "end: 2019-07-31", "end in the 2nd figure",
         "must be a month written YYYY-MM"),
    # values in range for the unit
    case("percent-120", REPEAT, "value: 46.28", "value: 120", "value: 120", "value in the figure for the 3 months to July 2019",
         "a percent must be between 0 and 100; found 120", column_text="120"),
    case("percent-negative", REPEAT, "value: 46.43", "value: -0.5", "value: -0.5", "value in the figure for the 3 months to July 2018",
         "a percent must be between 0 and 100"),
    case("count-fraction", KNIFE, "value: 176", "value: 12.5", "value: 12.5", "value in the figure for the 3 months to July 2019",
         "a count must be a whole number, 0 or more; found 12.5", column_text="12.5"),
    case("count-negative", KNIFE, "value: 176", "value: -3", "value: -3", "value in the figure for the 3 months to July 2019",
         "a count must be a whole number, 0 or more; found -3", column_text="-3"),
    pytest.param(Broken(KNIFE, (("unit: count", "unit: rate"), ("value: 176", "value: -1")), "value: -1",
                        "value in the figure for the 3 months to July 2019", "a rate cannot be negative; found -1", column_text="-1"),
                 id="rate-negative"),
    case("numerator-above-denominator", REPEAT, "    value: 46.28\n",
         "    value: 46.28\n    numerator: 50\n    denominator: 40\n", "numerator: 50", "numerator in the figure for the 3 months to July 2019",
         "50 is larger than the denominator 40", column_text="50"),
    # suppression
    case("suppressed-with-value", KNIFE, "    value: 176\n", "    value: 176\n    suppressed: true\n", "suppressed: true",
         "suppressed in the figure for the 3 months to July 2019", "a withheld figure must have 'value: null'", column_text="true"),
    case("null-without-suppressed", KNIFE, "value: 176", "value: null", "value: null", "value in the figure for the 3 months to July 2019",
         "add 'suppressed: true'", column_text="null"),
    case("null-with-suppressed-false", KNIFE, "    value: 176\n", "    value: null\n    suppressed: false\n",
         "value: null", "value in the figure for the 3 months to July 2019", "add 'suppressed: true'"),
    # dates
    case("updated-day-month-year", RURAL, 'updated: "2019-09-12"', "updated: 12/09/2019", "updated: 12/09/2019",
         "updated", "must be a date written YYYY-MM-DD, such as 2019-09-12; found '12/09/2019'",
         column_text="12/09/2019"),
    # YAML traps
    case("duplicate-key-strand", RURAL, "title: Rural Crime\n", "title: Rural Crime\ntitle: Rural crime\n",
         "title: Rural crime", "title", "appears twice", column_text="title"),
    case("anchor", KNIFE, "    value: 169", "    value: &first 169", "&first", "",
         "an anchor (&first) is not allowed: write the value out in full", column_text="&first"),
    pytest.param(Broken(KNIFE, (("    value: 169", "    value: &first 169"), ("    value: 176", "    value: *first")),
                        "*first", "", "an alias (*first) is not allowed", column_text="*first"),
                 id="alias"),
    case("tab-indent-metric", KNIFE, "    value: 176", "\tvalue: 176", "\tvalue: 176", "",
         "indented with a tab; YAML needs spaces", column_text="\t"),
    case("tab-indent-strand", RURAL, "summary: ", "summary:\n\t", "\tRural crime has", "",
         "indented with a tab", column_text="\t"),
    case("title-no-metric", KNIFE, "title: Knife-enabled crime offences", "title: no", "title: no", "title",
         'found no, which YAML reads as false: put it in quotes, "no"', column_text="no"),
    case("title-no-strand", RURAL, "title: Rural Crime", "title: no", "title: no", "title",
         'put it in quotes, "no"', column_text="no"),
    case("source-off", KNIFE, 'source: "Essex Police, Crime Prevention Strategy board update, 12 September 2019"',
         "source: off", "source: off", "source", 'found off, which YAML reads as false: put it in quotes, "off"',
         column_text="off"),
    case("value-yes", KNIFE, "value: 176", "value: yes", "value: yes", "value in the figure for the 3 months to July 2019",
         'put it in quotes, "yes"'),
    case("value-nan", KNIFE, "value: 176", "value: .nan", "value: .nan", "value in the figure for the 3 months to July 2019",
         ".nan is not a number that can be published", column_text=".nan"),
    case("value-inf", KNIFE, "value: 176", "value: .inf", "value: .inf", "value in the figure for the 3 months to July 2019",
         ".inf is not a number that can be published", column_text=".inf"),
    case("value-minus-inf", REPEAT, "value: 46.28", "value: -.Inf", "value: -.Inf", "value in the figure for the 3 months to July 2019",
         "-.Inf is not a number that can be published"),
    case("value-octal", KNIFE, "value: 176", "value: 0176", "value: 0176", "value in the figure for the 3 months to July 2019",
         "YAML reads 0176 as 126"),
    case("value-base-60", KNIFE, "value: 176", "value: 2:56", "value: 2:56", "value in the figure for the 3 months to July 2019",
         "YAML reads 2:56 as 176"),
    case("not-utf-8-metric", KNIFE, "title: Knife-enabled", "title: Knife\udcff-enabled", "Knife\udcff", "",
         "not saved as UTF-8", column_text="\udcff"),
    case("not-utf-8-strand", RURAL, "summary: Rural crime", "summary: Rural\udcff crime", "Rural\udcff", "",
         "the character here is probably ÿ, saved the Windows way (byte 0xff)", column_text="\udcff"),
    case("empty-metric", KNIFE, WHOLE, "", None, "", "the file is empty"),
    case("metric-of-only-comments", KNIFE, WHOLE, SCHEMA_LINE + "# nothing yet\n", SCHEMA_LINE.strip(), "",
         "the file is empty"),
    case("unclosed-quote", KNIFE, "title: Knife-enabled crime offences", 'title: "Knife-enabled crime offences',
         'title: "Knife', "", "the quoted text that starts here runs on to line 5: is a closing quote missing?",
         column_text='"Knife'),
    case("unclosed-quote-at-end-of-front-matter", RURAL, 'updated: "2019-09-12"', 'updated: "2019-09-12',
         'updated: "2019', "", "the quoted text that starts here is never closed: add the closing quote at the end "
         "of the text", column_text='"2019'),
    case("bad-indentation", KNIFE, "polarity: lower-is-better", "  polarity: lower-is-better", "  polarity:", "",
         "this line is indented further than the field above it, which already has its value: line it up with the "
         "field above, using spaces"),
    case("missing-colon", KNIFE, "unit: count", "unit count", "unit count", "", "this line has no colon: each line must be a field, 'name: value', or a list item "
         "starting '- '; if it continues the text above, put the whole text in quotes",
         column_text="unit"),
    case("unclosed-bracket", KNIFE, "order: 1\n", "order: [1\n", "order: [1", "", "a bracket opened here is not closed: close it, or if the bracket "
         "is part of the text, put the whole text in quotes",
         column_text="["),
    # strand pages
    case("strand-without-front-matter", RURAL, "---\n# yaml-language-server", "# yaml-language-server",
         "# yaml-language-server", "", "the page must start with front matter"),
    case("strand-front-matter-not-closed", RURAL, "---\n\nRural crime is", "\nRural crime is", "---", "",
         "the front matter has no closing '---' line", nth=1),
    case("strand-front-matter-is-a-list", RURAL, WHOLE, "---\n- rural-crime\n---\n\nRural crime.\n", "- rural-crime", "",
         "must be a set of 'field: value' lines", column_text="-"),
    # metric markers in content pages
    case("unknown-metric-marker-home", HOME, APPEND, "\n\n<!-- metric: nope -->\n", "<!-- metric: nope -->",
         "metric marker", "there is no metric with id 'nope'", column_text="<!--"),
    case("unknown-metric-marker-strand", RURAL, APPEND, "\nFigures: <!-- metric: knife-crime -->\n",
         "<!-- metric: knife-crime -->", "metric marker", "there is no metric with id 'knife-crime'",
         column_text="<!--"),
    case("updated-not-in-the-calendar", RURAL, 'updated: "2019-09-12"', 'updated: "2019-02-30"', "updated:", "updated",
         "2019-02-30 is not a date in the calendar"),
    case("status-yes-no-word", RURAL, "status: planned", "status: on", "status: on", "status",
         "(YAML reads the word on as true)"),
]


def test_a_broken_strand_page_does_not_blame_its_metrics(portal_copy):
    apply(portal_copy, "content/strands/gangs-and-knife-crime.md", (("order: 2", "order: two"),))
    problems = load_portal(portal_copy)[1]
    assert [p.file for p in problems] == ["content/strands/gangs-and-knife-crime.md"]


@pytest.mark.parametrize("broken", BROKEN)
def test_each_mistake_is_reported_where_it_was_made(portal_copy, broken: Broken):
    text = apply(portal_copy, broken.file, broken.edits)
    line = 1 if broken.line_text is None else line_of(text, broken.line_text, broken.nth)

    _, problems = load_portal(portal_copy)

    expected = f"{broken.file}:{line}: {broken.field}: ...{broken.phrase}..."
    assert {p.file for p in problems} == {broken.file}, f"expected only {broken.file}:\n{shown(problems)}"
    found = [p for p in problems if p.line == line and p.field == broken.field and broken.phrase in p.message]
    assert found, f"expected {expected}\ngot:\n{shown(problems)}"
    if broken.column_text is not None:
        assert found[0].column == column_of(text, line, broken.column_text), shown(found)
    for problem in problems:
        assert "\n" not in problem.as_text(), "a message must be one line"
        assert problem.line >= 1 and problem.column >= 1


def test_a_duplicate_key_names_the_line_of_the_first(portal_copy):
    text = apply(portal_copy, KNIFE, (("unit: count\n", "unit: count\nunit: percent\n"),))
    _, problems = load_portal(portal_copy)
    first, second = line_of(text, "unit: count"), line_of(text, "unit: percent")
    assert [(p.file, p.line, p.column, p.field) for p in problems] == [(KNIFE, second, 1, "unit")], shown(problems)
    assert f"appears twice (first on line {first})" in problems[0].message


def test_an_unclosed_quote_says_how_far_it_ran(portal_copy):
    text = apply(portal_copy, KNIFE, (("title: Knife-enabled crime offences", 'title: "Knife-enabled crime offences'),))
    _, problems = load_portal(portal_copy)
    assert len(problems) == 1, shown(problems)
    # the quote swallows lines up to the next quote character, which is in the description
    assert f"runs on to line {line_of(text, 'description: ')}" in problems[0].message


def test_an_alias_and_its_anchor_are_both_reported(portal_copy):
    text = apply(portal_copy, KNIFE, (("    value: 169", "    value: &first 169"), ("    value: 176", "    value: *first")))
    _, problems = load_portal(portal_copy)
    assert [(p.line, p.message.split(" is ")[0]) for p in problems] == [
        (line_of(text, "&first"), "an anchor (&first)"),
        (line_of(text, "*first"), "an alias (*first)"),
    ]


def test_every_tab_indented_line_is_reported(portal_copy):
    text = apply(portal_copy, KNIFE, (("  - end: 2018-07\n    value: 169", "  - end: 2018-07\n\tvalue: 169"),
                                      ("  - end: 2019-07\n    value: 176", "  - end: 2019-07\n \tvalue: 176")))
    _, problems = load_portal(portal_copy)
    assert [(p.line, p.column) for p in problems] == [(line_of(text, "\tvalue: 169"), 1), (line_of(text, "\tvalue: 176"), 2)]


# --------------------------------------------------------------------------- things that are not mistakes

VALID = [
    pytest.param(RURAL, 'updated: "2019-09-12"', "updated: 2019-09-12", id="updated-without-quotes"),
    pytest.param(RURAL, 'updated: "2019-09-12"', "updated: '2019-09-12'", id="updated-single-quotes"),
    pytest.param(RURAL, "title: Rural Crime", 'title: "no"', id="title-quoted-no"),
    pytest.param(KNIFE, "end: 2019-07", 'end: "2019-07"', id="end-quoted"),
    pytest.param(KNIFE, "    value: 176\n", "    value: null\n    suppressed: true\n", id="suppressed-null"),
    pytest.param(KNIFE, "    value: 176\n", "    value: 176\n    suppressed: false\n", id="not-suppressed"),
    pytest.param(KNIFE, "    value: 176\n", "    value: 176\n    status: provisional\n    note: Subject to audit.\n",
                 id="status-and-note"),
    pytest.param(KNIFE, "    value: 176\n", "    value: 0\n", id="count-zero"),
    pytest.param(KNIFE, "order: 1\n", "", id="order-is-optional"),
    pytest.param(REPEAT, "value: 46.28", "value: 100", id="percent-100"),
    pytest.param(REPEAT, "    value: 46.28\n", "    value: 46.28\n    numerator: 40\n    denominator: 40\n",
                 id="numerator-equal-to-denominator"),
    pytest.param(HOME, "## The strands", "## The strands\n\n<!-- metric: knife-enabled-crime -->",
                 id="marker-naming-a-real-metric"),
]


@pytest.mark.parametrize(("file", "old", "new"), VALID)
def test_correct_variations_are_accepted(portal_copy, file, old, new):
    apply(portal_copy, file, ((old, new),))
    _, problems = load_portal(portal_copy)
    assert problems == [], shown(problems)


def test_an_unquoted_date_stays_text(portal_copy):
    apply(portal_copy, RURAL, (('updated: "2019-09-12"', "updated: 2019-09-12"),))
    portal, _ = load_portal(portal_copy)
    assert portal.strand("rural-crime").updated == "2019-09-12"


# --------------------------------------------------------------------------- all problems, in order


def test_several_problems_in_several_files_come_back_together_in_order(portal_copy):
    knife = apply(portal_copy, KNIFE, (("unit: count", "unit: percentage"), ("value: 176", "value: -3")))
    repeat = apply(portal_copy, REPEAT, (("value: 46.28", "value: 120"),))
    rural = apply(portal_copy, RURAL, (("title: Rural Crime", "title: no"),))
    home = apply(portal_copy, HOME, ((APPEND, "\n<!-- metric: nope -->\n"),))

    _, problems = load_portal(portal_copy)

    # the unit error stops the range check in the same file, so -3 is not judged against an unknown unit
    assert [(p.file, p.line, p.field) for p in problems] == [
        (HOME, line_of(home, "<!-- metric: nope -->"), "metric marker"),
        (RURAL, line_of(rural, "title: no"), "title"),
        (KNIFE, line_of(knife, "unit: percentage"), "unit"),
        (REPEAT, line_of(repeat, "value: 120"), "value in the figure for the 3 months to July 2019"),
    ], shown(problems)
    assert problems == sorted(problems, key=lambda p: (p.file, p.line, p.column))


def test_several_problems_in_one_file_are_all_reported_by_line(portal_copy):
    knife = apply(portal_copy, KNIFE, (("value: 169", "value: 12.5"), ("end: 2018-07", "end: 2019-07"),
                                       ("    value: 176\n", "    value: null\n")))
    _, problems = load_portal(portal_copy)
    assert [(p.line, p.field) for p in problems] == [
        (line_of(knife, "value: 12.5"), "value in the figure for the 3 months to July 2019 (the 1st figure in the file)"),
        (line_of(knife, "end: 2019-07", nth=2), "end in the figure for the 3 months to July 2019 (the 2nd figure in the file)"),
        (line_of(knife, "value: null"), "value in the figure for the 3 months to July 2019 (the 2nd figure in the file)"),
    ], shown(problems)


def test_schema_problems_in_one_file_are_all_reported(portal_copy):
    knife = apply(portal_copy, KNIFE, (("unit: count", "unit: percentage"), ("title: Knife-enabled crime offences", "title: no"),
                                       ("order: 1", "order: 0"), ("end: 2019-07", "end: 2019-7")))
    _, problems = load_portal(portal_copy)
    assert [(p.line, p.field) for p in problems] == [
        (line_of(knife, "title: no"), "title"),
        (line_of(knife, "unit: percentage"), "unit"),
        (line_of(knife, "order: 0"), "order"),
        (line_of(knife, "end: 2019-7"), "end in the 2nd figure"),
    ], shown(problems)


def test_problems_are_not_repeated(portal_copy):
    apply(portal_copy, RURAL, (("order: 11", "order: 10"),))
    _, problems = load_portal(portal_copy)
    assert len(problems) == len(set(problems)) == 1, shown(problems)


# --------------------------------------------------------------------------- validation only reads


def test_validation_never_changes_a_file(portal_copy):
    apply(portal_copy, KNIFE, (("title: Knife-enabled crime offences", "title: no"), ("value: 176", "value: .nan")))
    apply(portal_copy, RURAL, (('updated: "2019-09-12"', "updated: 2019-09-12"),))
    apply(portal_copy, REPEAT, (("caveats:\n", "caveats:\n\t"),))
    before = fingerprint(portal_copy)

    _, problems = load_portal(portal_copy)

    assert problems, "the broken files should have been reported"
    assert fingerprint(portal_copy) == before


def test_validating_clean_data_changes_nothing(portal_copy):
    before = fingerprint(portal_copy)
    load_portal(portal_copy)
    assert fingerprint(portal_copy) == before
