"""The one family of errors the package raises; the command line turns each into a message and an exit code.

Modelled on mike's single exception tree: a caller that wants to stop on any
portal failure catches `PortalError`; one that can recover from a particular
kind catches that subclass.
"""

from __future__ import annotations

from .problems import Problem


class PortalError(Exception):
    """Something the editor or the machine must put right; its text is a complete, plain-English message.

    `problems` holds the located problems behind it, when there are any, so a caller can print them in
    any of the formats `format_problems` knows.
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])
