"""Editors' routine changes as single commands: scaffold a metric or a strand page, add a quarter's figures.

Every change is checked in full before anything is written, so a mistake leaves every file as it was:
`scaffold` writes new files, `add_period` adds figures from a CSV (read by `figures_csv`, put into the metric
files by `yaml_edit`), and `files` writes the results. Nothing here prints or picks an exit code: a refusal
is an `EditRefused`, and the command line (`crimeportal.cli.editing`) reports it.
"""

from __future__ import annotations

from ..core.errors import PortalError
from ..core.problems import Problem, count_words


class EditRefused(PortalError):
    """A change that was not made, so no file was touched; `problems` holds the located reasons, when there are any."""

    @classmethod
    def because(cls, problems: list[Problem]) -> EditRefused:
        """Refused for these located problems, kept in the order given (the order they are printed in)."""
        return cls(f"{count_words(problems)} to fix first.", problems)
