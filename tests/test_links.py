"""validate checks the links in editors' pages as the strict build does, with MkDocs' own check: a broken link
no longer passes validate and then fails the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.site.links import made_by_build
from crimeportal.source.validate import check_portal

GOOD_LINKS = ("[about](../about/index.md), [a measure](../metrics/knife-enabled-crime.md), "
              "[figures](../data/all-metrics.csv), [feed](../feed.xml), [an area](../areas/basildon.md), "
              "[a section](#september-2019-update), [elsewhere](https://example.org/) and [home](../index.md)")


@pytest.mark.parametrize("page", ["content/strands/domestic-abuse.md", "content/about/index.md"])
def test_a_broken_link_fails_validate_at_its_line_and_good_ones_pass(portal_copy: Path, run_cli, page: str):
    path = portal_copy / page
    text = path.read_text(encoding="utf-8").rstrip("\n")
    line = text.count("\n") + 3
    path.write_text(text + f"\n\nSee [the plan](../no-such-page.md).\n\n{GOOD_LINKS if 'strands' in page else ''}\n",
                    encoding="utf-8")
    result = run_cli(portal_copy)
    assert result.code == 1
    assert result.lines == [f"{page}:{line}:14: link: links to '../no-such-page.md', but there is no "
                            "content/no-such-page.md, so the site's build would fail: correct the link (links between "
                            "pages name the page's .md file, relative to this page), or remove it"], result.lines


def test_the_build_refuses_the_same_link(portal_copy: Path, run_console):
    path = portal_copy / "content/strands/domestic-abuse.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the plan](../no-such-page.md).\n", encoding="utf-8")
    result = run_console("--root", str(portal_copy), "build")
    assert result.code == 1 and "no-such-page.md" in result.stderr


def test_validate_knows_every_page_and_download_the_build_adds(portal_copy: Path, run_console):
    result = run_console("--root", str(portal_copy), "build")
    assert result.code == 0, result.stderr
    site = portal_copy / "site"
    portal = check_portal(portal_copy, figures=False).portal
    for path in sorted(made_by_build(portal, portal_copy)):
        built = path[:-3] + "/index.html" if path.endswith(".md") and not path.endswith("index.md") else path
        built = built[:-len("index.md")] + "index.html" if built.endswith("index.md") else built
        assert (site / built).exists(), f"validate thinks the build makes {path}, but there is no site/{built}"
