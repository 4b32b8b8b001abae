"""An evaluation's chart by month: drawn only from counts by month, on a zero baseline, never across missing months."""

from __future__ import annotations

from crimeportal.core.evaluation import Counts, Evaluation
from crimeportal.site.charts.evaluation_chart import chart_rows, evaluation_job


def _months(start: int, values: list[int], year: int = 2019) -> tuple[tuple[str, int], ...]:
    return tuple((f"{year}-{start + i:02d}", v) for i, v in enumerate(values))


def _trial(before: tuple[str, str], test: Counts, control: Counts | None = None) -> Evaluation:
    counts = {"test": test, **({"control": control} if control else {})}
    return Evaluation(id="t", title="T", strand="s", question="Q?", design="comparison-areas", before=before,
                      after=("2019-09", "2019-10"), groups={"test": ("a",), "control": ("b",)}, counts=counts)


def test_a_line_breaks_where_months_were_not_counted() -> None:
    # the same months a year before, then the operation's: the line must not join August 2018 to September 2019
    apart = _trial(("2018-09", "2018-10"), Counts(9, 5, _months(9, [4, 5], 2018) + _months(9, [3, 2])))
    assert [r["segment"] for r in chart_rows(apart)] == ["test-0", "test-0", "test-1", "test-1"]
    together = _trial(("2019-07", "2019-08"), Counts(9, 5, _months(7, [4, 5, 3, 2])), Counts(8, 8, _months(7, [4, 4, 4, 4])))
    assert {r["segment"] for r in chart_rows(together)} == {"test-0", "control-0"}
    assert [r["group"] for r in chart_rows(together)] == ["Test areas"] * 4 + ["Control areas"] * 4


def test_no_chart_from_totals_alone() -> None:
    assert evaluation_job(_trial(("2019-07", "2019-08"), Counts(9, 5)), "v") is None


def test_counts_from_zero_with_the_operation_shaded() -> None:
    trial = _trial(("2019-07", "2019-08"), Counts(9, 5, _months(7, [4, 5, 3, 2])))
    job = evaluation_job(trial, "v")
    shading, label, line, points = job.data()["layer"]
    assert line["encoding"]["y"]["scale"]["zero"] is True
    assert line["encoding"]["detail"]["field"] == "segment"
    assert shading["mark"]["type"] == "rect"
    # from the first day of the operation to the end of its last month (October 2019)
    assert shading["data"]["values"] == [{"start": "2019-09-01", "end": "2019-11-01", "label": "Operation"}]
    assert [v["count"] for v in line["data"]["values"]] == [4, 5, 3, 2]
    assert job.label == "Chart: T, crimes each month"
