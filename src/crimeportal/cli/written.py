"""What every editing command says once it has written files: that the portal checks out, or what is wrong now.

One wording for "the files were written, but..." and for what changed in a metric file's figures, shared by the commands
that write (add-period, progress,
import-actions, import police-uk), so none of them imports another's module.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..core.problems import Problem, count_words, format_problems
from ..editing import EditRefused
from .exit_codes import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:  # the editing modules are imported where they run, so that `crimeportal validate` starts without them
    from ..editing.add_period import MetricChange


def report_after(problems: list[Problem]) -> int:
    if not problems:
        print("The portal's files check out: no problems found.")
        return EXIT_OK
    print(format_problems(problems, "text"))
    print(f"crimeportal: the files were written, but the portal has {count_words(problems)}; fix them before publishing.",
          file=sys.stderr)
    return EXIT_PROBLEMS


def figures_changed(change: MetricChange, would: bool, unchanged_as: str) -> str:
    """What a command did (or `would` do) to one metric file's figures, in the words add-period and the import share."""
    add, revise, remove = ("would add", "would revise", "would remove") if would else ("added", "revised", "removed")
    parts = [f"{add} {', '.join(change.added)}" if change.added else "",
             f"{revise} {', '.join(change.revised)}" if change.revised else "",
             f"{', '.join(change.unchanged)} already as {unchanged_as}" if change.unchanged else "",
             f"{remove} the placeholder" if change.replaced_placeholder else ""]
    return "; ".join(p for p in parts if p) or "nothing to change"


def report_refusal(refusal: EditRefused) -> int:
    """A command that wrote nothing because of problems: each problem at its line, then why, on stderr."""
    if refusal.problems:
        print(format_problems(refusal.problems, "text"))
    print(f"crimeportal: nothing was written: {refusal}", file=sys.stderr)
    return EXIT_PROBLEMS
