"""HTML for measures: headline sentences, verdict badges, tables, metric pages, index and cards.

The HTML comes from the autoescaping templates in `templates/`, so text from an
editor's file shows as text wherever it appears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.formats import PERIOD_WORDS, UNIT_WORDS, format_change, format_percent, format_value, in_period, long_date, month_name, period_words
from . import blocks
from ..core.conventions import METRICS_DIR
from ..core.model import Metric, Strand
from ..core.stats import TEST_LABELS, VARIATION_LABELS, VERDICT_LABELS, Assessment, Comparison, month_index
from .templates import Markup, markup, render

VERDICT_ICONS = {
    "improvement": "✓",
    "deterioration": "!",
    "significant-change": "◆",
    "no-significant-change": "=",
    "not-assessable": "?",
}
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
    def latest_words(self) -> str:
        latest = self.assessment.latest
        if latest is None:
            return "No figure published"
        return f"{format_value(latest.value, self.metric.unit)} ({period_words(latest.end, self.metric.period)})"

    @property
    def earlier_words(self) -> str:
        comparison = self.assessment.comparison
        if comparison is None:
            return "None published"
        return f"{format_value(comparison.value, self.metric.unit)} ({period_words(comparison.end, self.metric.period)})"

    @property
    def verdict(self) -> str | None:
        return self.assessment.comparison.verdict if self.assessment.comparison else None


def headline(measure: Measure) -> str:
    """One plain-English sentence: the latest figure, the comparison, and whether it is a real change."""
    metric, latest, comparison = measure.metric, measure.assessment.latest, measure.assessment.comparison
    if latest is None:
        return "No figure has been published yet."
    sentence = f"{format_value(latest.value, metric.unit)} {in_period(latest.end, metric.period)}"
    if comparison is None:
        return sentence + ". There is no earlier figure to compare it with."
    return f"{sentence}, {_movement(comparison, metric, latest.end)}: {_verdict_phrase(comparison)}."


def _movement(comparison: Comparison, metric: Metric, latest_end: str) -> str:
    earlier = format_value(comparison.value, metric.unit)
    when = "a year earlier" if month_index(latest_end) - month_index(comparison.end) == 12 else in_period(comparison.end, metric.period)
    if comparison.change == 0:
        return f"unchanged from {earlier} {when}"
    direction = "up" if comparison.change > 0 else "down"
    if metric.unit == "percent" or comparison.change_percent is None:
        size = format_change(comparison.change, metric.unit)
    else:
        size = format_percent(comparison.change_percent)
    return f"{direction} {size} from {earlier} {when}"


def _verdict_phrase(comparison: Comparison) -> str:
    phrases = {
        "improvement": "a statistically significant improvement",
        "deterioration": "a statistically significant deterioration",
        "significant-change": "a statistically significant change",
        "no-significant-change": "not a statistically significant change",
    }
    if comparison.verdict in phrases:
        return phrases[comparison.verdict]
    return f"whether this is a real change cannot be assessed, because {comparison.reason or 'the figures do not allow a test'}"


def headline_paragraph(measure: Measure) -> Markup:
    return render("headline.html", badge=verdict_badge(measure.verdict), sentence=headline(measure))


def strand_intro(strand: Strand) -> Markup:
    return render("strand_intro.html", strand=strand, updated=long_date(strand.updated))


def verdict_badge(verdict: str | None) -> Markup:
    if verdict is None:
        return Markup("")
    return render("verdict_badge.html", verdict=verdict, icon=VERDICT_ICONS[verdict], label=VERDICT_LABELS[verdict])


def table(caption: str, columns: list[tuple[str, bool]], rows: list[Markup]) -> Markup:
    """`columns` are (heading, is it numeric); each row is the cells a row template made."""
    return render("table.html", caption=caption, columns=columns, rows=rows)


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


def chart_figure(measure: Measure) -> Markup:
    return render("chart_figure.html", has_chart=measure.has_chart, spc=measure.assessment.spc,
                  chart=Markup(blocks.late_marker("chart", measure.metric.id)))


def measure_section(measure: Measure, link: str) -> Markup:
    """Headline, chart, table and a link onward: what a strand page shows for one metric."""
    return render("measure_section.html", headline=headline_paragraph(measure), figure=chart_figure(measure),
                  table=Markup(blocks.late_marker("table", measure.metric.id)), link=link)


def about_measure(measure: Measure, strand: Strand | None, strand_link: str) -> Markup:
    metric = measure.metric
    statuses = "; ".join(f"{period_words(o.end, metric.period)}: {STATUS_WORDS[o.status].lower()}"
                         for o in metric.observations)
    comparison = measure.assessment.comparison
    test = "Not tested." if comparison is None or comparison.test is None else \
        f"{TEST_LABELS[comparison.test][0].upper()}{TEST_LABELS[comparison.test][1:]}, p = {comparison.p_value:.4f}."
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
        ("Last updated", last_updated(metric)),
    ]
    return render("about_measure.html", rows=rows)


def last_updated(metric: Metric) -> str:
    """Taken from the data (the latest period published), not from git history."""
    return f"Figures to {month_name(metric.observations[-1].end)}"


def downloads(metric: Metric, relative_data: str, sizes: Mapping[str, int]) -> Markup:
    items = [(f"{relative_data}{metric.id}.{kind}", metric.title, kind.upper(),
              human_size(sizes[f"{METRICS_DIR.as_posix()}/{metric.id}.{kind}"])) for kind in ("csv", "json")]
    return render("downloads.html", items=items)


def citation(metric: Metric, site_name: str, url: str) -> Markup:
    return render("citation.html", site_name=site_name, title=metric.title, month=month_name(metric.observations[-1].end),
                  source=metric.source, url=url)


def human_size(size: int) -> str:
    return f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.1f} KB"


def metrics_index(measures: list[Measure], strands: dict[str, Strand], link: Callable[[str], str]) -> Markup:
    rows = []
    for m in measures:
        strand = strands.get(m.metric.strand)
        rows.append(render("metrics_index_row.html", link=link(m.url), title=m.metric.title,
                           strand_link=link(f"strands/{m.metric.strand}/"),
                           strand_title=strand.title if strand else m.metric.strand,
                           latest=m.latest_words, earlier=m.earlier_words, badge=verdict_badge(m.verdict)))
    columns = [("Measure", False), ("Strand", False), ("Latest figure", False), ("Compared with", False), ("Change", False)]
    return table("Every measure, its latest figure and the change", columns, rows)


def strand_cards(strands: list[Strand], measures: list[Measure], link: Callable[[str], str]) -> Markup:
    cards = []
    for strand in strands:
        items = [{"link": link(m.url), "title": m.metric.title, "latest": m.latest_words, "badge": verdict_badge(m.verdict)}
                 for m in measures if m.metric.strand == strand.id]
        cards.append({"link": link(f"strands/{strand.id}/"), "title": strand.title, "summary": strand.summary,
                      "planned": strand.status == "planned", "measures": items})
    return render("strand_cards.html", cards=cards)


def data_files(listing: list[tuple[str, str, int]], link: Callable[[str], str]) -> Markup:
    rows = [render("data_files_row.html", link=link(path), path=path, what=what, size=human_size(size))
            for path, what, size in listing]
    columns = [("File", False), ("What it holds", False), ("Size", True)]
    return table("Files you can download", columns, rows)


def describe(measure: Measure) -> str:
    """The assessment in a sentence or two, for the terminal."""
    text = f"{measure.metric.title}: {headline(measure)}"
    comparison, spc = measure.assessment.comparison, measure.assessment.spc
    if comparison and comparison.test and comparison.p_value is not None:
        p = "p < 0.001" if comparison.p_value < 0.001 else f"p = {comparison.p_value:.3f}"
        text = text[:-1] + f" ({TEST_LABELS[comparison.test]}, {p})."
    if spc:
        last = spc.points[-1]
        text += (f" Process control chart of {len(spc.points)} points: the latest point shows "
                 f"{VARIATION_LABELS[last.variation].lower()} variation.")
    return text


def board_pack_link(link: str, size_placeholder: str, not_made: bool) -> Markup:
    """The link to the board pack PDF; a live preview makes no pack, so it says where to get one instead."""
    return render("board_pack_link.html", link=link, size=markup(size_placeholder), not_made=not_made)
