"""Read and check the evaluations (data/evaluations/<id>.yml) into plain data.

Each file is read strictly and checked against its schema, as delivery plans are (`plans.read_checked`: hostile
text, YAML traps and unknown fields refused at their line), then against the rules a schema cannot state. Every
problem of a file is collected before any is reported; a file with problems contributes nothing, so the site never
publishes half an evaluation.

Decisions recorded here, and in the editing guide:
- An area is the id of a district or partnership in data/areas.yml, or an LSOA code (E01 and six digits), so an
  evaluation can name the small areas an operation really covered. One area may be in one group only.
- The before and after months must not overlap, the before months come first, and both spans have the same
  number of months: a rate ratio of unequal spans would need an exposure nobody has checked.
- A planned evaluation may leave out `groups` and `counts` (the areas may not be chosen yet); counts need the groups
  they count, and a design with comparison areas needs its control group.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any

from ..core.conventions import AREAS_REGISTER, EVALUATION_SCHEMA, LSOA_CODE_PATTERN, SCHEMA_LINE_EVALUATION, STRAND_SUFFIX, STRANDS_DIR
from ..core.evaluation import Counts, Evaluation, months_between, months_of
from ..core.problems import Problem, field_name
from .load import Document
from .plan_rules import Register
from .plans import read_checked
from .schemas import Schemas

def register_of(root: Path, document: Document | None) -> Register:
    """The areas register as the checks see it, from the parsed file `load_areas` gave (None: none usable)."""
    return Register(present=(root / AREAS_REGISTER).exists(), usable=document is not None,
                    areas={a["id"]: a for a in document.data["areas"]} if document is not None else {})


EVALUATION_TEXT = (("title",), ("question",), ("summary",), ("crime",), ("caveats", int))
REGISTER = AREAS_REGISTER.as_posix()


def check_evaluations(root: Path, paths: list[Path], schemas: Schemas, strands: set[str], register: Register,
                      action_ids: set[str], problems: list[Problem], notes: list[Problem]) -> list[Evaluation]:
    """Every evaluation file, each checked on its own; only files with no problems become evaluations."""
    evaluations = []
    for path in paths:
        found: list[Problem] = []
        read = read_checked(path, root, schemas, EVALUATION_SCHEMA, EVALUATION_TEXT, found, notes,
                            SCHEMA_LINE_EVALUATION)
        if read is not None:
            document, shown_as = read
            found += [Problem(shown_as, *document.locate(where), field_name(where), message)
                      for where, message in evaluation_messages(document.data, path.stem, strands, register, action_ids)]
        problems += found
        if read is not None and not found:
            evaluations.append(to_evaluation(read[0].data, path))
    return evaluations


def evaluation_messages(data: dict[str, Any], stem: str, strands: set[str], register: Register,
                        action_ids: set[str]) -> list[tuple[tuple, str]]:
    """Each problem a schema cannot find, as (where, message)."""
    found: list[tuple[tuple, str]] = []
    if data["id"] != stem:
        found.append((("id",), f"is '{data['id']}' but the file is {stem}.yml: the id must be the file's name "
                               f"without .yml; change one so they match"))
    if data["strand"] not in strands:
        found.append((("strand",), f"there is no strand page {STRANDS_DIR.as_posix()}/{data['strand']}{STRAND_SUFFIX}; "
                                   f"the strands are {', '.join(sorted(strands)) or 'none yet'}"))
    found += _month_messages(data)
    if "registered" in data:
        try:
            date.fromisoformat(data["registered"])
        except ValueError:
            found.append((("registered",), f"{data['registered']} is not a date in the calendar"))
    for index, action in enumerate(data.get("actions", [])):
        if action not in action_ids:
            close = difflib.get_close_matches(action, sorted(action_ids), n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            found.append((("actions", index), f"there is no delivery-plan action '{action}'; {guess}"
                                              "name the id of an action in data/actions/"))
    found += _group_messages(data, register)
    return found


def _month_messages(data: dict[str, Any]) -> list[tuple[tuple, str]]:
    found: list[tuple[tuple, str]] = []
    for span in ("before", "after"):
        if span not in data:
            continue
        start, end = data[span]["start"], data[span]["end"]
        if end < start:
            found.append(((span, "end"), f"{end} is before the start, {start}: the months run from start to end"))
    if found:
        return found
    if "before" not in data:
        if "counts" in data:
            found.append((("counts",), "counts compare the before months with the after months: add before"))
        return found
    before, after = data["before"], data["after"]
    if before["end"] >= after["start"]:
        found.append((("after", "start"), f"{after['start']} must come after the last before month, {before['end']}: "
                                          "the before months end before the operation's after months begin"))
    elif months_between(before["start"], before["end"]) != months_between(after["start"], after["end"]):
        found.append((("before",), f"covers {months_between(before['start'], before['end'])} months but after covers "
                                   f"{months_between(after['start'], after['end'])}: give both the same number of "
                                   "months, so the counts compare like with like"))
    return found


def _group_messages(data: dict[str, Any], register: Register) -> list[tuple[tuple, str]]:
    found: list[tuple[tuple, str]] = []
    groups: dict[str, list[str]] = data.get("groups", {})
    counts: dict[str, Any] = data.get("counts", {})
    comparison = data["design"] != "before-after"
    if groups and comparison and "control" not in groups:
        found.append((("groups",), f"a {data['design']} design compares the test areas with control areas: "
                                   "add groups.control"))
    if "displacement_control" in groups and "displacement" not in groups:
        found.append((("groups", "displacement_control"), "is the control for the displacement areas: add "
                                                          "groups.displacement, or remove this"))
    if counts and not groups:
        found.append((("counts",), "counts need the areas they were counted in: add groups first"))
    for group in counts:
        if groups and group not in groups:
            found.append((("counts", group), f"counts a group with no areas: add groups.{group}, or remove this"))
    if counts and comparison and "control" not in counts:
        found.append((("counts",), "a comparison needs the control areas' counts too: add counts.control"))
    found += _by_month_messages(data, counts)
    first_group: dict[str, str] = {}
    for group, areas in groups.items():
        for index, area in enumerate(areas):
            message = _area_message(area, register)
            if message is None and area in first_group:
                message = (f"'{area}' is already in {first_group[area]}: an area can be in one group only, or the "
                           "comparison would count its crimes on both sides")
            if message:
                found.append((("groups", group, index), message))
            first_group.setdefault(area, f"groups.{group}")
    return found


def _by_month_messages(data: dict[str, Any], counts: dict[str, Any]) -> list[tuple[tuple, str]]:
    """A group's months must be every before and after month, adding up to its before and after counts."""
    if "before" not in data:
        return []  # said already: counts need the before months
    spans = {span: months_of((data[span]["start"], data[span]["end"])) for span in ("before", "after")}
    found: list[tuple[tuple, str]] = []
    for group, count in counts.items():
        by_month: dict[str, int] = count.get("by_month")
        if by_month is None:
            continue
        wanted = set(spans["before"] + spans["after"])
        missing = sorted(m for m in wanted if m not in by_month)
        extra = sorted(m for m in by_month if m not in wanted)
        if missing or extra:
            found.append((("counts", group, "by_month"),
                          "must give every before and after month and no other: "
                          + "; ".join(([f"missing {_months_listed(missing)}"] if missing else [])
                                      + ([f"not a before or after month: {_months_listed(extra)}"] if extra else []))))
            continue
        for span in ("before", "after"):
            total = sum(by_month[m] for m in spans[span])
            if total != count[span]:
                found.append((("counts", group, span), f"is {count[span]:,} but the {span} months in by_month add up "
                                                       f"to {total:,}: the two must agree"))
    return found


