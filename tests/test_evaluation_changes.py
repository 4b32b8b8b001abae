"""What published releases say of evaluations: new results in What changed and the feed (news once, in the release
that first publishes them), and the first release to publish a design, which registers it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from crimeportal.core.evaluation import Counts, Evaluation, PublishedIn, record
from crimeportal.core.model import Portal
from crimeportal.releases.current import prepare
from crimeportal.releases.changes import Changes
from crimeportal.releases.evaluation_changes import evaluation_json, first_publications, new_results
from crimeportal.releases.register import Release
from crimeportal.site.pages import what_changed
from crimeportal.site.pages.evaluation_pages import registered_sentence
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


# --- the release register dates a design -------------------------------------------------------------------

AUGUST = Release(version="2019-08", title="August 2019 update", published="2019-08-20")


def _published(evaluation: Evaluation) -> bytes:
    return json.dumps(record(evaluation, evaluation.result(date(2019, 8, 20)))).encode()


def test_the_first_release_with_the_design_as_it_stands_dates_it() -> None:
    unstated = replace(_evaluation(WITH), registered=None)
    files = {("2019-08", "door-chains"): _published(replace(unstated, counts={}))}  # results later change nothing
    found = first_publications(lambda v, i: files.get((v, i)), [AUGUST], None, [unstated])
    assert found == {"door-chains": PublishedIn("August 2019", date(2019, 8, 20))}
    dated = replace(unstated, published_in=found["door-chains"])
    assert dated.result(date(2020, 1, 1)).registered_in_advance
    assert registered_sentence(dated, dated.result(date(2020, 1, 1))) == (
        "Yes: the design was first published on 20 August 2019 in this portal's August 2019 release, before the "
        "operation began in September 2019.")
    assert record(dated, dated.result(date(2020, 1, 1)))["first_published_in"] == {"release": "August 2019",
                                                                                   "published": "2019-08-20"}


def test_a_design_changed_since_is_dated_by_the_release_that_changed_it() -> None:
    now = replace(_evaluation(WITH), registered=None, groups={"test": ("a",), "control": ("c",)})
    files = {("2019-08", "door-chains"): _published(replace(now, groups={"test": ("a",), "control": ("b",)}))}
    october = Release(version="2019-10", title="October 2019 update", published="2019-10-15")
    found = first_publications(lambda v, i: files.get((v, i)), [AUGUST], october, [now])
    assert found == {"door-chains": PublishedIn("October 2019", date(2019, 10, 15))}
    dated = replace(now, published_in=found["door-chains"])
    assert not dated.result(date(2020, 1, 1)).registered_in_advance
    # in a preview, no release has published it yet
    assert first_publications(lambda v, i: files.get((v, i)), [AUGUST], None, [now]) == {}
    assert first_publications(lambda v, i: b"{not json", [AUGUST], None, [now]) == {}
    # changed in a later release and back again: dated from its return, never from its first outing
    files[("2019-09", "door-chains")] = _published(replace(now, groups={"test": ("a",), "control": ("b",)}))
    files[("2019-08", "door-chains")] = _published(now)
    september = Release(version="2019-09", title="September 2019 update", published="2019-09-20")
    assert first_publications(lambda v, i: files.get((v, i)), [AUGUST, september], october, [now]) == {
        "door-chains": PublishedIn("October 2019", date(2019, 10, 15))}


def test_a_build_reads_the_dates_from_the_published_branch(tmp_path) -> None:
    from test_release import git, new_repo

    repo = new_repo(tmp_path / "portal")
    trial = replace(_evaluation(WITH), id="operation-meteor", registered=None)
    (repo / "data/releases.yml").write_text(
        "releases:\n  - {version: '2019-08', title: August 2019 update, published: '2019-08-20'}\n", encoding="utf-8")
    git(repo, "checkout", "--quiet", "--orphan", "gh-pages")
    git(repo, "rm", "-r", "--cached", "--quiet", "--force", ".")
    published = repo / "2019-08/data/evaluations/operation-meteor.json"
    published.parent.mkdir(parents=True)
    published.write_bytes(_published(trial))
    git(repo, "add", "2019-08")
    git(repo, "commit", "--quiet", "-m", "August 2019")
    portal = Portal(strands=[], metrics=[], evaluations=[trial])
    build = prepare(repo, portal, None, environ={})
    assert build.dated(portal).evaluations[0].published_in == PublishedIn("August 2019", date(2019, 8, 20))
