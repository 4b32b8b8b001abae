"""HTML for measures: headline sentences, verdict badges, tables, metric pages, index and cards.

The HTML comes from the autoescaping templates in `templates/`, so text from an
editor's file shows as text wherever it appears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ...core.formats import PERIOD_WORDS, UNIT_WORDS, format_value, long_date, period_words
from .. import blocks
from . import verdicts
from ..charts import share
from ..charts.specs import MAX_BARS
from ...core.conventions import METRICS_DIR
from ...core.model import Metric, Observation, Strand
from ...core.stats import TEST_LABELS, VARIATION_LABELS, Assessment
from ..templates import Markup, markup, render
from .verdicts import VERDICT_ICONS, Link, caveat_marker, verdict_badge  # noqa: F401  (re-exported)

RISE_MEANS = {
    "higher-is-better": "A rise is good: higher is better.",
    "lower-is-better": "A rise is bad: lower is better.",
    "neutral": "Neither direction is better: a rise is neither good nor bad in itself.",
}
STATUS_WORDS = {"final": "Final", "provisional": "Provisional", "revised": "Revised"}


@dataclass(frozen=True)
class Measure:
    """One metric with everything a page needs to show it."""

    metric: Metric
    assessment: Assessment
    has_chart: bool  # False when there are no figures to draw
    url: str  # the metric page's URL relative to the site root, e.g. "metrics/knife-enabled-crime/"

    @property
    def earlier(self) -> Observation | None:
        """The observation the latest is compared with (its status is shown beside it)."""
        comparison = self.assessment.comparison
        if comparison is None:
            return None
        return next((o for o in self.metric.observations if o.end == comparison.end), None)

    @property
    def latest_words(self) -> str:
        latest = self.assessment.latest
        if latest is None:
            return "No figure published"
        return (f"{format_value(latest.value, self.metric.unit)} "
                f"({period_words(latest.end, self.metric.period)}{verdicts.status_suffix(latest)})")

    @property
    def earlier_words(self) -> str:
        comparison, earlier = self.assessment.comparison, self.earlier
        if comparison is None:
            return "None published"
        return (f"{format_value(comparison.value, self.metric.unit)} "
                f"({period_words(comparison.end, self.metric.period)}{verdicts.status_suffix(earlier)}); "
                f"{verdicts.basis_label(comparison).lower()}")

    @property
    def verdict(self) -> str | None:
        return self.assessment.comparison.verdict if self.assessment.comparison else None

    def parts(self) -> verdicts.Headline:
        return verdicts.headline(self.metric, self.assessment.latest, self.assessment.comparison, self.earlier)


def headline(measure: Measure) -> str:
    """One plain-English sentence: the latest figure, the comparison and its basis, and whether it is a real change."""
    return measure.parts().text


def headline_paragraph(measure: Measure, link: Link, caveats_href: str) -> Markup:
    """The headline as a page shows it: badge and caveat marker linked, then basis, figures and test."""
    comparison, latest = measure.assessment.comparison, measure.assessment.latest
    parts = measure.parts()
    basis = (verdicts.basis_line(measure.metric, latest, comparison, measure.earlier, link)
             if comparison is not None and latest is not None else None)
    return render("headline.html", badge=verdict_badge(measure.verdict, link),
                  caveats=caveat_marker(measure.metric, caveats_href), headline=parts,
                  glossary=verdicts.glossary_link(parts.verdict, link), basis=basis)


def strand_intro(strand: Strand) -> Markup:
    return render("strand_intro.html", strand=strand, updated=long_date(strand.updated))


def table(caption: str, columns: list[tuple[str, bool]], rows: list[Markup], searched: bool = True,
          unsearched_rows: frozenset[int] = frozenset()) -> Markup:
    """`columns` are (heading, is it numeric); each row is the cells a row template made.

    A table that is not `searched`, and the rows numbered in `unsearched_rows`, are left out of the search index
    (see search_text: what the index reads).
    """
    return render("table.html", caption=caption, columns=columns, rows=rows, searched=searched,
                  unsearched_rows=unsearched_rows)


def data_table(measure: Measure) -> Markup:
    metric, spc = measure.metric, measure.assessment.spc
    counts = any(o.numerator is not None or o.denominator is not None for o in metric.observations)
    variation = {p.end: p for p in spc.points} if spc else {}
    columns = [("Period", False), ("Value", True)]
    if counts:
        columns += [("Numerator", True), ("Denominator", True)]
    if spc:
        columns.append(("Variation", False))
    columns += [("Status", False), ("Note", False)]
    rows = []
    for o in metric.observations:
        note = "; ".join(part for part in ("Withheld to protect people" if o.suppressed else "", o.note or "") if part)
        point = variation.get(o.end)
        rows.append(render("data_table_row.html", period=period_words(o.end, metric.period),
                           value=format_value(o.value, metric.unit), counts=counts,
                           numerator=_optional_number(o.numerator), denominator=_optional_number(o.denominator),
                           spc=spc, variation=_variation_words(point) if point else "",
                           status=STATUS_WORDS[o.status], note=note))
    return table(f"{metric.title}: figures by period", columns, rows)


def _optional_number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _variation_words(point) -> str:
    words = VARIATION_LABELS[point.variation]
    if point.signals:
        words += " (" + ", ".join(signal.replace("-", " ") for signal in point.signals) + ")"
    return words


def chart_figure(measure: Measure, link: Link) -> Markup:
    return render("chart_figure.html", has_chart=measure.has_chart, spc=measure.assessment.spc,
                  chart=Markup(blocks.late_marker("chart", measure.metric.id)), glossary=link(verdicts.GLOSSARY),
                  line=len([o for o in measure.metric.observations if o.value is not None]) > MAX_BARS,
                  marked=[s for s in ("provisional", "revised")
                          if any(o.status == s for o in measure.metric.observations if o.value is not None)])


def chart_downloads(measure: Measure, link: Link, release: str) -> Markup:
    """Links to the measure's chart as an SVG and a PNG image (written by build.py with charts/share.py)."""
    if not measure.has_chart:
        return Markup("")
    return image_downloads(link, f"{share.FOLDER}/{share.file_stem(measure.metric.id, release)}")


