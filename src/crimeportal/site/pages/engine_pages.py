"""The engine's default About pages and stylesheet: what the package publishes where a portal's content/ has none.

A force's own page at the same path under content/ (its own accessibility statement, say) is published instead,
so every portal gets the engine's explanations without copying them, and an upgrade of the package brings their
new text. The defaults name no force: `{{ publisher }}` and `{{ area }}` in them become the portal's publisher
(mkdocs.yml, `extra: portal: publisher`) and its whole area's name (data/areas.yml's `name`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..escaping import markdown_text
from ...core.conventions import ENGINE_PAGES, ENGINE_STYLESHEET, STYLESHEET


@dataclass(frozen=True)
class DefaultFile:
    """One of the engine's files a build adds: its path under content/ as MkDocs sees it, and where it is."""

    uri: str
    source: Path

    @property
    def is_page(self) -> bool:
        return self.uri.endswith(".md")


def engine_files() -> list[DefaultFile]:
    """Every default page and the stylesheet, whether or not a portal has its own."""
    return [*(DefaultFile(f"about/{path.name}", path) for path in sorted(ENGINE_PAGES.glob("*.md"))),
            DefaultFile(STYLESHEET, ENGINE_STYLESHEET)]


def defaults(docs: Path) -> list[DefaultFile]:
    """The engine's files that the portal's docs folder does not have itself, so the build adds them."""
    return [file for file in engine_files() if not (docs / file.uri).exists()]


def about_sources(docs: Path) -> dict[str, Path]:
    """Every About page the site publishes, the portal's own and the engine's, by its path under content/."""
    own = {path.relative_to(docs).as_posix(): path for path in (docs / "about").glob("*.md")}
    return own | {file.uri: file.source for file in defaults(docs) if file.is_page}


def page_text(source: Path, publisher: str, area: str) -> str:
    """A default page's Markdown with the portal's own words in it."""
    text = source.read_text(encoding="utf-8")
    for name, value in (("publisher", publisher), ("area", area)):
        text = text.replace("{{ " + name + " }}", markdown_text(value))
    return text
