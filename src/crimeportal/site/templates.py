"""HTML from Jinja2 templates that escape every value: text from an editor's file can only ever show as text.

Templates live in `site/templates/`. A value is inserted as markup only when it is
already `Markup` (made by another template, or by `markup()` for HTML this package
wrote itself, such as an SVG chart).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "markup", "render"]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # compiled templates are code, not portal input, so keeping them across builds is safe; nor are they checked
    # for changes on every use (a file's time read for each of a thousand measures' sixty table rows)
    environment = Environment(loader=PackageLoader("crimeportal.site", "templates"), autoescape=True, auto_reload=False,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    return environment


def render(name: str, **values: Any) -> Markup:
    """The template `name` filled in with `values`, every one of them escaped unless it is Markup."""
    return Markup(_environment().get_template(name).render(**values))


def markup(html: str) -> Markup:
    """HTML this package made itself (never text from a file), to be inserted as it is."""
    return Markup(html)
