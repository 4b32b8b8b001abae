"""Pages that gather many measures, kept within their weight at any size of portal.

Whether a gathering page shows its measures as readers know it is decided here, from the limits in
`core.conventions`; over them, a strand page lists each measure as one compact row (its title linked to its
page, latest figure, the figure it is compared with, verdict and caveats, with no chart or table), and the
board report, All measures, the Data page and the home page count each strand's measures by verdict, each
strand linked to its page. Nothing here is searched: every row repeats what its measure's own page gives search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ...core.conventions import (FULL_FIGURES_IN_BOARD_REPORT, FULL_FIGURES_PER_STRAND_PAGE,
                                 FULL_MEASURES_IN_BOARD_REPORT, FULL_MEASURES_PER_STRAND_PAGE,
                                 MEASURES_LISTED_IN_BOARD_REPORT, MEASURES_LISTED_IN_INDEX,
                                 MEASURES_LISTED_ON_DATA_PAGE, MEASURES_LISTED_ON_HOME_PAGE)
from ...core.model import Metric, Portal, Strand
from ...core.stats import VERDICT_LABELS
from ..publishing.open_data import ZIP
from .render import MEASURE_FILES, Measure, data_files, human_size, table
from ..templates import Markup, escape, render
from .verdicts import VERDICT_ICONS, verdict_badge

NOT_COMPARED = "Not compared"  # a measure with no earlier figure to compare its latest with
Link = Callable[[str], str]


def _within(metrics: list[Metric], measures_limit: int, figures_limit: int) -> bool:
    return len(metrics) <= measures_limit and sum(len(m.observations) for m in metrics) <= figures_limit


def strand_page_in_full(portal: Portal, strand_id: str) -> bool:
    """Whether a strand page shows its measures as readers know them: the board's with chart and table."""
    metrics = portal.metrics_of(strand_id)
    drawn = [m for m in metrics if m.board_report]  # the others are a headline and a link already
    return len(metrics) <= FULL_MEASURES_PER_STRAND_PAGE and _within(drawn, len(drawn), FULL_FIGURES_PER_STRAND_PAGE)


IN_FULL, IN_ROWS, COUNTED = "in full", "in rows", "counted"  # the board report's three forms


def board_report_form(portal: Portal) -> str:
    """How the board report shows the measures the board is given: with chart and table, a compact row each,
    or counted by verdict strand by strand."""
    board = [m for m in portal.metrics if m.board_report]
    if _within(board, FULL_MEASURES_IN_BOARD_REPORT, FULL_FIGURES_IN_BOARD_REPORT):
        return IN_FULL
    return IN_ROWS if len(board) <= MEASURES_LISTED_IN_BOARD_REPORT else COUNTED


def board_report_in_full(portal: Portal) -> bool:
    return board_report_form(portal) == IN_FULL


def index_lists_every_measure(count: int) -> bool:
    return count <= MEASURES_LISTED_IN_INDEX


def data_page_lists_every_measure(count: int) -> bool:
    return count <= MEASURES_LISTED_ON_DATA_PAGE


def home_cards_list_every_measure(count: int) -> bool:
    return count <= MEASURES_LISTED_ON_HOME_PAGE


def verdict_counts(measures: Iterable[Measure]) -> dict[str, int]:
    """How many measures have each verdict, by its label, in the order the verdicts are explained; only those with any."""
    counts = dict.fromkeys([*VERDICT_LABELS.values(), NOT_COMPARED], 0)
    for measure in measures:
        counts[VERDICT_LABELS[measure.verdict] if measure.verdict else NOT_COMPARED] += 1
    return {label: count for label, count in counts.items() if count}


def compact_measures(measures: list[Measure], link: Link) -> Markup:
    """A strand's measures, one row each: title linked to its page, latest figure, comparison, verdict, caveats.

    The badge and the caveat marker are not links (the text above the table links to how verdicts are reached
    once, and each title to the measure's page, where its caveats are), which keeps a strand of 250 measures
    well within its page's weight: at 3,000 measures in 12 strands, about 130 KB."""
    rows = [render("compact_measure_row.html", link=link(m.url), title=m.metric.title, latest=m.latest_words,
                   earlier=m.earlier_words, badge=_row_verdict(m.verdict), caveats=_row_caveats(m.metric))
            for m in measures]
    columns = [("Measure", False), ("Latest figure", False), ("Compared with", False), ("Change", False)]
    return table("Each measure, its latest figure and the change", columns, rows, searched=False)


