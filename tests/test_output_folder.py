"""`crimeportal build --site-dir` never replaces anything but a site it built: not the portal, not its sources,
not a folder holding git, not someone's files. The guard's refusal deletes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.cli import main
from payloads import SITE_DIRS_REFUSED


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def _build(root: Path, site_dir: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "build", "--site-dir", site_dir])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("site_dir", SITE_DIRS_REFUSED)
def test_build_refuses_the_portal_its_sources_and_their_parents_and_deletes_nothing(
        portal_copy: Path, site_dir: str, capsys: pytest.CaptureFixture[str]):
    (portal_copy / ".git").mkdir(exist_ok=True)
    (portal_copy / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = _listing(portal_copy)
    code, err = _build(portal_copy, site_dir, capsys)
    assert code == 1, err
    assert "cannot be built into" in err and "Nothing was built and nothing was deleted" in err
    assert "Traceback" not in err and "built the site" not in err
    assert _listing(portal_copy) == before
    assert not list(portal_copy.parent.glob("*.building-*")) and not list(portal_copy.glob("*.building-*"))


def test_build_refuses_a_folder_holding_git_or_someone_elses_files(portal_copy: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]):
    checkout = tmp_path / "gh-pages-checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / "index.html").write_text("someone's work", encoding="utf-8")
    code, err = _build(portal_copy, str(checkout), capsys)
    assert code == 1 and "git repository" in err, err
    assert (checkout / "index.html").read_text(encoding="utf-8") == "someone's work"

    (checkout / ".git" / "HEAD").unlink(missing_ok=True)
    (checkout / ".git").rmdir()
    code, err = _build(portal_copy, str(checkout), capsys)
    assert code == 1 and "did not make" in err, err
    assert (checkout / "index.html").exists()


def test_a_file_given_as_the_site_folder_is_refused(portal_copy: Path, capsys: pytest.CaptureFixture[str]):
    (portal_copy / "notes.txt").write_text("mine", encoding="utf-8")
    code, err = _build(portal_copy, "notes.txt", capsys)
    assert code == 1 and "not a folder" in err, err
    assert (portal_copy / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_portal_s_own_site_built_before_builds_were_marked_is_replaced_but_not_a_look_alike_elsewhere(
        portal_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    for folder in (portal_copy / "site", tmp_path / "elsewhere"):
        folder.mkdir()
        for name in ("index.html", "sitemap.xml", "404.html"):
            (folder / name).write_text("an older build", encoding="utf-8")
    code, err = _build(portal_copy, str(tmp_path / "elsewhere"), capsys)
    assert code == 1 and "did not make" in err, err
    code, err = _build(portal_copy, "site", capsys)
    assert code == 0, err
    assert (portal_copy / "site" / ".crimeportal-site").is_file()
    assert "an older build" not in (portal_copy / "site" / "index.html").read_text(encoding="utf-8")

