"""What the schemas cannot state about the areas register and the delivery plans.

Each rule returns located `Problem`s, every one it finds, so an editor sees the whole list at once. The
rules read the parsed files (`Document`s), which remember each value's line, and never the model: a file
with problems never becomes part of the portal.

Decisions recorded here, and in the editing guide:
- An actions file is named after a strand page (`domestic-abuse.yml`) or a partnership of the register
  (`csp-colchester.yml`). In a strand's file every action's `strand` is that strand. In a partnership's
  file an action may belong to any strand, but must name its `area`: the partnership itself or one of the
  districts it covers (a partnership's return is never force-wide).
- The actions of the whole strategy, not of one strand (the standard CSP reporting format), go in the one
  reserved file `strategy-wide.yml` and name no strand there: a strand named there would be a second place for
  that strand's actions. Everywhere else `strand` is required, which the schema cannot say per file.
- A district's `population` is required once the register names its population source, and refused when it
  names none (a figure with no source). A partnership has no population of its own: it is its districts'.
"""

from __future__ import annotations

import calendar
import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.conventions import ACTIONS_DIR, AREAS_REGISTER, CSP_PREFIX, STRAND_SUFFIX, STRANDS_DIR, STRATEGY_WIDE_ACTIONS
from ..core.problems import Problem, field_name
from .load import Document

REGISTER = AREAS_REGISTER.as_posix()


@dataclass
class Register:
    """The areas register as the actions' checks see it."""

    present: bool = False  # data/areas.yml exists
    usable: bool = False  # and passed its own checks, so its ids can be trusted
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> the area as written

    @property
    def partnerships(self) -> list[str]:
        return [i for i, a in self.areas.items() if a["kind"] == "csp"]


def _at(document: Document, shown_as: str, where: tuple, message: str) -> Problem:
    return Problem(shown_as, *document.locate(where), field_name(where), message)


# --- the register ------------------------------------------------------------------------------------------


def register_problems(document: Document, shown_as: str) -> list[Problem]:
    """Every problem across the register's areas: repeated ids and ONS codes, covers, population, id prefixes."""
    areas = document.data["areas"]
    kinds = {a["id"]: a["kind"] for a in areas}
    has_source = "population" in document.data
    problems: list[Problem] = []
    first_id: dict[str, int] = {}
    first_code: dict[str, int] = {}
    for index, area in enumerate(areas):
        def add(name: str | tuple, message: str) -> None:
            problems.append(_at(document, shown_as, ("areas", index) + (name if isinstance(name, tuple) else (name,)), message))

        area_id, kind = area["id"], area["kind"]
        if area_id in first_id:
            add("id", f"area id {area_id} is already used by areas[{first_id[area_id]}]; each must be different")
        first_id.setdefault(area_id, index)
        code = area.get("ons_code")
        if code is not None and code in first_code:
            add("ons_code", f"ONS code {code} is already given to areas[{first_code[code]}]; each area has its own")
        if code is not None:
            first_code.setdefault(code, index)
        if kind == "csp":
            _partnership_problems(area, kinds, add)
        else:
            _district_problems(area, has_source, add)
    return problems


def _partnership_problems(area: dict[str, Any], kinds: dict[str, str], add) -> None:
    if not area["id"].startswith(CSP_PREFIX):
        add("id", f"a partnership's id starts with {CSP_PREFIX}, so that its actions file can never share a strand's "
                  f"name; found '{area['id']}', write '{CSP_PREFIX}{area['id']}'")
    if "covers" not in area:
        add("covers", "is missing: list the ids of the districts this partnership covers")
    for position, covered in enumerate(area.get("covers", ())):
        if kinds.get(covered) != "district":
            what = "a partnership, not a district" if covered in kinds else "not an area of the register"
            add(("covers", position), f"'{covered}' is {what}; a partnership covers districts of the register")
    if "population" in area:
        add("population", "a partnership's population is its districts' added up: leave it out here")


def _district_problems(area: dict[str, Any], has_source: bool, add) -> None:
    if area["id"].startswith(CSP_PREFIX):
        add("id", f"only a partnership's id starts with {CSP_PREFIX}; this area is a district (kind: district)")
    if "covers" in area:
        add("covers", "only a partnership covers other areas; a district has no covers: remove it")
    if has_source and "population" not in area:
        add("population", "is missing: the register gives a population source, so every district needs its population "
                          "from it (rates per 1,000 people are worked out from it)")
    if not has_source and "population" in area:
        add("population", "has no source: say where the figures come from with population: {year, source} at the top "
                          "of the register, or remove it")


# --- an actions file ---------------------------------------------------------------------------------------


def file_name_problems(path: Path, shown_as: str, strands: set[str], register: Register) -> list[Problem]:
    """An actions file is named after a strand page or a partnership of the register, or is the strategy-wide one."""
    stem = path.stem
    if stem == STRATEGY_WIDE_ACTIONS:
        return []
    if stem.startswith(CSP_PREFIX):
        if not register.present:
            return [Problem(shown_as, 1, 1, "", f"is named after a partnership, but there is no areas register ({REGISTER}) "
                                                "to name it in: add the register, or name the file after a strand")]
        if not register.usable or stem in register.partnerships:
            return []  # a broken register is reported on its own; nothing here can be judged against it
        known = ", ".join(register.partnerships) or "none"
        return [Problem(shown_as, 1, 1, "", f"is named after a partnership, but there is no partnership '{stem}' in "
                                            f"{REGISTER}; the partnerships are {known}")]
    if stem in strands:
        return []
    return [Problem(shown_as, 1, 1, "", f"is named after no strand: there is no strand page "
                                        f"{STRANDS_DIR.as_posix()}/{stem}{STRAND_SUFFIX}; an actions file is named "
                                        f"after a strand ({_listed(strands)}) or a partnership ({CSP_PREFIX}...), or is "
                                        f"{STRATEGY_WIDE_ACTIONS}.yml for the whole strategy's actions")]


