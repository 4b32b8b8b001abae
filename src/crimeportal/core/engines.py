"""The site generators the portal builds with, and what each is called.

MkDocs 1.6.1 is the last 1.x release and is no longer maintained; ProperDocs is
a fork of it by a former maintainer that keeps plugins and hooks, so the portal
builds the same site with either (tests/test_platform.py compares them page by
page). ARCHITECTURE.md, "The platform", says why and what comes after.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Engine:
    name: str  # as the editor types it: `make site ENGINE=properdocs`, `crimeportal build --engine properdocs`
    module: str  # run as `python -m <module>`, and the command mike runs by name
    brand: str  # as mike names it in its gh-pages commit messages
    distribution: str  # the PyPI package, for its version


MKDOCS = Engine("mkdocs", "mkdocs", "MkDocs", "mkdocs")
PROPERDOCS = Engine("properdocs", "properdocs", "ProperDocs", "properdocs")
ENGINES = {engine.name: engine for engine in (MKDOCS, PROPERDOCS)}
DEFAULT = MKDOCS
