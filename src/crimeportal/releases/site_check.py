"""Whether a built site is the portal's: every page carries the portal's mark and has every block filled.

`crimeportal check-site` runs this on a build, and `publish` on the site mike
built, before anything leaves the machine: a site whose hooks did not run is
refused in words an editor can act on, never published.
"""

from __future__ import annotations

from pathlib import Path

from ..core.mark import GENERATOR, is_marked, unfilled

_SHOWN = 5  # pages named in a message; the rest are counted


def site_problems(site: Path) -> list[str]:
    """What is wrong with the built site in `site`, as sentences; empty when it is the portal's, whole."""
    if not (site / "index.html").is_file():
        return [f"{site} holds no built site (it has no index.html): build it first with `make site`."]
    unmarked: list[str] = []
    half_made: list[str] = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        name = page.relative_to(site).as_posix()
        if not is_marked(html):
            unmarked.append(name)
        if unfilled(html):
            half_made.append(f"{name} ({unfilled(html)[0]})")
    problems = []
    if unmarked:
        problems.append(f"{_count(unmarked, 'page')} without the portal's mark (a generator line naming {GENERATOR.split()[0]}): "
                        f"{_some(unmarked)}. The portal's hooks did not run: check that mkdocs.yml still has "
                        "`hooks: - hooks/portal.py` and that the site was built with `make site` (MkDocs or ProperDocs), "
                        "not another generator.")
    if half_made:
        problems.append(f"{_count(half_made, 'page')} with a block left unfilled: {_some(half_made)}. The portal's hooks did "
                        "not finish the page; build again with `make site` and read the build's messages.")
    return problems


def _count(items: list[str], noun: str) -> str:
    return f"{len(items)} {noun}" if len(items) == 1 else f"{len(items)} {noun}s"


def _some(items: list[str]) -> str:
    more = len(items) - _SHOWN
    return ", ".join(items[:_SHOWN]) + (f" and {more} more" if more > 0 else "")
