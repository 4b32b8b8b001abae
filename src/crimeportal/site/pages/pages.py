"""The markdown MkDocs sees for the pages the portal writes itself, and for the strand pages it completes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.structure.pages import get_markdown_title
from mkdocs.utils.meta import get_data

from . import board_report, delivery_page, engine_pages, evaluation_pages, summaries
from ..publishing import plan_data
from ..blocks import KINDS, LATE, marker
from ..escaping import markdown_text, title_text
from ...core.conventions import (ACTIONS_CSV, ACTIONS_CSV_COLUMNS, ACTIONS_JSON, ACTIONS_TEMPLATE, PROGRESS_CSV_COLUMNS,
                                 PROGRESS_TEMPLATE, AREAS_INDEX_PAGE, CHANGES_PAGE, DATA_PAGE, DELIVERY_PLAN_PAGE,
                                 MEASURES_INDEX_PAGE, METRIC_MARKER, METRIC_PAGES)
from ...core.model import Portal, Strand

MEASURES_INDEX = MEASURES_INDEX_PAGE
CARDS_MARKER = "<!-- crimeportal:strand-cards -->"  # written by hand in content/index.md
# markers an editor may write by hand in a page, and the block each becomes
HAND_MARKERS = {CARDS_MARKER: "cards", "<!-- crimeportal:citation -->": "site-citation",
                "<!-- crimeportal:licence -->": "licence", "<!-- crimeportal:contact -->": "contact"}
GLOSSARY = "about/glossary.md"
# `*[CSE]: words` in the glossary: Markdown's abbr extension marks every use of CSE with <abbr title="words">
_ABBREVIATION = re.compile(r"^\*\[[^\]\n]+\]:[^\n]+$", re.MULTILINE)
_METRIC_SECTIONS = (("Chart and table", "figures"), ("By district", "districts"), ("About this measure", "about"),
                    ("Download the data", "downloads"), ("Cite this", "cite"))
# A section whose block is filled after search has indexed the page would be an empty search result, one per
# measure page, with the same title on every one ("Cite this"): attr_list marks its heading for search to skip.
_UNSEARCHED = " { data-search-exclude }"


def navigation(portal: Portal, docs: Path) -> list:
    # the theme prints navigation titles as they are
    strands = [{title_text(board_report.heading(s)): f"strands/{s.id}.md"} for s in portal.strands]
    sources = engine_pages.about_sources(docs)  # the portal's own About pages and the engine's it lacks
    paths = sorted(sources)
    paths.sort(key=lambda path: path != "about/index.md")
    about = [_titled(path, sources[path]) for path in paths]
    return [{"Home": "index.md"}, {"Strands": strands}, {"Measures": MEASURES_INDEX},
            {"Delivery plan": DELIVERY_PLAN_PAGE},
            *([{evaluation_pages.TITLE: evaluation_pages.PAGE}] if portal.evaluations else []),
            {"Areas": AREAS_INDEX_PAGE}, {"Data": DATA_PAGE},
            {board_report.TITLE: board_report.PAGE}, {"What changed": CHANGES_PAGE}, {"About": about}]


def _titled(path: str, source: Path) -> str | dict[str, str]:
    """A page's navigation entry with its title, found as MkDocs finds it (the front matter's, else the first
    heading's): a live preview rebuilds only some pages, and the others' titles must still be in every page's
    navigation."""
    try:
        markdown, meta = get_data(source.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return path  # the checks report it
    title = meta.get("title") if isinstance(meta, dict) and meta.get("title") else get_markdown_title(markdown)
    return {title_text(str(title)): path} if title else path


def metric_page_path(metric_id: str) -> str:
    return f"{METRIC_PAGES}/{metric_id}.md"


def metric_page(metric_id: str, title: str, draft: bool = False, by_district: bool = False) -> str:
    front_matter = yaml.safe_dump({"title": title}, allow_unicode=True)  # escaped with every page's title
    sections = "".join(f"## {heading}{_UNSEARCHED if KINDS[kind][0] == LATE else ''}\n\n{marker(kind, metric_id)}\n\n"
                       for heading, kind in _METRIC_SECTIONS if kind != "districts" or by_district)
    # a markdown title, not raw HTML, so that it heads the table of contents, where Material's skip link points
    banner = f"{marker('draft')}\n\n" if draft else ""
    return f"---\n{front_matter}---\n\n# {markdown_text(title)}\n\n{banner}{marker('headline', metric_id)}\n\n{sections}"


def measures_index() -> str:
    # the block writes the text too: with too many measures to list, the page says so and counts them by strand
    return f"# All measures\n\n{marker('metrics-index')}\n"


def data_page() -> str:
    return ("# Data downloads\n\n"
            f"{marker('data-zip')}\n\n"
            f"{marker('licence')}\n\n"
            "To hear when new figures are published, subscribe to the [feed of releases](feed.xml) "
            "in a feed reader (it is an Atom feed; the [releases page](what-changed.md) lists them too). "
            "Each strand and each area has a feed of its own, of the releases that changed its figures or actions: "
            "see [Feeds](#feeds).\n\n"
            "## The CSV files\n\n"
            "Each CSV file has a header row, then one row per figure. Every row says which measure it belongs "
            "to and what that measure is, so a percentage cannot be mistaken for a count:\n\n"
            "| Column | What it holds |\n|---|---|\n"
            "| metric | the measure's id, as in the address of its page |\n"
            "| title, strand | the measure's title, and the id of its strand |\n"
            "| unit | count, percent (0 to 100) or rate (per 1,000 population) |\n"
            "| polarity | higher-is-better, lower-is-better or neutral |\n"
            "| period_type | month, quarter, rolling-3-months, financial-year or year |\n"
            "| period | the period the figure covers, in words, such as *3 months to July 2019* |\n"
            "| period_end | the last day of that period, written YYYY-MM-DD, such as 2019-07-31 |\n"
            "| value | the figure, in the measure's unit; empty when withheld |\n"
            "| status | final, provisional or revised |\n"
            "| note | a note on the figure, if any |\n"
            "| numerator, denominator | for a percentage or rate, the counts it was worked out from, when published |\n"
            "| suppressed | true when the figure is withheld to protect people |\n\n"
            "A measure with figures by district has more columns in its own CSV file: one for each district, "
            "named *area:* and the district's id (such as *area:basildon*), and *not_located*, the count in the "
            "total that no district holds. They are filled for every period that has figures by district. Its "
            "JSON file has the same figures, as *areas* and *not_located* on each figure, and the data package "
            "describes each of these columns. The CSV of every measure keeps the columns above only.\n\n"
            "The files are saved as UTF-8 with a byte-order mark: without it, Excel on Windows guesses an older "
            "encoding and garbles characters such as £ and dashes. The period is given in words, which "
            "spreadsheets keep as text, and its last day as a full date, which they read as the right date "
            "(a month written 2019-07 alone would become 1 July 2019).\n\n"
            "Any text that begins with =, +, -, @, a tab or a line return has an apostrophe (') "
            "put in front of it, so that a spreadsheet shows it as text instead of running it as a formula.\n\n"
            "## The JSON files and the data package\n\n"
            "The JSON files hold each measure's details as well as its figures, every text exactly as written; "
            "each measure's own file also gives its licence and how to cite it. "
            "[datapackage.json](datapackage.json) describes every file, each CSV column's type and the licence, "
            "as a [Frictionless Data Package](https://datapackage.org/) that data tools can read; the "
            "JSON Schema files say what the portal's own files must hold.\n\n"
            + plan_layouts_markdown() +
            "## Charts as images\n\n"
            "Each measure's page offers its chart as an SVG image and as a PNG image, under the chart. Each image "
            "has the measure's title, the periods it shows, its source, the licence and the release drawn into it, so "
            "it keeps them when you put it in a report, a newsletter or on another website. A file's name is the "
            "measure's id and the release, such as *knife-enabled-crime-2019-09.png*, so files saved from two "
            "releases never overwrite each other. The PNG is drawn at twice the chart's size on the page, sharp on "
            "high-resolution screens and in print. A measure's map of its districts and its small chart of each district "
            "are offered the same way under them, named *maps/* and *districts/* then the measure's id and the "
            "release; an evaluation's chart of its areas month by month, on its page, *evaluations/* then the "
            "evaluation's id and the release.\n\n"
            "To show a chart on your own website, copy the snippet under it on the measure's page. It shows "
            "the measure's page made for a frame (its address is *embed/* and the measure's id): the chart, its "
            "headline, source and release and a link back here, with no menus and nothing fetched from anywhere "
            "else. The link the snippet puts after the frame says the latest figure in words, for readers "
            "who cannot see the frame. A published release offers two snippets: one whose frame always shows "
            "the newest release (its address has *latest/*), which changes when a new release is published, and "
            "one that shows this release as it was published and never changes. Choose the first for a page that "
            "should stay current, the second for a report that quotes this release.\n\n"
            "## Feeds\n\n"
            f"{marker('feeds')}\n\n"
            "## Every file\n\n"
            f"{marker('data-files')}\n")


def plan_layouts_markdown() -> str:
    """The Data page's account of the delivery plan's files and the two spreadsheets partners fill in.

    Search leaves out the two tables of columns: reference for filling in a spreadsheet, which nobody searches
    for word by word, and the index is part of every reader's first download."""
    return ("## The delivery plan and partners' returns\n\n"
            f"[actions.csv]({ACTIONS_CSV}) has one row per action of the [delivery plan]({DELIVERY_PLAN_PAGE}), "
            f"with its latest progress, and [actions.json]({ACTIONS_JSON}) every progress entry. The CSV is laid out "
            "as a Community Safety Partnership's return of its actions, in the standard format the board asked "
            "for, so a partner can start from it or from the blank spreadsheet. Both spreadsheets are read as "
            "UTF-8 text, with the header row exactly as given and the columns in this order.\n\n"
            f"### A partnership's actions return {{ data-search-exclude }}\n\n[Blank spreadsheet: actions-return.csv]({ACTIONS_TEMPLATE}): "
            "one row per action.\n\n" + plan_data.columns_markdown(ACTIONS_CSV_COLUMNS, plan_data.COLUMN_WORDS) +
            f"\n### A quarter's progress {{ data-search-exclude }}\n\n[Blank spreadsheet: progress.csv]({PROGRESS_TEMPLATE}): one row per "
            "action reported on, each adding a progress entry to an action already in the plan.\n\n"
            + plan_data.columns_markdown(PROGRESS_CSV_COLUMNS, plan_data.PROGRESS_COLUMN_WORDS) + "\n")


