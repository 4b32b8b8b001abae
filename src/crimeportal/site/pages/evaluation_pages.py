"""The Evaluations page, a page per evaluation, a strand page's Evaluations section, the board report's, and each
evaluation's JSON download.

The pages' markdown holds only the portal's own words, headings and block markers; every value from an evaluation
file (title, question, areas, caveats) reaches the HTML through the autoescaping templates, and a title reaches the
markdown only through `markdown_text`. Every result is stated in words and numbers with its method.
"""

from __future__ import annotations

from typing import Callable

import yaml

from ...core.conventions import EVALUATION_PAGES
from ...core.evaluation import MARYLAND_MEANINGS, STATUS_WORDS, Evaluation, Result, months_between
from ...core.formats import long_date, month_name
from ...core.model import Portal
from ..blocks import marker
from ..charts import evaluation_chart, evaluation_map
from .delivery_html import action_anchor
from ..escaping import markdown_text
from .render import image_downloads, table as render_table
from ..templates import Markup, render
from ..publishing.evaluation_data import json_path

FOLDER = EVALUATION_PAGES
PAGE = f"{FOLDER}/index.md"
TITLE = "Evaluations"
ABOUT_METHOD = "about/how-we-judge-change.md"
DESIGN_WORDS = {"before-after": "Before and after, in the test areas only",
                "comparison-areas": "Test areas against comparison (control) areas, before and after",
                "randomised": "Test and control areas chosen at random, before and after"}
GROUP_WORDS = {"test": "Test areas", "control": "Control areas", "displacement": "Displacement areas (around the test areas)",
               "displacement_control": "Control for the displacement areas"}
SIGNIFICANCE = 0.05
# A result's parts, each a block on the evaluation's page, in the order the page shows them.
PARTS = ("facts", "areas", "chart", "result", "expected", "registered", "caveats", "actions", "downloads")


def page_path(evaluation_id: str) -> str:
    return f"{FOLDER}/{evaluation_id}.md"


# --- markdown ----------------------------------------------------------------------------------------------


def generated_pages(portal: Portal) -> dict[str, str]:
    """Nothing for a portal without evaluations: no empty page and no navigation entry."""
    if not portal.evaluations:
        return {}
    pages = {PAGE: index_markdown()}
    pages.update({page_path(e.id): evaluation_markdown(e) for e in portal.evaluations})
    return pages


def index_markdown() -> str:
    front = yaml.safe_dump({"title": TITLE})
    return (f"---\n{front}---\n\n# {TITLE}\n\n"
            "Whether an operation worked, as its evaluation finds it: the question, how the operation's areas are "
            "compared with others, and the result with the method that produced it. Each evaluation is listed here "
            "from the day it is planned, so that its design is public before its results are in.\n\n"
            f"{marker('evaluation', 'index')}\n")


def evaluation_markdown(evaluation: Evaluation) -> str:
    front = yaml.safe_dump({"title": evaluation.title}, allow_unicode=True)
    headings = {"facts": "The question and the design", "areas": "Areas", "chart": "Month by month", "result": "Result",
                "expected": "Expected and found", "registered": "Registered in advance?", "caveats": "Caveats",
                "actions": "Actions it evaluates", "downloads": "Downloads"}
    parts = "\n".join(f"## {headings[part]}\n\n{marker('evaluation', f'{evaluation.id}.{part}')}\n" for part in PARTS)
    return f"---\n{front}---\n\n# {markdown_text(evaluation.title)}\n\n{parts}"


def strand_section(portal: Portal, strand_id: str) -> str:
    """A strand page's Evaluations section; nothing for a strand without evaluations."""
    if not any(e.strand == strand_id for e in portal.evaluations):
        return ""
    return f"\n\n## Evaluations\n\n{marker('evaluation', f'strand.{strand_id}')}\n"


def board_markdown(portal: Portal) -> str:
    """The board report's (and so the board pack's) Evaluations section; nothing without evaluations."""
    if not portal.evaluations:
        return ""
    return f"## Evaluations {{#evaluations .portal-report-strand}}\n\n{marker('evaluation', 'board')}\n\n"


# --- words -------------------------------------------------------------------------------------------------


