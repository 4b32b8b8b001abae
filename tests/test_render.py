"""Headline sentences, tables and escaping, checked on the HTML and text they produce."""

from __future__ import annotations


from html_tree import parse

from crimeportal.core.formats import format_value, period_words
from crimeportal.core.model import Metric, Observation
from crimeportal.site.pages.render import Measure, data_table, describe, headline, verdict_badge
from crimeportal.core.stats import assess


def metric(values: list[tuple[str, float | None]], *, unit="count", polarity="lower-is-better",
           period="rolling-3-months", title="Knife-enabled crime offences", **observation_fields) -> Metric:
    observations = [Observation(end, value, **observation_fields) for end, value in values]
    return Metric(id="m", title=title, strand="s", description="d", unit=unit, polarity=polarity,
                  period=period, source="src", observations=observations)


def measure(m: Metric) -> Measure:
    return Measure(m, assess(m), True, "metrics/m/")


def test_uk_formats_and_periods_in_words():
    assert format_value(1948, "count") == "1,948"
    assert format_value(46.28, "percent") == "46.28%"
    assert format_value(12.5, "rate") == "12.5"
    assert format_value(None, "count") == "withheld"
    assert period_words("2019-07", "rolling-3-months") == "3 months to July 2019"
    assert period_words("2019-07", "month") == "July 2019"
    assert period_words("2019-03", "financial-year") == "financial year 2018/19"
    assert period_words("2019-12", "year") == "year 2019"


def test_headline_states_count_change_in_per_cent_with_the_verdict():
    m = measure(metric([("2018-07", 169), ("2019-07", 176)]))
    assert headline(m) == ("176 in the 3 months to July 2019, up 4.1% from 169 in the 3 months to July 2018, "
                           "the same period a year earlier: not a statistically significant change.")
    assert describe(m) == ("Knife-enabled crime offences: 176 in the 3 months to July 2019, up 4.1% from 169 "
                           "in the 3 months to July 2018, the same period a year earlier: "
                           "not a statistically significant change (exact Poisson test; p = 0.747; it assumes the "
                           "count varies only by chance, so it may call ordinary ups and downs significant).")


def test_headline_states_percent_change_in_points_and_why_it_cannot_be_assessed():
    m = measure(metric([("2018-07", 46.43), ("2019-07", 46.28)], unit="percent"))
    assert headline(m) == ("46.28% in the 3 months to July 2019, down 0.15 percentage points from 46.43% in the "
                           "3 months to July 2018, the same period a year earlier: whether this is a real change cannot be assessed, because the percentages were "
                           "published without the counts behind them.")


def test_headline_names_a_significant_deterioration_and_previous_period():
    m = measure(metric([("2019-06", 804), ("2019-07", 707)], polarity="higher-is-better", period="month"))
    # the exact test alone would call this a deterioration (p = 0.013), but June to July is also the time of year,
    # and two figures cannot show how much the series moves by itself
    assert headline(m) == ("707 in July 2019, down 12.1% from 804 in June 2019, the previous period (there is no "
                           "figure for the same period a year earlier, so the comparison does not allow for the time "
                           "of year): whether this is a real change cannot be assessed, because the series has too "
                           "few earlier figures (at least 6 are needed) to tell a change from its usual ups and downs "
                           "and the time of year.")


def test_headline_with_one_observation():
    m = measure(metric([("2019-07", 176)]))
    assert headline(m) == "176 in the 3 months to July 2019. There is no earlier figure to compare it with."


def test_verdict_badge_has_icon_and_word_not_colour_alone():
    badge = parse(str(verdict_badge("deterioration"))).find("span")
    assert badge.classes == {"portal-verdict", "portal-verdict--deterioration"}
    icon = badge.find("span", class_="portal-verdict__icon")
    assert (icon.attrs["aria-hidden"], icon.text) == ("true", "!")
    assert badge.text == "! Deterioration"


def test_table_has_caption_scoped_headers_right_aligned_numbers_and_escapes_text():
    m = metric([("2018-07", 1948), ("2019-07", 1761)], title="<script>alert(1)</script> burglary", note="a <b>note</b>")
    html = data_table(measure(m))
    assert "<script>" not in html and "<b>" not in html
    assert "<caption>&lt;script&gt;alert(1)&lt;/script&gt; burglary: figures by period</caption>" in html
    assert html.count('<th scope="col"') == 4 and html.count('<th scope="row">') == 2
    assert '<td class="portal-num">1,948</td>' in html
    assert "a &lt;b&gt;note&lt;/b&gt;" in html


def test_table_marks_withheld_figures_and_status():
    m = metric([("2018-07", 10), ("2019-07", None)], suppressed=False)
    m.observations[1] = Observation("2019-07", None, status="provisional", suppressed=True)
    html = data_table(measure(m))
    assert "<td>Provisional</td>" in html and "Withheld to protect people" in html
    assert '<td class="portal-num">withheld</td>' in html


def test_a_badge_on_a_page_links_to_how_we_judge_change():
    html = verdict_badge("improvement", lambda target: "../" + target)
    assert html.startswith('<a class="portal-verdict portal-verdict--improvement" '
                           'href="../about/how-we-judge-change/#the-words-we-use"')
    assert html.endswith("</span> Improvement</a>")


def test_the_headline_paragraph_links_its_verdict_and_p_value_and_marks_caveats_and_statuses():
    from crimeportal.site.pages.render import headline_paragraph

    m = metric([("2018-07", 1948), ("2019-07", 1761), ("2019-10", 1790)])
    m.observations[1] = Observation("2019-07", 1761, status="revised")
    m.observations[2] = Observation("2019-10", 1790, status="provisional")
    m.caveats = ["The <b>source</b> does not say."]
    html = headline_paragraph(measure(m), lambda target: "../../" + target, "#caveats")
    assert '<a class="portal-caveat-marker" data-search-exclude href="#caveats"><span aria-hidden="true">⚠</span> 1 caveat' in html
    assert '<a href="../../about/glossary/#no-significant-change">not a statistically significant change</a>' in html
    assert "1,790 (provisional) in the 3 months to October 2019, up 1.6% from 1,761 (revised)" in html
    assert ("<strong>Compared:</strong> previous period, as the series has no figure for the same period a year "
            "earlier, so it does not allow for the time of year: 3 months to October 2019 (1,790, provisional) with "
            "3 months to July 2019 (1,761, revised).") in html
    assert "; it assumes the count varies only by chance, so it may call ordinary ups and downs significant." in html
    assert '<a href="../../about/how-we-judge-change/#what-significant-means">p = 0.638</a>' in html
    assert "<b>" not in html


def test_a_measure_without_caveats_has_no_marker_and_index_words_name_the_basis():
    m = measure(metric([("2018-07", 169), ("2019-07", 176)]))
    from crimeportal.site.pages.render import caveat_marker
    assert caveat_marker(m.metric, "#caveats") == ""
    assert m.earlier_words == "169 (3 months to July 2018); year on year"
