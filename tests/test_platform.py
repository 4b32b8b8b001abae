"""The platform under the portal (issue 29): two engines building one site, the portal's mark on every page and
the refusal of a site without it, the hash-locked dependencies, and the workflows' schema and security checks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
import yaml
from portal_files import copy_portal

from crimeportal import __version__
from crimeportal.core import mark
from crimeportal.core.conventions import ENGINE_OVERRIDES
from crimeportal.core.engines import ENGINES
from crimeportal.releases.site_check import site_problems

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CRIMEPORTAL = BIN / "crimeportal"
LOCK = REPO / "requirements.lock"
WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ENV.pop("GITHUB_ACTIONS", None)


def run(*command: str | Path, cwd: Path = REPO, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=timeout)


# ---------------------------------------------------------------------------------------------- two engines


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The seed built by each engine, through `crimeportal build --engine`, each in its own copy of the portal."""
    sites = {}
    for name in ENGINES:
        portal = copy_portal(tmp_path_factory.mktemp(name))
        done = run(CRIMEPORTAL, "--root", portal, "build", "--engine", name, cwd=portal)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "should be renamed to 'properdocs.yml'" not in done.stderr  # the build names mkdocs.yml to either engine
        sites[name] = portal / "site"
    return sites


def test_mkdocs_and_properdocs_build_the_seed_to_the_same_pages(built):
    done = run(sys.executable, REPO / "scripts/compare_sites.py", built["mkdocs"], built["properdocs"])
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip() == "The two sites parse to the same pages."
    files = [{p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} for site in built.values()]
    assert files[0] == files[1]
    assert len([name for name in files[0] if name.endswith(".html")]) > 50  # the whole seed, not an empty site


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_every_page_carries_the_portal_s_mark_and_not_the_engine_s(built, engine):
    pages = sorted(built[engine].rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count('<meta name="generator"') == 1, page
        assert f'<meta name="generator" content="crimeportal {__version__}">' in html, page
    assert site_problems(built[engine]) == []
    done = run(CRIMEPORTAL, "check-site", "--site-dir", built[engine])
    assert done.returncode == 0, done.stderr
    assert "carries the portal's mark on every page, with every block filled" in done.stderr


def test_mike_runs_the_engine_it_is_given_though_both_are_installed():
    """mike 2.2 would always run ProperDocs here; publish's launcher must be able to choose either."""
    from crimeportal.releases.publish import _MIKE

    for engine in ENGINES.values():
        probe = _MIKE.replace("from mike.driver import main; sys.exit(main())",
                              "print(engine._program_name, engine.version_info())")
        done = run(sys.executable, "-c", probe, engine.module, engine.brand, engine.distribution)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split(" ", 1)[0] == engine.module and done.stdout.split(" ", 1)[1].startswith(engine.brand + " ")


# ---------------------------------------------------------------------------------------------- no silent half-build


def test_the_mark_replaces_material_s_generator_line_once_and_is_added_where_there_is_none():
    material = '<html><head><meta charset="utf-8"><meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2"></head>'
    stamped = mark.stamp(material)
    assert stamped == f'<html><head><meta charset="utf-8">{mark.MARK}</head>'
    assert mark.stamp(stamped) == stamped and mark.is_marked(stamped)
    assert mark.stamp("<html><head lang=en><title>x</title>") == f"<html><head lang=en>{mark.MARK}<title>x</title>"
    assert mark.stamp("<urlset></urlset>") == "<urlset></urlset>"  # a sitemap has no head to mark
    assert mark.unfilled("<p><!-- crimeportal:late licence: --></p><!-- other -->") == ["<!-- crimeportal:late licence: -->"]


def test_a_plain_build_without_the_portal_s_hooks_is_refused_with_a_plain_message(tmp_path):
    portal = copy_portal(tmp_path / "portal")
    config = (portal / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:\n  - hooks/portal.py\n" in config
    # without the hooks the generated pages' links are missing, so a strict build would stop before any check could
    (portal / "mkdocs.yml").write_text(config.replace("hooks:\n  - hooks/portal.py\n", "").replace("strict: true", "strict: false"),
                                       encoding="utf-8")
    built = run(BIN / "mkdocs", "build", "--quiet", cwd=portal)
    assert built.returncode == 0, built.stderr
    assert (portal / "site/index.html").is_file()  # a site that looks like the portal's was built
    done = run(CRIMEPORTAL, "--root", REPO, "check-site", "--site-dir", portal / "site")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "is not the portal's whole site, so it must not be published" in done.stderr
    assert "without the portal's mark" in done.stderr and "index.html" in done.stderr
    assert "check that mkdocs.yml still has `hooks: - hooks/portal.py`" in done.stderr
    # the home page's strand cards, which the hooks fill, are still a marker (the package's templates, which
    # carry other markers, are the hooks' to add, so a build without them has none)
    assert "with a block left unfilled" in done.stderr and "<!-- crimeportal:strand-cards -->" in done.stderr


def test_check_site_says_so_when_there_is_no_site(tmp_path):
    done = run(CRIMEPORTAL, "check-site", "--site-dir", tmp_path / "nothing")
    assert done.returncode == 1 and "holds no built site" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------------------------- Material's faults, mended


def _material_template(name: str) -> str:
    import material

    text = (Path(material.__file__).parent / "templates" / name).read_text(encoding="utf-8")
    return re.sub(r"^\{#-.*?-#\}\n", "", text, flags=re.S)  # "This file was automatically generated"


def _portal_copy(name: str) -> str:
    return re.sub(r"^\{#-.*?-#\}\n", "", (ENGINE_OVERRIDES / name).read_text(encoding="utf-8"), flags=re.S)


# each partial copied whole from Material (it offers no block for the change): the portal's changes, each a pattern
# of the copy that matches once and Material's own text that it replaced
COPIED_PARTIALS = {
    "partials/search.html": [(re.escape('role="dialog" aria-label="{{ lang.t(\'search\') }}"'), 'role="dialog"')],
    "partials/toc.html": [(re.escape('<label class="md-nav__title"{% if page in nav.pages and not (page.is_index and page.parent'
                                     ' and "navigation.indexes" in (config.theme.features or [])) %} for="__toc"{% endif %}>'),
                           '<label class="md-nav__title" for="__toc">')],
    "partials/javascripts/outdated.html": [(re.escape('new URL("{{ base_url }}",location)'), 'new URL("{{ base_url }}")'),
                                           (r"(?<=sessionStorage,base\);)\{% set latest .*?\)\);(?=!0===outdated)", "")],
    "partials/languages/en.html": [(re.escape('"select.version": " ",'), '"select.version": "Select version",')],
}


@pytest.mark.parametrize("name", sorted(COPIED_PARTIALS))
def test_each_partial_copied_from_material_is_material_s_own_but_for_the_portal_s_changes(name):
    """A Material upgrade that changes a partial the portal copied would otherwise be missed: the copy, not
    Material's new one, is what every page gets. Copy the new one again and make the changes (its comment says which)."""
    copy = _portal_copy(name)
    for change, original in COPIED_PARTIALS[name]:
        assert len(re.findall(change, copy)) == 1, f"the package's overrides/{name} no longer makes its change {change!r}"
        copy = re.sub(change, lambda _: original, copy)
    assert copy == _material_template(name), (
        f"Material's {name} has changed since the package's overrides/{name} was copied from it: copy it again and make the changes")


def test_each_mend_of_material_s_base_template_still_finds_the_text_it_mends():
    """site/theme.py replaces Material's exact text in the built pages and leaves a page without it as it is, so
    a Material release that writes the fault another way would pass the build with the fault back on every page."""
    from crimeportal.site import theme

    base = _material_template("base.html")
    for fault, mended in theme._TOGGLES:
        assert base.count(fault) == 1, (
            f"Material's base.html no longer has {fault!r}: if it is now valid, drop the mend from site/theme.py, "
            "or else mend the new form")
        assert theme.mend(fault) == mended


# ---------------------------------------------------------------------------------------------- locked dependencies


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for every requirement in the lock file."""
    entries: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[a-z0-9])", LOCK.read_text(encoding="utf-8")):
        found = re.match(r"([a-z0-9][a-z0-9._-]*)==([^ ;\\\n]+)", block)
        if found:
            entries[f"{found[1]}@{found[2]}"] = (found[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_names_every_pin_of_pyproject_at_its_version_with_hashes_and_no_pre_release():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = _locked()
    assert len(locked) > 50
    names = {_normal(key.split("@")[0]): version for key, (version, _) in locked.items()}
    for pin in pins:
        name, version = pin.split("==")
        assert names.get(_normal(name)) == version, f"{pin} is not in {LOCK.name} at that version: run make lock"
    for key, (version, hashes) in locked.items():
        assert hashes, f"{key} has no hash"
        assert not re.search(r"(a|b|rc|dev)[0-9]", version), f"{key} is a pre-release"
    assert "--prerelease disallow" in LOCK.read_text(encoding="utf-8").splitlines()[1]  # the command that made it


def test_make_ci_and_the_workflows_install_from_the_lock_with_hashes():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r $(LOCK)" in makefile and "--no-deps -e ." in makefile
    assert re.search(r"(?m)^lock: ", makefile) and "--prerelease disallow" in makefile
    assert "make test" in (REPO / ".ci/run").read_text(encoding="utf-8")
    for workflow in WORKFLOWS:
        text = workflow.read_text(encoding="utf-8")
        assert "make .venv/.installed" in text, workflow.name
        assert "pip install -e" not in text and '.[test]' not in text, workflow.name
    assert "--require-hashes -r requirements.lock" in (REPO / ".github/workflows/pull-request.yml").read_text()


def test_the_lock_installs_in_a_fresh_virtual_environment_with_require_hashes(tmp_path):
    """pip resolves the whole lock against a fresh environment, checking every file it would install by hash."""
    venv.EnvBuilder(with_pip=True).create(tmp_path / "venv")
    python = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    report = tmp_path / "report.json"
    done = run(python, "-m", "pip", "install", "--disable-pip-version-check", "--dry-run", "--quiet", "--require-hashes",
               "--ignore-installed", "--report", report, "-r", LOCK, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    installed = {_normal(item["metadata"]["name"]): item["metadata"]["version"]
                 for item in json.loads(report.read_text())["install"]}
    assert installed["mkdocs"] == "1.6.1" and installed["properdocs"] == "1.6.7"
    assert installed["mkdocs-material"] == "9.8.2" and installed["mike"] == "2.2.0"


def test_the_lock_installs_on_windows_too_as_the_windows_job_needs(tmp_path):
    """uv resolves the lock for Windows' Python 3.11, requiring every file's hash and a wheel or sdist for that platform."""
    done = run(BIN / "uv", "pip", "install", "--dry-run", "--require-hashes", "--python-platform", "x86_64-pc-windows-msvc",
               "--python-version", "3.11", "--python", sys.executable, "--target", tmp_path / "windows", "-r", LOCK, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    would = {_normal(line[3:].split("==")[0]) for line in done.stderr.splitlines() if line.startswith(" + ")}
    assert {"mkdocs", "properdocs", "mkdocs-material", "mike", "colorama", "pytest"} <= would


# ---------------------------------------------------------------------------------------------- the workflows


def test_every_workflow_matches_github_s_workflow_schema():
    done = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_zizmor_finds_nothing_of_medium_severity_or_above_in_any_workflow():
    # offline: the audits that ask GitHub's API (known-vulnerable actions, impostor commits) need the network
    done = run(BIN / "zizmor", "--offline", "--min-severity", "medium", "--format", "plain", *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_and_pinned_actions(workflow):
    text = workflow.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert document["permissions"] in ({}, {"contents": "read"})
    for uses in re.findall(r"uses: (\S+.*)", text):
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", uses), f"{uses} is not pinned to a commit"
    for name, job in document["jobs"].items():
        writes = [scope for scope, level in (job.get("permissions") or {}).items() if level == "write"]
        if workflow.name != "release.yml":
            assert not writes, f"{name} may write"
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"{name}: an expression is expanded inside a script: {step['run']}"


def test_only_the_release_s_publishing_job_writes_the_repository_one_publish_at_a_time():
    document = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    assert document[True]["workflow_dispatch"]["inputs"].keys() >= {"version", "title", "board_meeting"}  # `on` reads as True
    assert document["concurrency"] == {"group": "publish-release", "cancel-in-progress": False}
    jobs = document["jobs"]
    assert jobs["publish"]["permissions"] == {"contents": "write"}
    assert jobs["publish"]["if"] == "github.ref == 'refs/heads/main'"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}  # GitHub Pages alone
