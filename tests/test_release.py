"""Versioned releases, published for real: `crimeportal publish` in temporary git repositories, checked
through the gh-pages branch mike writes, the source branch, the working tree and a real browser.

One repository with two releases (2019-09, then 2019-12 after a revision, a new figure, a new measure and
a strand going live) is shared by the module; tests that change things work on their own copy of it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from posixpath import normpath

import feedparser
import pytest
import yaml
from chromium import LAUNCH_ARGS, find_chromium

from crimeportal.core.conventions import SITE_MARKER
from crimeportal.core.commands import VIA_MAKE
from crimeportal.releases.changes import compare
from portal_files import GIT_ENV, replace_once

REPO = Path(__file__).resolve().parents[1]
CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"
CHROMIUM = find_chromium()
PORTAL_PARTS = ("content", "data", "schemas", "hooks", "mkdocs.yml", ".gitignore")
SEPTEMBER = ("2019-09", "September 2019 board update")
DECEMBER = ("2019-12", "December 2019 board update")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True)
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CRIMEPORTAL), "publish", *args], cwd=repo, env=GIT_ENV,
                          capture_output=True, text=True, timeout=600)


def pages(repo: Path, path: str) -> str:
    return git(repo, "show", f"gh-pages:{path}")


def pages_tree(repo: Path) -> dict[str, tuple[str, str]]:
    """Every file on gh-pages: path -> (mode, blob)."""
    listing = git(repo, "ls-tree", "-r", "gh-pages").splitlines()
    return {line.split("\t", 1)[1]: tuple(line.split("\t", 1)[0].split()[::2]) for line in listing}


def new_repo(folder: Path) -> Path:
    for name in PORTAL_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, folder / name)
    git(folder, "init", "--quiet", "--initial-branch=main")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", "The portal")
    return folder


def copy_repo(repo: Path, folder: Path) -> Path:
    shutil.copytree(repo, folder, symlinks=True)
    return folder


def december_changes(repo: Path) -> None:
    """One figure revised, one figure added, one measure added and one strand going live."""
    replace_once(repo / "data/metrics/knife-enabled-crime.yml", "  - end: 2019-07\n    value: 176\n",
                 '  - end: 2019-07\n    value: 181\n    status: revised\n    note: "Five offences recorded late were added."\n')
    burglary = repo / "data/metrics/residential-burglary-offences.yml"
    burglary.write_text(burglary.read_text(encoding="utf-8") + "  - end: 2019-10\n    value: 1702\n    status: provisional\n",
                        encoding="utf-8")
    robbery = (repo / "data/metrics/personal-robbery-offences.yml").read_text(encoding="utf-8")
    robbery = robbery.replace("id: personal-robbery-offences", "id: business-robbery-offences")
    robbery = re.sub(r"(?m)^title: .*$", "title: Business robbery offences", robbery)
    (repo / "data/metrics/business-robbery-offences.yml").write_text(robbery, encoding="utf-8")
    replace_once(repo / "content/strands/business-crime.md", "status: planned", "status: active")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "December figures")


def snapshot(repo: Path) -> dict:
    """The source branch, gh-pages and the working tree (ignored files too, except the chart cache)."""
    files = {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(repo.rglob("*"))
             if p.is_file() and not p.relative_to(repo).parts[0] in (".git", ".cache")}
    if not (repo / ".git").exists():
        return {"files": files}
    return {"files": files, "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
            "head": git(repo, "symbolic-ref", "HEAD"), "status": git(repo, "status", "--porcelain", "--ignored")}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    repo = new_repo(tmp_path_factory.mktemp("released"))
    remote = tmp_path_factory.mktemp("origin") / "origin.git"
    git(repo, "init", "--quiet", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("an editor's own build\n")
    (repo / "site" / SITE_MARKER).write_text("")  # as `crimeportal build` leaves it, so the next build may replace it
    first = publish(repo, SEPTEMBER[0], "--title", SEPTEMBER[1], "--board-meeting", "2019-09-12")
    assert first.returncode == 0, first.stdout + first.stderr
    december_changes(repo)
    second = publish(repo, DECEMBER[0], "--title", DECEMBER[1], "--board-meeting", "2019-12-12")
    assert second.returncode == 0, second.stdout + second.stderr
    return repo


# ---------------------------------------------------------------------------------------------- two releases


def test_versions_json_lists_each_release_by_title_newest_first_with_latest_on_the_newest(released):
    versions = json.loads(pages(released, "versions.json"))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        (DECEMBER[0], DECEMBER[1], ["latest"]), (SEPTEMBER[0], SEPTEMBER[1], [])]


def test_each_release_is_frozen_as_it_was_published(released):
    def figure(version: str, metric_id: str) -> list[str]:
        rows = csv.DictReader(io.StringIO(pages(released, f"{version}/data/metrics/{metric_id}.csv").removeprefix("\ufeff")))
        return [row["value"] for row in rows]

    assert figure("2019-09", "knife-enabled-crime") == ["169", "176"]
    assert figure("2019-12", "knife-enabled-crime") == ["169", "181"]
    assert figure("2019-12", "residential-burglary-offences") == ["1948", "1761", "1702"]
    tree = pages_tree(released)
    assert "2019-12/metrics/business-robbery-offences/index.html" in tree
    assert not [path for path in tree if path.startswith("2019-09/") and "business-robbery" in path]
    september_strands = {s["id"]: s["status"] for s in json.loads(pages(released, "2019-09/data/strands.json"))}
    december_strands = {s["id"]: s["status"] for s in json.loads(pages(released, "2019-12/data/strands.json"))}
    assert (september_strands["business-crime"], december_strands["business-crime"]) == ("planned", "active")
    assert "181" in pages(released, "2019-12/metrics/knife-enabled-crime/index.html")


def test_latest_is_a_full_copy_of_the_newest_release_not_a_symlink(released):
    tree = pages_tree(released)
    newest = {path.removeprefix("2019-12/"): entry for path, entry in tree.items() if path.startswith("2019-12/")}
    latest = {path.removeprefix("latest/"): entry for path, entry in tree.items() if path.startswith("latest/")}
    assert newest and latest == newest
    assert all(mode == "100644" for mode, _ in latest.values())


def test_the_site_root_goes_to_latest_and_has_a_404_page(released):
    root = pages(released, "index.html")
    assert 'window.location.replace(\n      "latest/"' in root and 'url=latest/' in root
    not_found = pages(released, "404.html")
    assert not_found == pages(released, "2019-12/404.html")
    assert "<h1>Page not found</h1>" in not_found
    # any missing address gets this page, so everything it loads is addressed from the site root
    tree = pages_tree(released)
    for target in re.findall(r'(?:href|src)="(/[^"#]*)"', not_found):
        path = normpath(target).lstrip("/")
        assert path in tree or f"{path}/index.html" in tree or path in ("latest", "2019-12"), target
    assert 'href="/2019-12/../latest/">Go to the latest release' in not_found


@pytest.mark.parametrize("version", ["2019-09", "2019-12", "latest"])
def test_stable_links_resolve_for_every_measure_in_every_release(released, version):
    tree = pages_tree(released)
    metric_ids = [m["id"] for m in json.loads(pages(released, f"{version}/data/all-metrics.json"))]
    measures = len(list((Path(__file__).resolve().parents[1] / "data" / "metrics").glob("*.yml")))  # the seed's and police.uk's
    assert len(metric_ids) == (measures if version == "2019-09" else measures + 1)
    for metric_id in metric_ids:
        assert f"{version}/metrics/{metric_id}/index.html" in tree
        assert f"{version}/data/metrics/{metric_id}.csv" in tree
        assert f"{version}/data/metrics/{metric_id}.json" in tree


def test_the_older_release_names_itself_and_links_to_the_same_page_in_latest(released):
    page = pages(released, "2019-09/metrics/knife-enabled-crime/index.html")
    banner = re.search(r'data-md-component="outdated" hidden>(.*?)</aside>', page, flags=re.S).group(1)
    assert "You are viewing the September 2019 release." in banner
    href = re.search(r'<a href="([^"]+)"><strong>See the latest.</strong>', banner).group(1)
    assert normpath("2019-09/metrics/knife-enabled-crime/" + href) == "latest/metrics/knife-enabled-crime"
    assert "This is the September 2019 release." in page.split("<noscript>", 2)[-1]  # for readers without JavaScript


def test_canonical_links_point_at_latest_and_each_release_has_its_own_sitemap(released):
    for version in ("2019-09", "2019-12"):
        page = pages(released, f"{version}/metrics/knife-enabled-crime/index.html")
        assert re.findall(r'<link rel="canonical" href="([^"]+)"', page) == [
            "https://example.invalid/latest/metrics/knife-enabled-crime/"]
        locations = re.findall(r"<loc>([^<]+)</loc>", pages(released, f"{version}/sitemap.xml"))
        assert f"https://example.invalid/{version}/metrics/knife-enabled-crime/" in locations
        assert all(url.startswith(f"https://example.invalid/{version}/") for url in locations)
        citation = re.search(r'<figure class="portal-cite">.*?</figure>', page).group(0)
        assert f"https://example.invalid/{version}/metrics/knife-enabled-crime/" in citation


def test_what_changed_lists_the_revision_the_new_figure_the_new_measure_and_the_strand(released):
    page = pages(released, "2019-12/what-changed/index.html")
    text = page[page.index("<article"):page.index("</article>")]
    assert "compared with the release before it, the September 2019 board update (2019-09)" in text
    revised = re.search(r'<div class="admonition warning">.*?</table>', text, flags=re.S).group(0)
    assert "1 figure changed after it was published" in revised
    row = re.search(r"<tr><th scope=\"row\">.*?</tr>", revised.split("<tbody>")[1]).group(0)
    assert 'href="../metrics/knife-enabled-crime/">Knife-enabled crime offences</a>' in row
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == [
        "3 months to July 2019", "176", "181", "Five offences recorded late were added."]
    assert ('<a href="../metrics/residential-burglary-offences/">Residential burglary offences</a>: '
            "1,702 in the 3 months to October 2019 (provisional)") in text
    assert '<a href="../metrics/business-robbery-offences/">Business robbery offences</a>: 2 figures' in text
    assert "<li>Business Crime: planned → active</li>" in text
    assert text.index("Revised figures") < text.index("New figures")  # revisions come first
    home_nav = pages(released, "2019-12/index.html").split("md-nav--primary", 1)[1]
    assert re.search(r'<a href="what-changed/" class="md-nav__link">\s*<span class="md-ellipsis">\s*What changed', home_nav)


def test_what_changed_lists_a_verdict_that_moved_with_the_figures_compared_and_why(released):
    page = pages(released, "2019-12/what-changed/index.html")
    text = " ".join(re.sub(r"<[^>]+>", " ", page[page.index("<article"):page.index("</article>")]).split())
    assert "Verdicts that changed" in text
    assert text.index("Revised figures") < text.index("Verdicts that changed") < text.index("New figures")
    assert ("Residential burglary offences : Improvement → No significant change. In the earlier release: 1,761 "
            "(3 months to July 2019) with 1,948 (3 months to July 2018), year on year") in text
    assert ("Now: 1,702 (3 months to October 2019) with 1,761 (3 months to July 2019), previous period "
            "(no figure a year earlier)") in text
    assert "Why: a newer figure is now the latest; the comparison is now previous period" in text


def test_the_first_release_says_it_is_the_first(released):
    page = pages(released, "2019-09/what-changed/index.html")
    assert "is the first release of the portal: there is no earlier release to compare it with." in page
    assert "Revised figures" not in page


def test_the_register_is_committed_on_the_source_branch_and_the_tree_is_left_clean(released):
    register = yaml.safe_load(git(released, "show", "main:data/releases.yml"))
    entries = register["releases"]
    assert [(e["version"], e["title"], str(e["board_meeting"])) for e in entries] == [
        (*SEPTEMBER, "2019-09-12"), (*DECEMBER, "2019-12-12")]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(e["published"])) for e in entries)
    log = git(released, "log", "--format=%s", "main").splitlines()
    assert log[:3] == [f"Publish release 2019-12: {DECEMBER[1]}", "December figures", f"Publish release 2019-09: {SEPTEMBER[1]}"]
    assert git(released, "status", "--porcelain") == ""
    assert (released / "site" / "index.html").read_text() == "an editor's own build\n"
    assert not (released / "site.before-publish").exists()
    deployed = git(released, "log", "--format=%s", "gh-pages").splitlines()
    assert any(line.startswith(f"Deployed {git(released, 'rev-parse', '--short', 'main').strip()} to 2019-12") for line in deployed)


def test_nothing_is_pushed_unless_asked(released):
    remote = git(released, "remote", "get-url", "origin").strip()
    assert git(Path(remote), "for-each-ref") == ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _dom(url: str, profile: Path) -> str:
    """The page as the browser has it once its scripts have run (the version selector fetches versions.json)."""
    done = subprocess.run([CHROMIUM, "--headless", *LAUNCH_ARGS, f"--user-data-dir={profile}",
                           "--virtual-time-budget=10000", "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: apt-get install chromium, run `make browser`, or set CHROMIUM")
def test_in_a_browser_the_banner_shows_only_on_the_older_release_and_the_selector_lists_titles(released, tmp_path):
    port = _free_port()
    env = {**GIT_ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    server = subprocess.Popen([sys.executable, "-c", "import sys; from mike.driver import main; sys.exit(main())",
                               "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=released, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        older = _dom(base + "2019-09/metrics/knife-enabled-crime/", tmp_path / "profile-older")
        newest = _dom(base + "latest/metrics/knife-enabled-crime/", tmp_path / "profile-latest")
        home = _dom(base, tmp_path / "profile-home")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert re.search(r'<div data-md-color-scheme="default" data-md-component="outdated">', older)  # no longer hidden
    assert "You are viewing the September 2019 release." in older
    assert re.search(r'data-md-component="outdated" hidden', newest)
    assert re.findall(r'class="md-version__link"[^>]*>([^<]+)<', older) == [DECEMBER[1], SEPTEMBER[1]]
    assert re.search(r'class="md-version__current"[^>]*>December 2019 board update<', home)  # the root went to latest


# ---------------------------------------------------------------------------------------------- refusals


def _break_data(repo: Path) -> None:
    replace_once(repo / "data/metrics/knife-enabled-crime.yml", "unit: count", "unit: percentage")
    git(repo, "commit", "--quiet", "--all", "-m", "A mistake")


REFUSALS = {
    "invalid data": (_break_data, ["2020-03"], "data/metrics/knife-enabled-crime.yml:6:7: unit: must be one of count, percent, rate"),
    "uncommitted change": (lambda repo: replace_once(repo / "content/index.md", "nine areas", "ten areas"),
                           ["2020-03"], "there are uncommitted changes"),
    "untracked file": (lambda repo: (repo / "content/draft.md").write_text("# Draft\n"), ["2020-03"], "?? content/draft.md"),
    "existing version": (None, ["2019-12"], "release 2019-12 has already been published. To replace it, run again with --replace"),
    "older version": (None, ["2019-10"], "release 2019-10 is older than the latest release, 2019-12"),
    "replacing an older release": (None, ["2019-09", "--replace"], "only the latest release can be replaced"),
    "malformed version": (None, ["2019-9"], "the version must be a release id written YYYY-MM"),
    "not a git repository": (lambda repo: shutil.rmtree(repo / ".git"), ["2020-03"], "is not a git repository"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refusal_says_why_and_changes_nothing(released, tmp_path, case):
    prepare, args, reason = REFUSALS[case]
    repo = copy_repo(released, tmp_path / "repo")
    if prepare:
        prepare(repo)
    before = snapshot(repo)
    result = publish(repo, *args, "--title", "A release that must not happen")
    assert result.returncode == 1, result.stderr
    assert "crimeportal: not published; nothing was changed." in result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize(("via_make", "replace", "push"), [(False, "--replace", "--push"), (True, "REPLACE=1", "PUSH=1")])
def test_a_refusal_names_the_options_as_the_editor_gives_them(released, tmp_path, via_make, replace, push):
    repo = copy_repo(released, tmp_path / "repo")
    git(repo, "remote", "remove", "origin")
    env = {**GIT_ENV, VIA_MAKE: "1"} if via_make else {k: v for k, v in GIT_ENV.items() if k != VIA_MAKE}
    result = subprocess.run([str(CRIMEPORTAL), "publish", "2019-12", "--push", "--title", "Again"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    assert (f"release 2019-12 has already been published. To replace it, run again with {replace} (readers will see "
            "the new content at the same addresses); to correct figures, publish a new release.") in result.stderr
    assert f"{push} needs a git remote called origin; there is none." in result.stderr


def test_a_failed_build_puts_both_branches_and_the_working_tree_back(released, tmp_path):
    repo = copy_repo(released, tmp_path / "repo")
    # valid data, but a link MkDocs's strict build rejects, so the checks pass and mike's build fails
    (repo / "content/about/broken.md").write_text("# Broken\n\nSee [a page that does not exist](nowhere.md).\n")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "A broken link")
    before = snapshot(repo)
    result = publish(repo, "2020-03", "--title", "March 2020 board update")
    assert result.returncode == 1
    assert "publishing 2020-03 failed" in result.stderr and "everything was put back as it was" in result.stderr
    assert "nowhere.md" in result.stdout + result.stderr  # MkDocs's own explanation reaches the editor
    assert snapshot(repo) == before


def test_replace_says_so_loudly_and_push_sends_both_branches(released, tmp_path):
    repo = copy_repo(released, tmp_path / "repo")
    remote = tmp_path / "origin.git"
    git(repo, "init", "--quiet", "--bare", str(remote))
    git(repo, "remote", "set-url", "origin", str(remote))
    result = publish(repo, "2019-12", "--replace", "--push", "--title", "December 2019 board update (corrected)")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "REPLACING RELEASE 2019-12" in result.stderr
    versions = json.loads(pages(repo, "versions.json"))
    assert [(v["version"], v["title"]) for v in versions] == [("2019-12", "December 2019 board update (corrected)"), SEPTEMBER]
    entries = yaml.safe_load((repo / "data/releases.yml").read_text())["releases"]
    assert len(entries) == 2 and entries[-1]["title"] == "December 2019 board update (corrected)"
    assert entries[-1]["published"] == yaml.safe_load(git(released, "show", "main:data/releases.yml"))["releases"][-1]["published"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entries[-1]["replaced"]))
    assert git(repo, "log", "-1", "--format=%s").strip() == "Replace release 2019-12: December 2019 board update (corrected)"
    for branch in ("main", "gh-pages"):
        assert git(remote, "rev-parse", branch) == git(repo, "rev-parse", branch)


# ---------------------------------------------------------------------------------------------- previews and checks


def test_a_preview_build_shows_changes_since_the_latest_release(released, tmp_path):
    repo = copy_repo(released, tmp_path / "repo")
    replace_once(repo / "data/metrics/hate-crime-solved-outcomes.yml", "value: 99", "value: 101")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=repo, env=GIT_ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    page = (repo / "site/what-changed/index.html").read_text()
    assert ("This is a preview, not a published release: it shows what has changed since the latest release, "
            "the December 2019 board update (2019-12).") in page
    assert re.search(r"Hate crime[^<]*</a></th> <td>3 months to July 2019</td> <td[^>]*>99</td> <td[^>]*>101</td>", page)
    assert 'rel="canonical"' not in page  # a preview is not the published site
    releases = (repo / "site/about/releases/index.html").read_text()
    assert releases.index("December 2019 board update") < releases.index("September 2019 board update")


DECEMBER_SUMMARY = ("Since the September 2019 board update: 1 new figure, 1 figure revised, 1 new measure "
                    "and 1 change to the strands.")


def test_each_release_s_feed_lists_the_releases_to_it_newest_first_with_what_each_changed(released):
    feed = feedparser.parse(pages(released, "2019-12/feed.xml").encode())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.id == "https://example.invalid/latest/feed.xml"
    published = {r["version"]: str(r["published"]) for r in yaml.safe_load((released / "data/releases.yml").read_text())["releases"]}
    assert [(e.title, e.link, e.updated[:10]) for e in feed.entries] == [
        (DECEMBER[1], "https://example.invalid/2019-12/what-changed/", published[DECEMBER[0]]),
        (SEPTEMBER[1], "https://example.invalid/2019-09/what-changed/", published[SEPTEMBER[0]])]
    assert [e.summary for e in feed.entries] == [DECEMBER_SUMMARY, "The first release of the portal."]
    september = feedparser.parse(pages(released, "2019-09/feed.xml").encode())
    assert [e.title for e in september.entries] == [SEPTEMBER[1]]  # frozen: it knew of no later release
    # `latest` is a copy of the newest release, so its feed is the one subscribers follow
    assert pages(released, "latest/feed.xml") == pages(released, "2019-12/feed.xml")
    head = pages(released, "2019-09/metrics/knife-enabled-crime/index.html")
    assert '<link rel="alternate feed" type="application/atom+xml"' in head and 'href="../../../latest/feed.xml"' in head


def test_a_preview_s_feed_reads_what_earlier_releases_changed_from_the_published_data(released, tmp_path):
    repo = copy_repo(released, tmp_path / "repo")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=repo, env=GIT_ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((repo / "site/feed.xml").read_bytes())
    assert not feed.bozo and [e.summary for e in feed.entries] == [DECEMBER_SUMMARY, "The first release of the portal."]


def test_validate_reports_a_broken_register_with_file_line_and_field(tmp_path):
    repo = new_repo(tmp_path)
    (repo / "data/releases.yml").write_text(
        "releases:\n  - version: 2019-9\n    title: September\n    published: 2019-09-20\n")
    result = subprocess.run([str(CRIMEPORTAL), "validate"], cwd=repo, env=GIT_ENV, capture_output=True, text=True)
    assert result.returncode == 1
    assert ("data/releases.yml:2:14: releases[0].version: must be a release id written YYYY-MM, such as 2019-09 "
            "(YYYY-MM-DD for a second release in one month); found '2019-9'") in result.stdout


def test_a_release_date_not_in_the_calendar_is_a_problem_at_its_line_and_the_build_is_refused(tmp_path):
    repo = new_repo(tmp_path)
    (repo / "data/releases.yml").write_text(
        "releases:\n  - version: 2019-09\n    title: September\n    published: 2019-02-30\n")
    for command in (["validate"], ["build"]):
        result = subprocess.run([str(CRIMEPORTAL), *command], cwd=repo, env=GIT_ENV, capture_output=True, text=True)
        assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
        assert ("data/releases.yml:4:16: releases[0].published: 2019-02-30 is not a date in the calendar"
                in result.stdout + result.stderr)


def test_compare_finds_withdrawn_figures_status_changes_and_changed_details():
    def metric(**overrides):
        record = {"id": "m", "title": "M", "strand": "s", "description": "d", "unit": "count", "polarity": "neutral",
                  "period": "month", "source": "src", "caveats": [],
                  "observations": [{"end": "2019-01", "value": 5, "status": "provisional"}, {"end": "2019-02", "value": 6}]}
        return {**record, **overrides}

    later = metric(source="a new source", observations=[{"end": "2019-01", "value": 5, "status": "final"}])
    changes = compare([metric()], [later], None, [])
    assert [c.old["end"] for c in changes.withdrawn] == ["2019-02"]
    assert [(c.old["status"], c.new["status"]) for c in changes.restatused] == [("provisional", "final")]
    assert not changes.revised and changes.details == [(later, ["source"])]
    assert changes.strands_compared is False


# ---------------------------------------------------------------------------------------------- the board pack


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed (.ci/run installs it)")
@pytest.mark.parametrize("release, meeting, other", [(SEPTEMBER, "12 September 2019", DECEMBER),
                                                     (DECEMBER, "12 December 2019", SEPTEMBER)])
def test_each_release_has_a_board_pack_naming_its_own_release_and_meeting(released, tmp_path, release, meeting, other):
    shown = subprocess.run(["git", "show", f"gh-pages:{release[0]}/board-report/board-pack.pdf"], cwd=released,
                           env=GIT_ENV, capture_output=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    pdf = tmp_path / "board-pack.pdf"
    pdf.write_bytes(shown.stdout)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(rf"^Title:\s+{re.escape(release[1])}", info, re.MULTILINE)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert release[1] in text and f"Board meeting {meeting}" in text
    title_page = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert release[1] in " ".join(title_page.split()) and other[1] not in " ".join(title_page.split())
    assert f"https://example.invalid/{release[0]}/metrics/" in text, "its links go to its own release"


def test_a_release_offers_an_embed_that_stays_and_one_that_follows_the_newest(released):
    text = pages(released, "2019-09/metrics/knife-enabled-crime/index.html")
    found = re.search(r'<div class="portal-embed">(.*?)</div>', text, re.S)
    assert found, "the measure page has no snippets to copy"
    snippets = [html.unescape(code) for code in re.findall(r"<code>(.*?)</code>", found.group(1), re.S)]
    sources = [re.search(r'<iframe src="([^"]+)"', s).group(1) for s in snippets]
    assert sources == ["https://example.invalid/latest/embed/knife-enabled-crime/",
                       "https://example.invalid/2019-09/embed/knife-enabled-crime/"]
    # the newest release's frame cannot name a figure in its text alternative: the figure changes
    assert "Knife-enabled crime offences: the latest figure and chart" in snippets[0]
    assert "Knife-enabled crime offences: 176 (3 months to July 2019)" in snippets[1]
    # and both frames' pages were published: this release's stays as it was, latest is the newest's
    assert "176" in pages(released, "2019-09/embed/knife-enabled-crime/index.html")
    assert "181" in pages(released, "latest/embed/knife-enabled-crime/index.html")
