"""How a build gets its charts: each spec made from its shape's template (equal to the spec Altair builds
from scratch), and the charts drawn in the order the pages ask for them."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import pytest

from crimeportal.core.stats import assess
from crimeportal.site.charts import drawing as chart_drawing, specs as charts, worker as chart_worker
from crimeportal.source.validate import check_portal
from portal_files import REPO, copy_portal

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate_portal  # noqa: E402


@pytest.fixture(scope="module")
def chart_data(tmp_path_factory) -> list[charts.ChartData]:
    generated = generate_portal(tmp_path_factory.mktemp("generated"), strands=3, metrics=60, observations=30, seed=7)
    metrics = check_portal(REPO).portal.metrics + generated.metrics
    found = [job.data for job in (charts.chart_job(m, assess(m), "test") for m in metrics) if job]
    # statuses and gaps the generator may not make: a provisional and a revised figure, and a missing period
    rows = [dict(r) for r in found[-1].rows]
    rows[-1]["status"], rows[-2]["status"] = "provisional", "revised"
    gap = [dict(r, segment=r["segment"] + (1 if i > 5 else 0)) for i, r in enumerate(rows) if i != 5]
    # first, a steady series, whose limits all sit at its mean, of the same shape as a chart that comes later
    varying = next(data for data in found if data.limits)
    mean = varying.limits["mean"]
    steady = dataclasses.replace(varying, rows=[dict(r, value=mean) for r in varying.rows],
                                 limits={"mean": mean, "upper": mean, "lower": mean})
    return [steady] + found + [dataclasses.replace(found[-1], rows=rows), dataclasses.replace(found[-1], rows=gap)]


@pytest.mark.parametrize("order", ["as found", "reversed"])
def test_templated_specs_equal_specs_built_from_scratch(chart_data, order, monkeypatch):
    monkeypatch.setattr(charts, "_TEMPLATES", {})
    data = chart_data if order == "as found" else chart_data[::-1]
    for item in data:
        assert json.dumps(charts.vega_lite_spec(item), sort_keys=True) == json.dumps(charts.spec_from_scratch(item), sort_keys=True)
    # the shapes are few, so nearly every spec above came from a template rather than from Altair
    assert len(charts._TEMPLATES) < len(data) / 2


def test_charts_are_queued_in_the_order_the_pages_ask_for_them(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    queued, asked = [], []
    original_init, original_svg, original_plain = chart_drawing.Charts.__init__, chart_drawing.Charts.svg, chart_drawing.Charts.plain_svg

    def recording_init(self, jobs, cache_dir, renderer=None):
        queued.extend(jobs)
        original_init(self, jobs, cache_dir, renderer)

    def recording_svg(self, metric_id):
        if metric_id not in asked:
            asked.append(metric_id)
        return original_svg(self, metric_id)

    def recording_plain(self, job_id):  # the maps, which their pages name themselves
        if job_id not in asked:
            asked.append(job_id)
        return original_plain(self, job_id)

    monkeypatch.setattr(chart_drawing.Charts, "__init__", recording_init)
    monkeypatch.setattr(chart_drawing.Charts, "svg", recording_svg)
    monkeypatch.setattr(chart_drawing.Charts, "plain_svg", recording_plain)
    monkeypatch.setenv("CRIMEPORTAL_BOARD_PACK", "off")
    root = copy_portal(tmp_path / "portal")
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    # a chart for each measure, and a map and small multiples for each with figures by district
    by_district = len(list((root / "data" / "metrics").glob("police-uk-*.yml")))
    # (an evaluation's page asks for its map and chart by month though the seed's, whose areas and counts are to
    # come, has neither)
    assert len(queued) == len(list((root / "data" / "metrics").glob("*.yml"))) + 2 * by_district
    assert [job_id for job_id in asked if job_id in queued] == queued


def test_a_build_keeps_each_chart_once_as_pages_show_it_and_not_its_figures(tmp_path):
    """At thousands of measures, the figures and a second copy of every SVG were hundreds of megabytes."""
    metrics = [m for m in check_portal(REPO).portal.metrics if not m.has_breakdown][:6]
    version = chart_drawing.cache_version()
    jobs = {m.id: charts.chart_job(m, assess(m), version) for m in metrics}
    jobs = {metric_id: job for metric_id, job in jobs.items() if job}
    twin = next(iter(jobs))
    jobs[f"{twin}-again"] = dataclasses.replace(jobs[twin], label="Chart: the same figures")  # one SVG, two charts
    cold = chart_drawing.Charts(jobs, tmp_path / "cache")
    assert not any(hasattr(shown, "data") for shown in cold.jobs.values())  # the figures went to the workers
    drawn = {metric_id: cold.svg(metric_id) for metric_id in jobs if metric_id != twin}
    assert list(cold._svgs) == [jobs[twin].key]  # the SVG as drawn is kept only while a chart still needs it
    drawn[twin] = cold.svg(twin)
    assert cold._svgs == {}
    cold.close()

    warm = chart_drawing.Charts(jobs, tmp_path / "cache")
    assert (warm.rendered, warm.from_cache, warm._svgs) == (0, len(jobs) - 1, {})  # read when a page asks
    assert {metric_id: warm.svg(metric_id) for metric_id in jobs} == drawn
    assert drawn[twin] == charts.accessible(chart_worker.render_batch([charts.vega_lite_spec(jobs[twin].data)])[0],
                                           jobs[twin].label, jobs[twin].description)
    assert "<title>Chart: the same figures</title>" in drawn[f"{twin}-again"]
    warm.close()


def test_the_workers_measure_labels_in_the_renderers_own_font_and_draw_the_same_charts(chart_data):
    """The system's fonts cost the renderer a file opened and mapped for every label; its own copy of Liberation
    Sans (Arial's widths) draws the same charts as this process does with the system's fonts, where those are
    Liberation Sans (fonts-liberation, which .ci/run installs) or none."""
    import vl_convert

    sample = chart_data[::max(1, len(chart_data) // 24)] + chart_data[-2:]
    specs = [charts.vega_lite_spec(item) for item in sample]
    renderer = chart_drawing.Renderer()
    try:
        pool = renderer.pool(len(specs))
        in_worker = pool.submit(chart_worker.render_batch, specs).result()
        config = pool.submit(os.getenv, "FONTCONFIG_FILE").result()
        if sys.platform.startswith("linux"):
            folder = Path(config).parent
            assert f"<dir>{folder}</dir>" in Path(config).read_text(encoding="utf-8")
            fonts = [p for p in folder.rglob("*") if p.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc")]
            assert fonts == []  # no font in the only folder it names
    finally:
        renderer.close()
    if sys.platform.startswith("linux"):
        assert not Path(config).exists()  # the renderer's folder goes with it
    assert in_worker == [vl_convert.vegalite_to_svg(spec) for spec in specs]


def test_a_workers_chart_compiled_from_its_shape_equals_the_chart_compiled_whole(chart_data, monkeypatch):
    """Each shape is compiled to Vega once, with its figures put back by name: the SVG must not change."""
    import vl_convert

    monkeypatch.setattr(chart_worker, "_COMPILED", {})
    specs = [charts.vega_lite_spec(item) for item in chart_data]
    assert [chart_worker.svg(spec) for spec in specs] == [vl_convert.vegalite_to_svg(spec) for spec in specs]
    compiled = chart_worker._COMPILED
    assert 0 < len(compiled) < len(specs) / 2 and None not in compiled.values()  # shared shapes, none compiled whole
    # a figure in the spec's data, or a y domain, that differs between two charts of one shape is in neither key
    first, figures, domain = chart_worker._without_figures(specs[0])
    assert "crimeportal_figures_0" in figures and domain == specs[0]["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert '"values"' not in json.dumps(first) and json.dumps(domain) not in json.dumps(first)


def test_a_renderers_workers_make_each_chart_shape_once_between_them(chart_data, tmp_path, monkeypatch):
    made = []

    def make():
        made.append(1)
        return {"spec": "of a shape"}

    monkeypatch.setattr(chart_worker, "_FOLDER", tmp_path)
    assert chart_worker._shared("vega-lite", "a shape", make) == {"spec": "of a shape"}
    assert chart_worker._shared("vega-lite", "a shape", make) == {"spec": "of a shape"}  # as a fellow worker finds it
    assert len(made) == 1 and [p.suffix for p in tmp_path.iterdir()] == [".pickle"]

    renderer = chart_drawing.Renderer()
    try:
        pool = renderer.pool(len(chart_data))
        folder = Path(renderer._folder.name)
        svgs = [future.result() for future in [pool.submit(chart_worker.render_batch, chart_data[i::2]) for i in (0, 1)]]
        shapes = {charts._shape(data) for data in chart_data if charts._parts_told_apart(data)}
        assert len(list(folder.glob("vega-lite-*.pickle"))) == len(shapes)  # one each, whichever worker made it
    finally:
        renderer.close()
    assert not folder.exists()
    monkeypatch.setattr(charts, "_TEMPLATES", {})
    assert sorted(svgs[0] + svgs[1]) == sorted(chart_worker.render_batch(chart_data))

    # a shape's template left by one worker is what another draws from: one with a title of its own shows it
    item = next(data for data in chart_data if data.limits and charts._parts_told_apart(data))
    template = (item, json.dumps(charts.spec_from_scratch(dataclasses.replace(item, y_title="Left by a fellow worker"))))
    renderer = chart_drawing.Renderer()
    try:
        pool = renderer.pool(1)
        monkeypatch.setattr(chart_worker, "_FOLDER", Path(renderer._folder.name))
        chart_worker._shared("vega-lite", repr(charts._shape(item)), lambda: template)
        assert "Left by a fellow worker" in pool.submit(chart_worker.render_batch, [item]).result()[0]
    finally:
        renderer.close()
