"""New evaluation results in What changed and the feed: news once, in the release that first publishes them."""

from __future__ import annotations

import json
from datetime import date

from crimeportal.core.evaluation import Counts, Evaluation, record
from crimeportal.releases.changes import Changes
from crimeportal.releases.evaluation_changes import evaluation_json, new_results
from crimeportal.releases.register import Release
from crimeportal.site.pages import what_changed
from crimeportal.site.publishing import feed


def _evaluation(counts: dict) -> Evaluation:
    return Evaluation(id="door-chains", title="Door chains <trial>", strand="s", question="Q?", design="comparison-areas",
                      after=("2019-09", "2019-12"), before=("2019-05", "2019-08"), registered=date(2019, 8, 1),
                      groups={"test": ("a",), "control": ("b",)}, counts=counts)


WITH = {"test": Counts(120, 80), "control": Counts(100, 95)}


def test_results_are_new_only_in_the_first_release_with_them() -> None:
    done = _evaluation(WITH)
    planned = _evaluation({})
    assert [r["id"] for r in new_results(lambda _: None, [done])] == ["door-chains"]
    earlier_planned = json.dumps(record(planned, planned.result(date(2019, 9, 1)))).encode()
    assert [r["id"] for r in new_results(lambda _: earlier_planned, [done])] == ["door-chains"]
    earlier_done = json.dumps(record(done, done.result(date(2020, 1, 1)))).encode()
    assert new_results(lambda _: earlier_done, [done]) == []
    assert new_results(lambda _: None, [planned]) == []
    assert new_results(lambda _: b"not json", [done])[0]["id"] == "door-chains"
    assert evaluation_json("2020-03", "door-chains") == "2020-03/data/evaluations/door-chains.json"


def test_what_changed_and_the_feed_name_them() -> None:
    changes = Changes(evaluation_results=new_results(lambda _: None, [_evaluation(WITH)]))
    assert changes.anything
    assert ("evaluation-results", "Evaluation results") in what_changed._sections(changes)
    earlier = Release(version="2019-12", title="December 2019 update", published="2019-12-12")
    section = what_changed._Sections(changes, earlier, "what-changed/", lambda target, page: "../" + target)
    html = str(section.evaluation_results())
    assert 'href="../evaluations/door-chains/"' in html
    assert "Door chains &lt;trial&gt;" in html and "rate ratio 0.70" in html
    assert "1 evaluation with results" in feed.summary(changes, earlier)


def test_earlier_releases_for_the_feed_are_read_through_the_data_package() -> None:
    from crimeportal.releases.evaluation_changes import published_new_results

    done = _evaluation(WITH)
    planned = _evaluation({})
    files = {
        "2020-03/datapackage.json": json.dumps({"resources": [{"path": "data/evaluations/door-chains.json"},
                                                               {"path": "data/actions.json"}]}).encode(),
        "2020-03/data/evaluations/door-chains.json": json.dumps(record(done, done.result(date(2020, 3, 1)))).encode(),
        "2019-12/data/evaluations/door-chains.json": json.dumps(record(planned, planned.result(date(2019, 12, 1)))).encode(),
    }
    found = published_new_results(files.get, "2019-12", "2020-03")
    assert [r["id"] for r in found] == ["door-chains"]
    files["2019-12/data/evaluations/door-chains.json"] = files["2020-03/data/evaluations/door-chains.json"]
    assert published_new_results(files.get, "2019-12", "2020-03") == []
    assert published_new_results({}.get, "2019-12", "2020-03") == []
