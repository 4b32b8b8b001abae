"""Small delivery plans for tests: a strand's actions file and a partnership's, written into a copied portal.

The real Essex actions come from the seed report in data/actions/; these are made up so that tests can
state exactly what each page must show, whatever the real plan holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/actions.schema.json\n"
STRAND = "domestic-abuse"
CSP = "csp-castle-point-and-rochford"

# as at 12 September 2019: one action due before then (overdue), one due after, one complete and one past due
# but stopped (never overdue), one without a category, one for a district and one in the partnership's file
DOMESTIC_ABUSE = [
    {"id": "da-strategy", "title": "Write a domestic abuse strategy for the force", "strand": STRAND, "category": "prevent",
     "owner": "Domestic Abuse Governance Board", "start": "2019-03", "due": "2019-08",
     "outcome": "One strategy that partners share",
     "progress": [{"as_at": "2019-09-12", "status": "in-progress", "note": "Draft shared with partners for comment"}]},
    {"id": "da-board", "title": "Set up a governance board", "strand": STRAND, "category": "prepare",
     "owner": "Chief Superintendent", "due": "2019-09",
     "progress": [{"as_at": "2019-09-12", "status": "complete", "note": "First met on 6 September 2019"}]},
    {"id": "da-sceptre", "title": "Run a knife crime operation", "strand": STRAND, "category": "pursue",
     "owner": "Force lead for knife crime", "start": "2019-06-14", "due": "2020-06",
     "progress": [{"as_at": "2019-09-12", "status": "in-progress"}]},
    {"id": "da-old-pilot", "title": "Pilot a helpline", "strand": STRAND, "owner": "Force control room", "due": "2019-05",
     "progress": [{"as_at": "2019-09-12", "status": "stopped", "note": "Replaced by the national line"}]},
    {"id": "da-training", "title": "Train sergeants", "strand": STRAND, "owner": "Learning and development",
     "progress": [{"as_at": "2019-09-12", "status": "planned"}]},
    {"id": "da-colchester", "title": "Add community policing hours", "strand": STRAND, "area": "colchester",
     "owner": "Colchester district commander", "due": "2019-12",
     "progress": [{"as_at": "2019-09-12", "status": "delayed", "note": "Recruitment is behind"}]},
]
PARTNERSHIP = [
    {"id": "cpr-return", "title": "Report in the standard format", "strand": STRAND, "area": CSP,
     "owner": "Castle Point and Rochford CSP", "due": "2019-12",
     "progress": [{"as_at": "2019-09-12", "status": "in-progress"}]},
    {"id": "rochford-visits", "title": "Visit repeat victims", "strand": STRAND, "area": "rochford",
     "owner": "Rochford district commander", "due": "2020-03",
     "progress": [{"as_at": "2019-09-12", "status": "planned"}]},
]


def write_actions(root: Path, name: str, actions: list[dict[str, Any]]) -> Path:
    folder = root / "data" / "actions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yml"
    path.write_text(SCHEMA_LINE + yaml.safe_dump({"actions": actions}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_plan(root: Path) -> None:
    """The test plan, in place of the real one: the domestic abuse strand's file and the partnership's return."""
    for real in (root / "data" / "actions").glob("*.yml"):  # the tests count exactly the actions written here
        real.unlink()
    for evaluation in (root / "data" / "evaluations").glob("*.yml"):  # they name real actions, gone with them
        evaluation.unlink()
    write_actions(root, STRAND, DOMESTIC_ABUSE)
    write_actions(root, CSP, PARTNERSHIP)


WHOLE_STRATEGY = [{"id": "whole-reporting-format", "title": "Agree one reporting format for every partnership",
                   "owner": "Essex Police", "progress": [{"as_at": "2019-09-12", "status": "in-progress"}]}]
