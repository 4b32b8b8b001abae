"""The releases' branch of the portal's one error tree, after mike's: catch `ReleaseError` for any of them.

Every one is a `PortalError`, so its text is a complete message for the editor;
only the command line decides how to print it and which exit code it means.
"""

from __future__ import annotations

from ..core.errors import PortalError
from ..core.problems import Problem


class ReleaseError(PortalError):
    """A release could not be built or published."""


class GitError(ReleaseError):
    """A git command failed; the text is the command and git's own complaint."""


class ReleaseBuildError(ReleaseError):
    """The site cannot be built as the release it was asked to be; nothing was built."""


class Refused(ReleaseError):
    """Publishing cannot go ahead; nothing has been changed.

    `reasons` holds every reason found, in the order the checks ran; the located problems in
    the register and the portal's files behind them are in `problems`.
    """

    def __init__(self, reasons: list[str], problems: list[Problem] | None = None) -> None:
        super().__init__("\n".join(f"  - {reason}" for reason in reasons), problems)
        self.reasons = list(reasons)


class PublishStepFailed(ReleaseError):
    """One of mike's steps stopped; its own messages have already reached the terminal."""


class SiteNotWhole(PublishStepFailed):
    """The site a step built lacks the portal's mark or has a block unfilled: its hooks did not run, or not to the end."""


class RolledBack(ReleaseError):
    """Publishing stopped part-way and what it had changed was put back.

    `not_undone` lists anything that could not be put back, which the editor must put right by hand.
    """

    def __init__(self, version: str, cause: BaseException, not_undone: list[str]) -> None:
        super().__init__(f"publishing {version} failed: {cause}")
        self.not_undone = list(not_undone)
