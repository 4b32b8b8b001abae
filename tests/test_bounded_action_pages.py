"""Pages that list actions stay within a page's 150 KB however long the delivery plan: at 600 actions past
their due date, the Delivery plan page and the board report list the first of them and link to the rest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from crimeportal.core.conventions import ACTIONS_LISTED_IN_BOARD_REPORT, ACTIONS_LISTED_ON_DELIVERY_PAGE
from crimeportal.source.validate import load_portal
from html_tree import parse
from plan_fixtures import write_actions
from portal_files import copy_portal

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
BUDGET = 150_000  # bytes of HTML a page may weigh (core/conventions.py)
OVERDUE = 600


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_portal(tmp_path_factory.mktemp("plan"))
    portal, problems = load_portal(root)
    assert not problems
    strands = [s.id for s in portal.strands]
    for real in (root / "data" / "actions").glob("*.yml"):
        real.unlink()
    # the evaluations name real actions, gone with them: this test is about the lists of actions alone
    for evaluation in (root / "data" / "evaluations").glob("*.yml"):
        evaluation.unlink()
    for n, strand in enumerate(strands):
        write_actions(root, strand, [
            {"id": f"{strand}-late-{i}", "title": f"Deliver the commitment number {i} of the {strand} plan in full",
             "strand": strand, "category": "prevent", "owner": "The strand's lead officer and partners", "due": "2019-01",
             "progress": [{"as_at": "2019-09-12", "status": "in-progress", "note": "Behind: waiting for partners"}]}
            for i in range(n, OVERDUE, len(strands))])
    done = subprocess.run([str(CRIMEPORTAL), "--root", str(root), "build"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return root / "site"


@pytest.mark.parametrize("page, listed", [("delivery-plan/index.html", ACTIONS_LISTED_ON_DELIVERY_PAGE),
                                          ("board-report/index.html", ACTIONS_LISTED_IN_BOARD_REPORT)])
def test_600_overdue_actions_keep_each_page_within_its_budget_with_the_rest_a_link_away(built: Path, page, listed):
    html = (built / page).read_bytes()
    assert len(html) <= BUDGET, f"{page} is {len(html) / 1000:.0f} KB of HTML"
    tree = parse(html.decode("utf-8"))
    rows = [row for row in tree.find_all("tr") if any("-late-" in a.attrs.get("href", "") for a in row.find_all("a"))]
    assert len(rows) == listed
    note = tree.find_all("p", class_="portal-not-listed")
    assert len(note) == 1
    assert note[0].text.startswith(f"{OVERDUE - listed:,} more actions are not listed here")
    links = [a.attrs["href"] for a in note[0].find_all("a")]
    assert links and len(set(links)) == len(links) and all("strands/" in href and href.endswith("/#delivery-plan") for href in links)
    counts = re.findall(r"\((\d+), (\d+) past their due date\)", note[0].text)
    assert sum(int(n) for n, _ in counts) == OVERDUE - listed and all(n == late for n, late in counts)


def test_each_strands_page_lists_all_of_its_own(built: Path):
    page = (built / "strands" / "domestic-abuse" / "index.html").read_text(encoding="utf-8")
    assert page.count('id="action-domestic-abuse-late-') >= OVERDUE // 12
