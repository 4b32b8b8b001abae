"""The paths only a large portal takes: metric files checked in worker processes, and chart specs built there.

The seed portal has 8 metrics, so without these tests only `make bench` would go down either path.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from crimeportal.core.conventions import PLACEHOLDER_NOTE
from crimeportal.core.model import Portal
from crimeportal.core.problems import Problem
from crimeportal.core.stats import assess
from crimeportal.site.charts import drawing as chart_drawing, specs as charts, worker as chart_worker
from crimeportal.source import validate

REPO = Path(__file__).resolve().parents[1]
BROKEN = {
    # file name -> (text in a seed file, what replaces it)
    "broken-value.yml": ("value: 169", "value: lots"),
    "broken-negative-count.yml": ("value: 169", "value: -3"),
    "broken-typo.yml": ("title:", "titel:"),
    "broken-id.yml": ("id: knife-enabled-crime", "id: not-this-file"),
    "broken-strand.yml": ("strand: gangs-and-knife-crime", "strand: no-such-strand"),
    "broken-yaml.yml": ("unit: count", "unit: [count"),
    # placeholder text is found across files, from the metric itself: it must survive validation without figures
    "broken-placeholder.yml": ("value: 169", f"value: 169\n    note: \"{PLACEHOLDER_NOTE}\""),
}
NOTED = {"no-first-line.yml": ("# yaml-language-server", "# a comment instead")}  # a note, not a problem


def series_file(number: int) -> str:
    """A valid monthly count with 24 figures, different for every `number` so that each chart is its own."""
    values = [100 + number + (month * 7 + number * 3) % 19 for month in range(24)]
    observations = "".join(f"  - end: {2017 + m // 12}-{m % 12 + 1:02d}\n    value: {v}\n" for m, v in enumerate(values))
    return (f"{validate.SCHEMA_LINE_METRIC}\nid: series-{number:04d}\ntitle: \"Generated series {number}\"\n"
            "strand: domestic-abuse\ndescription: \"A generated monthly count.\"\nunit: count\n"
            "polarity: lower-is-better\nperiod: month\nsource: \"The test\"\nobservations:\n" + observations)


@pytest.fixture(scope="module")
def large_portal(tmp_path_factory) -> Path:
    """The seed portal with enough further metric files for parallel validation, some of them broken."""
    root = tmp_path_factory.mktemp("large")
    for name in ("content", "data", "schemas"):
        shutil.copytree(REPO / name, root / name)
    metrics = root / "data" / "metrics"
    for number in range(validate.PARALLEL_FROM):
        (metrics / f"series-{number:04d}.yml").write_text(series_file(number), encoding="utf-8")
    seed_text = (metrics / "knife-enabled-crime.yml").read_text(encoding="utf-8")
    for name, (old, new) in {**BROKEN, **NOTED}.items():
        text = seed_text.replace(old, new, 1)
        if name != "broken-id.yml":
            text = text.replace("id: knife-enabled-crime", f"id: {Path(name).stem}")
        (metrics / name).write_text(text, encoding="utf-8")
    (metrics / "broken-bytes.yml").write_bytes(seed_text.replace("id: knife-enabled-crime", "id: broken-bytes")
                                               .encode("utf-8").replace(b"Essex", b"Ess\xffex"))
    return root


class CountingPool(ProcessPoolExecutor):
    started = 0

    def __init__(self, *args, **kwargs) -> None:
        CountingPool.started += 1
        super().__init__(*args, **kwargs)


def load(root: Path, parallel: bool, figures: bool = True) -> tuple[Portal, list[Problem], list[Problem]]:
    """load_portal, made to take one path or the other whatever the machine's core count."""
    with pytest.MonkeyPatch.context() as patch:
        # only the parent decides: the spawned workers never read either value
        patch.setattr(validate.os, "cpu_count", lambda: 2)
        patch.setattr(validate, "PARALLEL_FROM", validate.PARALLEL_FROM if parallel else 10**9)
        patch.setattr(validate, "ProcessPoolExecutor", CountingPool)
        before = CountingPool.started
        checked = validate.check_portal(root, figures=figures)
        assert CountingPool.started - before == (1 if parallel else 0)
    return checked.portal, checked.problems, checked.notes


@pytest.fixture(scope="module")
def both_ways(large_portal):
    return load(large_portal, parallel=True), load(large_portal, parallel=False)


def test_parallel_validation_finds_exactly_what_serial_validation_finds(both_ways):
    (parallel_portal, parallel_problems, parallel_notes), (serial_portal, serial_problems, serial_notes) = both_ways
    assert parallel_problems == serial_problems
    assert parallel_notes == serial_notes
    assert parallel_portal.metrics == serial_portal.metrics
    assert parallel_portal.strands == serial_portal.strands


