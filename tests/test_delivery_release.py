"""The delivery plan across two real releases: `crimeportal publish` twice in a temporary git repository, the
second after a board update's progress entries, then What changed and the board report read from gh-pages."""

from __future__ import annotations

import copy
import re
import subprocess

import pytest
import yaml

from html_tree import Element, parse
from plan_fixtures import CSP, DOMESTIC_ABUSE, PARTNERSHIP, STRAND, write_actions, write_plan
from test_release import CRIMEPORTAL, DECEMBER, GIT_ENV, SEPTEMBER, git, new_repo, pages

ENV = {**GIT_ENV, "CRIMEPORTAL_BOARD_PACK": "off"}  # the pack has tests of its own; this one is about the plan
DECEMBER_UPDATE = "2019-12-12"


def publish(repo, version: str, title: str, meeting: str) -> None:
    done = subprocess.run([str(CRIMEPORTAL), "publish", version, "--title", title, "--board-meeting", meeting],
                          cwd=repo, env=ENV, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def progress(actions: list[dict], action_id: str, status: str, note: str | None = None, **fields: str) -> None:
    action = next(a for a in actions if a["id"] == action_id)
    action["progress"].append({"as_at": DECEMBER_UPDATE, "status": status, **({"note": note} if note else {})})
    action.update(fields)


def december_progress(repo) -> None:
    """The December board update: one action completed, one delayed, one stopped, one due date moved, one added."""
    strand, partnership = copy.deepcopy(DOMESTIC_ABUSE), copy.deepcopy(PARTNERSHIP)
    progress(strand, "da-strategy", "complete", "Adopted by the board")
    progress(strand, "da-sceptre", "stopped", "Ended early")
    progress(strand, "da-training", "in-progress")
    progress(strand, "da-colchester", "delayed", "Recruitment now ends in March", due="2020-03")
    strand.append({"id": "da-new", "title": "Review the referral pathway", "strand": STRAND, "owner": "Safeguarding lead",
                   "due": "2019-10", "progress": [{"as_at": DECEMBER_UPDATE, "status": "planned"}]})
    progress(partnership, "cpr-return", "delayed", "Waiting for the new format")
    write_actions(repo, STRAND, strand)
    write_actions(repo, CSP, partnership)
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "December progress")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    repo = new_repo(tmp_path_factory.mktemp("plan-released"))
    write_plan(repo)
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "The delivery plan")
    publish(repo, SEPTEMBER[0], SEPTEMBER[1], "2019-09-12")
    december_progress(repo)
    publish(repo, DECEMBER[0], DECEMBER[1], DECEMBER_UPDATE)
    return repo


def article(repo, path: str) -> Element:
    return parse(pages(repo, path)).find("article")


def section_items(page: Element, heading: str) -> list[str]:
    """The text of each item in the list under an h2, up to the next h2."""
    found, items = False, []
    for child in _flat(page):
        if child.tag == "h2":
            found = child.text.rstrip("¶").strip() == heading
        elif found and child.tag == "li":
            items.append(child.text)
    return items


def _flat(element: Element) -> list[Element]:
    out = []
    for child in element.children:
        if not isinstance(child, str):
            out.append(child)
            out += _flat(child)
    return out


def test_what_changed_lists_the_actions_completed_delayed_stopped_and_added(released):
    page = article(released, "2019-12/what-changed/index.html")
    assert section_items(page, "Actions completed") == ["Write a domestic abuse strategy for the force: In progress → Complete. Adopted by the board"]
    assert section_items(page, "Actions delayed") == ["Report in the standard format: In progress → Delayed. Waiting for the new format"]
    assert section_items(page, "Actions stopped") == ["Run a knife crime operation: In progress → Stopped. Ended early"]
    assert section_items(page, "Actions added") == ["Review the referral pathway: Safeguarding lead; Planned"]
    link = next(a for a in page.find_all("a") if a.text == "Review the referral pathway")
    assert link.attrs["href"] == f"../strands/{STRAND}/#action-da-new"


def test_a_moved_due_date_is_shown_like_a_revised_figure_with_both_dates_and_its_note(released):
    page = article(released, "2019-12/what-changed/index.html")
    table = next(t for t in page.find_all("table") if t.find("caption").text == "Due dates moved")
    assert [th.text for th in table.find("thead").find_all("th")] == [
        "Action", "Due in the September 2019 board update", "Due now", "Note"]
    row = table.find("tbody").find("tr")
    assert [row.find("th").text] + [td.text for td in row.find_all("td")] == [
        "Add community policing hours", "December 2019", "March 2020", "Recruitment now ends in March"]


def test_the_first_release_lists_no_action_changes(released):
    text = article(released, "2019-09/what-changed/index.html").text
    assert "Actions added" not in text and "Due dates moved" not in text


def _attention(repo, version: str) -> dict[str, str]:
    page = article(repo, f"{version}/board-report/index.html")
    table = next(t for t in page.find_all("table") if t.find("caption").text.startswith("Actions past their due date"))
    return {tr.find("th").text: tr.find_all("td")[-1].text for tr in table.find("tbody").find_all("tr")}


def test_the_board_report_lists_every_action_overdue_or_with_a_new_status_since_the_last_release(released):
    assert _attention(released, SEPTEMBER[0]) == {"Write a domestic abuse strategy for the force": "⚠ Due date passed"}
    since = f"Was {{}} in the {SEPTEMBER[1]}"
    assert _attention(released, DECEMBER[0]) == {
        "Write a domestic abuse strategy for the force": since.format("In progress"),
        "Run a knife crime operation": since.format("In progress"),
        "Train sergeants": since.format("Planned"),
        "Review the referral pathway": "⚠ Due date passed",
        "Report in the standard format": since.format("In progress"),
    }


def test_each_release_keeps_its_own_as_at_date(released):
    for version, words in ((SEPTEMBER[0], "12 September 2019"), (DECEMBER[0], "12 December 2019")):
        text = article(released, f"{version}/delivery-plan/index.html").text
        assert f"Progress as at {words}, the date of the board meeting" in text
    colchester = article(released, "2019-12/areas/colchester/index.html").text
    assert "Recruitment now ends in March" in colchester and "December 2019 to" not in colchester
    assert re.search(r"Due March 2020", colchester)


def test_the_feed_counts_the_plan_s_changes(released):
    feed = pages(released, "2019-12/feed.xml")
    assert "1 new action" in feed and "4 actions with a new status" in feed and "1 due date moved" in feed