def p_words(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def months_words(span: tuple[str, str] | None) -> str:
    if span is None:
        return "not chosen yet"
    start, end = span
    return f"{month_name(start)} to {month_name(end)} ({months_between(start, end)} months)"


def percent_change(before: int, after: int) -> str:
    if before == 0:
        return "from none"
    change = (after - before) / before * 100
    return f"{'up' if change > 0 else 'down'} {abs(change):.0f}%" if round(change) else "no change"


def status_line(evaluation: Evaluation, result: Result) -> str:
    if result.status == "results":
        return "The results are in."
    if result.status == "running":
        return f"The operation is under way ({months_words(evaluation.after)}); the results are to come."
    if not evaluation.groups:
        return "Planned: the areas and the results are to come."
    return "Planned: the results are to come."


def result_sentences(evaluation: Evaluation, result: Result) -> list[str]:
    """The result in words and numbers, each sentence naming its method."""
    if result.status != "results":
        return [status_line(evaluation, result),
                "Nothing is concluded until the counts for the before and after months are in."]
    test = evaluation.counts["test"]
    said = [f"In the test areas, {test.before:,} crimes were recorded in the before months and {test.after:,} in the "
            f"after months ({percent_change(test.before, test.after)})."]
    if result.before_after is not None:
        ba = result.before_after
        verdict = ("a statistically significant change" if ba.p_value is not None and ba.p_value < SIGNIFICANCE
                   else "no significant change")
        said.append(f"That is {verdict} ({ba.method}, {p_words(ba.p_value) if ba.p_value is not None else 'no test with no crimes'}). "
                    "This design cannot separate the operation from everything else that changed over the same months "
                    "(the season, other operations, how crimes were recorded), so it cannot say the operation caused it.")
        return said
    control = evaluation.counts["control"]
    said.append(f"In the control areas, {control.before:,} and {control.after:,} "
                f"({percent_change(control.before, control.after)}).")
    rr = result.rate_ratio
    if rr is None:
        said.append("The rate ratio cannot be worked out, as one of the counts is zero.")
    else:
        relative = (rr.ratio - 1) * 100
        direction = "lower" if relative < 0 else "higher"
        significant = rr.p_value < SIGNIFICANCE
        said.append(f"The rate ratio is {rr.ratio:.2f} (95% interval {rr.low:.2f} to {rr.high:.2f}; {p_words(rr.p_value)}): "
                    f"allowing for the change in the control areas, crime in the test areas was {abs(relative):.0f}% "
                    f"{direction} than it would otherwise have been. "
                    + ("The difference is statistically significant at the 5% level."
                       if significant else "The difference could be chance: no significant change."))
        said.append(f"Method: {rr.method}.")
    w = result.wdd
    if w is not None:
        displaced = (f"displacement estimate {w.displacement:+,} (the displacement areas against their control)"
                     if w.displacement is not None else
                     "no displacement areas were counted, so whether crime moved to nearby areas was not checked")
        z = f", z = {w.z:.2f}, {p_words(w.p_value)}" if w.z is not None and w.p_value is not None else ""
        said.append(f"Weighted Displacement Difference: local estimate {w.local:+,} crimes, {displaced}; "
                    f"total {w.total:+,} crimes (standard error {w.se:.1f}{z}). Negative means fewer crimes. "
                    f"Method: {w.method}.")
    return said


def expected_sentence(evaluation: Evaluation, result: Result) -> str:
    if evaluation.expected_direction is None:
        return "No expected effect was stated before the results."
    size = (f" of at least {evaluation.smallest_effect_percent:g}%" if evaluation.smallest_effect_percent else "")
    article = "an" if evaluation.expected_direction == "increase" else "a"
    expected = f"Expected: {article} {evaluation.expected_direction}{size}."
    if result.status != "results":
        return expected + " Found: the results are to come."
    rr = result.rate_ratio
    if rr is not None:
        found = "a fall" if rr.ratio < 1 else "a rise"
        significant = "statistically significant" if rr.p_value < SIGNIFICANCE else "not statistically significant"
        return f"{expected} Found: {found} of {abs(rr.ratio - 1) * 100:.0f}% against the control areas, {significant}."
    ba = result.before_after
    if ba is not None and ba.change_percent is not None:
        significant = "statistically significant" if ba.p_value is not None and ba.p_value < SIGNIFICANCE else "not statistically significant"
        return f"{expected} Found: a change of {ba.change_percent:+.0f}% in the test areas, {significant}."
    return expected + " Found: no comparison can be made from these counts."


def registered_sentence(evaluation: Evaluation, result: Result) -> str:
    start = month_name(evaluation.after[0])
    registered = evaluation.registration()
    if registered is None:
        return ("No date is given for when this design was first published, and no release of this portal has "
                "published it yet, so it is not shown as registered in advance.")
    published = long_date(registered.isoformat())
    where = evaluation.published_in
    source = (f" in this portal's {where.release} release" if where and where.published == registered else "")
    if result.registered_in_advance:
        return f"Yes: the design was first published on {published}{source}, before the operation began in {start}."
    return (f"No: the design was first published on {published}{source}, after the operation began in {start}. A "
            "design fixed once an operation is under way could have been chosen knowing how it was going, so read "
            "its result with that in mind.")


def design_facts(evaluation: Evaluation, result: Result) -> list[tuple[str, str]]:
    level = result.maryland_level
    return [("Question", evaluation.question),
            *([("About the operation", evaluation.summary)] if evaluation.summary else []),
            ("Status", status_line(evaluation, result)),
            ("Design", DESIGN_WORDS[evaluation.design]),
            ("Strength of the design", MARYLAND_MEANINGS[level] + " (Maryland Scientific Methods Scale)" if level else
             "Not placed on the Maryland Scientific Methods Scale"),
            ("Crime counted", evaluation.crime or "Not stated yet"),
            ("Before months", months_words(evaluation.before)),
            ("After months (the operation)", months_words(evaluation.after))]


# --- HTML --------------------------------------------------------------------------------------------------


def index_table(evaluations: list[Evaluation], results: dict[str, Result], link: Callable[[str], str],
                strands: dict[str, str], caption: str) -> Markup:
    rows = [render("evaluation_row.html", href=link(f"{FOLDER}/{e.id}/"), title=e.title,
                   strand=strands.get(e.strand, e.strand), status=STATUS_WORDS[results[e.id].status],
                   level=str(results[e.id].maryland_level or "Not placed"), headline=headline(e, results[e.id]))
            for e in evaluations]
    columns = [("Evaluation", False), ("Strand", False), ("Status", False), ("Maryland level", True), ("Result", False)]
    return render_table(caption=caption, columns=columns, rows=rows)


def headline(evaluation: Evaluation, result: Result) -> str:
    """The result in one line, for tables."""
    if result.status != "results":
        return status_line(evaluation, result)
    if result.rate_ratio is not None:
        rr = result.rate_ratio
        return f"Rate ratio {rr.ratio:.2f} (95% interval {rr.low:.2f} to {rr.high:.2f}, {p_words(rr.p_value)})"
    if result.before_after is not None and result.before_after.change_percent is not None:
        ba = result.before_after
        return f"Change {ba.change_percent:+.0f}% in the test areas (before and after only)"
    return "No comparison can be made from these counts"


def record_headline(record: dict) -> str:
    """The result in one line from a published record (data/evaluations/<id>.json), for What changed."""
    if record.get("rate_ratio") is not None:
        low, high = record["rate_ratio_ci"]
        return (f"rate ratio {record['rate_ratio']:.2f} (95% interval {low:.2f} to {high:.2f}, "
                f"{p_words(record['rate_ratio_p'])})")
    if record.get("before_after_change_percent") is not None:
        return f"change {record['before_after_change_percent']:+.0f}% in the test areas (before and after only)"
    return "results in; no comparison can be made from the counts"


def chart_words(evaluation: Evaluation, result: Result) -> str:
    """What stands in for the chart when there is none to draw."""
    if result.status != "results":
        return "A chart of each group's crimes month by month will be here once the counts are in."
    return ("The counts were given as totals for the before and after months, not month by month, so there is no "
            "chart by month. Counting them with the police.uk import records each month.")


def chart_html(evaluation: Evaluation, result: Result, chart: str | None, link: Callable[[str], str],
               release: str) -> Markup:
    """The chart by month with its downloads, or why there is none; `chart` as drawn, from `release`."""
    if not chart:
        return render("plain_paragraph.html", text=chart_words(evaluation, result))
    return render("evaluation_chart.html", svg=Markup(chart),
                  downloads=image_downloads(link, evaluation_chart.download_path(evaluation.id, release)))


def areas_html(portal: Portal, evaluation: Evaluation, link: Callable[[str], str], area_map: str | None) -> Markup:
    """Each group's areas and counts, after the map of its districts when there is one."""
    lsoas = evaluation_map.has_lsoas(evaluation, portal)
    return render("evaluation_areas.html", groups=_groups(portal, evaluation, link), map=Markup(area_map or ""),
                  lsoas_unmapped=bool(area_map) and lsoas,
                  empty="The areas are to come: they have not been published yet.")


def part_html(portal: Portal, evaluation: Evaluation, result: Result, part: str, link: Callable[[str], str]) -> Markup:
    if part == "facts":
        return render("evaluation_facts.html", facts=design_facts(evaluation, result))
    if part == "result":
        return render("evaluation_paragraphs.html", paragraphs=result_sentences(evaluation, result),
                      method_href=link("about/how-we-judge-change/#evaluations"))
    if part == "expected":
        return render("plain_paragraph.html", text=expected_sentence(evaluation, result))
    if part == "registered":
        return render("plain_paragraph.html", text=registered_sentence(evaluation, result))
    if part == "caveats":
        return render("evaluation_list.html", items=list(evaluation.caveats), empty="None stated.")
    if part == "actions":
        actions = [a for a in portal.actions if a.id in evaluation.actions]
        return render("link_list.html", items=[{"href": link(action_anchor(a)), "title": a.title, "words": ""}
                                               for a in actions]) if actions else render(
            "plain_paragraph.html", text="It evaluates no action of the delivery plan.")
    if part == "downloads":
        return render("link_list.html", items=[{"href": link(json_path(evaluation.id)), "title": f"{evaluation.id}.json",
                                                "words": ": the design, the counts and every result, with its method"}])
    raise ValueError(part)


def _groups(portal: Portal, evaluation: Evaluation, link: Callable[[str], str]) -> list[dict]:
    groups = []
    for group, areas in evaluation.groups.items():
        shown = []
        for area_id in areas:
            area = portal.area(area_id)
            shown.append({"href": link(f"areas/{area.id}/") if area else None,
                          "name": area.name if area else f"LSOA {area_id}"})
        counts = evaluation.counts.get(group)
        groups.append({"label": GROUP_WORDS[group], "areas": shown,
                       "counts": f"{counts.before:,} before, {counts.after:,} after" if counts else "Not counted yet"})
    return groups
