"""The pull-request workflow runs with the least privilege its jobs need."""

from __future__ import annotations

import yaml

from portal_files import REPO


def test_the_pull_request_workflow_gives_its_token_read_access_only():
    workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}

