"""The board report: every strand, its latest update and its measures, as one page to print.

The page is markdown like any other, so MkDocs builds its contents list and
checks its links, and each measure is filled in by the same block as on the
strand pages. Strand pages live one folder down, in strands/, so their headings
move down a level and their relative links are rewritten to work from the top.
"""

from __future__ import annotations

import posixpath
import re

import yaml

from . import delivery_page, evaluation_pages, summaries
from ..blocks import marker
from ..escaping import markdown_text
from ...core.formats import long_date
from ...source.load import split_front_matter
from ...core.model import Portal, Strand
from ...core.conventions import BOARD_REPORT_PAGE, METRIC_MARKER

PAGE = BOARD_REPORT_PAGE
TITLE = "Board report"
# Around each strand's section, so the board pack can take the sections from the built page; editors cannot
# write comments that begin `crimeportal:` (validation refuses them), so every one of these was written here.
SECTION_MARKER = "<!-- crimeportal:report-strand {} -->"
END_MARKER = "<!-- crimeportal:report-end -->"
DELIVERY_MARKER = "<!-- crimeportal:report-delivery -->"  # before the delivery summary, which the pack takes too
COUNTS_HEADING, COUNTS_ID = "Measures by strand", "measures-by-strand"  # when there are too many to show in full
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,5})(\s)")
_INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_LINK_DEFINITION = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?)(\s|$)", re.MULTILINE)
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def markdown(portal: Portal) -> str:
    """The report page's markdown, with measure blocks to fill in once Markdown has run."""
    # searched section by section (each strand is a section); boosted down, so that a strand's own page,
    # which says the same, comes first
    front_matter = yaml.safe_dump({"title": TITLE, "search": {"boost": 0.5}})
    latest = max((s.updated for s in portal.strands), default=None)
    as_of = f" The latest strand update is dated {long_date(latest)}." if latest else ""
    form = summaries.board_report_form(portal)
    in_full = form == summaries.IN_FULL
    contents = "\n".join(([] if in_full else [f"- [{COUNTS_HEADING}](#{COUNTS_ID})"])
                         + (["- [Delivery summary](#delivery-summary)"] if portal.actions else [])
                         + [f"- [{markdown_text(heading(s))}](#{s.id})" for s in portal.strands])
    parts = [
        f"---\n{front_matter}---\n\n# {TITLE}\n\n",
        (f"Every strand of the strategy, its latest update and its measures, in one document for the board.{as_of}\n\n"
         if in_full else _shorter_intro(portal, as_of, form)),
        f"{marker('board-pack')}\n\n",
        # an instruction for the screen, which paper does not need
        "To print this page instead, use your browser's Print command.\n{: .portal-screen-only }\n\n",
        f'<nav class="portal-report-contents" aria-label="Strands in this report" markdown>\n\n{contents}\n\n</nav>\n\n',
    ]
    if not in_full:  # before the delivery summary, which the board pack takes from the marker on
        parts.append(f"## {COUNTS_HEADING} {{#{COUNTS_ID}}}\n\n{marker('strand-counts')}\n\n")
    summary = delivery_page.board_markdown(portal)  # before the strands: the board reviews progress first
    parts.append(f"{DELIVERY_MARKER}\n\n{summary}" if summary else "")
    parts.append(evaluation_pages.board_markdown(portal))  # in the board pack too: it follows the delivery summary
    parts += [f"{SECTION_MARKER.format(strand.id)}\n\n{_strand_section(portal, strand, form)}" for strand in portal.strands]
    return "".join(parts) + f"\n{END_MARKER}\n"


def _shorter_intro(portal: Portal, as_of: str, form: str) -> str:
    count = sum(1 for m in portal.metrics if m.board_report)
    shown = ("lists each strand's measures in a row: its latest figure, the figure it is compared with and its verdict"
             if form == summaries.IN_ROWS else
             "counts each strand's measures by verdict. Each strand's page lists its measures, each with its latest "
             "figure, the figure it is compared with and its verdict")
    return (f"Every strand of the strategy and its latest update, in one document for the board.{as_of} The board is "
            f"given {count:,} measures, more than one page can show in full, so this report {shown}, and each "
            "measure's chart and table of figures are on its own page.\n\n")


def heading(strand: Strand) -> str:
    return strand.title + (" (planned)" if strand.status == "planned" else "")


def _strand_section(portal: Portal, strand: Strand, form: str = summaries.IN_FULL) -> str:
    metrics = portal.board_metrics_of(strand.id)
    if metrics and form == summaries.IN_ROWS:
        measures = f"{marker('board-compact-measures', strand.id)}\n\n"
    elif metrics and form == summaries.COUNTED:
        measures = f"{marker('board-strand-counts', strand.id)}\n\n"
    elif metrics:
        measures = "".join(f"#### {markdown_text(m.title)} {{#{m.id}}}\n\n{marker('measure', m.id)}\n\n"
                           for m in metrics)
    else:
        measures = "This strand has no published measures yet.\n\n"
    return (f"## {markdown_text(heading(strand))} {{#{strand.id} .portal-report-strand}}\n\n"
            f"{marker('strand-intro', strand.id)}\n\n{strand_body(strand)}\n\n### Measures\n\n{measures}")


def strand_body(strand: Strand) -> str:
    """The strand page's own text, ready to sit inside the report."""
    if strand.path is None:
        return ""
    split = split_front_matter(strand.path.read_text(encoding="utf-8"), strand.path.name)
    if not isinstance(split, tuple):  # validation has already reported it
        return ""
    # the report lists every measure after the text, so markers in the text would show them twice
    body = METRIC_MARKER.sub("", split[2])
    return rebase_links(demote_headings(body), strand.id)


def demote_headings(text: str) -> str:
    """One level down, so a strand's ## sections sit under its ## title as ###."""
    lines, fenced = [], False
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        lines.append(line if fenced else _HEADING.sub(r"#\1\2", line))
    return "".join(lines)


def rebase_links(text: str, strand_id: str) -> str:
    """Links written from strands/<id>.md, rewritten to work from the site's top folder."""
    def rebase(target: str) -> str:
        if _URL_SCHEME.match(target) or target.startswith("/"):
            return target
        if target.startswith("#"):  # a section of the strand's own page
            return f"strands/{strand_id}.md{target}"
        return posixpath.normpath(posixpath.join("strands", target))

    text = _INLINE_LINK.sub(lambda m: m[1] + rebase(m[2]), text)
    return _LINK_DEFINITION.sub(lambda m: m[1] + rebase(m[2]) + m[3] + m[4], text)
