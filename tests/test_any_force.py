"""Any force can start its own portal (issue 31): the engine as the installed package, `init`, and `upgrade`.

One session fixture builds the package's wheel (pip wheel, offline, with the pinned setuptools) and installs it into
a fresh virtual environment that finds the dependencies in the
project's own .venv through a .pth file (no network), then writes and builds a portal for a made-up force. The rest
runs in this process.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from crimeportal import __version__
from crimeportal.cli import main
from crimeportal.core.conventions import ENGINE_SCHEMAS

REPO = Path(__file__).resolve().parents[1]
FORCE = "Wessex Constabulary"
# made-up districts, none of them Essex's: the name before the LSOA code is the district
DISTRICTS = {"Casterbridge": 5, "Budmouth": 3, "Sherton Abbas": 2}
HEADER = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
          "LSOA name", "Crime type", "Last outcome category", "Context"]
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def write_police_uk_sample(path: Path) -> Path:
    """A police.uk street-level file: rows in each made-up district, and one anti-social behaviour row with no place."""
    with open(path, "w", newline="", encoding="utf-8") as stream:
        rows = csv.writer(stream)
        rows.writerow(HEADER)
        for number, (district, count) in enumerate(DISTRICTS.items()):
            for row in range(count):
                rows.writerow([f"{number}{row}" * 8, "2024-01", FORCE, FORCE, "-2.43", "50.71", "On or near High Street",
                               f"E0100{number}{row:03d}", f"{district} 00{row + 1}A", "Burglary", "Under investigation", ""])
        rows.writerow(["", "2024-01", FORCE, FORCE, "", "", "No Location", "", "", "Anti-social behaviour", "", ""])
    return path


# what an editor writes in place of `crimeportal new`'s placeholders
REAL_WORDS = {"Say in one sentence what this strand is for.": "Fewer burglaries in Casterbridge.",
              "Replace this with what the strand has done since the last update, in plain words.": "Marked property.",
              "Replace this with what the strand will do next.": "Mark more property.",
              "Describe what is counted, in one or two sentences.": "Burglaries recorded in the period.",
              "Say where the figures come from.": "Wessex Constabulary's crime records."}


def _made_real(path: Path) -> None:
    """An example made the force's own, as an editor would: the placeholders replaced with real words and a
    figure, and the draft line removed, as its comment says."""
    text = re.sub(r"(?m)^draft: true .*\n", "", path.read_text(encoding="utf-8"))
    for placeholder, words in REAL_WORDS.items():
        text = text.replace(placeholder, words)
    text = re.sub(r"value: null\n\s+suppressed: true\n\s+note: .*\n", "value: 42\n", text)
    path.write_text(text, encoding="utf-8")


def add_burglary_by_district(portal: Path, scratch: Path) -> None:
    """A count measure of burglaries by district, imported from the police.uk sample, and the examples made real,
    so that the portal builds with figures by district."""
    sample = write_police_uk_sample(scratch / "2024-01-wessex-street.csv")
    assert main(["--root", str(portal), "new", "metric", "--strand", "example-strand", "--title", "Burglary",
                 "--unit", "count", "--polarity", "lower-is-better", "--period", "month"]) == 0
    assert main(["--root", str(portal), "import", "police-uk", str(sample), "--crime-type", "Burglary",
                 "--metric", "burglary"]) == 0
    for path in ("content/strands/example-strand.md", "data/metrics/example-measure.yml", "data/metrics/burglary.yml"):
        _made_real(portal / path)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=GIT_ENV, timeout=600)


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """A fresh environment's python with crimeportal as built from pyproject.toml, not this checkout's src/."""
    where = tmp_path_factory.mktemp("installed")
    lib = where / "lib"
    # the wheel as `pip wheel` makes it for a force (content/about/start-a-portal.md), with the pinned setuptools
    # rather than one fetched from an index, then installed from that wheel alone
    # from a copy: setuptools builds in the source folder, and a build/ left there could put stale files in a wheel
    source = where / "source"
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(where / "wheels"), str(source)], where)
    assert built.returncode == 0, built.stderr
    [wheel] = (where / "wheels").glob("crimeportal-*.whl")
    assert wheel.name == f"crimeportal-{__version__}-py3-none-any.whl"  # the name a new portal's requirements.txt gives
    unpacked = _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(lib),
                     str(wheel)], where)
    assert unpacked.returncode == 0, unpacked.stderr
    venv.create(where / "env", with_pip=False)
    python = where / "env" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], where).stdout.strip()
    # the built package first, then the project's dependencies (whose own .pth files, this checkout's editable
    # install among them, are not read from a folder a .pth names)
    (Path(purelib) / "crimeportal-test.pth").write_text(f"{lib}\n{sysconfig.get_path('purelib')}\n", encoding="utf-8")
    found = _run([str(python), "-c", "import crimeportal; print(crimeportal.__file__)"], where).stdout
    assert Path(found.strip()).is_relative_to(lib), found
    _console_scripts(python)
    return python


def _console_scripts(python: Path) -> None:
    """The commands installing the dependencies would put beside the environment's python (publish runs mkdocs by
    name, as mike does): the project's own scripts, each made to start this environment's python."""
    if os.name == "nt":
        return  # Windows' scripts are .exe launchers, which cannot be retargeted by their first line
    for name in ("mkdocs", "properdocs", "mike"):
        text = (Path(sys.executable).parent / name).read_text(encoding="utf-8")
        script = python.parent / name
        script.write_text(f"#!{python}\n" + text.split("\n", 1)[1], encoding="utf-8")
        script.chmod(0o755)


@pytest.fixture(scope="session")
def new_portal(installed: Path, tmp_path_factory) -> Path:
    """A portal for the made-up force, written by the installed `crimeportal init` and built by it."""
    where = tmp_path_factory.mktemp("force")
    sample = write_police_uk_sample(where / "2024-01-wessex-street.csv")
    made = _run([str(installed), "-m", "crimeportal", "init", "wessex", "--force-name", FORCE, "--police-uk", str(sample)], where)
    assert made.returncode == 0, made.stderr
    assert all(f"{name}: {rows}" in made.stdout for name, rows in DISTRICTS.items()), made.stdout
    return where / "wessex"


@pytest.fixture(scope="session")
def new_site(installed: Path, new_portal: Path) -> Path:
    checked = _run([str(installed), "-m", "crimeportal", "validate"], new_portal)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _run([str(installed), "-m", "crimeportal", "build"], new_portal)
    assert built.returncode == 0, built.stderr
    return new_portal / "site"


def test_a_new_portal_builds_from_the_installed_package_and_names_no_other_force(new_portal: Path, new_site: Path):
    pages = list(new_site.rglob("*.html"))
    assert len(pages) > 10
    assert [p for p in pages if re.search(r"\bEssex\b", p.read_text(encoding="utf-8"))] == []
    # the engine's files came from the package: its overrides, stylesheet and default About pages
    assert not (new_portal / "overrides").exists() and not (new_portal / "content" / "stylesheets").exists()
    assert (new_site / "assets" / "javascripts" / "search-on-demand.js").is_file()
    assert (new_site / "assets" / "javascripts" / "palette.js").is_file()
    assert (new_site / "stylesheets" / "portal.css").is_file()
    accessibility = (new_site / "about" / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert f"This website is run by {FORCE}." in accessibility
    assert "compared with Wessex as a whole" in (new_site / "about" / "how-we-judge-change" / "index.html").read_text(encoding="utf-8")


def test_the_new_portal_installs_crimeportal_by_its_wheel_s_path_never_by_name(new_portal: Path):
    wanted = [line for line in (new_portal / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    # the file name `pip wheel` gives this version, and a path: an index is never asked for "crimeportal"
    assert wanted == [f"./wheels/crimeportal-{__version__}-py3-none-any.whl"]


def test_each_district_in_the_police_uk_files_has_its_page(new_site: Path):
    for name in DISTRICTS:
        page = new_site / "areas" / name.lower().replace(" ", "-") / "index.html"
        assert name in page.read_text(encoding="utf-8")


def test_publish_refuses_the_example_drafts(installed: Path, new_portal: Path, new_site: Path, tmp_path: Path):
    portal = tmp_path / "portal"
    shutil.copytree(new_portal, portal)
    for command in (["init", "--quiet", "--initial-branch=main"], ["add", "-A"], ["commit", "--quiet", "-m", "New portal"]):
        assert _run(["git", *command], portal).returncode == 0
    done = _run([str(installed), "-m", "crimeportal", "publish", "2026-03", "--title", "March 2026"], portal)
    assert done.returncode == 1
    assert "content/strands/example-strand.md is marked `draft: true`" in done.stderr
    assert "data/metrics/example-measure.yml is marked `draft: true`" in done.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path), "--force-name", FORCE]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_upgrade_check_reports_a_changed_schema_and_upgrade_restores_it(tmp_path: Path, capsys):
    assert main(["init", str(tmp_path / "p"), "--force-name", FORCE]) == 0
    root = tmp_path / "p"
    schema = root / "schemas" / "metric.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"title"', '"heading"', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "validate"]) == 0
    assert "schemas/metric.schema.json" in capsys.readouterr().err  # noted, failing nothing: upgrade --check fails
    (root / "hooks" / "portal.py").unlink()
    assert main(["--root", str(root), "upgrade", "--check"]) == 1
    said = capsys.readouterr()
    assert "would replace schemas/metric.schema.json" in said.out and "would add hooks/portal.py" in said.out
    assert "Nothing was written" in said.err and not (root / "hooks" / "portal.py").exists()
    assert main(["--root", str(root), "upgrade"]) == 0
    assert schema.read_text(encoding="utf-8") == (ENGINE_SCHEMAS / "metric.schema.json").read_text(encoding="utf-8")
    assert (root / "hooks" / "portal.py").is_file()
    assert main(["--root", str(root), "upgrade", "--check"]) == 0


def test_the_essex_portal_keeps_the_package_s_schemas_and_hooks(capsys):
    assert main(["--root", str(REPO), "upgrade", "--check"]) == 0


def test_once_the_examples_are_replaced_a_release_publishes_with_mike(installed: Path, new_portal: Path, new_site: Path,
                                                                      tmp_path: Path):
    portal = tmp_path / "portal"
    shutil.copytree(new_portal, portal, ignore=shutil.ignore_patterns("site", ".cache"))
    for path in (portal / "content/strands/example-strand.md", portal / "data/metrics/example-measure.yml"):
        _made_real(path)
    origin = tmp_path / "origin.git"
    for command in (["init", "--quiet", "--bare", str(origin)], ["init", "--quiet", "--initial-branch=main"],
                    ["remote", "add", "origin", str(origin)], ["add", "-A"], ["commit", "--quiet", "-m", "First strand"]):
        assert _run(["git", *command], portal).returncode == 0
    done = _run([str(installed), "-m", "crimeportal", "publish", "2026-03", "--title", "March 2026 board update",
                 "--board-meeting", "2026-03-12", "--push"], portal)
    assert done.returncode == 0, done.stdout + done.stderr
    listed = _run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], origin).stdout.splitlines()
    assert {"versions.json", "2026-03/index.html", "latest/index.html", "2026-03/strands/example-strand/index.html"} <= set(listed)
    home = _run(["git", "show", "gh-pages:2026-03/index.html"], origin).stdout
    assert "Wessex" in home and not re.search(r"\bEssex\b", home)
    assert "2026-03" in _run(["git", "show", "main:data/releases.yml"], origin).stdout


def test_district_figures_without_populations_say_what_is_missing(new_portal: Path, tmp_path: Path):
    portal = tmp_path / "portal"
    shutil.copytree(new_portal, portal, ignore=shutil.ignore_patterns("site", ".cache"))
    add_burglary_by_district(portal, tmp_path)
    assert main(["--root", str(portal), "build"]) == 0
    page = (portal / "site/metrics/burglary/index.html").read_text(encoding="utf-8")
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Budmouth 3 Casterbridge 5 Sherton Abbas 2" in words  # the counts, which need nothing more
    assert ("Rates per 1,000 people, a map and comparisons with Wessex are not shown: the districts' populations "
            "have not been added yet.") in words


@pytest.mark.parametrize("name, odd", [("Wessex *Constabulary*", "'*'"), ("Wessex {{ site_name }}", "'{'"),
                                       ("Wessex <img src=x> Police", "'<'")])
def test_init_refuses_a_force_name_with_characters_that_mean_something_in_its_files(tmp_path: Path, capsys, name, odd):
    assert main(["init", str(tmp_path / "p"), "--force-name", name]) == 1
    assert odd in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_a_force_name_beyond_ascii_and_with_an_ampersand_makes_a_portal_that_validates(tmp_path: Path, capsys):
    assert main(["init", str(tmp_path / "p"), "--force-name", "Dyfed-Powys & Gwynedd Heddlu 🐉"]) == 1  # an emoji is no letter
    assert main(["init", str(tmp_path / "p"), "--force-name", "Heddlu Dyfed-Powys & Gŵyr"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path / "p"), "validate"]) == 0
    assert "Gŵyr" in (tmp_path / "p" / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_police_uk_district_name_the_checks_refuse_leaves_no_portal_behind(tmp_path: Path, capsys):
    sample = write_police_uk_sample(tmp_path / "2024-01-wessex-street.csv")
    text = sample.read_text(encoding="utf-8").replace("Budmouth 00", "Bud\u202emouth 00")  # a direction override
    sample.write_text(text, encoding="utf-8")
    assert main(["init", str(tmp_path / "p"), "--force-name", FORCE, "--police-uk", str(sample)]) == 1
    said = capsys.readouterr()
    assert "the new portal would have 1 problem" in said.err and "p/data/areas.yml:" in said.out + said.err
    assert not (tmp_path / "p").exists() and [p.name for p in tmp_path.iterdir()] == ["2024-01-wessex-street.csv"]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_upgrade_never_writes_through_a_linked_folder(tmp_path: Path, capsys):
    assert main(["init", str(tmp_path / "p"), "--force-name", FORCE]) == 0
    root, elsewhere = tmp_path / "p", tmp_path / "other-repo-hooks"
    elsewhere.mkdir()
    (root / "hooks" / "portal.py").unlink()
    (root / "hooks").rmdir()
    (root / "hooks").symlink_to(elsewhere)
    capsys.readouterr()
    assert main(["--root", str(root), "upgrade"]) == 1
    assert "hooks is a link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