def _months_listed(months: list[str], shown: int = 6) -> str:
    """A few months, and how many more: a file naming thousands makes a message to read, not a page."""
    more = f" and {len(months) - shown:,} more" if len(months) > shown else ""
    return ", ".join(months[:shown]) + more


def _area_message(area: str, register: Register) -> str | None:
    if LSOA_CODE_PATTERN.match(area):
        return None
    if not register.present:
        return (f"there is no areas register ({REGISTER}) to find '{area}' in: add the register, or name LSOA codes "
                "such as E01021234")
    if not register.usable:
        return None  # the register's own problems are reported; its ids cannot be trusted until they are fixed
    if area not in register.areas:
        close = difflib.get_close_matches(area, list(register.areas), n=1)
        guess = f"did you mean '{close[0]}'? " if close else ""
        return (f"there is no area '{area}' in {REGISTER}; {guess}an evaluation's area is the id of a district or "
                "partnership there, or an LSOA code such as E01021234")
    return None


def to_evaluation(data: dict[str, Any], path: Path) -> Evaluation:
    return Evaluation(
        id=data["id"], title=data["title"], strand=data["strand"], question=data["question"], design=data["design"],
        before=(data["before"]["start"], data["before"]["end"]) if "before" in data else None, after=(data["after"]["start"], data["after"]["end"]),
        registered=date.fromisoformat(data["registered"]) if "registered" in data else None,
        summary=data.get("summary"), crime=data.get("crime"),
        expected_direction=data.get("expected", {}).get("direction"),
        smallest_effect_percent=data.get("expected", {}).get("smallest_effect_percent"),
        actions=tuple(data.get("actions", ())),
        groups={group: tuple(areas) for group, areas in data.get("groups", {}).items()},
        counts={group: Counts(c["before"], c["after"], tuple(sorted(c.get("by_month", {}).items())))
                for group, c in data.get("counts", {}).items()},
        caveats=tuple(data.get("caveats", ())), path=path)

