"""A routine quarter added to two measures (one provisional, one revised) must not make any page read less
honestly: the headline states its basis, verdicts carry their caveats and links, charts stay on zero.

Checked on a real build of a copy of the portal, through its HTML and SVG parsed with an HTML parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from test_build import copy_portal, run_build

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ADDED = {  # metric id -> the figure added for the 3 months to October 2019, and its status
    "knife-enabled-crime": (181, "provisional"),
    "residential-burglary-offences": (1790, "revised"),
}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None") -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list["Element"]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                found.append(child)
            found += child.find_all(tag, cls)
        return found

    def by_id(self, element_id: str) -> "Element | None":
        return next((e for e in self.find_all() if e.attrs.get("id") == element_id), None)


class Tree(HTMLParser):
    """Every element with its attributes and all the text inside it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self._open = self.root
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self._open)
        self._open.children.append(element)
        if tag not in VOID:
            self._open = element

    def handle_startendtag(self, tag, attrs):
        self._open.children.append(Element(tag, {k: v or "" for k, v in attrs}, self._open))

    def handle_endtag(self, tag):
        element = self._open
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self._open = element.parent

    def handle_data(self, data):
        element = self._open
        while element is not None:
            element.parts.append(data)
            element = element.parent


def parsed(site: Path, path: str) -> Element:
    return Tree((site / path / "index.html").read_text(encoding="utf-8")).root


def article(site: Path, path: str) -> Element:
    return parsed(site, path).find_all("article")[0]


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Path:
    """The portal with one more quarter for two measures; the site it builds."""
    root = copy_portal(tmp_path_factory.mktemp("grown"))
    for metric_id, (value, status) in ADDED.items():
        path = root / "data" / "metrics" / f"{metric_id}.yml"
        path.write_text(path.read_text(encoding="utf-8") + f"  - end: 2019-10\n    value: {value}\n    status: {status}\n",
                        encoding="utf-8")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_a_seed_headline_names_the_year_earlier_period_and_the_basis_line_shows_test_and_figures(grown):
    page = article(grown, "metrics/hate-crime-solved-outcomes")
    headline = page.find_all("p", "portal-headline")[0]
    assert "from 79 in the 3 months to July 2018, the same period a year earlier" in headline.text
    basis = page.find_all("p", "portal-basis")[0]
    assert "year on year" in basis.text
    assert "3 months to July 2019 (99) with 3 months to July 2018 (79)" in basis.text
    assert "exact Poisson test" in basis.text
    p_link = next(a for a in basis.find_all("a") if a.text.startswith("p = "))
    assert p_link.attrs["href"] == "../../about/how-we-judge-change/#what-significant-means"


def test_a_quarter_without_a_year_earlier_figure_says_it_falls_back_and_marks_statuses(grown):
    page = article(grown, "metrics/residential-burglary-offences")
    headline = page.find_all("p", "portal-headline")[0].text
    assert ("1,790 (revised) in the 3 months to October 2019, up 1.6% from 1,761 in the 3 months to July 2019, "
            "the previous period (there is no figure for the same period a year earlier, so the comparison does not "
            "allow for the time of year)") in headline
    assert "No significant change" in headline
    basis = page.find_all("p", "portal-basis")[0].text
    assert "previous period, as the series has no figure for the same period a year earlier" in basis
    knife = article(grown, "metrics/knife-enabled-crime").find_all("p", "portal-headline")[0].text
    assert "181 (provisional) in the 3 months to October 2019" in knife


def test_tables_name_each_figures_status(grown):
    rows = article(grown, "metrics/knife-enabled-crime").find_all("tr")
    october = next(r for r in rows if r.text.startswith("3 months to October 2019"))
    assert "Provisional" in october.text


def _badges_with_markers(container: Element) -> list[tuple[Element, Element | None]]:
    """Each verdict badge with the caveat marker that follows it in the same parent, if any."""
    pairs = []
    for badge in container.find_all("a", "portal-verdict"):
        siblings = badge.parent.children
        after = siblings[siblings.index(badge) + 1:]
        pairs.append((badge, next((e for e in after if "portal-caveat-marker" in e.classes), None)))
    return pairs


@pytest.mark.parametrize("path", ["", "metrics", "strands/gangs-and-knife-crime", "board-report",
                                  "metrics/knife-enabled-crime"])
def test_every_badge_links_to_how_we_judge_change_and_caveats_travel_with_it(grown, path):
    page = article(grown, path)
    pairs = _badges_with_markers(page)
    assert pairs, "the page shows verdicts"
    for badge, marker in pairs:
        assert badge.attrs["href"].endswith("about/how-we-judge-change/#the-words-we-use")
        assert marker is not None, f"a seed measure has caveats, so its badge needs a marker: {badge.text}"
        href = marker.attrs["href"]
        assert "caveat" in marker.text
        if href.startswith("#"):  # the caveats are on this page
            target = page.by_id(href[1:])
            assert target is not None and "caveat" in target.text.lower()
        else:
            assert href.endswith("/#caveats")


