"""The links in editors' pages, checked by `validate` exactly as the strict build checks them.

The strict build fails when MkDocs finds a link to a file it does not have; validate used to say nothing about
links, so a broken one passed the pull request's first check and failed its build. Here MkDocs' own check
(`Page.render`, at the levels mkdocs.yml's `validation:` sets) runs over each page under content/
against the files a build has: the editors' own and the ones the build adds (`made_by_build`). Each page is
rendered in memory, without the hooks' additions (which are the build's own, made right); nothing is written.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable, TypeVar

from ..core.conventions import CHANGES_PAGE, CONTENT_DIR
from ..core.model import Portal
from ..core.problems import Problem
from ..source.load import MKDOCS_FRONT_MATTER
from .pages import area_pages, board_report, delivery_page, engine_pages, pages
from .publishing import feed
from .publishing.open_data import download_paths

_MKDOCS_PAGES_LOG = "mkdocs.structure.pages"
T = TypeVar("T")


def made_by_build(portal: Portal, root: Path) -> set[str]:
    """Every file `build.on_files` adds to MkDocs' files, by its path under content/ as MkDocs sees it."""
    made = {pages.MEASURES_INDEX, pages.DATA_PAGE, CHANGES_PAGE, board_report.PAGE, delivery_page.PAGE, feed.FEED}
    made |= set(area_pages.generated_paths(portal))
    made |= {pages.metric_page_path(metric.id) for metric in portal.metrics}
    made |= download_paths(portal, root)
    made |= {file.uri for file in engine_pages.engine_files()}  # the engine's defaults, where content/ has none
    return made


def link_problems(root: Path, portal: Portal, page_files: list[Path]) -> list[Problem]:
    """A problem at the line of each link in these pages that would stop the strict build."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.structure.files import File, get_files
    from mkdocs.structure.pages import Page

    if not (root / "mkdocs.yml").is_file():
        return []  # not a site: nothing links anywhere
    try:
        config = _quietly(lambda: load_config(config_file=str(root / "mkdocs.yml")))
    except (MkDocsException, SystemExit) as error:  # MkDocs' Abort is a SystemExit
        return [Problem("mkdocs.yml", 1, 1, "", f"could not be read, so the links in the pages were not checked: {error}")]
    files = get_files(config)
    for path in made_by_build(portal, root) - set(files.src_uris):
        files.append(File(path, None, config.site_dir, config.use_directory_urls))  # by name: nothing is read
    failing = logging.WARNING if config.strict else logging.ERROR
    problems: list[Problem] = []
    for page in page_files:
        uri = page.relative_to(root / CONTENT_DIR).as_posix()
        file = files.get_file_from_path(uri)
        if file is None:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        heard = _Heard()
        log = logging.getLogger(_MKDOCS_PAGES_LOG)
        log.addHandler(heard)
        try:
            rendered = Page(None, file, config)  # MkDocs' own rendering, whose link check the strict build fails on
            rendered.markdown = _without_front_matter(text)
            rendered.render(config, files)
        finally:
            log.removeHandler(heard)
        shown = page.relative_to(root).as_posix()
        problems += [_problem(shown, text, message) for level, message in heard.records if level >= failing]
    return problems


class _Heard(logging.Handler):
    """The warnings MkDocs' link check gives, kept instead of printed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


_LINK_IN_MESSAGE = re.compile(r"contains (?:a|an absolute|an unrecognized relative) link '(?P<url>.*?)'(?:, | it)")
_TARGET_IN_MESSAGE = re.compile(r"the target '(?P<target>.*?)' is not found")
_SUGGESTION = re.compile(r"Did you mean '(?P<guess>.*?)'\?")


def _problem(shown: str, text: str, message: str) -> Problem:
    """MkDocs' warning as a problem at the link's line, in an editor's words."""
    named = _LINK_IN_MESSAGE.search(message)
    url = named["url"] if named else ""
    at = text.find(f"]({url}") if url else -1
    at = text.find(url) if at < 0 and url else at
    line = text.count("\n", 0, at) + 1 if at >= 0 else 1
    column = at - text.rfind("\n", 0, at) if at >= 0 else 1
    target = _TARGET_IN_MESSAGE.search(message)
    where = f"content/{target['target']}" if target else url
    words = (f"links to '{url}', but there is no {where}, so the site's build would fail: correct the link "
             "(links between pages name the page's .md file, relative to this page), or remove it")
    if (guess := _SUGGESTION.search(message)):
        words += f"; perhaps you meant '{guess['guess']}'"
    return Problem(shown, line, column, "link", words)


def _without_front_matter(text: str) -> str:
    """The page's Markdown as MkDocs reads it: without its front matter (replaced by as many empty lines)."""
    text = text.replace("\r\n", "\n")
    found = MKDOCS_FRONT_MATTER.match(text)
    return text if found is None else "\n" * found[0].count("\n") + text[found.end():]


def _quietly(load: Callable[[], T]) -> T:
    """Load mkdocs.yml without MkDocs' own log lines (about plugins, the theme) reaching the editor."""
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.ERROR)
    try:
        return load()
    finally:
        mkdocs_log.setLevel(level)
