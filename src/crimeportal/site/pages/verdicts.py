"""A measure's headline in words: the latest figure, what it is compared with and on what basis, the verdict.

The sentence is worked out once, in parts, so the terminal gets it as plain text and the pages get the
same words with the verdict linked to the glossary; the line under it names the basis, both figures and
the test together, so a reader never has to guess what was compared with what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...core.formats import format_change, format_percent, format_value, in_period, period_words
from ...core.model import Metric, Observation
from ...core.stats import (BASIS_PREVIOUS, BASIS_YEAR_ON_YEAR, PERIOD_MONTHS, TEST_LABELS, VERDICT_LABELS, Comparison,
                           month_index)
from ..templates import Markup, render

# Where readers learn what the words mean: relative to the site's root, made relative to each page by `link`.
HOW_WE_JUDGE = "about/how-we-judge-change/"
GLOSSARY = "about/glossary/"
GLOSSARY_IDS = {  # verdict key -> heading id on the glossary page
    "improvement": "improvement", "deterioration": "deterioration", "significant-change": "significant-change",
    "no-significant-change": "no-significant-change", "not-assessable": "cannot-be-assessed",
}
VERDICT_ICONS = {
    "improvement": "✓", "deterioration": "!", "significant-change": "◆",
    "no-significant-change": "=", "not-assessable": "?",
}
_PHRASES = {
    "improvement": "a statistically significant improvement",
    "deterioration": "a statistically significant deterioration",
    "significant-change": "a statistically significant change",
    "no-significant-change": "not a statistically significant change",
}
Link = Callable[[str], str]  # a URL from the site's root, as a link from the page being written


@dataclass(frozen=True)
class Headline:
    """The sentence in three parts, so the verdict phrase can carry a link."""

    before: str
    verdict_phrase: str = ""
    after: str = ""
    verdict: str | None = None

    @property
    def text(self) -> str:
        return self.before + self.verdict_phrase + self.after


def status_words(observation: Observation) -> str:
    """' (provisional)' or ' (revised)' after a figure that may change or has changed; nothing for a final one."""
    return "" if observation.status == "final" else f" ({observation.status})"


def status_suffix(observation: Observation | None) -> str:
    """', provisional' or ', revised' inside brackets that already name the period."""
    return "" if observation is None or observation.status == "final" else f", {observation.status}"


def headline(metric: Metric, latest: Observation | None, comparison: Comparison | None,
             earlier: Observation | None) -> Headline:
    if latest is None:
        return Headline("No figure has been published yet.")
    sentence = f"{format_value(latest.value, metric.unit)}{status_words(latest)} {in_period(latest.end, metric.period)}"
    if comparison is None:
        published = sum(1 for o in metric.observations if o.value is not None and not o.suppressed)
        if published < 2:
            return Headline(sentence + ". There is no earlier figure to compare it with.")
        return Headline(sentence + ". There is no earlier figure for the same period a year earlier, or for a "
                        "period that shares no months with it, to compare it with.")
    before = f"{sentence}, {_movement(comparison, metric, latest.end, earlier)}: "
    if comparison.verdict in _PHRASES:
        return Headline(before, _PHRASES[comparison.verdict], ".", comparison.verdict)
    reason = comparison.reason or "the figures do not allow a test"
    return Headline(before + "whether this is a real change ", "cannot be assessed", f", because {reason}.",
                    comparison.verdict)


def _movement(comparison: Comparison, metric: Metric, latest_end: str, earlier: Observation | None) -> str:
    figure = format_value(comparison.value, metric.unit) + (status_words(earlier) if earlier else "")
    from_words = f"{figure} {in_period(comparison.end, metric.period)}, {basis_words(comparison, metric, latest_end)}"
    if comparison.change == 0:
        return f"unchanged from {from_words}"
    direction = "up" if comparison.change > 0 else "down"
    if metric.unit == "percent" or comparison.change_percent is None:
        size = format_change(comparison.change, metric.unit)
    else:
        size = format_percent(comparison.change_percent)
    return f"{direction} {size} from {from_words}"


def basis_words(comparison: Comparison, metric: Metric, latest_end: str) -> str:
    """What the earlier figure is to the latest, in words a reader can check against the dates."""
    if comparison.basis == BASIS_YEAR_ON_YEAR:
        return "the same period a year earlier"
    gap = month_index(latest_end) - month_index(comparison.end)
    which = "the previous period" if gap == PERIOD_MONTHS.get(metric.period) else \
        "the latest earlier period that shares no months with it"
    seasons = ", so the comparison does not allow for the time of year" if comparison.seasonal else ""
    return f"{which} (there is no figure for the same period a year earlier{seasons})"


def basis_label(comparison: Comparison) -> str:
    return "Year on year" if comparison.basis == BASIS_YEAR_ON_YEAR else "Previous period"


def p_words(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def dispersion_words(comparison: Comparison) -> str | None:
    """How much the earlier figures vary, against chance, when that was estimated: said beside every such test."""
    if comparison.dispersion is None:
        return None
    return (f"the {comparison.dispersion_figures} earlier figures vary {comparison.dispersion:.2f} times as much as "
            f"chance alone would make them, allowing for their trend")


def test_words(comparison: Comparison) -> str:
    """The test, what it found about the series, its p-value and what it assumes, for plain-text readers."""
    parts = [TEST_LABELS[comparison.test] if comparison.test else "not tested"]
    parts += [words for words in (dispersion_words(comparison),) if words]
    if comparison.p_value is not None:
        parts.append(p_words(comparison.p_value))
    if comparison.assumption:
        parts.append(comparison.assumption)
    return "; ".join(parts)


def basis_line(metric: Metric, latest: Observation, comparison: Comparison, earlier: Observation | None,
               link: Link) -> Markup:
    """Basis, the two figures and the test, side by side under the headline."""
    test = TEST_LABELS[comparison.test] if comparison.test else None
    return render("basis_line.html", basis=basis_label(comparison),
                  previous=comparison.basis == BASIS_PREVIOUS,
                  latest=f"{format_value(latest.value, metric.unit)}{status_suffix(latest)}",
                  latest_period=period_words(latest.end, metric.period),
                  earlier=format_value(comparison.value, metric.unit) + status_suffix(earlier),
                  earlier_period=period_words(comparison.end, metric.period),
                  test=test, p=p_words(comparison.p_value) if comparison.p_value is not None else None,
                  dispersion=dispersion_words(comparison), assumption=comparison.assumption,
                  seasonal=comparison.seasonal, reason=comparison.reason,
                  # the headline already says why a verdict cannot be given; a withheld one is said here
                  withheld=comparison.reason if comparison.test and comparison.verdict == "no-significant-change" else None,
                  how=link(HOW_WE_JUDGE))


def verdict_badge(verdict: str | None, link: Link | None = None) -> Markup:
    """The verdict's icon and word, linked (when a page is being written) to how verdicts are reached."""
    if verdict is None:
        return Markup("")
    href = link(HOW_WE_JUDGE) + "#the-words-we-use" if link else None
    return render("verdict_badge.html", verdict=verdict, icon=VERDICT_ICONS[verdict],
                  label=VERDICT_LABELS[verdict], href=href)


def glossary_link(verdict: str | None, link: Link) -> str | None:
    return f"{link(GLOSSARY)}#{GLOSSARY_IDS[verdict]}" if verdict in GLOSSARY_IDS else None


def caveat_marker(metric: Metric, href: str) -> Markup:
    """A visible sign, beside a verdict, that the measure has caveats, linked to where they are written."""
    if not metric.caveats:
        return Markup("")
    return render("caveat_marker.html", href=href, count=len(metric.caveats), title=metric.title)
