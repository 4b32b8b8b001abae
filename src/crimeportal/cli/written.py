"""What every editing command says once it has written files: that the portal checks out, or what is wrong now.

One wording for "the files were written, but...", shared by the commands that write (add-period, progress,
import-actions, import police-uk), so none of them imports another's module.
"""

from __future__ import annotations

import sys

from ..core.problems import Problem, count_words, format_problems
from .exit_codes import EXIT_OK, EXIT_PROBLEMS


def report_after(problems: list[Problem]) -> int:
    if not problems:
        print("The portal's files check out: no problems found.")
        return EXIT_OK
    print(format_problems(problems, "text"))
    print(f"crimeportal: the files were written, but the portal has {count_words(problems)}; fix them before publishing.",
          file=sys.stderr)
    return EXIT_PROBLEMS
