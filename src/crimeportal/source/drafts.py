"""Drafts and the placeholder text `crimeportal new` writes: a draft may hold it, a published file never.

A scaffolded measure or strand is marked `draft: true`. The live preview shows
it, marked as a draft; a public build leaves it out; `publish` refuses while any
remains. Once the mark is removed, any placeholder text still in the file is a
problem at its line, so placeholder text can never reach readers.
"""

from __future__ import annotations

from pathlib import Path

from ..core.conventions import PLACEHOLDERS
from ..core.model import Metric, Strand
from ..core.problems import Problem


def placeholder_lines(path: Path) -> list[tuple[int, str]]:
    """Each line of the file that still holds placeholder text, with that text."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return []  # reading problems are reported by the file's own checks
    return [(number, placeholder) for number, line in enumerate(text.splitlines(), start=1)
            for placeholder in PLACEHOLDERS if placeholder in line]


def _holds_placeholder(item: Strand | Metric) -> bool:
    if isinstance(item, Metric):
        texts = [item.description, item.source, *(o.note or "" for o in item.observations)]
        return any(text in PLACEHOLDERS for text in texts)
    return True  # a strand's page text is not in the model: read the file (strands are few)


def placeholder_problems(items: list[tuple[Strand | Metric, str]]) -> list[Problem]:
    """Placeholder text left in files that are no longer drafts; `items` pairs each with its file as shown."""
    problems = []
    for item, shown_as in items:
        if item.draft or item.path is None or not _holds_placeholder(item):
            continue
        for line, placeholder in placeholder_lines(item.path):
            problems.append(Problem(shown_as, line, 1, "", f"this is placeholder text from `crimeportal new` "
                                    f"(\"{placeholder}\"): replace it with the real words before it is published, or "
                                    "mark the file `draft: true` while you work on it"))
    return problems


def draft_reasons(items: list[tuple[Strand | Metric, str]]) -> list[str]:
    """Why a release cannot be published while drafts remain: each draft, with its placeholder lines."""
    reasons = []
    for item, shown_as in items:
        if not item.draft:
            continue
        left = ", ".join(f"line {line}" for line, _ in placeholder_lines(item.path)) if item.path else ""
        detail = f"; placeholder text is still on {left}" if left else ""
        reasons.append(f"{shown_as} is marked `draft: true`{detail}. Finish it and remove the draft line, or move the "
                       "file out of the portal, before publishing.")
    return reasons
