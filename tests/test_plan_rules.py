"""The delivery plans' and areas register's rules: each mistake reported at its file, line and field, word for word.

Each test writes one small actions file (or changes the register) in a copy of the real portal and works
out the line the problem must point at from the text it wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.core.problems import Problem
from crimeportal.source.validate import check_portal, load_portal

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/actions.schema.json\n"
REGISTER = "data/areas.yml"
STRANDS = ("business-crime, digital-crime-and-fraud, domestic-abuse, extremism-and-radicalisation, gangs-and-knife-crime, "
           "hate-crime, house-burglary-and-street-robbery, night-time-economy, rural-crime, serious-and-organised-crime, "
           "sexual-crime-child-abuse-and-exploitation")


def action(action_id: str = "test-action", strand: str = "hate-crime", extra: str = "",
           progress: str = "      - as_at: 2019-09-12\n        status: planned\n") -> str:
    return (f"  - id: {action_id}\n    title: \"Do a thing\"\n    strand: {strand}\n{extra}"
            f"    owner: \"Essex Police\"\n    progress:\n{progress}")


def write(root: Path, name: str, *actions: str, schema_line: bool = True) -> str:
    text = (SCHEMA_LINE if schema_line else "") + "actions:\n" + "".join(actions)
    (root / "data/actions" / name).write_text(text, encoding="utf-8")
    return text


def line_of(text: str, needle: str, nth: int = 1) -> int:
    return [n for n, line in enumerate(text.splitlines(), start=1) if needle in line][nth - 1]


def problems_in(root: Path, file: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.message) for p in load_portal(root)[1] if p.file == file]


def test_the_real_plans_pass_and_hold_every_action(portal_copy):
    check = check_portal(portal_copy)
    assert check.problems == [] and check.notes == []
    assert len(check.portal.actions) == 30
    [whole] = [a for a in check.portal.actions if a.strand is None]
    assert whole.id == "standard-csp-reporting-format" and whole.latest.status == "in-progress"
    assert {a.strand for a in check.portal.actions} >= {"domestic-abuse", "hate-crime", "business-crime", "rural-crime"}


def test_a_file_named_after_no_strand(portal_copy):
    write(portal_copy, "hate.yml", action())
    assert problems_in(portal_copy, "data/actions/hate.yml") == [
        (1, "", "is named after no strand: there is no strand page content/strands/hate.md; an actions file is named "
                f"after a strand ({STRANDS}) or a partnership (csp-...), or is strategy-wide.yml for the whole "
                "strategy's actions")]


def without_strand(text: str) -> str:
    return text.replace("    strand: hate-crime\n", "")


def test_an_action_outside_the_strategy_wide_file_names_its_strand(portal_copy):
    text = write(portal_copy, "hate-crime.yml", without_strand(action()))
    assert problems_in(portal_copy, "data/actions/hate-crime.yml") == [
        (line_of(text, "- id: test-action"), "actions[0]", "names no strand: every action names its strand, except the "
         "whole strategy's actions, which go in data/actions/strategy-wide.yml")]


def test_a_strand_named_in_the_strategy_wide_file_is_refused(portal_copy):
    (portal_copy / "data/actions/strategy-wide.yml").unlink()
    text = write(portal_copy, "strategy-wide.yml", without_strand(action("whole-one")), action("whole-two"))
    assert problems_in(portal_copy, "data/actions/strategy-wide.yml") == [
        (line_of(text, "strand: hate-crime"), "actions[1].strand", "is 'hate-crime', but the actions in "
         "data/actions/strategy-wide.yml belong to the whole strategy and name no strand: remove it, or move the "
         "action to data/actions/hate-crime.yml")]


def test_a_file_named_after_an_unknown_partnership(portal_copy):
    write(portal_copy, "csp-nowhere.yml", action(extra="    area: basildon\n"))
    [(line, field, message)] = problems_in(portal_copy, "data/actions/csp-nowhere.yml")
    assert (line, field) == (1, "")
    assert message.startswith("is named after a partnership, but there is no partnership 'csp-nowhere' in data/areas.yml; "
                              "the partnerships are csp-basildon, csp-braintree, ")


def test_an_unknown_strand_lists_the_strands(portal_copy):
    text = write(portal_copy, "csp-basildon.yml", action(strand="hate-crimes", extra="    area: basildon\n"))
    assert problems_in(portal_copy, "data/actions/csp-basildon.yml") == [
        (line_of(text, "strand:"), "actions[0].strand", f"there is no strand page content/strands/hate-crimes.md; the strands are {STRANDS}")]


def test_an_action_in_another_strands_file(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="hate-crime"))
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "strand:"), "actions[0].strand", "is 'hate-crime' but this is serious-and-organised-crime's file: "
                                                         "an action of hate-crime goes in data/actions/hate-crime.yml")]


def test_an_unknown_area(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime", extra="    area: basildn\n"))
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "area:"), "actions[0].area", "there is no area 'basildn' in data/areas.yml; did you mean 'basildon'? "
                                                     "an action's area is the id of a district or partnership there")]


def test_an_area_outside_the_partnership(portal_copy):
    text = write(portal_copy, "csp-castle-point-and-rochford.yml", action(extra="    area: rochford\n"),
                 action("other-action", extra="    area: basildon\n"))
    assert problems_in(portal_copy, "data/actions/csp-castle-point-and-rochford.yml") == [
        (line_of(text, "area: basildon"), "actions[1].area",
         "'basildon' is outside this partnership: in csp-castle-point-and-rochford's file an action's area is one of "
         "csp-castle-point-and-rochford, castle-point, rochford")]


def test_a_partnerships_action_names_its_area(portal_copy):
    text = write(portal_copy, "csp-harlow.yml", action())
    assert problems_in(portal_copy, "data/actions/csp-harlow.yml") == [
        (line_of(text, "- id:"), "actions[0]", "names no area: in a partnership's file every action names its area, "
                                               "csp-harlow or one of the districts it covers")]


def test_an_area_with_no_register(portal_copy):
    (portal_copy / REGISTER).unlink()
    for name in ("southend-on-sea", "colchester"):
        path = portal_copy / f"data/actions/{'sexual-crime-child-abuse-and-exploitation' if name == 'southend-on-sea' else 'night-time-economy'}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"    area: {name}\n", ""), encoding="utf-8")
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime", extra="    area: basildon\n"))
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "area:"), "actions[0].area", "there is no areas register (data/areas.yml) to name 'basildon' in: add "
                                                     "the register, or leave area out for a force-wide action")]


def test_an_action_id_used_twice_names_the_other_file(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml", action("operation-sceptre", strand="serious-and-organised-crime"))
    first = (portal_copy / "data/actions/gangs-and-knife-crime.yml").read_text(encoding="utf-8")
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "- id:"), "actions[0].id", "action id operation-sceptre is already used in data/actions/gangs-and-knife-crime.yml "
                                                  f"(line {line_of(first, 'id: operation-sceptre')}); each action's id must be different")]


def test_an_action_id_used_twice_in_one_file(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml", *[action("same", strand="serious-and-organised-crime")] * 2)
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "- id:", 2), "actions[1].id", "action id same is already used in data/actions/serious-and-organised-crime.yml "
                                                     "(line 3); each action's id must be different")]


@pytest.mark.parametrize("start, due, ok", [("2019-10", "2019-09", False), ("2019-09-15", "2019-09", True),
                                            ("2019-09", "2019-09-01", True), ("2019-09-02", "2019-09-01", False)])
def test_due_before_start_is_refused(portal_copy, start, due, ok):
    text = write(portal_copy, "serious-and-organised-crime.yml",
                 action(strand="serious-and-organised-crime", extra=f"    start: {start}\n    due: {due}\n"))
    expected = [] if ok else [(line_of(text, "due:"), "actions[0].due", f"{due} comes before the start, {start}: an action is due after it starts")]
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == expected


@pytest.mark.parametrize("field", ["start", "due"])
def test_a_date_not_in_the_calendar(portal_copy, field):
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime", extra=f"    {field}: 2019-02-30\n"))
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, f"{field}:"), f"actions[0].{field}", "2019-02-30 is not a date in the calendar")]


def test_progress_dates_in_order_once_each_and_in_the_calendar(portal_copy):
    progress = "".join(f"      - as_at: {d}\n        status: planned\n" for d in ("2019-09-12", "2019-06-30", "2019-09-12", "2019-02-29"))
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime", progress=progress))
    assert problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml") == [
        (line_of(text, "2019-06-30"), "actions[0].progress[1].as_at", "2019-06-30 must come after 2019-09-12: progress goes oldest first"),
        (line_of(text, "2019-09-12", 2), "actions[0].progress[2].as_at", "2019-09-12 appears twice: each date may have one progress entry only"),
        (line_of(text, "2019-02-29"), "actions[0].progress[3].as_at", "2019-02-29 is not a date in the calendar")]


def test_an_unknown_status_is_reported_at_its_line(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime",
                                                                        progress="      - as_at: 2019-09-12\n        status: done\n"))
    [(line, field, message)] = problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml")
    assert (line, field) == (line_of(text, "status:"), "actions[0].progress[0].status")
    assert "planned" in message and "in-progress" in message and "done" in message


def test_text_fields_are_checked_like_the_others(portal_copy):
    text = write(portal_copy, "serious-and-organised-crime.yml",
                 action(strand="serious-and-organised-crime", extra="    outcome: \"safer\u202estreets\"\n"))
    [(line, field, message)] = problems_in(portal_copy, "data/actions/serious-and-organised-crime.yml")
    assert (line, field) == (line_of(text, "outcome:"), "actions[0].outcome")
    assert "U+202E" in message


def test_a_file_with_problems_contributes_no_actions(portal_copy):
    write(portal_copy, "serious-and-organised-crime.yml", action("fine", strand="serious-and-organised-crime"),
          action("broken", strand="serious-and-organised-crime", extra="    due: 2019-02-30\n"))
    assert not [a for a in load_portal(portal_copy)[0].actions if a.strand == "serious-and-organised-crime"]


def test_the_schema_line_is_a_note_not_a_problem(portal_copy):
    write(portal_copy, "serious-and-organised-crime.yml", action(strand="serious-and-organised-crime"), schema_line=False)
    check = check_portal(portal_copy)
    assert check.problems == []
    assert check.notes == [Problem("data/actions/serious-and-organised-crime.yml", 1, 1, "",
                                   "the first line is usually '# yaml-language-server: $schema=../../schemas/actions.schema.json', "
                                   "which lets editors' tools check the file as you type; add it as the first line (nothing "
                                   "else depends on it)")]
    assert len(check.portal.actions) == 31


def test_the_registers_schema_line_is_a_note(portal_copy):
    path = portal_copy / REGISTER
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert [n.message.split("'")[1] for n in check_portal(portal_copy).notes] == ["# yaml-language-server: $schema=../schemas/areas.schema.json"]


# --- the register ------------------------------------------------------------------------------------------


def change_register(root: Path, old: str, new: str) -> str:
    path = root / REGISTER
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def register_problems(root: Path) -> list[tuple[int, str, str]]:
    return problems_in(root, REGISTER)


def index_of(root: Path, area_id: str) -> int:
    import yaml
    return [a["id"] for a in yaml.safe_load((root / REGISTER).read_text(encoding="utf-8"))["areas"]].index(area_id)


@pytest.mark.parametrize("old, new, needle, field_at, message", [
    ("id: csp-braintree\n", "id: csp-basildon\n", "id: csp-basildon", ("id", "csp-braintree", 2),
     "area id csp-basildon is already used by areas[14]; each must be different"),
    ("ons_code: E07000067", "ons_code: E07000066", "ons_code: E07000066", ("ons_code", "braintree", 2),
     "ONS code E07000066 is already given to areas[0]; each area has its own"),
    ("    ons_code: E07000068\n", "    ons_code: E07000068\n    covers: [basildon]\n", "covers: [basildon]", ("covers", "brentwood", 1),
     "only a partnership covers other areas; a district has no covers: remove it"),
    ("covers: [braintree]", "covers: [braintre]", "covers: [braintre]", ("covers[0]", "csp-braintree", 1),
     "'braintre' is not an area of the register; a partnership covers districts of the register"),
    ("covers: [brentwood]", "covers: [csp-basildon]", "covers: [csp-basildon]", ("covers[0]", "csp-brentwood", 1),
     "'csp-basildon' is a partnership, not a district; a partnership covers districts of the register"),
    ("    population: 64425\n", "", "id: maldon", ("population", "maldon", 1),
     "is missing: the register gives a population source, so every district needs its population from it "
     "(rates per 1,000 people are worked out from it)"),
    ("id: csp-harlow", "id: harlow-csp", "id: harlow-csp", ("id", "csp-harlow", 1),
     "a partnership's id starts with csp-, so that its actions file can never share a strand's name; found 'harlow-csp', "
     "write 'csp-harlow-csp'"),
    ("  - id: csp-basildon\n", "  - id: csp-wickford\n    name: Wickford\n    kind: district\n    population: 5\n  - id: csp-basildon\n",
     "id: csp-wickford", ("id", "csp-basildon", 1),
     "only a partnership's id starts with csp-; this area is a district (kind: district)"),
    ("    covers: [maldon]\n", "    covers: [maldon]\n    population: 3\n", "population: 3", ("population", "csp-maldon", 1),
     "a partnership's population is its districts' added up: leave it out here"),
    ("    covers: [uttlesford]\n", "", "id: csp-uttlesford", ("covers", "csp-uttlesford", 1),
     "is missing: list the ids of the districts this partnership covers"),
])
def test_each_register_mistake_is_reported_at_its_line(portal_copy, old, new, needle, field_at, message):
    name, area_id, nth = field_at
    index = index_of(portal_copy, area_id)  # before the change, which may rename it
    text = change_register(portal_copy, old, new)
    assert register_problems(portal_copy) == [(line_of(text, needle, nth), f"areas[{index}].{name}", message)]


def test_a_population_with_no_source(portal_copy):
    text = change_register(portal_copy, "population:\n  year: 2018\n", "")
    text = change_register(portal_copy, next(line for line in text.splitlines() if line.startswith("  source:")) + "\n", "")
    problems = register_problems(portal_copy)
    assert len(problems) == 14
    assert problems[0] == (line_of(text, "population: 185862"), "areas[0].population",
                           "has no source: say where the figures come from with population: {year, source} at the top of "
                           "the register, or remove it")


def test_a_broken_register_leaves_the_actions_unjudged(portal_copy):
    with_register, _ = load_portal(portal_copy)
    change_register(portal_copy, "id: csp-braintree\n", "id: csp-basildon\n")
    portal, problems = load_portal(portal_copy)
    # the measures with figures by district cannot be checked without it either, and say so
    assert [p.file for p in problems if not p.file.startswith("data/metrics/police-uk-")] == [REGISTER]
    assert all("data/areas.yml" in p.message for p in problems if p.file != REGISTER)
    assert portal.areas == [] and len(portal.actions) == len(with_register.actions)


def test_a_partnerships_file_with_no_register(portal_copy):
    (portal_copy / REGISTER).unlink()
    for name, file in (("southend-on-sea", "sexual-crime-child-abuse-and-exploitation"), ("colchester", "night-time-economy")):
        path = portal_copy / f"data/actions/{file}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(f"    area: {name}\n", ""), encoding="utf-8")
    write(portal_copy, "csp-harlow.yml", action())
    assert problems_in(portal_copy, "data/actions/csp-harlow.yml")[0] == (
        1, "", "is named after a partnership, but there is no areas register (data/areas.yml) to name it in: add the "
               "register, or name the file after a strand")
