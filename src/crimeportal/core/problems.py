"""Problems found in an editor's files, and the three ways of printing them.

One `Problem` type for every level: an error fails the command; a warning (an unusual figure, say) fails it only
with `--strict-warnings`; a note never does. `format_problems` prints each level its own way.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass


def shown_file(file: str, sep: str | None = None) -> str:
    """A file as stored in a `Problem` (relative, with '/') as the platform writes it: data\\metrics\\x.yml on Windows.

    Problems keep '/' so that they compare, sort and annotate the same everywhere (GitHub's annotations and the
    JSON want it); only text for people is written with the platform's separator.
    """
    return file.replace("/", sep or os.sep)


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str

    def as_text(self, native: bool = True) -> str:
        where = f"{shown_file(self.file) if native else self.file}:{self.line}:{self.column}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


def count_words(problems: list[Problem] | int, noun: str = "problem") -> str:
    """'1 problem', '3 problems' (or warnings)."""
    count = problems if isinstance(problems, int) else len(problems)
    return f"{count} {noun}" + ("" if count == 1 else "s")


def field_name(path: tuple[str | int, ...]) -> str:
    """`("observations", 1, "value")` -> `observations[1].value`, as editors see it."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _github_escape(text: str) -> str:
    # GitHub's workflow command syntax treats these characters specially
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A value in a workflow command's properties (file=...), escaped as GitHub's runner escapes them: a comma
    or colon would end the value early (`Knife crime, 2019.yml` lost its annotation), and a line break would
    start a command of the file name's choosing (`::add-mask::` in a name, in the CI log)."""
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_problems(problems: list[Problem], style: str, level: str = "error") -> str:
    """`level` is "error"; "warning" for what may be a mistake (failing only with --strict-warnings); or "notice"
    for notes: things worth saying that fail nothing."""
    if style == "json":
        return json.dumps([asdict(problem) for problem in problems], indent=2)
    if style == "github":
        return "\n".join(
            f"::{level} file={_github_property(p.file)},line={p.line},col={p.column}::"
            f"{_github_escape(p.as_text(native=False))}"
            for p in problems
        )
    prefix = {"error": "", "warning": "warning: "}.get(level, "note: ")
    return "\n".join(prefix + problem.as_text() for problem in problems)
