"""An evaluation's chart: each group's crimes month by month, the operation's months shaded.

Drawn only from counts by month (`by_month`, which the police.uk import writes): totals typed for the before and
after months say nothing of the months between, so no line is drawn from them. Counts are on a zero baseline; a
line is broken wherever months are missing between the before and after months, so it never draws across them.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial

from ...core.evaluation import Evaluation
from ...core.formats import month_name
from .share import FOLDER, ChartCaption
from .specs import DARK_BLUE, FONT_SIZE, GREY, ORANGE, TEXT, ChartJob, HEIGHT, WIDTH

# a colour and a point shape for each group, so that no group is told apart by colour alone
GROUP_STYLES = {"test": ("Test areas", DARK_BLUE, "circle"), "control": ("Control areas", ORANGE, "square"),
                "displacement": ("Displacement areas", "#28A197", "triangle-up"),
                "displacement_control": ("Displacement control", "#801650", "diamond")}
OPERATION_FILL = "#E6E6E6"


def job_id(evaluation_id: str) -> str:
    return f"evaluation:{evaluation_id}"


def evaluation_job(evaluation: Evaluation, version: str) -> ChartJob | None:
    """The chart's job, or None when no group has its counts month by month."""
    rows = chart_rows(evaluation)
    if not rows:
        return None
    after = (evaluation.after[0] + "-01", _month_after(evaluation.after[1]) + "-01")
    groups = [GROUP_STYLES[g][0] for g in GROUP_STYLES if any(r["group"] == GROUP_STYLES[g][0] for r in rows)]
    key = hashlib.sha256(json.dumps([version, "evaluation", rows, after], sort_keys=True).encode()).hexdigest()[:32]
    return ChartJob(key, partial(_spec, rows, after, groups), f"Chart: {evaluation.title}, crimes each month",
                    description(evaluation, groups))


def file_stem(evaluation_id: str, release: str) -> str:
    """The downloads' name, in a folder of their own so that no measure's can share it."""
    return f"evaluations/{evaluation_id}-{release}"


def download_path(evaluation_id: str, release: str) -> str:
    """The SVG's and the PNG's address from the site's root, without .svg or .png."""
    return f"{FOLDER}/{file_stem(evaluation_id, release)}"


def caption(evaluation: Evaluation, licence: str, release: str) -> ChartCaption:
    """What the shared image carries: the counts are the portal's own, published with the evaluation."""
    assert evaluation.before is not None  # counts need the before months
    return ChartCaption(f"{evaluation.title}: crimes each month", f"{month_name(evaluation.before[0])} – "
                        f"{month_name(evaluation.after[1])}, the operation from {month_name(evaluation.after[0])}",
                        f"crimes{' (' + evaluation.crime + ')' if evaluation.crime else ''} counted in each group's "
                        f"areas, published in data/evaluations/{evaluation.id}.json", licence, release)


def chart_rows(evaluation: Evaluation) -> list[dict]:
    """One row a month for each group counted by month; `segment` numbers the runs of consecutive months."""
    rows = []
    for group, counts in evaluation.counts.items():
        segment, previous = 0, None
        for month, count in counts.by_month:
            if previous is not None and _month_after(previous) != month:
                segment += 1  # months missing between: the line stops here and starts again
            rows.append({"month": month + "-01", "group": GROUP_STYLES[group][0], "count": count,
                         "segment": f"{group}-{segment}"})
            previous = month
    return rows


def description(evaluation: Evaluation, groups: list[str]) -> str:
    assert evaluation.before is not None  # counts need the before months
    first, last = evaluation.before[0], evaluation.after[1]
    named = [g.lower() for g in groups]
    listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return (f"Line chart of the crimes counted each month in the {listed}, from "
            f"{month_name(first)} to {month_name(last)}, on an axis from zero. The operation's months, "
            f"{month_name(evaluation.after[0])} to {month_name(evaluation.after[1])}, are shaded. A gap in a line is "
            f"months that were not counted. The counts are in the table of areas on this page and in the download.")


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def _spec(rows: list[dict], after: tuple[str, str], groups: list[str]) -> dict:
    """The Vega-Lite spec, made only when the chart is not in the cache."""
    import altair as alt

    styles = [s for s in GROUP_STYLES.values() if s[0] in groups]
    colour = alt.Color("group:N", title=None, sort=groups, scale=alt.Scale(domain=groups, range=[s[1] for s in styles]),
                       legend=alt.Legend(orient="bottom", direction="vertical", labelFontSize=FONT_SIZE, labelColor=TEXT))
    shape = alt.Shape("group:N", sort=groups, scale=alt.Scale(domain=groups, range=[s[2] for s in styles]), legend=None)
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelFontSize=FONT_SIZE, labelOverlap=True, grid=False))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x, y=alt.Y(
        "count:Q", title="Crimes a month", scale=alt.Scale(zero=True, nice=True),
        axis=alt.Axis(titleFontSize=FONT_SIZE, labelFontSize=FONT_SIZE, titleColor=TEXT, tickCount=4)))
    operation = alt.Chart(alt.Data(values=[{"start": after[0], "end": after[1], "label": "Operation"}]))
    shading = operation.mark_rect(color=OPERATION_FILL).encode(x="start:T", x2="end:T")
    label = operation.mark_text(align="left", baseline="top", dx=3, dy=3, fontSize=FONT_SIZE, color=TEXT).encode(
        x="start:T", y=alt.value(0), text="label:N")
    lines = base.mark_line(strokeWidth=2).encode(color=colour, detail="segment:N")
    points = base.mark_point(filled=True, size=40, opacity=1).encode(color=colour, shape=shape)
    return (alt.layer(shading, label, lines, points).properties(width=WIDTH, height=HEIGHT)
            .configure(background="white", font="Arial, Helvetica, sans-serif", aria=False, padding=4,
                       axis={"domainColor": GREY, "tickColor": GREY, "labelColor": TEXT})
            .configure_view(stroke=None).to_dict(validate=False))
