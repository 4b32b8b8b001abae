"""The one rule for text from a file: it is text, wherever it appears.

Three places take it, and each has one function here:
- HTML the portal writes: the autoescaping templates (`templates.render`).
- Markdown the portal writes around an editor's text (a heading, a link's words,
  a navigation title that the theme prints as it is): `markdown_text` and
  `title_text`, which escape HTML and every character Markdown or attr_list
  would read as syntax, so `*provisional*` and `{: onclick=... }` stay words.
- The HTML Markdown makes from an editor's own page: `sanitised`, an allowlist
  (Ammonia, through nh3) that keeps headings, lists, tables, links and
  emphasis and drops scripts, event handlers, styles and `javascript:` links,
  and anything that would load from another host (`core/addresses.py`).
"""

from __future__ import annotations

import re
from html import escape

import nh3

from ..core.addresses import loads_from_elsewhere

# Python-Markdown's escapable characters with the extensions in mkdocs.yml (tables adds `|`)
_MARKDOWN_SYNTAX = "\\`*_{}[]()>#+-.!|"
_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in _MARKDOWN_SYNTAX})

_TAGS = nh3.ALLOWED_TAGS | {"section"}
_EVERY_TAG_MAY_HAVE = {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-labelledby",
                       "aria-describedby", "aria-hidden",
                       "data-search-exclude"}  # Material's mark for a section search leaves out; harmless in any page
_ATTRIBUTES = {tag: set(nh3.ALLOWED_ATTRIBUTES.get(tag, set())) for tag in _TAGS}
_ATTRIBUTES["*"] = _EVERY_TAG_MAY_HAVE
_ATTRIBUTES["a"] |= {"download"}
_ATTRIBUTES["abbr"] = {"title"}
# Material's search skips the section under a heading marked so: measure pages mark the sections whose blocks
# are filled after indexing (search_text says what the index reads). It hides nothing from readers.
for _heading in ("h1", "h2", "h3", "h4", "h5", "h6"):
    _ATTRIBUTES[_heading] = _ATTRIBUTES.get(_heading, set()) | {"data-search-exclude"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def title_text(text: str) -> str:
    """A one-line title as HTML text: for places the theme prints without escaping (page <title>, navigation)."""
    return escape(" ".join(text.split()), quote=True)


def markdown_text(text: str) -> str:
    """Text that Markdown will read, escaped so that it comes out as exactly these words."""
    return title_text(text).translate(_MARKDOWN_ESCAPES)


def sanitised(html: str) -> str:
    """An editor's page as Markdown made it, with nothing that could run or fetch from elsewhere."""
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, strip_comments=False,
                     link_rel=None, attribute_filter=_own_files_only)


def _own_files_only(tag: str, attribute: str, value: str) -> str | None:
    """Drop an attribute that would load from another host: validate refuses them at their line, so one that
    reaches here is a form its check did not foresee, and publishing it would break the portal's promise."""
    return None if loads_from_elsewhere(tag, attribute, value) else value


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_SPACE_AROUND = re.compile(r"\s*([{};,>])\s*")


def compact_css(css: str) -> str:
    """CSS without comments and the spaces around braces, semicolons, commas and `>`; strings keep theirs."""
    parts = re.split(r'("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')', _CSS_COMMENT.sub("", css))
    squeezed = [part if index % 2 else _CSS_SPACE_AROUND.sub(r"\1", re.sub(r"\s+", " ", part))
                for index, part in enumerate(parts)]
    return "".join(squeezed).strip() + "\n"
