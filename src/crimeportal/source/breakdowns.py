"""The rules on a measure's figures by area (`areas`, `not_located`, `areas_add_up`) that a schema cannot state.

An observation may give, beside its force-wide `value`, a count for each area of the areas register
(`data/areas.yml`) and `not_located`, the part of the value placed in none of them. The rules keep a reader's
table honest: every area is one the register knows; a place is counted once; the parts never exceed the
whole (and equal it when the file says they add up); and the areas are the same in every period from the
first that has them, so that no area silently drops out of a comparison.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..core.conventions import AREAS_REGISTER
from ..core.model import Area
from ..core.problems import Problem, field_name
from .load import Document
from .rules import range_problem, show_number

Path_ = tuple[str | int, ...]


@dataclass
class _Checker:
    document: Document
    shown_as: str
    problems: list[Problem]

    def add(self, path: Path_, message: str, at_key: bool = False) -> None:
        where = self.document.key_at.get(path) if at_key else None
        self.problems.append(Problem(self.shown_as, *(where or self.document.locate(path)), field_name(path), message))


def breakdown_problems(document: Document, shown_as: str, areas: list[Area] | None) -> list[Problem]:
    """Every problem with the file's figures by area; `areas` is the register's, None when it cannot be used."""
    data = document.data
    observations: list[dict[str, Any]] = data["observations"]
    checker = _Checker(document, shown_as, [])
    given = [i for i, o in enumerate(observations) if "areas" in o]
    for index, observation in enumerate(observations):
        if "not_located" in observation and "areas" not in observation:
            checker.add(("observations", index, "not_located"), "is given without areas: not_located is the part of "
                                                               "the value in none of the areas, so it needs areas beside it")
    if not given:
        if "areas_add_up" in data:
            checker.add(("areas_add_up",), "is given, but no observation has figures by area (areas): remove it, or add areas")
        return checker.problems
    first = ("observations", given[0], "areas")
    if data["unit"] != "count":
        checker.add(first, f"figures by area can be given for a count measure only, and this one is a {data['unit']}: "
                           "an area's percent or rate cannot be checked against the force's figure or compared without "
                           "its own numerator and denominator; publish the areas' counts as a count measure instead")
        return checker.problems
    if "areas_add_up" not in data:
        checker.add(first, "observations give figures by area, so the file must say whether they add up to the value: "
                           "add 'areas_add_up: true' (areas plus not_located equal the value) or 'areas_add_up: false' "
                           "(some of the value is in neither)")
    if areas is None:
        checker.add(first, f"figures by area need the areas register, {AREAS_REGISTER.as_posix()}, and this portal has "
                           "none that can be read (it is missing or has problems of its own)")
    for index in given:
        _one_period(checker, index, observations[index], data.get("areas_add_up"), areas)
    reference = next((i for i in given if observations[i]["areas"]), None)
    unknown = any("is not an area in" in p.message for p in checker.problems)
    if reference is not None and not unknown:  # an unknown id is reported once, not again as missing from other periods
        _same_areas(checker, observations, reference)
    return checker.problems


def _one_period(checker: _Checker, index: int, observation: dict[str, Any], add_up: bool | None,
                areas: list[Area] | None) -> None:
    where: Path_ = ("observations", index, "areas")
    by_area: dict[str, Any] = observation["areas"]
    if not by_area:
        checker.add(where, "is empty: give each area's figure, or remove areas")
        return
    if observation["value"] is None:
        checker.add(where, "a withheld figure (value: null) cannot have figures by area: they would show what is "
                           "withheld; remove areas from this period")
        return
    counts_ok = True
    for area_id, count in by_area.items():
        if (message := range_problem("count", count)):
            checker.add(where + (area_id,), message)
            counts_ok = False
    if areas is not None:
        _known_areas(checker, where, by_area, areas)
    if counts_ok:
        _totals(checker, where, by_area, observation, add_up)


def _known_areas(checker: _Checker, where: Path_, by_area: dict[str, Any], areas: list[Area]) -> None:
    register = {area.id: area for area in areas}
    for area_id in by_area:
        if area_id not in register:
            close = difflib.get_close_matches(area_id, list(register), n=1)
            guess = f"did you mean '{close[0]}'? " if close else ""
            checker.add(where + (area_id,), f"'{area_id}' is not an area in {AREAS_REGISTER.as_posix()}; {guess}the areas "
                                            f"are {', '.join(register)}", at_key=True)
    for area_id in by_area:
        area = register.get(area_id)
        for covered in (area.covers if area else ()):
            if covered in by_area:
                checker.add(where + (covered,), f"'{covered}' is also counted in '{area_id}', which covers it: count each "
                                                "place once (give the districts, or the partnerships, not both)", at_key=True)


def _totals(checker: _Checker, where: Path_, by_area: dict[str, Any], observation: dict[str, Any],
            add_up: bool | None) -> None:
    in_areas = sum(int(count) for count in by_area.values())
    not_located = observation.get("not_located", 0)
    together = in_areas + not_located
    value = observation["value"]
    parts = f"the areas add up to {in_areas:,}" + (f" and not_located is {not_located:,}, together {together:,}"
                                                   if "not_located" in observation else "")
    if add_up is True and together != value:
        checker.add(where, f"{parts}, but the value is {show_number(value)}: with 'areas_add_up: true' they must equal "
                           "it (check the figures, or put what is in no area in not_located)")
    elif together > value:
        checker.add(where, f"{parts}, more than the value, {show_number(value)}: the parts of a figure cannot exceed it")


def _same_areas(checker: _Checker, observations: list[dict[str, Any]], first: int) -> None:
    """From the first period with areas on, every period names the same areas (a withheld one names none)."""
    expected = list(observations[first]["areas"])
    first_end = observations[first]["end"]
    for index in range(first + 1, len(observations)):
        observation = observations[index]
        if "areas" not in observation:
            if observation["value"] is not None:
                checker.add(("observations", index), f"{observation['end']} has no figures by area, but {first_end} "
                                                     "and the periods after it have: give the same areas for every "
                                                     "period from the first that has them")
            continue
        names = observation["areas"]
        if not names:
            continue  # reported as empty already
        missing = [a for a in expected if a not in names]
        extra = [a for a in names if a not in expected]
        where: Path_ = ("observations", index, "areas")
        if missing:
            checker.add(where, f"has no figure for {', '.join(missing)}, which {first_end} gives: every period from "
                               "the first with areas gives the same areas (write 0 for an area with none)")
        for area_id in extra:
            checker.add(where + (area_id,), f"'{area_id}' is not given in {first_end}, the first period with areas: "
                                            "every period from the first with areas gives the same areas", at_key=True)
