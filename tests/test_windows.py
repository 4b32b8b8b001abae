"""Windows is a first-class place to edit: the guide's Windows commands, the platform's separator in messages, and
the CI job that runs the editor commands' tests on Windows."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import markdown
import pytest
import yaml

from crimeportal.cli import main
from html_tree import parse
from portal_files import REPO

pytestmark = pytest.mark.editor

GUIDE = REPO / "content/about/editing.md"
WORKFLOW = REPO / ".github/workflows/pull-request.yml"
FENCE = re.compile(r"^\*(?P<label>[^*\n]+):\*\n\n```(?P<lang>\w+)\n(?P<code>.*?)\n```$", re.M | re.S)
LABELS = {"powershell": "Windows, PowerShell", "bat": "Windows, Command Prompt", "sh": "macOS and Linux"}


def command_blocks() -> list[tuple[str, str, str]]:
    """(label, language, code) of every labelled command block in the editing guide, in order."""
    return [(m["label"], m["lang"], m["code"]) for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8"))]


def test_every_command_in_the_guide_is_given_for_powershell_command_prompt_and_macos_and_linux():
    blocks = command_blocks()
    text = GUIDE.read_text(encoding="utf-8")
    assert len(blocks) >= 12
    assert text.count("```sh\n") == sum(1 for _, lang, _ in blocks if lang == "sh"), "every sh block is labelled"
    assert len(blocks) % 3 == 0
    for group in zip(*[iter(blocks)] * 3):
        assert [(label, lang) for label, lang, _ in group] == [(v, k) for k, v in LABELS.items()], group


def test_the_guides_windows_commands_use_no_make_no_tilde_and_no_forward_slash_paths():
    windows = [code for _, lang, code in command_blocks() if lang in ("powershell", "bat")]
    assert windows
    for code in windows:
        assert "make " not in code and not code.startswith("make"), code
        assert "~" not in code, code
        assert ".venv/" not in code and "/Documents" not in code, code


def test_the_guide_sets_up_windows_with_py_and_the_scripts_folder():
    powershell, command_prompt = ([code for _, lang, code in command_blocks() if lang == wanted][0]
                                  for wanted in ("powershell", "bat"))
    for setup in (powershell, command_prompt):
        # every package from the lock, checked by its hash, as make and CI install them
        assert setup.splitlines() == ["py -m venv .venv", r".venv\Scripts\activate",
                                      "py -m pip install --require-hashes -r requirements.lock", "py -m pip install --no-deps -e ."]
    codes = {lang: [code for _, l, code in command_blocks() if l == lang] for lang in LABELS}
    assert r"crimeportal add-period $HOME\Documents\figures-2019-10.csv" in codes["powershell"]
    assert r"crimeportal add-period %USERPROFILE%\Documents\figures-2019-10.csv" in codes["bat"]


def test_the_guides_command_blocks_are_pages_code_not_broken_lists():
    """Python-Markdown (as MkDocs runs it) makes each block a code block of its own, after its label: no JavaScript."""
    html = markdown.markdown(GUIDE.read_text(encoding="utf-8").split("---", 2)[2],
                             extensions=["fenced_code", "tables", "attr_list", "md_in_html", "admonition"])
    tree = parse(html)
    for lang in LABELS:
        shown = tree.find_all("code", class_=f"language-{lang}")
        assert len(shown) == len([b for b in command_blocks() if b[1] == lang]), lang
        assert all(not code.find_all("code") for code in shown)
    assert "```" not in re.sub(r"<code[^>]*>.*?</code>", "", html, flags=re.S), "a fence Markdown did not read"


# --- the platform's separator in messages ------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def windows_separator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages as Windows writes them: os.sep is what they follow (pathlib and os.path keep their own)."""
    monkeypatch.setattr(os, "sep", "\\")


def test_problems_name_files_with_the_platforms_separator(portal_copy, replace_in, capsys, windows_separator):
    replace_in("data/metrics/knife-enabled-crime.yml", "unit: count", "unit: percentage")
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "text")
    assert code == 1
    assert out.startswith("data\\metrics\\knife-enabled-crime.yml:6:7: unit: must be one of count, percent, rate")
    # GitHub's annotations and the JSON name files as the repository does, with '/', on every platform
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "github")
    assert out.startswith("::error file=data/metrics/knife-enabled-crime.yml,line=6,col=7::data/metrics/knife")
    code, out, _ = run(capsys, portal_copy, "validate", "--format", "json")
    assert json.loads(out)[0]["file"] == "data/metrics/knife-enabled-crime.yml"


def test_editing_commands_name_files_with_the_platforms_separator(portal_copy, capsys, windows_separator):
    (portal_copy / "figures.csv").write_text("metric,end,value\nknife-enabled-crime,2019-10,181\n", encoding="utf-8")
    code, out, _ = run(capsys, portal_copy, "add-period", "--check", str(portal_copy / "figures.csv"))
    assert code == 0
    assert out.splitlines()[0] == "data\\metrics\\knife-enabled-crime.yml: would add 2019-10"
    code, out, _ = run(capsys, portal_copy, "new", "strand", "--title", "Road Safety")
    assert out.startswith("Wrote content\\strands\\road-safety.md: ")


# --- CI runs the editor commands' tests on Windows ---------------------------------------------------------


def test_the_workflow_runs_the_editor_tests_on_windows_and_validates_strictly():
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    windows = [job for job in jobs.values() if job["runs-on"] == "windows-latest"]
    assert len(windows) == 1
    commands = "\n".join(step.get("run", "") for step in windows[0]["steps"])
    assert "python -m pytest -m editor" in commands
    assert r".venv\Scripts\activate" in commands and "make" not in commands
    linux = "\n".join(step.get("run", "") for step in jobs["check"]["steps"])
    assert "crimeportal validate --format github --strict-warnings" in linux


def test_the_editor_marker_is_registered_and_selects_no_browser_or_build_test():
    markers = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("editor:") for marker in markers)
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "editor", "-p", "no:cacheprovider"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    modules = {line.split("::")[0] for line in listed.stdout.splitlines() if "::" in line}
    assert {"tests/test_plausibility.py", "tests/test_editing.py", "tests/test_validate.py", "tests/test_cli.py",
            "tests/test_windows.py"} <= modules
    assert not modules & {"tests/test_browser.py", "tests/test_board_pack.py", "tests/test_build.py", "tests/test_makefile.py"}
