"""The delivery plan's facts and HTML: statuses in words and symbols, due dates judged against the as-at date
(never the clock), grouping by 4P category, the downloads and templates, and the comparison between releases."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crimeportal.core.delivery import AsAt, as_at, by_category, is_overdue, timescale_words
from crimeportal.core.conventions import ACTIONS_CSV_COLUMNS, PROGRESS_CSV_COLUMNS
from crimeportal.core.model import Action, Area, Portal, Progress, Strand
from crimeportal.core.records import action_record
from crimeportal.releases.changes import compare_actions
from crimeportal.site.pages import delivery_html
from crimeportal.site.publishing import plan_data
from html_tree import parse

STRAND = Strand("s", "Strand", 1, "Summary", "active", "2019-09-12")


def action(id_: str = "a", *, due: str | None = None, start: str | None = None, status: str = "in-progress",
           category: str | None = None, area: str | None = None, **text: str) -> Action:
    return Action(id_, text.get("title", "Do a thing"), "s", text.get("owner", "An owner"),
                  [Progress("2019-06-01", "planned"), Progress("2019-09-12", status, text.get("note"))],
                  area=area, category=category, start=start, due=due, outcome=text.get("outcome"))


def test_the_as_at_date_is_the_board_meeting_else_the_latest_progress_never_the_clock():
    portal = Portal([STRAND], [], actions=[action(), action("b")])
    assert as_at(portal, "2019-12-12") == AsAt("2019-12-12", "meeting")
    assert as_at(portal, None) == AsAt("2019-09-12", "progress")
    assert as_at(Portal([STRAND], []), None) is None


@pytest.mark.parametrize("due, status, when, overdue", [
    ("2019-08", "in-progress", "2019-09-12", True),
    ("2019-09", "in-progress", "2019-09-12", False),  # due in September: by its last day
    ("2019-09", "delayed", "2019-10-01", True),
    ("2019-09-11", "planned", "2019-09-12", True),
    ("2019-09-12", "planned", "2019-09-12", False),
    ("2019-01", "complete", "2019-09-12", False),
    ("2019-01", "stopped", "2019-09-12", False),
    (None, "in-progress", "2019-09-12", False),
])
def test_a_due_date_has_passed_only_before_the_as_at_date_and_only_for_unfinished_actions(due, status, when, overdue):
    assert is_overdue(action(due=due, status=status), AsAt(when, "meeting")) is overdue


def test_timescales_in_words():
    assert timescale_words(action(start="2019-06-14", due="2020-06")) == "14 June 2019 to June 2020"
    assert timescale_words(action(due="2019-11")) == "Due November 2019"
    assert timescale_words(action(start="2019-06")) == "From June 2019"
    assert timescale_words(action()) == "No dates given"


def test_actions_are_grouped_in_4p_order_with_those_the_source_did_not_place_last():
    grouped = by_category([action("x"), action("p", category="pursue"), action("q", category="prepare")])
    assert [(heading, [a.id for a in members]) for heading, members in grouped] == [
        ("Prepare", ["q"]), ("Pursue", ["p"]), ("Other actions", ["x"])]


def test_every_status_is_a_word_and_a_symbol_hidden_from_screen_readers():
    for status, word in (("planned", "Planned"), ("in-progress", "In progress"), ("complete", "Complete"),
                         ("delayed", "Delayed"), ("stopped", "Stopped")):
        badge = parse(delivery_html.status_badge(status)).find("span", class_="portal-status")
        icon = badge.find("span", class_="portal-status__icon")
        assert icon.attrs["aria-hidden"] == "true" and icon.text
        assert badge.text.replace(icon.text, "").strip() == word


HOSTILE = '<img src=x onerror="window.__xss=1"> & <b>x</b>'


def test_every_field_of_an_action_is_shown_as_text():
    hostile = Action("h", HOSTILE, "s", HOSTILE, [Progress("2019-09-12", "delayed", HOSTILE)], area="d",
                     category="prevent", due="2019-01", outcome=HOSTILE)
    portal = Portal([STRAND], [], [Area("d", HOSTILE, "district")], [hostile])
    when = AsAt("2019-09-12", "meeting")
    for html in (delivery_html.action_list([hostile], portal, when, lambda t: t, show_strand=True),
                 delivery_html.actions_table(portal, when, lambda t: t)):
        tree = parse(html)
        assert not tree.find_all("img") and not tree.find_all("b")
        assert " ".join(HOSTILE.split()) in tree.text
        assert "Due date passed" in tree.text


def test_the_actions_csv_is_the_return_layout_and_reads_back():
    hostile = action("h", due="2019-11", title="=HYPERLINK(1)", note="-2 done, \"quoted\"\nnext line", area="colchester")
    rows = list(csv.reader(io.StringIO(plan_data.actions_csv([hostile]).decode("utf-8-sig"))))
    assert tuple(rows[0]) == ACTIONS_CSV_COLUMNS
    record = dict(zip(rows[0], rows[1]))
    assert record["title"] == "'=HYPERLINK(1)" and record["note"] == "'-2 done, \"quoted\"\nnext line"
    assert (record["due"], record["as_at"], record["status"], record["area"]) == ("2019-11", "2019-09-12", "in-progress", "colchester")


def test_the_templates_are_header_rows_only_and_the_json_holds_every_progress_entry():
    files = plan_data.plan_files(Portal([STRAND], [], actions=[action()]))
    for path, columns in (("data/templates/actions-return.csv", ACTIONS_CSV_COLUMNS),
                          ("data/templates/progress.csv", PROGRESS_CSV_COLUMNS)):
        rows = list(csv.reader(io.StringIO(files[path][0].decode("utf-8-sig"))))
        assert rows == [list(columns)]
        assert [f["name"] for f in plan_data.table_schema(path)["fields"]] == list(columns)
    record = json.loads(files["data/actions.json"][0])[0]
    assert [p["status"] for p in record["progress"]] == ["planned", "in-progress"]


def test_compare_finds_added_restatused_and_moved_actions_and_says_nothing_without_an_earlier_plan():
    before = [action_record(action("a", due="2019-11")), action_record(action("b"))]
    after = [action_record(action("a", due="2020-02", status="delayed")),
             action_record(action("b", status="complete")), action_record(action("c"))]
    changes = compare_actions(before, after)
    assert [a["id"] for a in changes.added] == ["c"]
    assert [(c.new["id"], c.old_status, c.new_status) for c in changes.restatused] == [
        ("a", "in-progress", "delayed"), ("b", "in-progress", "complete")]
    assert [c.new["id"] for c in changes.now("complete")] == ["b"]
    assert [(c.old["due"], c.new["due"]) for c in changes.due_moved] == [("2019-11", "2020-02")]
    assert not compare_actions(None, after).compared and not compare_actions(None, after).anything


def test_what_changed_shows_every_action_text_as_text():
    from crimeportal.releases.changes import Changes
    from crimeportal.releases.current import ReleaseBuild
    from crimeportal.releases.register import Release
    from crimeportal.site.pages.what_changed import block, changes_markdown

    hostile = action("h", due="2019-11", title=HOSTILE, owner=HOSTILE, note=HOSTILE)
    before = action_record(hostile)
    after = action_record(action("h", due="2020-01", status="complete", title=HOSTILE, owner=HOSTILE, note=HOSTILE))
    added = action_record(action("n", title=HOSTILE, owner=HOSTILE, note=HOSTILE))
    changes = Changes(actions=compare_actions([before], [after, added]))
    earlier = Release("2019-09", HOSTILE, "2019-09-20", "2019-09-12")
    build = ReleaseBuild("2019-12", [earlier, Release("2019-12", "December", "2019-12-20")], earlier, changes, None)
    markdown = changes_markdown(build)
    for key in ("due-moved", "actions-completed", "actions-added"):
        assert f"what-changed:{key} -->" in markdown
        tree = parse(block("what-changed", key, build, "what-changed/", lambda target, _: "../" + target))
        assert not tree.find_all("img") and not tree.find_all("b") and " ".join(HOSTILE.split()) in tree.text
    assert "what-changed:actions-delayed" not in markdown  # a section with nothing in it has no heading
