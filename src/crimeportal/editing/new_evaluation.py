"""`new evaluation`: a new data/evaluations/<id>.yml, ready to fill in, checked as it would be before it is written.

The file states what is known when an evaluation is planned: its question, design and the operation's months.
The areas, the before months and the counts are left as comments to fill in, as a planned evaluation may leave
them out. `registered` is written only when given: it is the date the design is first published, which an editor
knows and a command cannot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.conventions import DATE_PATTERN, EVALUATIONS_DIR, MONTH_PATTERN, SCHEMA_LINE_EVALUATION
from ..core.evaluation import DESIGNS
from ..core.problems import Problem, count_words
from ..source.validate import load_portal
from . import EditRefused
from .files import problems_if_written, write_all
from .scaffold import _check_strand_exists, _free_target, _quoted

SUFFIX = ".yml"


@dataclass
class NewEvaluation:
    """The file a command wrote (or, with check, would write), and the portal's problems after it."""

    path: Path
    text: str
    written: bool
    problems: list[Problem] = field(default_factory=list)


def new_evaluation(root: Path, strand: str, title: str, question: str, *, after_start: str, after_end: str,
                   design: str = "comparison-areas", evaluation_id: str | None = None, registered: str | None = None,
                   check: bool = False) -> NewEvaluation:
    """Write data/evaluations/<id>.yml (with `check`, only say what would be written); `EditRefused`, with nothing
    written, when the file would have problems."""
    new_id, target = _free_target(root, EVALUATIONS_DIR, SUFFIX, title, evaluation_id, "evaluation")
    _check_strand_exists(root, strand)
    if design not in DESIGNS:
        raise EditRefused(f"--design must be one of {', '.join(DESIGNS)}; found '{design}'")
    for name, month in (("--after-start", after_start), ("--after-end", after_end)):
        if not MONTH_PATTERN.match(month):
            raise EditRefused(f"{name} must be a month written YYYY-MM, such as 2019-09; found '{month}'")
    if registered is not None and not DATE_PATTERN.match(registered):
        raise EditRefused(f"--registered must be a date written YYYY-MM-DD, such as 2019-08-30; found '{registered}'")
    text = evaluation_text(new_id, title, strand, question, design, after_start, after_end, registered)
    shown_as = (EVALUATIONS_DIR / target.name).as_posix()
    found = problems_if_written(root, {shown_as: text})
    if found:
        raise EditRefused(f"{shown_as} would have {count_words(found)}, listed above; fix what you gave and run the command again", found)
    if check:
        return NewEvaluation(target, text, written=False)
    write_all(root, {target: text})
    return NewEvaluation(target, text, written=True, problems=load_portal(root)[1])


def evaluation_text(evaluation_id: str, title: str, strand: str, question: str, design: str, after_start: str,
                    after_end: str, registered: str | None) -> str:
    registered_line = (f"registered: {registered}                # the date this design was first published\n"
                       if registered else
                       "# registered: YYYY-MM-DD             # the date this design is first published: before "
                       f"{after_start} to count as registered in advance\n")
    return (f"{SCHEMA_LINE_EVALUATION}\n"
            f"id: {evaluation_id}\n"
            f"title: {_quoted(title.strip())}\n"
            f"strand: {strand}\n"
            f"question: {_quoted(question.strip())}\n"
            f"design: {design}                # before-after | comparison-areas | randomised\n"
            f"{registered_line}"
            f"after: {{start: {after_start}, end: {after_end}}}   # the operation's months, both included\n"
            "# before: {start: YYYY-MM, end: YYYY-MM}   # as many months as after, ending before it starts\n"
            "# expected: {direction: decrease, smallest_effect_percent: 10}   # stated before the results\n"
            "# actions: []                        # ids of the delivery-plan actions it evaluates\n"
            "# groups:                            # district ids from data/areas.yml, or LSOA codes (E01 and six digits)\n"
            "#   test: []\n"
            "#   control: []                      # required unless design is before-after\n"
            "#   displacement: []                 # optional: the areas around the test areas\n"
            "#   displacement_control: []         # optional, with displacement\n"
            "# counts:                            # once the after months are over\n"
            "#   test: {before: 0, after: 0}\n"
            "#   control: {before: 0, after: 0}\n"
            "caveats: []\n")
