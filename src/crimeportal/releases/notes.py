"""A GitHub release's notes, taken from the What changed page of the release as it was published.

The notes are read back from the gh-pages branch, so they say exactly what the
published page says, in Markdown: the page's sections as headings, its lists
as lists, its links made absolute against the release's own address.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from ..core.conventions import VERSION_PATTERN
from .errors import ReleaseError
from .git import PAGES_BRANCH, git, succeeds

WHAT_CHANGED = "what-changed/index.html"


class NotesUnavailable(ReleaseError):
    """The release's What changed page cannot be read; the text says why and what to do."""


def release_notes(root: Path, version: str, site_root: str) -> str:
    """The notes for `version`, from its What changed page on the gh-pages branch."""
    if not VERSION_PATTERN.match(version):
        raise NotesUnavailable(f"the version must be a release id such as 2019-09; found {version!r}.")
    path = f"{version}/{WHAT_CHANGED}"
    if not succeeds(root, "cat-file", "-e", f"{PAGES_BRANCH}:{path}"):
        raise NotesUnavailable(f"release {version} has no What changed page on the {PAGES_BRANCH} branch ({path}): "
                               f"publish it first with `crimeportal publish {version} --title ...`.")
    html = git(root, "show", f"{PAGES_BRANCH}:{path}").decode("utf-8")
    return notes_from_page(html, f"{site_root}{version}/what-changed/")


def notes_from_page(html: str, page_url: str) -> str:
    """The What changed page's article as Markdown, its links absolute against `page_url`."""
    reader = _Article(page_url)
    reader.feed(html)
    reader.close()
    body = "\n\n".join(block for block in reader.blocks if block)
    return f"{body}\n\nThe whole page: {page_url}\n"


class _Article(HTMLParser):
    """Headings, paragraphs, list items and tables of the page's article, as Markdown blocks; nothing else."""

    _BLOCKS = {"h2": "## ", "h3": "### ", "p": "", "li": "- ", "tr": "| "}

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.blocks: list[str] = []
        self._in_article = 0
        self._open: list[str] = []  # the prefix of each block being read, innermost last
        self._text: list[str] = []
        self._skip = 0  # inside a heading's permalink, the page's own title or a table's caption
        self._href: str | None = None
        self._rows: list[str] | None = None  # a table's rows, which Markdown needs on consecutive lines
        self._cells = 0
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self._in_article += 1
        if not self._in_article:
            return
        if self._skip or (tag == "a" and "headerlink" in (attributes.get("class") or "")) or tag in ("h1", "caption"):
            self._skip += 1
        elif tag == "table":
            self._flush()
            self._rows = []
        elif tag == "thead":
            self._in_head = True
        elif tag in self._BLOCKS:
            self._flush()
            self._open.append(self._BLOCKS[tag])
            self._cells = 0
        elif tag in ("td", "th") and self._rows is not None:
            self._text.append(" | " if self._cells else "")
            self._cells += 1
        elif tag == "a" and attributes.get("href") and self._open:
            self._href = urljoin(self.page_url, attributes["href"] or "")
            self._text.append("[")

    def handle_endtag(self, tag: str) -> None:
        if not self._in_article:
            return
        if self._skip:
            self._skip -= 1
        elif tag == "tr" and self._open and self._rows is not None:
            self._text.append(" |")
            self._flush()
            self._open.pop()
            if self._in_head:
                self._rows.append("|" + " --- |" * self._cells)
        elif tag in self._BLOCKS and self._open:
            self._flush()
            self._open.pop()
        elif tag == "a" and self._href is not None:
            self._text.append(f"]({self._href})")
            self._href = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table" and self._rows is not None:
            self.blocks.append("\n".join(self._rows))
            self._rows = None
        if tag == "article":
            self._in_article -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip and self._open:
            self._text.append(data.replace("|", "\\|") if self._rows is not None else data)

    def _flush(self) -> None:
        words = " ".join("".join(self._text).split())
        if words and self._open:
            (self._rows if self._rows is not None else self.blocks).append(self._open[-1] + words)
        self._text = []