@pytest.mark.parametrize("parallel", [True, False])
def test_validation_without_figures_finds_exactly_what_validation_with_them_finds(both_ways, large_portal, parallel):
    with_figures = both_ways[0] if parallel else both_ways[1]
    portal, problems, notes = load(large_portal, parallel, figures=False)
    assert (problems, notes) == with_figures[1:]
    assert any("placeholder text from `crimeportal new`" in p.message and p.file.endswith("broken-placeholder.yml")
               for p in problems)
    assert [m.id for m in portal.metrics] == [m.id for m in with_figures[0].metrics]
    assert all(m.observations == [] for m in portal.metrics if m.id != "broken-placeholder")


def test_workers_are_forked_only_while_no_other_thread_runs(monkeypatch):
    # other tests may leave threads behind (servers, the chart renderer's): state the count rather than rely on it
    monkeypatch.setattr(validate.threading, "active_count", lambda: 1)
    assert validate._start_method().get_start_method() == "fork"
    monkeypatch.setattr(validate.threading, "active_count", lambda: 2)
    assert validate._start_method().get_start_method() == "spawn"


def test_parallel_validation_names_every_broken_file_and_keeps_every_good_one(both_ways):
    (portal, problems, notes), _ = both_ways
    said: dict[str, str] = {}
    for problem in problems:
        said[Path(problem.file).name] = said.get(Path(problem.file).name, "") + problem.as_text() + "\n"
    assert set(said) == set(BROKEN) | {"broken-bytes.yml"}
    assert re.search(r"broken-value.yml:\d+:\d+: value in the figure for the 3 months to July 2018: must be a number", said["broken-value.yml"])
    assert "count must be a whole number, 0 or more; found -3" in said["broken-negative-count.yml"]
    assert "titel: is not a field this file can have; did you mean 'title'?" in said["broken-typo.yml"]
    assert "must be the same as the file name, 'broken-id'" in said["broken-id.yml"]
    assert "strand: there is no strand page" in said["broken-strand.yml"]
    assert [Path(n.file).name for n in notes] == ["no-first-line.yml"]
    assert "the first line is usually '# yaml-language-server" in notes[0].message
    assert "broken-yaml.yml:6:7: a bracket opened here is not closed" in said["broken-yaml.yml"]
    assert "broken-bytes.yml:9:13: the file is not saved as UTF-8 text" in said["broken-bytes.yml"]
    assert "broken-placeholder.yml:17:1: this is placeholder text" in said["broken-placeholder.yml"]
    assert "Traceback" not in "".join(said.values())
    ids = {m.id for m in portal.metrics}
    assert {f"series-{n:04d}" for n in range(validate.PARALLEL_FROM)} <= ids
    # a file whose only problem is across files (its strand) still passed its own checks
    assert "broken-value" not in ids and "broken-strand" in ids and "no-first-line" in ids


def test_more_charts_than_specs_here_up_to_get_their_specs_built_in_the_workers(both_ways, tmp_path, monkeypatch):
    (portal, _, _), _ = both_ways
    seed = [m for m in portal.metrics if not m.id.startswith(("series-", "broken-", "no-first-line"))]  # each chart its own
    metrics = seed + [m for m in portal.metrics if m.id.startswith("series-")][: chart_drawing.Charts.SPECS_HERE_UP_TO + 1 - len(seed)]
    version = chart_drawing.cache_version()
    jobs = {m.id: charts.chart_job(m, assess(m), version) for m in metrics}
    assert len(jobs) > chart_drawing.Charts.SPECS_HERE_UP_TO

    built_here = []
    original_spec = charts.vega_lite_spec
    monkeypatch.setattr(charts, "vega_lite_spec", lambda data, *share: built_here.append(data) or original_spec(data, *share))
    drawn = chart_drawing.Charts(jobs, tmp_path / "cache")
    svgs = {metric_id: drawn.svg(metric_id) for metric_id in jobs}
    drawn.close()
    assert built_here == []  # every spec was built in a worker, from the chart's plain data
    assert drawn.rendered == len(jobs) and drawn.from_cache == 0
    assert len(list((tmp_path / "cache").glob("*.svg"))) == len(jobs)

    # the same SVG as a spec built here and rendered here, for a bar comparison and a series with limits
    for metric_id in ("residential-burglary-offences", "series-0001"):
        job = jobs[metric_id]
        reference = chart_worker.render_batch([original_spec(job.data)])[0]
        assert svgs[metric_id] == charts.accessible(reference, job.label, job.description)
    burglary = svgs["residential-burglary-offences"]
    assert burglary.startswith('<svg role="img" ') and 'class="portal-chart marks"' in burglary[:300]
    assert "<title>Chart: Residential burglary offences</title>" in burglary
    assert ">1,948<" in burglary and ">1,761<" in burglary  # the bars' labels
    series = svgs["series-0001"]
    assert "Dashed lines mark process limits" in series
    assert len(re.findall(r'stroke-dasharray="6,4"', series)) == 2  # the upper and lower limits