def test_caveats_are_printed_in_the_board_report_and_on_the_measure_page(grown):
    report = article(grown, "board-report")
    caveats = report.by_id("caveats-domestic-abuse-solved-outcomes")
    assert caveats is not None
    assert "does not define which outcome types count as solved outcomes" in caveats.text
    page = article(grown, "metrics/knife-enabled-crime")
    assert page.by_id("caveats") is not None


def test_the_verdict_in_a_headline_links_to_its_glossary_entry(grown):
    headline = article(grown, "metrics/knife-enabled-crime").find_all("p", "portal-headline")[0]
    hrefs = [a.attrs["href"] for a in headline.find_all("a")]
    assert "../../about/glossary/#no-significant-change" in hrefs


# ------------------------------------------------------------------------------------------- charts


def charts_on(page: Element) -> list[Element]:
    return [svg for svg in page.find_all("svg") if svg.attrs.get("role") == "img"]


def axis_labels(svg: Element) -> list[list[str]]:
    """The labels of each axis, in the order drawn."""
    return [[t.text for t in group.find_all("text")] for group in svg.find_all("g", "role-axis-label")]


@pytest.mark.parametrize("metric_id", ["knife-enabled-crime", "residential-burglary-offences",
                                       "hate-crime-solved-outcomes", "repeat-domestic-abuse-incidents"])
def test_every_value_axis_starts_at_zero_and_has_a_title_with_its_unit(grown, metric_id):
    [svg] = charts_on(article(grown, f"metrics/{metric_id}"))
    value_axes = [labels for labels in axis_labels(svg) if labels and labels[0] in ("0", "0%")]
    assert value_axes, f"no axis of {metric_id}'s chart has a zero tick: {axis_labels(svg)}"
    titles = [g.text for g in svg.find_all("g", "role-axis-title")]
    expected = "Per cent" if metric_id == "repeat-domestic-abuse-incidents" else ("Outcomes" if "outcomes" in metric_id else "Offences")
    assert expected in titles and "3 months to the month shown" in titles


def test_provisional_and_revised_figures_are_named_in_the_charts_key(grown):
    knife = charts_on(article(grown, "metrics/knife-enabled-crime"))[0]
    burglary = charts_on(article(grown, "metrics/residential-burglary-offences"))[0]
    legend_text = lambda svg: [t.text for g in svg.find_all("g", "role-legend-label") for t in g.find_all("text")]
    assert "Provisional" in legend_text(knife)
    assert "Revised" in legend_text(burglary)
    assert legend_text(charts_on(article(grown, "metrics/hate-crime-solved-outcomes"))[0]) == []  # all final: no key


def test_the_highest_bar_and_its_label_sit_inside_the_plot(grown):
    [svg] = charts_on(article(grown, "metrics/residential-burglary-offences"))
    top_tick = max(float(label.replace(",", "")) for labels in axis_labels(svg)
                   for label in labels if label.replace(",", "").isdigit())
    assert top_tick > 1948  # the axis runs past the highest figure, so the bar and its label stay in the frame


def _line_paths(svg_text: str) -> list[list[float]]:
    """The x of every vertex of each line the chart draws."""
    svg = Tree(svg_text).root
    paths = [p for group in svg.find_all("g", "role-mark") if "mark-line" in group.classes for p in group.find_all("path")]
    return [[float(x) for x in re.findall(r"[ML](-?[\d.]+),", p.attrs["d"])] for p in paths]


def test_a_gap_in_the_periods_is_a_gap_in_the_line():
    import vl_convert
    from crimeportal.core.model import Metric, Observation
    from crimeportal.core.stats import assess
    from crimeportal.site.charts import specs

    ends = ["2018-07", "2019-07", "2019-10", "2020-01", "2020-04"]  # nothing for the 9 months after July 2018
    metric = Metric("m", "Burglary offences", "s", "d", "count", "lower-is-better", "rolling-3-months", "src",
                    [Observation(end, value) for end, value in zip(ends, [1948, 1761, 1790, 1700, 1750])])
    job = specs.chart_job(metric, assess(metric), "test")
    assert not specs.is_bar_chart(job.data.rows)
    paths = _line_paths(vl_convert.vegalite_to_svg(specs.vega_lite_spec(job.data)))
    assert len(paths) == 2
    first, rest = sorted(paths, key=min)
    assert len(first) == 1 and len(rest) == 4  # July 2018 stands alone; the rest are joined
    assert "The line breaks 1 time where periods have no figure" in job.description
    # a withheld figure breaks the line too
    metric.observations[2] = Observation("2019-10", None, suppressed=True)
    job = specs.chart_job(metric, assess(metric), "test")
    assert len(_line_paths(vl_convert.vegalite_to_svg(specs.vega_lite_spec(job.data)))) == 3


@pytest.mark.parametrize("name", ["specs", "worker"])
def test_a_changed_chart_module_redraws_every_chart(monkeypatch, tmp_path, name):
    from crimeportal.site.charts import drawing, specs, worker

    changed = {"specs": specs, "worker": worker}[name]
    module = tmp_path / f"{name}.py"
    module.write_text(Path(changed.__file__).read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    before = drawing.cache_version()
    monkeypatch.setattr(changed, "__file__", str(module))
    assert drawing.cache_version() != before