def action_problems(document: Document, path: Path, shown_as: str, strands: set[str], register: Register) -> list[Problem]:
    """Every problem of each action in one file: strand, area, dates and the order of its progress."""
    problems: list[Problem] = []
    for index, action in enumerate(document.data["actions"]):
        where = ("actions", index)
        for name, message in _action_messages(action, path.stem, strands, register):
            problems.append(_at(document, shown_as, where + (name,) if name else where, message))
        problems += _progress_problems(document, shown_as, index, action["progress"])
    return problems


def _action_messages(action: dict[str, Any], stem: str, strands: set[str], register: Register) -> list[tuple[str, str]]:
    found: list[tuple[str, str | None]] = [_strand_found(action, stem, strands)]
    found += [("area", _area_message(action.get("area"), stem, register))]
    for name in ("start", "due"):
        if name in action:
            found.append((name, _calendar_message(action[name])))
    if "start" in action and "due" in action and not any(n in ("start", "due") and m for n, m in found):
        if last_day(action["due"]) < first_day(action["start"]):
            found.append(("due", f"{action['due']} comes before the start, {action['start']}: an action is due after it starts"))
    if stem.startswith(CSP_PREFIX) and "area" not in action:
        found.append(("", f"names no area: in a partnership's file every action names its area, {stem} or one of "
                          "the districts it covers"))
    return [(name, message) for name, message in found if message]


def _strand_found(action: dict[str, Any], stem: str, strands: set[str]) -> tuple[str, str | None]:
    """The strand's problem, if any, and where to show it: on the action itself when the strand is missing."""
    wide = f"{ACTIONS_DIR.as_posix()}/{STRATEGY_WIDE_ACTIONS}.yml"
    if stem == STRATEGY_WIDE_ACTIONS:
        if "strand" in action:
            return "strand", (f"is '{action['strand']}', but the actions in {wide} belong to the whole strategy and "
                              f"name no strand: remove it, or move the action to {ACTIONS_DIR.as_posix()}/"
                              f"{action['strand']}.yml")
        return "strand", None
    if "strand" not in action:
        return "", (f"names no strand: every action names its strand, except the whole strategy's actions, "
                    f"which go in {wide}")
    return "strand", _strand_message(action["strand"], stem, strands)


def _strand_message(strand: str, stem: str, strands: set[str]) -> str | None:
    if strand not in strands:
        return f"there is no strand page {STRANDS_DIR.as_posix()}/{strand}{STRAND_SUFFIX}; the strands are {_listed(strands)}"
    if not stem.startswith(CSP_PREFIX) and stem in strands and strand != stem:
        return (f"is '{strand}' but this is {stem}'s file: an action of {strand} goes in "
                f"{ACTIONS_DIR.as_posix()}/{strand}.yml")
    return None


def _area_message(area: str | None, stem: str, register: Register) -> str | None:
    if area is None:
        return None
    if not register.present:
        return f"there is no areas register ({REGISTER}) to name '{area}' in: add the register, or leave area out for a force-wide action"
    if not register.usable:
        return None  # the register's own problems are reported; its ids cannot be trusted until they are fixed
    if area not in register.areas:
        close = difflib.get_close_matches(area, list(register.areas), n=1)
        guess = f"did you mean '{close[0]}'? " if close else ""
        return f"there is no area '{area}' in {REGISTER}; {guess}an action's area is the id of a district or partnership there"
    if stem.startswith(CSP_PREFIX) and stem in register.areas:
        allowed = [stem, *register.areas[stem].get("covers", ())]
        if area not in allowed:
            return f"'{area}' is outside this partnership: in {stem}'s file an action's area is one of {', '.join(allowed)}"
    return None


def _progress_problems(document: Document, shown_as: str, index: int, progress: list[dict[str, Any]]) -> list[Problem]:
    problems = []
    previous: str | None = None
    for position, entry in enumerate(progress):
        where = ("actions", index, "progress", position, "as_at")
        as_at = entry["as_at"]
        message = _calendar_message(as_at)
        if message is None and previous is not None and as_at == previous:
            message = f"{as_at} appears twice: each date may have one progress entry only"
        elif message is None and previous is not None and as_at < previous:
            message = f"{as_at} must come after {previous}: progress goes oldest first"
        if message:
            problems.append(_at(document, shown_as, where, message))
        previous = max(as_at, previous or as_at)
    return problems


def repeated_action_ids(files: list[tuple[Document, str]]) -> list[Problem]:
    """An action id is unique across the whole portal: each repeat is a problem naming where it was first used."""
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for document, shown_as in files:
        for index, action in enumerate(document.data["actions"]):
            where = ("actions", index, "id")
            action_id = action["id"]
            if action_id in first:
                other, line = first[action_id]
                problems.append(_at(document, shown_as, where, f"action id {action_id} is already used in {other} "
                                                               f"(line {line}); each action's id must be different"))
            else:
                first[action_id] = (shown_as, document.locate(where)[0])
    return problems


# --- dates -------------------------------------------------------------------------------------------------


def _calendar_message(text: str) -> str | None:
    try:
        first_day(text)
        return None
    except ValueError:
        return f"{text} is not a date in the calendar"


def first_day(text: str) -> date:
    return date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def last_day(text: str) -> date:
    if len(text) > 7:
        return date.fromisoformat(text)
    year, month = int(text[:4]), int(text[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def _listed(names: set[str]) -> str:
    return ", ".join(sorted(names)) or "none yet"