def image_downloads(link: Link, path: str) -> Markup:
    """Links to a chart's SVG and PNG, `path` from the site's root without .svg or .png (charts/share.py)."""
    return render("chart_downloads.html", svg=link(f"{path}.svg"), png=link(f"{path}.png"), stem=path.rpartition("/")[2])


def measure_section(measure: Measure, link: Link, brief: bool = False) -> Markup:
    """Headline, caveats, chart, table and a link onward: what strand pages and the board report show for one
    metric; `brief`, without the chart and table, which are on the measure's own page."""
    caveats_id = f"caveats-{measure.metric.id}"
    figure = "" if brief else chart_figure(measure, link)
    table = "" if brief else Markup(blocks.late_marker("table", measure.metric.id))
    return render("measure_section.html", headline=headline_paragraph(measure, link, f"#{caveats_id}"),
                  caveats=measure.metric.caveats, caveats_id=caveats_id, figure=figure, table=table,
                  link=link(measure.url), brief=brief)


def about_measure(measure: Measure, strand: Strand | None, strand_link: str, link: Link) -> Markup:
    metric = measure.metric
    statuses = "; ".join(f"{period_words(o.end, metric.period)}: {STATUS_WORDS[o.status].lower()}"
                         for o in metric.observations)
    comparison = measure.assessment.comparison
    test = render("test_words.html", test=None, reason="there is no earlier figure to compare with") \
        if comparison is None else \
        render("test_words.html", basis=verdicts.basis_label(comparison),
               test=TEST_LABELS[comparison.test] if comparison.test else None, reason=comparison.reason,
               p=f"{comparison.p_value:.4f}" if comparison.p_value is not None else "", how=link(verdicts.HOW_WE_JUDGE),
               dispersion=verdicts.dispersion_words(comparison), assumption=comparison.assumption)
    rows = [
        ("What it measures", metric.description),
        ("Strand", render("about_strand_link.html", strand=strand, link=strand_link, strand_id=metric.strand)),
        ("Unit", UNIT_WORDS[metric.unit]),
        ("What a rise means", RISE_MEANS[metric.polarity]),
        ("Period", PERIOD_WORDS[metric.period]),
        ("Source", metric.source),
        ("Caveats", render("caveats.html", caveats=metric.caveats)),
        ("Status of each figure", statuses),
        ("Test of the latest change", test),
        ("Latest figure covers", last_updated(metric)),
    ]
    return render("about_measure.html", rows=rows, unsearched=UNSEARCHED_FACTS)


