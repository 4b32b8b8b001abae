"""What `mkdocs serve` shows while the portal's files have problems.

A published build stops at the first sign of a problem. The live preview keeps
going instead, so an editor sees what is wrong where they are looking: every
page's content is replaced by the list of problems, and the terminal prints the
same list as errors. Fixing the file brings the pages back on the next rebuild.
"""

from __future__ import annotations

import logging

from mkdocs.utils import CountHandler

from ...core.problems import Problem, count_words
from ..templates import render

log = logging.getLogger("mkdocs.plugins.crimeportal")


def problems_html(problems: list[Problem]) -> str:
    return render("problems.html", problems=problems, count=count_words(problems))


def log_problems(problems: list[Problem]) -> None:
    """Print the problems as MkDocs errors without stopping the preview.

    In strict mode MkDocs counts every warning and error logged under its own
    logger and aborts the build at the end, which would stop `mkdocs serve`
    at its first build. So the records go straight to MkDocs' console
    handlers, past that counter.
    """
    console = [h for h in logging.getLogger("mkdocs").handlers if not isinstance(h, CountHandler)]
    if not console and logging.lastResort is not None:
        console = [logging.lastResort]
    lines = [f"The portal's files have {count_words(problems)}; every page of the preview shows them until they are fixed:"]
    for text in lines + [p.as_text() for p in problems]:
        record = log.makeRecord(log.name, logging.ERROR, __file__, 0, text, None, None)
        for handler in console:
            if record.levelno >= handler.level:
                handler.handle(record)
