"""HTML for measures: headline sentences, verdict badges, tables, metric pages, index and cards.

Every string that comes from an editor's file passes through `esc`, so a title
containing markup shows as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape as esc

from ..core.formats import PERIOD_WORDS, UNIT_WORDS, format_change, format_percent, format_value, in_period, long_date, month_name, period_words
from ..core.model import Metric, Strand
from ..core.stats import TEST_LABELS, VARIATION_LABELS, VERDICT_LABELS, Assessment, Comparison, month_index

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


def headline_paragraph(measure: Measure) -> str:
    return f'<p class="portal-headline">{verdict_badge(measure.verdict)} {esc(headline(measure))}</p>'


def strand_intro(strand: Strand) -> str:
    lead = f" Lead: {esc(strand.lead)}." if strand.lead else ""
    planned = " This strand is planned: it is not yet part of the strategy." if strand.status == "planned" else ""
    return (f'<p class="portal-summary">{esc(strand.summary)}</p>\n\n'
            f'<p class="portal-updated">Last updated {long_date(strand.updated)}.{lead}{planned}</p>\n\n')


def verdict_badge(verdict: str | None) -> str:
    if verdict is None:
        return ""
    return (f'<span class="portal-verdict portal-verdict--{verdict}">'
            f'<span class="portal-verdict__icon" aria-hidden="true">{VERDICT_ICONS[verdict]}</span> '
            f"{VERDICT_LABELS[verdict]}</span>")


def data_table(measure: Measure) -> str:
    metric, spc = measure.metric, measure.assessment.spc
    counts = any(o.numerator is not None or o.denominator is not None for o in metric.observations)
    variation = {p.end: p for p in spc.points} if spc else {}
    head = ['<th scope="col">Period</th>', '<th scope="col" class="portal-num">Value</th>']
    if counts:
        head += ['<th scope="col" class="portal-num">Numerator</th>', '<th scope="col" class="portal-num">Denominator</th>']
    if spc:
        head.append('<th scope="col">Variation</th>')
    head += ['<th scope="col">Status</th>', '<th scope="col">Note</th>']
    rows = []
    for o in metric.observations:
        cells = [f'<th scope="row">{esc(period_words(o.end, metric.period))}</th>',
                 f'<td class="portal-num">{format_value(o.value, metric.unit)}</td>']
        if counts:
            cells += [f'<td class="portal-num">{_optional_number(o.numerator)}</td>',
                      f'<td class="portal-num">{_optional_number(o.denominator)}</td>']
        if spc:
            point = variation.get(o.end)
            cells.append(f"<td>{_variation_words(point) if point else ''}</td>")
        note = "Withheld to protect people" if o.suppressed else ""
        note = "; ".join(part for part in (note, o.note or "") if part)
        cells += [f"<td>{STATUS_WORDS[o.status]}</td>", f"<td>{esc(note)}</td>"]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<div class="portal-table-wrap"><table class="portal-table">'
            f"<caption>{esc(metric.title)}: figures by period</caption>"
            f"<thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _optional_number(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _variation_words(point) -> str:
    words = VARIATION_LABELS[point.variation]
    if point.signals:
        words += " (" + ", ".join(signal.replace("-", " ") for signal in point.signals) + ")"
    return esc(words)


def chart_figure(measure: Measure) -> str:
    if not measure.has_chart:
        return '<p class="portal-no-chart">There are no figures to draw.</p>'
    legend = ""
    if measure.assessment.spc:
        legend = ('<figcaption>Solid line: the mean. Dashed lines: the process limits. Points are marked by variation: '
                  '▲ special cause, improvement; ◆ special cause, concern; ■ special cause, neither; ● common cause.</figcaption>')
    return f'<figure class="portal-figure">{late("chart", measure.metric.id)}{legend}</figure>'


def late(kind: str, metric_id: str) -> str:
    """Where a chart or table goes once the page is finished: the search index need not parse it.

    Charts are drawings, and a metric's own page already gives its figures to search.
    """
    return f"<!-- crimeportal:late {kind}:{metric_id} -->"


def measure_section(measure: Measure, page_url: str, relative) -> str:
    """Headline, chart, table and a link onward: what a strand page shows for one metric."""
    link = relative(measure.url, page_url)
    return (f'<div class="portal-measure">'
            f"{headline_paragraph(measure)}"
            f"{chart_figure(measure)}{late('table', measure.metric.id)}"
            f'<p><a href="{link}">About this measure, downloads and how to cite it</a></p></div>')


def about_measure(measure: Measure, strand: Strand | None, strand_link: str) -> str:
    metric = measure.metric
    caveats = "".join(f"<li>{esc(c)}</li>" for c in metric.caveats) or "<li>None recorded.</li>"
    statuses = "; ".join(f"{esc(period_words(o.end, metric.period))}: {STATUS_WORDS[o.status].lower()}"
                         for o in metric.observations)
    comparison = measure.assessment.comparison
    test = "Not tested." if comparison is None or comparison.test is None else \
        f"{TEST_LABELS[comparison.test][0].upper()}{TEST_LABELS[comparison.test][1:]}, p = {comparison.p_value:.4f}."
    strand_name = f'<a href="{strand_link}">{esc(strand.title)}</a>' if strand else esc(metric.strand)
    rows = [
        ("What it measures", esc(metric.description)),
        ("Strand", strand_name),
        ("Unit", UNIT_WORDS[metric.unit]),
        ("What a rise means", RISE_MEANS[metric.polarity]),
        ("Period", PERIOD_WORDS[metric.period]),
        ("Source", esc(metric.source)),
        ("Caveats", f"<ul>{caveats}</ul>"),
        ("Status of each figure", statuses),
        ("Test of the latest change", test),
        ("Last updated", last_updated(metric)),
    ]
    return '<dl class="portal-about">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def last_updated(metric: Metric) -> str:
    """Taken from the data (the latest period published), not from git history."""
    return f"Figures to {month_name(metric.observations[-1].end)}"


def downloads(metric: Metric, relative_data: str, sizes: Mapping[str, int]) -> str:
    items = []
    for kind in ("csv", "json"):
        path = f"data/metrics/{metric.id}.{kind}"
        items.append(f'<li><a href="{relative_data}{metric.id}.{kind}" download>{esc(metric.title)} ({kind.upper()}, '
                     f"{human_size(sizes[path])})</a></li>")
    return f"<ul>{''.join(items)}</ul>"


def citation(metric: Metric, site_name: str, url: str) -> str:
    latest = metric.observations[-1]
    return (f'<p class="portal-cite">{esc(site_name)}, “{esc(metric.title)}”, figures to {month_name(latest.end)}. '
            f"Source: {esc(metric.source)}. {esc(url)}</p>")


def human_size(size: int) -> str:
    return f"{size:,} bytes" if size < 1024 else f"{size / 1024:,.1f} KB"


def metrics_index(measures: list[Measure], strands: dict[str, Strand], page_url: str, relative) -> str:
    rows = []
    for m in measures:
        strand = strands.get(m.metric.strand)
        rows.append(
            f'<tr><th scope="row"><a href="{relative(m.url, page_url)}">{esc(m.metric.title)}</a></th>'
            f'<td><a href="{relative(f"strands/{m.metric.strand}/", page_url)}">{esc(strand.title if strand else m.metric.strand)}</a></td>'
            f"<td>{esc(m.latest_words)}</td><td>{esc(m.earlier_words)}</td><td>{verdict_badge(m.verdict)}</td></tr>"
        )
    return ('<div class="portal-table-wrap"><table class="portal-table"><caption>Every measure, its latest figure and the change</caption>'
            '<thead><tr><th scope="col">Measure</th><th scope="col">Strand</th><th scope="col">Latest figure</th>'
            '<th scope="col">Compared with</th><th scope="col">Change</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def strand_cards(strands: list[Strand], measures: list[Measure], page_url: str, relative) -> str:
    cards = []
    for strand in strands:
        own = [m for m in measures if m.metric.strand == strand.id]
        planned = '<p class="portal-planned"><strong>Planned</strong>: joins the strategy at a later refresh.</p>' \
            if strand.status == "planned" else ""
        items = "".join(
            f'<li><a href="{relative(m.url, page_url)}">{esc(m.metric.title)}</a>: {esc(m.latest_words)} {verdict_badge(m.verdict)}</li>'
            for m in own
        )
        body = f"<ul>{items}</ul>" if items else ("" if planned else "<p>No published measures yet.</p>")
        cards.append(
            f'<li class="portal-card"><h3><a href="{relative(f"strands/{strand.id}/", page_url)}">{esc(strand.title)}</a></h3>'
            f"{planned}<p>{esc(strand.summary)}</p>{body}</li>"
        )
    return f'<ul class="portal-cards">{"".join(cards)}</ul>'


def data_files(listing: list[tuple[str, str, int]], page_url: str, relative) -> str:
    rows = "".join(
        f'<tr><th scope="row"><a href="{relative(path, page_url)}">{esc(path)}</a></th><td>{esc(what)}</td>'
        f'<td class="portal-num">{human_size(size)}</td></tr>'
        for path, what, size in listing
    )
    return ('<div class="portal-table-wrap"><table class="portal-table"><caption>Files you can download</caption>'
            '<thead><tr><th scope="col">File</th><th scope="col">What it holds</th><th scope="col" class="portal-num">Size</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


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