# What search leaves out of a measure's facts: the status of every figure (the table of figures again, in words),
# and words every measure of the same kind repeats, or that repeat the headline. The measure's own text, what it
# measures, its strand, source and caveats, stays searchable.
UNSEARCHED_FACTS = frozenset({"Unit", "What a rise means", "Period", "Status of each figure", "Test of the latest change",
                              "Latest figure covers"})


def last_updated(metric: Metric) -> str:
    """The period the latest figure covers, taken from the data (not from git history, which is not a date readers can use)."""
    latest = metric.observations[-1]
    words = period_words(latest.end, metric.period)
    return words[0].upper() + words[1:] + verdicts.status_words(latest)


def downloads(metric: Metric, relative_data: str, sizes: Mapping[str, int]) -> Markup:
    items = [(f"{relative_data}{metric.id}.{kind}", metric.title, kind.upper(),
              human_size(sizes[f"{METRICS_DIR.as_posix()}/{metric.id}.{kind}"])) for kind in ("csv", "json")]
    return render("downloads.html", items=items)


def human_size(size: int) -> str:
    return f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.1f} KB"


def metrics_index(measures: list[Measure], strands: dict[str, Strand], link: Callable[[str], str]) -> Markup:
    rows = []
    for m in measures:
        strand = strands.get(m.metric.strand)
        rows.append(render("metrics_index_row.html", link=link(m.url), title=m.metric.title,
                           strand_link=link(f"strands/{m.metric.strand}/"),
                           strand_title=strand.title if strand else m.metric.strand,
                           latest=m.latest_words, earlier=m.earlier_words, badge=verdict_badge(m.verdict, link),
                           caveats=caveat_marker(m.metric, link(m.url) + "#caveats")))
    columns = [("Measure", False), ("Strand", False), ("Latest figure", False), ("Compared with", False), ("Change", False)]
    # not searched: each row repeats what its measure's own page gives search (title and headline)
    return table("Every measure, its latest figure and the change", columns, rows, searched=False)


def strand_cards(strands: list[Strand], measures: list[Measure], link: Callable[[str], str], listed: bool = True,
                 counted: Callable[[list[Measure], str], Markup] | None = None) -> Markup:
    """A card per strand listing its measures; not `listed` (too many for one page), each card has them `counted`."""
    cards = []
    for strand in strands:
        own = [m for m in measures if m.metric.strand == strand.id]
        items = [{"link": link(m.url), "title": m.metric.title, "latest": m.latest_words,
                  "badge": verdict_badge(m.verdict, link), "caveats": caveat_marker(m.metric, link(m.url) + "#caveats")}
                 for m in own] if listed else []
        counts = counted(own, link(f"strands/{strand.id}/") + "#measures") if own and not listed and counted else None
        cards.append({"link": link(f"strands/{strand.id}/"), "title": strand.title, "summary": strand.summary,
                      "planned": strand.status == "planned", "measures": items, "counts": counts})
    return render("strand_cards.html", cards=cards)


def data_files(listing: list[tuple[str, str, int]], link: Callable[[str], str]) -> Markup:
    rows = [render("data_files_row.html", link=link(path), path=path, what=what, size=human_size(size))
            for path, what, size in listing]
    columns = [("File", False), ("What it holds", False), ("Size", True)]
    one_measure = frozenset(number for number, (path, _, _) in enumerate(listing) if path.startswith(MEASURE_FILES))
    return table("Files you can download", columns, rows, unsearched_rows=one_measure)


MEASURE_FILES = "data/metrics/"  # each measure's own CSV and JSON: the rows of the Data page search leaves out


def describe(measure: Measure) -> str:
    """The assessment in a sentence or two, for the terminal."""
    text = f"{measure.metric.title}: {headline(measure)}"
    comparison, spc = measure.assessment.comparison, measure.assessment.spc
    if comparison and comparison.test and comparison.p_value is not None:
        text = text[:-1] + f" ({verdicts.test_words(comparison)})."
        if comparison.verdict == "no-significant-change" and comparison.reason:
            text += f" {comparison.reason[0].upper()}{comparison.reason[1:]}."
    if spc:
        last = spc.points[-1]
        text += (f" Process control chart of {len(spc.points)} points: the latest point shows "
                 f"{VARIATION_LABELS[last.variation].lower()} variation.")
    return text


def board_pack_link(link: str, size_placeholder: str, not_made: bool) -> Markup:
    """The link to the board pack PDF; a live preview makes no pack, so it says where to get one instead."""
    return render("board_pack_link.html", link=link, size=markup(size_placeholder), not_made=not_made)