def abbreviations(docs: Path) -> str:
    """The glossary's abbreviation lines, to add to every page so that each use is marked with <abbr>."""
    glossary = engine_pages.about_sources(docs).get(GLOSSARY)  # the portal's own, else the engine's
    if glossary is None or not glossary.is_file():
        return ""
    lines = _ABBREVIATION.findall(glossary.read_text(encoding="utf-8"))
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def with_blocks(markdown: str, shown: set[str]) -> str:
    """An editor's page with their markers for a measure, and for the home page's cards, made into blocks.

    A marker for a measure this build does not show (a draft, in a public build) places nothing.
    """
    markdown = METRIC_MARKER.sub(lambda match: marker("measure", match["id"]) if match["id"] in shown else "", markdown)
    for hand_marker, kind in HAND_MARKERS.items():
        markdown = markdown.replace(hand_marker, marker(kind))
    return markdown


def strand_page(strand: Strand, portal: Portal, markdown: str) -> str:
    """A strand page: its title and summary, the editor's text, then every measure of the strand."""
    # the title heads the table of contents, where Material's skip link points, so the skip keeps the summary
    banner = f"{marker('draft')}\n\n" if strand.draft else ""
    return (f"# {markdown_text(strand.title)}\n\n{banner}{marker('strand-intro', strand.id)}\n\n"
            f"{marker('topic-feed', f'strands/{strand.id}.md')}\n\n" + markdown
            + delivery_page.strand_section(portal, strand.id) + evaluation_pages.strand_section(portal, strand.id)
            + _measures_section(portal, strand.id))


def _measures_section(portal: Portal, strand_id: str) -> str:
    metrics = portal.metrics_of(strand_id)
    if not metrics:
        return "\n\n## Measures\n\nThis strand has no published measures yet.\n"
    if not summaries.strand_page_in_full(portal, strand_id):
        return "\n\n## Measures\n\n" + compact_measures_intro(len(metrics)) + f"{marker('compact-measures', strand_id)}\n"
    # a measure the board is not given (open data shown for context) is a headline and a link here: its chart
    # and figures are on its own page, which keeps the strand page light
    parts = [f"### {markdown_text(m.title)} {{#{m.id}}}\n\n{marker('measure' if m.board_report else 'context-measure', m.id)}\n"
             for m in metrics]
    return "\n\n## Measures\n\n" + "\n".join(parts)


def compact_measures_intro(count: int) -> str:
    """What a strand page with too many measures to show in full says above their compact rows."""
    return (f"This strand has {count:,} measures, more than one page can show in full, so each is listed here in "
            "a row: its latest figure, the figure it is compared with and what the change is "
            "([how we judge change](../about/how-we-judge-change.md#the-words-we-use)). Each measure's chart and "
            "table of figures are on its own page, which its title links to.\n\n")
