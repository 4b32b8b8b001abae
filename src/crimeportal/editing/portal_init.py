"""`crimeportal init`: a new portal for a force, from nothing, that validates and builds at once.

What a portal needs that is not the force's own (the theme's overrides, the stylesheet, the explanatory About
pages) stays in the package and is used from there; what a portal keeps of the engine's (schemas/ and the hooks
file) is copied from the package and kept equal to it by `crimeportal upgrade`. The rest is the force's, written
once as a starting point: settings, a home and About page, one example strand and measure as drafts (shown by
the live preview, left out of a build, refused by publish until they are replaced), the areas register (its
districts from police.uk's files when given), the release register, a Makefile, the pinned crimeportal, the
workflows and a README for its editors.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .. import __version__
from ..core.conventions import (AREAS_REGISTER, ENGINE_DIR, ENGINE_HOOKS, ENGINE_SCHEMAS, HOOKS_FILE, METRICS_DIR,
                                REGISTER, SCHEMA_LINE_AREAS, SCHEMA_LINE_RELEASES, SCHEMAS_DIR, STRANDS_DIR)
from ..core.problems import count_words
from ..source.validate import load_portal
from . import EditRefused
from .police_uk import count_files, rows_by_district
from .scaffold import metric_text, slug, strand_text

PORTAL_TEMPLATES = ENGINE_DIR / "portal"
EXAMPLE_STRAND = "example-strand"
EXAMPLE_MEASURE = "example-measure"
# the force's name without what most forces' names end in: "Wessex Constabulary" covers Wessex
_NAME_PUNCTUATION = " .,'’&()-"  # as in "Devon & Cornwall Police" or "St. Helens"
_FORCE_WORDS = re.compile(r"\s+(Police Service|Constabulary|Police)$", re.IGNORECASE)
# where each template of the force's own files is written (the workflows and hidden files are kept under plain names
# in the package, so that a package build takes them as data and nothing reads them as the package's own)
_TEMPLATES = {"mkdocs.yml": "mkdocs.yml", "Makefile": "Makefile", "README.md": "README.md",
              "requirements.txt": "requirements.txt", "gitattributes": ".gitattributes", "gitignore": ".gitignore",
              "content/index.md": "content/index.md", "content/about/index.md": "content/about/index.md",
              "workflows/pull-request.yml": ".github/workflows/pull-request.yml",
              "workflows/release.yml": ".github/workflows/release.yml"}
_FILLED = {"mkdocs.yml", "README.md", "requirements.txt", "content/index.md", "content/about/index.md"}


@dataclass(frozen=True)
class District:
    id: str
    name: str
    rows: int  # the rows of the police.uk files placed in it


@dataclass(frozen=True)
class NewPortal:
    root: Path
    written: list[str]  # each file's path in the new portal, '/'-separated
    districts: list[District]


def init_portal(target: Path, force: str, police_uk: list[Path], shown: list[str] | None = None) -> NewPortal:
    """Write a new portal for `force` into `target`, which must be empty or not yet exist."""
    force = " ".join(force.split())
    if not force:
        raise EditRefused("--force-name is empty: give the force's name as readers know it, such as "
                          "\"Wessex Constabulary\"")
    odd = sorted({c for c in force if not (c.isalnum() or c in _NAME_PUNCTUATION)})
    if odd:
        # the name goes into Markdown pages, YAML and comments: a character with a meaning there would change them
        raise EditRefused(f"--force-name has {', '.join(repr(c) for c in odd)}: a force's name may have letters, "
                          f"digits, spaces and {' '.join(_NAME_PUNCTUATION.strip())} only")
    _check_empty(target)
    districts = districts_from_police_uk(police_uk, shown or [str(p) for p in police_uk]) if police_uk else []
    contents = portal_files(force, districts)
    _write_whole_portal(target, contents)
    return NewPortal(target, sorted(contents), districts)


def _write_whole_portal(target: Path, contents: dict[str, str]) -> None:
    """All or nothing: the portal is written beside the target and checked, then moved into place; a failure
    part-way (a full disk, a name from the police.uk files the checks refuse) leaves the target as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    try:
        for path, text in contents.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_text(text, encoding="utf-8", newline="\n")
        problems = load_portal(staging)[1]
        if problems:
            raise EditRefused(f"the new portal would have {count_words(problems)}, so it was not written",
                              [replace(p, file=f"{target.name}/{p.file}") for p in problems])
        if target.is_dir():
            target.rmdir()  # empty, as _check_empty found it
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_empty(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise EditRefused(f"{target} is a file: crimeportal init writes a new portal into an empty or new folder")
    if target.is_dir() and any(target.iterdir()):
        raise EditRefused(f"{target} is not empty: crimeportal init writes a new portal only into an empty or new "
                          "folder, so that nothing already there is overwritten. Give a new folder's name.")


def districts_from_police_uk(paths: list[Path], shown: list[str]) -> list[District]:
    """The districts the files' LSOA names give ("Basildon 001A" is in Basildon), with their rows."""
    counts, problems = count_files(paths, shown, None)
    if problems:
        raise EditRefused.because(problems)  # each at its file and line
    found: Counter[str] = rows_by_district(counts)
    if not found:
        raise EditRefused("the police.uk files hold no row with an LSOA name, so no district could be found: "
                          "are they street-level crime files?")
    ids: dict[str, District] = {}
    for name, rows in sorted(found.items()):  # the register in alphabetical order, as readers look a district up
        district_id = slug(name) or "district"
        while district_id in ids or district_id.startswith("csp-"):  # ids are unique; csp- is a partnership's
            district_id = f"district-{district_id}"
        ids[district_id] = District(district_id, name, rows)
    return list(ids.values())


def area_name(force: str) -> str:
    """What the districts make up, as readers name it: the force's name without "Police" or "Constabulary"."""
    return _FORCE_WORDS.sub("", force).strip() or force


def portal_files(force: str, districts: list[District]) -> dict[str, str]:
    """Every file of the new portal, by its '/'-separated path."""
    words = {"force": force, "force_yaml": json.dumps(force, ensure_ascii=False), "version": __version__,
             "site_name": json.dumps(f"{force} Crime Prevention Portal", ensure_ascii=False),
             "site_description": json.dumps(f"The delivery of {force}'s Crime Prevention Strategy, strand by strand, "
                                            "with the figures behind it.", ensure_ascii=False),
             "copyright": json.dumps(f"Figures published by {force}.", ensure_ascii=False),
             "attribution": json.dumps(f"Contains public sector information published by {force} and licensed under "
                                       "the Open Government Licence v3.0.", ensure_ascii=False)}
    files = {target: _filled((PORTAL_TEMPLATES / source).read_text(encoding="utf-8"), words if source in _FILLED else {})
             for source, target in _TEMPLATES.items()}
    files[HOOKS_FILE.as_posix()] = ENGINE_HOOKS.read_text(encoding="utf-8")
    files |= {f"{SCHEMAS_DIR.as_posix()}/{schema.name}": schema.read_text(encoding="utf-8")
              for schema in sorted(ENGINE_SCHEMAS.glob("*.json"))}
    files[AREAS_REGISTER.as_posix()] = areas_text(force, districts)
    files[REGISTER.as_posix()] = (f"{SCHEMA_LINE_RELEASES}\n# Every published release of the portal, oldest first. "
                                  "`crimeportal publish` (make publish) adds to\n# this list and commits it; do not "
                                  "edit it by hand.\nreleases: []\n")
    files[f"{STRANDS_DIR.as_posix()}/{EXAMPLE_STRAND}.md"] = strand_text(
        EXAMPLE_STRAND, "Example strand", 1, "active", None, None, date.today())
    files[f"{METRICS_DIR.as_posix()}/{EXAMPLE_MEASURE}.yml"] = metric_text(
        EXAMPLE_MEASURE, "Example measure", EXAMPLE_STRAND, "count", "lower-is-better", "quarter", 1, None, None)
    return files


def _filled(text: str, words: dict[str, str]) -> str:
    # in one pass, so that a value holding "{{ name }}" is never filled in itself
    return re.sub(r"\{\{ (\w+) \}\}", lambda found: words.get(found[1], found[0]), text)


def areas_text(force: str, districts: list[District]) -> str:
    """data/areas.yml: the districts found, or one example to replace; population and boundaries come later."""
    lines = [SCHEMA_LINE_AREAS,
             f"# The areas {force} works with: its districts, and the Community Safety Partnerships over them when you",
             "# add them (`kind: csp` with `districts:`). Rates per 1,000 people need each district's `ons_code` and",
             "# `population` (and `population:` with its year and source below `name:`); maps need",
             "# data/boundaries/districts.geojson too. Until then the pages say so. `crimeportal areas",
             "# import-population` and `crimeportal areas import-boundaries` add them from the ONS's files.",
             f"name: {json.dumps(area_name(force), ensure_ascii=False)}", "areas:"]
    if not districts:
        lines[1:1] = ["# PLACEHOLDER: replace the example district with yours ("
                      "`crimeportal init --police-uk FILE` finds them in police.uk's files)."]
        districts = [District("example-district", "Example district", 0)]
    for district in districts:
        rows = f"  # {district.rows:,} rows in the police.uk files" if district.rows else ""
        lines += [f"  - id: {district.id}", f"    name: {json.dumps(district.name, ensure_ascii=False)}", f"    kind: district{rows}"]
    return "\n".join(lines) + "\n"
