"""The markdown MkDocs sees for the pages the portal writes itself, and for the strand pages it completes."""

from __future__ import annotations

from pathlib import Path

import yaml

from . import board_report
from .blocks import marker
from .escaping import markdown_text, title_text
from ..core.conventions import DATA_PAGE, MEASURES_INDEX_PAGE, METRIC_MARKER, METRIC_PAGES
from ..core.model import Portal, Strand
from .what_changed import CHANGES_PAGE

MEASURES_INDEX = MEASURES_INDEX_PAGE
CARDS_MARKER = "<!-- crimeportal:strand-cards -->"  # written by hand in content/index.md
_METRIC_SECTIONS = (("Chart and table", "figures"), ("About this measure", "about"),
                    ("Download the data", "downloads"), ("Cite this", "cite"))


def navigation(portal: Portal, docs: Path) -> list:
    # the theme prints navigation titles as they are
    strands = [{title_text(board_report.heading(s)): f"strands/{s.id}.md"} for s in portal.strands]
    about = sorted(p.relative_to(docs).as_posix() for p in (docs / "about").glob("*.md"))
    about.sort(key=lambda path: path != "about/index.md")
    return [{"Home": "index.md"}, {"Strands": strands}, {"Measures": MEASURES_INDEX}, {"Data": DATA_PAGE},
            {board_report.TITLE: board_report.PAGE}, {"What changed": CHANGES_PAGE}, {"About": about}]


def metric_page_path(metric_id: str) -> str:
    return f"{METRIC_PAGES}/{metric_id}.md"


def metric_page(metric_id: str, title: str, draft: bool = False) -> str:
    front_matter = yaml.safe_dump({"title": title}, allow_unicode=True)  # escaped with every page's title
    sections = "".join(f"## {heading}\n\n{marker(kind, metric_id)}\n\n" for heading, kind in _METRIC_SECTIONS)
    # a markdown title, not raw HTML, so that it heads the table of contents, where Material's skip link points
    banner = f"{marker('draft')}\n\n" if draft else ""
    return f"---\n{front_matter}---\n\n# {markdown_text(title)}\n\n{banner}{marker('headline', metric_id)}\n\n{sections}"


def measures_index() -> str:
    return ("# All measures\n\n"
            "Every published measure, with its latest figure and whether it has changed significantly.\n\n"
            f"{marker('metrics-index')}\n")


def data_page() -> str:
    return ("# Data downloads\n\n"
            "Every figure on this site can be downloaded. The CSV files have a header row and one row per figure; "
            "periods are written YYYY-MM, the last month the period covers. The JSON files hold each measure's "
            "details as well as its figures. Both hold what the portal's data files hold, including each "
            "figure's status, notes and whether it was withheld.\n\n"
            "In the CSV files, any text that begins with =, +, -, @, a tab or a line return has an apostrophe (') "
            "put in front of it, so that a spreadsheet shows it as text instead of running it as a formula. "
            "The JSON files hold every text exactly as written.\n\n"
            f"{marker('data-files')}\n")


def with_blocks(markdown: str, shown: set[str]) -> str:
    """An editor's page with their markers for a measure, and for the home page's cards, made into blocks.

    A marker for a measure this build does not show (a draft, in a public build) places nothing.
    """
    markdown = METRIC_MARKER.sub(lambda match: marker("measure", match["id"]) if match["id"] in shown else "", markdown)
    return markdown.replace(CARDS_MARKER, marker("cards"))


def strand_page(strand: Strand, portal: Portal, markdown: str) -> str:
    """A strand page: its title and summary, the editor's text, then every measure of the strand."""
    # the title heads the table of contents, where Material's skip link points, so the skip keeps the summary
    banner = f"{marker('draft')}\n\n" if strand.draft else ""
    return (f"# {markdown_text(strand.title)}\n\n{banner}{marker('strand-intro', strand.id)}\n\n" + markdown
            + _measures_section(portal, strand.id))


def _measures_section(portal: Portal, strand_id: str) -> str:
    metrics = portal.metrics_of(strand_id)
    if not metrics:
        return "\n\n## Measures\n\nThis strand has no published measures yet.\n"
    parts = [f"### {markdown_text(m.title)} {{#{m.id}}}\n\n{marker('measure', m.id)}\n" for m in metrics]
    return "\n\n## Measures\n\n" + "\n".join(parts)
