"""The What changed page's blocks escape what editors wrote, and every releases error is a PortalError."""

from __future__ import annotations

from crimeportal.core.errors import PortalError
from crimeportal.releases.changes import Changes, FigureChange
from crimeportal.releases.current import ReleaseBuild
from crimeportal.releases.errors import (GitError, PublishStepFailed, Refused, ReleaseBuildError, ReleaseError,
                                         RolledBack)
from crimeportal.releases.register import Release
from crimeportal.site.pages.what_changed import block, releases_table

HOSTILE = '<script>alert("x")</script> & co'
EARLIER = Release("2019-09", HOSTILE, "2019-09-20", "2019-09-12")
LATER = Release("2019-12", "December", "2019-12-20", None, "2019-12-27")
METRIC = {"id": "m", "title": HOSTILE, "unit": "count", "period": "month", "observations": [{"end": "2019-01", "value": 5}]}


def relative(target: str, page_url: str) -> str:
    return "../" + target


def test_titles_notes_and_statuses_are_shown_as_text():
    revised = FigureChange(METRIC, {"end": "2019-01", "value": 5}, {"end": "2019-01", "value": 6, "note": HOSTILE})
    restatused = FigureChange(METRIC, {"end": "2019-01", "value": 5}, {"end": "2019-01", "value": 5, "status": HOSTILE})
    build = ReleaseBuild("2019-12", [EARLIER, LATER], EARLIER, Changes(revised=[revised], restatused=[restatused]), None)
    for arg in ("intro", "revised", "status"):
        html = block("what-changed", arg, build, "what-changed/", relative)
        assert "<script>" not in html and "&lt;script&gt;alert(" in html


def test_the_releases_table_lists_newest_first_with_replacement_dates():
    html = releases_table(ReleaseBuild(None, [EARLIER, LATER], LATER, None, None), "about/releases/")
    assert html.index("December") < html.index("&lt;script&gt;")
    assert "<td>20 December 2019 (replaced 27 December 2019)</td>" in html
    assert '<a href="../../../latest/">latest/</a>' in html


def test_nothing_published_says_so():
    assert releases_table(ReleaseBuild(None, [], None, None, None), "").strip() == "<p>Nothing has been published yet.</p>"


def test_every_releases_error_is_a_portal_error():
    for kind in (GitError, PublishStepFailed, Refused, ReleaseBuildError, RolledBack):
        assert issubclass(kind, ReleaseError) and issubclass(kind, PortalError)
    refusal = Refused(["one reason.", "another."])
    assert str(refusal) == "  - one reason.\n  - another." and refusal.reasons == ["one reason.", "another."]


def burglary(*observations: tuple[str, int]) -> dict:
    return {"id": "residential-burglary-offences", "title": "Residential burglary offences", "strand": "s",
            "description": "d", "unit": "count", "polarity": "lower-is-better", "period": "rolling-3-months",
            "source": "src", "caveats": [], "order": None,
            "observations": [{"end": end, "value": value, "status": "final", "note": None, "numerator": None,
                              "denominator": None, "suppressed": False} for end, value in observations]}


def test_a_verdict_that_moves_with_a_new_quarter_is_listed_with_both_comparisons_and_why():
    from crimeportal.releases.changes import compare

    before = burglary(("2018-07", 1948), ("2019-07", 1761))
    after = burglary(("2018-07", 1948), ("2019-07", 1761), ("2019-10", 1790))
    changes = compare([before], [after], [], [])
    assert len(changes.verdicts) == 1
    build = ReleaseBuild("2019-12", [EARLIER, LATER], EARLIER, changes, None)
    html = block("what-changed", "verdicts", build, "what-changed/", relative)
    text = " ".join(html.split())
    assert "Improvement → No significant change" in text
    assert ("1,761 (3 months to July 2019) with 1,948 (3 months to July 2018), year on year; "
            "exact Poisson test; p = 0.002; it assumes the count varies only by chance") in text
    assert "1,790 (3 months to October 2019) with 1,761 (3 months to July 2019), previous period" in text
    assert "Why: a newer figure is now the latest; the comparison is now previous period" in text
    assert '<a href="../metrics/residential-burglary-offences/">' in html


def test_a_verdict_that_stays_the_same_is_not_listed():
    from crimeportal.releases.changes import compare

    before = burglary(("2018-07", 1948), ("2019-07", 1761))
    after = burglary(("2018-07", 1948), ("2019-07", 1761), ("2019-10", 1790), ("2020-07", 1500))
    assert compare([before], [after], [], []).verdicts == []
