"""The release workflow's steps (.github/workflows/release.yml), run here as its runner would run them: from a
clone of a bare repository standing in for GitHub, through validate, build, check-site, publish --push and
release-notes, and the board pack and data zip taken from gh-pages for the GitHub release. Also: a site built
without the portal's hooks is never published."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from test_release import CRIMEPORTAL, DECEMBER, GIT_ENV, REPO, SEPTEMBER, december_changes, git, new_repo, snapshot

WORKFLOW = (REPO / ".github/workflows/release.yml").read_text(encoding="utf-8")
ENV = {**GIT_ENV, "NO_MKDOCS_2_WARNING": "1"}


def crimeportal(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), *args], cwd=checkout, env=ENV, capture_output=True, text=True, timeout=600)


def release_steps(checkout: Path, version: str, title: str, meeting: str, engine: str) -> dict[str, subprocess.CompletedProcess]:
    """The workflow's commands in its order (make's targets by the commands they run), stopping at the first failure."""
    git(checkout, "fetch", "--quiet", "--no-tags", "origin", "gh-pages:gh-pages") if _remote_has(checkout, "gh-pages") else None
    steps = {
        "validate": ("validate", "--strict-warnings"),
        "build": ("build", "--engine", engine),
        "check-site": ("check-site",),
        "publish": ("publish", version, "--title", title, "--engine", engine, "--push", "--board-meeting", meeting),
        "release-notes": ("release-notes", version, "--output", "release-notes.md"),
    }
    results = {}
    for name, args in steps.items():
        results[name] = crimeportal(checkout, *args)
        if results[name].returncode != 0:
            break
    return results


def _remote_has(checkout: Path, branch: str) -> bool:
    return bool(git(checkout, "ls-remote", "origin", f"refs/heads/{branch}").strip())


def test_the_workflow_runs_these_commands():
    for command in (".venv/bin/crimeportal validate --strict-warnings", "make site", ".venv/bin/crimeportal check-site",
                    '.venv/bin/crimeportal publish "$@"', 'set -- "$VERSION" --title "$TITLE" --engine "$ENGINE" --push',
                    '.venv/bin/crimeportal release-notes "$VERSION" --output release-notes.md',
                    'git show "gh-pages:$VERSION/board-report/board-pack.pdf"', 'git show "gh-pages:$VERSION/data/portal-data.zip"',
                    "gh release create", "--notes-file release-notes.md", "make .venv/.installed"):
        assert command in WORKFLOW, command


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """A bare repository holding the reviewed main branch, as GitHub would."""
    source = new_repo(tmp_path_factory.mktemp("source"))
    bare = tmp_path_factory.mktemp("github") / "portal.git"
    git(source, "clone", "--quiet", "--bare", str(source), str(bare))
    return bare


def clone(origin: Path, folder: Path) -> Path:
    git(folder.parent, "clone", "--quiet", "--branch", "main", str(origin), str(folder))  # actions/checkout
    return folder


@pytest.fixture(scope="module")
def first_release(origin, tmp_path_factory) -> tuple[Path, dict]:
    checkout = clone(origin, tmp_path_factory.mktemp("runner") / "checkout")
    return checkout, release_steps(checkout, *SEPTEMBER, "2019-09-12", "properdocs")


def test_the_first_release_is_published_from_ci_with_properdocs_and_pushed(origin, first_release):
    checkout, steps = first_release
    for name, result in steps.items():
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    assert list(steps) == ["validate", "build", "check-site", "publish", "release-notes"]
    assert "carries the portal's mark on every page" in steps["check-site"].stderr
    assert git(origin, "rev-parse", "gh-pages") == git(checkout, "rev-parse", "gh-pages")
    assert git(origin, "rev-parse", "main") == git(checkout, "rev-parse", "main")  # the register commit
    assert re.search(r"(?m)^Deployed \w+ to 2019-09 with ProperDocs 1\.6\.7 and mike 2\.2\.0$", git(origin, "log", "--format=%s", "gh-pages"))
    page = git(origin, "show", "gh-pages:2019-09/index.html")
    assert '<meta name="generator" content="crimeportal ' in page


def test_the_first_release_s_notes_say_it_is_the_first_and_link_its_page(first_release):
    checkout, _ = first_release
    notes = (checkout / "release-notes.md").read_text(encoding="utf-8")
    assert "first release" in notes
    assert "## The board pack" in notes
    assert "[The board pack: the board report as a PDF" in notes
    assert "(https://example.invalid/2019-09/board-report/board-pack.pdf)" in notes
    assert notes.rstrip().endswith("The whole page: https://example.invalid/2019-09/what-changed/")
    assert "¶" not in notes and "<" not in notes


def test_the_github_release_s_files_are_the_release_s_own_board_pack_and_data_zip(first_release, tmp_path):
    checkout, _ = first_release
    pdf = git_bytes(checkout, "show", "gh-pages:2019-09/board-report/board-pack.pdf")
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "data.zip").write_bytes(git_bytes(checkout, "show", "gh-pages:2019-09/data/portal-data.zip"))
    with zipfile.ZipFile(tmp_path / "data.zip") as data:
        assert any(name.endswith("datapackage.json") for name in data.namelist())


def git_bytes(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, check=True).stdout


def test_the_next_release_from_a_fresh_checkout_with_mkdocs_lists_what_changed(origin, first_release, tmp_path):
    editor = clone(origin, tmp_path / "editor")
    december_changes(editor)
    git(editor, "push", "--quiet", "origin", "main")  # the reviewed change, merged
    checkout = clone(origin, tmp_path / "checkout")
    steps = release_steps(checkout, *DECEMBER, "2019-12-12", "mkdocs")
    for name, result in steps.items():
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    assert re.search(r"(?m)^Deployed \w+ to 2019-12 with MkDocs 1\.6\.1 and mike 2\.2\.0$", git(origin, "log", "--format=%s", "gh-pages"))
    notes = (checkout / "release-notes.md").read_text(encoding="utf-8")
    assert "## Revised figures" in notes and "## New measures" in notes
    # the revised figure's table, as a Markdown table with the measure linked to the release's page
    assert "| Measure | Period | Published in the September 2019 board update | Now | Note |\n| --- | --- | --- | --- | --- |\n" in notes
    assert ("| [Knife-enabled crime offences](https://example.invalid/2019-12/metrics/knife-enabled-crime/) | "
            "3 months to July 2019 | 176 | 181 | Five offences recorded late were added. |") in notes


def test_release_notes_for_a_release_not_published_say_so(first_release):
    checkout, _ = first_release
    done = crimeportal(checkout, "release-notes", "2031-01")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "release 2031-01 has no What changed page on the gh-pages branch" in done.stderr


def test_publish_refuses_a_site_built_without_the_portal_s_hooks_and_changes_nothing(origin, first_release, tmp_path):
    checkout = clone(origin, tmp_path / "checkout")
    git(checkout, "fetch", "--quiet", "origin", "gh-pages:gh-pages")
    config = checkout / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # strict off, so that mike's build succeeds and only the portal's own check stands in the way
    config.write_text(text.replace("hooks:\n  - hooks/portal.py\n", "").replace("strict: true", "strict: false"),
                      encoding="utf-8")
    git(checkout, "commit", "--quiet", "-am", "Hooks removed")
    before, origin_pages = snapshot(checkout), git(origin, "rev-parse", "gh-pages")
    done = crimeportal(checkout, "publish", "2020-03", "--title", "March 2020 board update", "--push")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "publishing 2020-03 failed: the site mike built is not the portal's whole site" in done.stderr
    assert "without the portal's mark" in done.stderr and "hooks/portal.py" in done.stderr
    assert "everything was put back as it was" in done.stderr
    assert snapshot(checkout) == before
    assert git(origin, "rev-parse", "gh-pages") == origin_pages
    shutil.rmtree(checkout)