def _row_verdict(verdict: str | None) -> Markup:
    if verdict is None:
        return Markup("")
    return render("compact_verdict.html", verdict=verdict, icon=VERDICT_ICONS[verdict], label=VERDICT_LABELS[verdict])


def _row_caveats(metric: Metric) -> Markup:
    return render("compact_caveat_marker.html", count=len(metric.caveats)) if metric.caveats else Markup("")


def strand_counts_table(strands: list[Strand], measures: list[Measure], link: Link, caption: str) -> Markup:
    """A row per strand: its number of measures and how many have each verdict, the strand linked to its page."""
    labels = list(verdict_counts(measures))
    rows = []
    for strand in strands:
        own = [m for m in measures if m.metric.strand == strand.id]
        counts = verdict_counts(own)
        rows.append(render("strand_counts_row.html", link=link(f"strands/{strand.id}/"), title=strand.title,
                           total=f"{len(own):,}", counts=[f"{counts.get(label, 0):,}" for label in labels]))
    columns = [("Strand", False), ("Measures", True)] + [(label, True) for label in labels]
    return table(caption, columns, rows, searched=False)


def counts_sentence(measures: list[Measure], link: str, whose: str = "") -> Markup:
    """'84 measures: 5 Improvement, 70 No significant change …', the number linked to where they are listed."""
    by_verdict = [(count, _badge_for(label)) for label, count in verdict_counts(measures).items()]
    what = ("measure" if len(measures) == 1 else "measures") + whose
    return render("verdict_counts.html", total=f"{len(measures):,}", what=what, link=link, counts=by_verdict)


_KEYS = {label: key for key, label in VERDICT_LABELS.items()}


def _badge_for(label: str) -> Markup:
    return verdict_badge(_KEYS[label]) if label in _KEYS else escape(label)


# ------------------------------------------------------------------------------------ what the pages say

INDEX_INTRO = "Every published measure, with its latest figure and whether it has changed significantly."
HOW_WE_JUDGE = "about/how-we-judge-change/#the-words-we-use"


def index_summary(strands: list[Strand], measures: list[Measure], link: Link) -> Markup:
    """All measures, when there are too many to list: each strand's count by verdict, and where each measure is."""
    return render("many_measures.html", part="index", total=f"{len(measures):,}", how=link(HOW_WE_JUDGE),
                  data=link("data/"), csv=link("data/all-metrics.csv"),
                  table=strand_counts_table(strands, measures, link, "Measures by strand and verdict"))


def data_files_summary(strands: list[Strand], measures: list[Measure], listing: list[tuple[str, str, int]],
                       link: Link) -> Markup:
    """The Data page's files, each measure's own two counted by strand rather than listed one by one."""
    shared = [entry for entry in listing if not entry[0].startswith(MEASURE_FILES)]
    sizes = {path: size for path, _, size in listing}
    rows = []
    for strand in strands:
        own = [m for m in measures if m.metric.strand == strand.id]
        size = sum(sizes.get(f"{MEASURE_FILES}{m.metric.id}.{kind}", 0) for m in own for kind in ("csv", "json"))
        rows.append(render("strand_counts_row.html", link=link(f"strands/{strand.id}/"), title=strand.title,
                           total=f"{len(own):,}", counts=[human_size(size)]))
    by_strand = table("Each measure's own files, by strand", [("Strand", False), ("Measures", True), ("Size of their files", True)],
                      rows, searched=False)
    return data_files(shared, link) + render("many_measures.html", part="data", total=f"{len(measures):,}",
                                             files=f"{2 * len(measures):,}", zip=link(ZIP) if ZIP in sizes else None,
                                             table=by_strand)


def board_strand(measures: list[Measure], strand_link: str) -> Markup:
    """A strand's measures in the board report, when it has too many to show in full: counted by verdict."""
    return counts_sentence(measures, strand_link, " the board is given") + render("many_measures.html",
                                                                                          part="board-strand")
