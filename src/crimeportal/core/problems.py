"""Problems found in an editor's files, and the three ways of printing them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    field: str
    message: str

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


def count_words(problems: list[Problem] | int) -> str:
    """'1 problem', '3 problems'."""
    count = problems if isinstance(problems, int) else len(problems)
    return f"{count} problem" + ("" if count == 1 else "s")


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


def format_problems(problems: list[Problem], style: str, level: str = "error") -> str:
    """`level` is "error", or "notice" for notes: things worth saying that fail nothing."""
    if style == "json":
        return json.dumps([asdict(problem) for problem in problems], indent=2)
    if style == "github":
        return "\n".join(
            f"::{level} file={p.file},line={p.line},col={p.column}::{_github_escape(p.as_text())}"
            for p in problems
        )
    prefix = "" if level == "error" else "note: "
    return "\n".join(prefix + problem.as_text() for problem in problems)
