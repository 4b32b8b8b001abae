"""The delivery-plan commands: `new action`, `progress` and `import-actions`.

Each test runs the real command on a private copy of the portal and checks what an editor would see: the
files written (parsed back, and byte for byte where nothing may change), the messages and the exit codes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from crimeportal.cli import main
from crimeportal.source.validate import load_portal

ACTIONS = "data/actions"
HATE = f"{ACTIONS}/hate-crime.yml"
KNIFE = f"{ACTIONS}/gangs-and-knife-crime.yml"
NOTHING = "Nothing was written: run the same command without --check to make these changes."
CLEAN = "The portal's files check out: no problems found."


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def crimeportal(capsys):
    def run(root: Path, *args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(["--root", str(root), *args])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)
    return run


def fingerprint(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def actions_in(root: Path, file: str) -> dict[str, dict]:
    return {a["id"]: a for a in yaml.safe_load((root / file).read_text(encoding="utf-8"))["actions"]}


def write_csv(root: Path, text: str, name: str = "return.csv") -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


# --- new action ----------------------------------------------------------------------------------------------


def test_new_action_appends_to_its_strands_file_keeping_the_rest(portal_copy, crimeportal):
    before = (portal_copy / HATE).read_text(encoding="utf-8")
    run = crimeportal(portal_copy, "new", "action", "--strand", "hate-crime", "--title", "Train call handlers in hate crime",
                      "--owner", "Force Control Room", "--area", "basildon", "--due", "2020-03", "--category", "prevent",
                      "--as-at", "2019-12-12")
    assert (run.code, run.lines, run.err) == (0, [f"{HATE}: added the action train-call-handlers-in-hate-crime", CLEAN], "")
    after = (portal_copy / HATE).read_text(encoding="utf-8")
    assert after.startswith(before)  # every earlier line, comments included, as it was
    assert after[len(before):] == ("  - id: train-call-handlers-in-hate-crime\n"
                                   "    title: \"Train call handlers in hate crime\"\n"
                                   "    strand: hate-crime\n    area: basildon\n    category: prevent\n"
                                   "    owner: \"Force Control Room\"\n    due: 2020-03\n"
                                   "    progress:\n      - as_at: 2019-12-12\n        status: planned\n")
    assert [a.id for a in load_portal(portal_copy)[0].actions_of("hate-crime")][-1] == "train-call-handlers-in-hate-crime"


def test_new_action_starts_a_strands_file_with_the_schema_line_and_dates_it_today(portal_copy, crimeportal):
    run = crimeportal(portal_copy, "new", "action", "--strand", "serious-and-organised-crime", "--title", "Map organised crime groups",
                      "--owner", "Serious Crime Directorate")
    file = f"{ACTIONS}/serious-and-organised-crime.yml"
    assert (run.code, run.lines) == (0, [f"{file} (a new file): added the action map-organised-crime-groups", CLEAN])
    text = (portal_copy / file).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/actions.schema.json"
    action = actions_in(portal_copy, file)["map-organised-crime-groups"]
    assert action["progress"] == [{"as_at": date.today(), "status": "planned"}]


def test_new_action_takes_the_strand_lead_as_owner_and_a_fresh_id(portal_copy, crimeportal):
    for _ in range(2):
        assert crimeportal(portal_copy, "new", "action", "--strand", "domestic-abuse", "--title", "Review refuge places").code == 0
    actions = actions_in(portal_copy, f"{ACTIONS}/domestic-abuse.yml")
    assert actions["review-refuge-places"]["owner"] == "Ch Supt Mariner, chair of the Domestic Abuse Governance Board"
    assert "review-refuge-places-2" in actions


def test_a_long_title_makes_an_id_cut_at_a_word(portal_copy, crimeportal):
    title = "Work with every district council to map the licensed premises where the most violence is recorded at night"
    assert crimeportal(portal_copy, "new", "action", "--strand", "night-time-economy", "--title", title, "--owner", "X").code == 0
    assert list(actions_in(portal_copy, f"{ACTIONS}/night-time-economy.yml"))[-1] == \
        "work-with-every-district-council-to-map-the-licensed"


@pytest.mark.parametrize("args, message", [
    (("--strand", "hate-crimes", "--owner", "X"), "there is no strand 'hate-crimes' (no file content/strands/hate-crimes.md); "
                                                  "did you mean 'hate-crime'? the strands are "),
    (("--strand", "hate-crime", "--owner", "X", "--area", "basildn"), "there is no area 'basildn'; did you mean 'basildon'? "
                                                                     "the areas are basildon, braintree,"),
    (("--strand", "hate-crime"), "give --owner, the role or body responsible: the strand page hate-crime names no lead to use instead"),
    (("--strand", "hate-crime", "--owner", "X", "--category", "prevention"), "--category must be one of prepare, prevent, "
                                                                            "protect, pursue; found 'prevention'"),
    (("--strand", "hate-crime", "--owner", "X", "--due", "2020-02-30"), "--due 2020-02-30 is not a date in the calendar"),
    (("--strand", "hate-crime", "--owner", "X", "--due", "March"), "--due must be a month written YYYY-MM or a date written "
                                                                   "YYYY-MM-DD, such as 2020-02; found 'March'"),
    (("--strand", "hate-crime", "--owner", "X", "--as-at", "2019-12"), "--as-at must be a date written YYYY-MM-DD, such as "
                                                                       "2019-12-12; found '2019-12'"),
])
def test_new_action_refuses_and_writes_nothing(portal_copy, crimeportal, args, message):
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "new", "action", "--title", "Do a thing", *args)
    assert run.code == 1 and run.out == ""
    assert run.err.startswith(f"crimeportal: nothing was written: {message}")
    assert fingerprint(portal_copy) == before


def test_new_action_refuses_an_owner_the_checks_refuse(portal_copy, crimeportal):
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "new", "action", "--strand", "hate-crime", "--title", "Do a thing", "--owner", "Evil\u202eowner")
    assert run.code == 1
    assert f"{HATE}:" in run.out and "owner" in run.out and "U+202E" in run.out
    assert fingerprint(portal_copy) == before


# --- progress ------------------------------------------------------------------------------------------------

QUARTER = ("id,as_at,status,note\n"
           "operation-sceptre,2019-12-12,In-Progress,\"Still running, as planned.\"\n"
           "hate-crime-partnership-campaign,2019-12-12,COMPLETE,\n"
           "stop-and-search-video-scrutiny-panel,2019-12-12,delayed,Launch moved to the new year\n")


def test_progress_adds_each_entry_to_its_action_in_lower_case(portal_copy, crimeportal):
    csv = write_csv(portal_copy, QUARTER)
    before = {f: (portal_copy / f).read_text(encoding="utf-8") for f in (HATE, KNIFE)}
    run = crimeportal(portal_copy, "progress", str(csv))
    assert (run.code, run.err) == (0, "")
    assert run.lines == [
        f"{ACTIONS}/extremism-and-radicalisation.yml: added progress for stop-and-search-video-scrutiny-panel (2019-12-12, delayed)",
        f"{KNIFE}: added progress for operation-sceptre (2019-12-12, in-progress)",
        f"{HATE}: added progress for hate-crime-partnership-campaign (2019-12-12, complete)", CLEAN]
    sceptre = actions_in(portal_copy, KNIFE)["operation-sceptre"]
    assert sceptre["progress"][-1] == {"as_at": date(2019, 12, 12), "status": "in-progress", "note": "Still running, as planned."}
    assert actions_in(portal_copy, HATE)["hate-crime-partnership-campaign"]["progress"][-1] == {"as_at": date(2019, 12, 12), "status": "complete"}
    # only the new lines: every comment and every other line is as it was
    hate = (portal_copy / HATE).read_text(encoding="utf-8")
    assert hate.replace("      - as_at: 2019-12-12\n        status: complete\n", "", 1) == before[HATE]
    portal, problems = load_portal(portal_copy)
    assert problems == [] and next(a for a in portal.actions if a.id == "operation-sceptre").latest.status == "in-progress"


def test_progress_check_says_what_would_change_and_writes_nothing(portal_copy, crimeportal):
    csv = write_csv(portal_copy, QUARTER)
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "progress", str(csv), "--check")
    assert run.code == 0
    assert run.lines[1] == f"{KNIFE}: would add progress for operation-sceptre (2019-12-12, in-progress)"
    assert run.lines[-1] == NOTHING
    assert fingerprint(portal_copy) == before


def test_progress_given_twice_is_already_as_given(portal_copy, crimeportal):
    csv = write_csv(portal_copy, QUARTER)
    assert crimeportal(portal_copy, "progress", str(csv)).code == 0
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "progress", str(csv))
    assert run.code == 0
    assert run.lines[1] == f"{KNIFE}: operation-sceptre (2019-12-12) already as given"
    assert fingerprint(portal_copy) == before


def test_progress_lists_every_problem_with_its_line_and_column_and_writes_nothing(portal_copy, crimeportal):
    csv = write_csv(portal_copy, "id,as_at,status,note\n"
                                 "operation-sceptr,2019-12-12,done,\n"
                                 "hate-crime-partnership-campaign,2019-02-30,complete,\n"
                                 "domestic-abuse-strategy,2019-06-01,in-progress,\n"
                                 "domestic-abuse-strategy,2019-09-12,complete,\n"
                                 "operation-sceptre,2019-12-12,complete,\n"
                                 "operation-sceptre,2019-12-12,complete,\n"
                                 ",12/12/2019,complete,\"bad\u202enote\"\n"
                                 "operation-benison,2019-12-12,complete,\n")
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "progress", str(csv))
    assert run.code == 1
    assert run.lines[:8] == [
        "return.csv:2:1: column 1 (id): there is no action 'operation-sceptr' in the delivery plans; did you mean "
        "'operation-sceptre'?",
        "return.csv:2:3: column 3 (status): must be one of planned, in-progress, complete, delayed, stopped; found 'done'",
        "return.csv:3:2: column 2 (as_at): 2019-02-30 is not a date in the calendar",
        "return.csv:4:2: column 2 (as_at): 2019-06-01 comes before domestic-abuse-strategy's latest progress, for "
        "2019-09-12: new progress can only be added after it",
        "return.csv:5:2: column 2 (as_at): domestic-abuse-strategy already has progress for 2019-09-12 (in-progress): "
        "each date has one entry; to change it, edit its file",
        "return.csv:7:2: column 2 (as_at): operation-sceptre has another entry for 2019-12-12 on line 6: give each date once",
        "return.csv:8:1: column 1 (id): is empty: give the action's id, such as operation-sceptre",
        "return.csv:8:2: column 2 (as_at): must be a date written YYYY-MM-DD, such as 2019-12-12; found '12/12/2019'"]
    assert "return.csv:8:4: column 4 (note):" in run.lines[8] and "U+202E" in run.lines[8]
    assert len(run.lines) == 9
    assert run.err == "crimeportal: nothing was written: 9 problems to fix first.\n"
    assert fingerprint(portal_copy) == before


@pytest.mark.parametrize("text, message", [
    ("", "return.csv:1:1: the file is empty: it needs the header row id,as_at,status,note, and one row below it for each action"),
    ("id,as_at,state\nx,2019-12-12,complete\n", "return.csv:1:3: column 3 (state): is not a column crimeportal progress knows; did you mean "
                                               "'status'? the columns are id, as_at, status, note"),
    ("metric,end,value\n", "return.csv:1:1: this does not look like a CSV for crimeportal progress: its first line must be the "
                           "header row, id,as_at,status,note."),
    ("id,as_at,status\n", "return.csv:1:1: the file has a header row but no rows below it"),
])
def test_a_file_that_is_not_a_progress_csv_is_refused(portal_copy, crimeportal, text, message):
    csv = write_csv(portal_copy, text)
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "progress", str(csv))
    assert run.code == 1 and run.lines[0] == message
    assert fingerprint(portal_copy) == before


def test_progress_refuses_a_file_whose_layout_cannot_be_kept(portal_copy, crimeportal):
    path = portal_copy / HATE
    path.write_text(path.read_text(encoding="utf-8").replace("status: complete\n", "status:   complete\n", 1), encoding="utf-8")
    csv = write_csv(portal_copy, "id,as_at,status\nhate-crime-partnership-campaign,2019-12-12,complete\n")
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "progress", str(csv))
    assert run.code == 1
    assert run.lines[0].startswith(f"{HATE}:") and "layout cannot be kept" in run.lines[0]
    assert fingerprint(portal_copy) == before


# --- import-actions ------------------------------------------------------------------------------------------

HEADER = "id,strand,area,category,title,owner,start,due,outcome,as_at,status,note\n"
RETURN = (HEADER +
          "colchester-premises-visits,night-time-economy,colchester,Prevent,Visit every licensed premises in the town centre,"
          "Colchester Community Safety Partnership,2019-10,2020-03,Fewer assaults near premises,2019-12-12,In-Progress,\"Half visited, so far\"\n"
          "colchester-reporting-centres,hate-crime,csp-colchester,,Open two hate crime reporting centres,"
          "Colchester Community Safety Partnership,,,,2019-12-12,planned,\n")
COLCHESTER = f"{ACTIONS}/csp-colchester.yml"


def test_import_actions_writes_a_partnerships_file_that_validates(portal_copy, crimeportal):
    csv = write_csv(portal_copy, RETURN)
    run = crimeportal(portal_copy, "import-actions", str(csv))
    assert (run.code, run.err) == (0, "")
    assert run.lines == [f"{COLCHESTER} (a new file): added the actions colchester-premises-visits, colchester-reporting-centres", CLEAN]
    actions = actions_in(portal_copy, COLCHESTER)
    assert actions["colchester-premises-visits"] == {
        "id": "colchester-premises-visits", "title": "Visit every licensed premises in the town centre", "strand": "night-time-economy",
        "area": "colchester", "category": "prevent", "owner": "Colchester Community Safety Partnership", "start": "2019-10",
        "due": "2020-03", "outcome": "Fewer assaults near premises",
        "progress": [{"as_at": date(2019, 12, 12), "status": "in-progress", "note": "Half visited, so far"}]}
    assert actions["colchester-reporting-centres"]["area"] == "csp-colchester"
    assert (portal_copy / COLCHESTER).read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/actions.schema.json\n")
    portal, problems = load_portal(portal_copy)
    assert problems == [] and {a.id for a in portal.actions} >= set(actions)


def test_the_next_return_adds_progress_to_the_same_actions(portal_copy, crimeportal):
    assert crimeportal(portal_copy, "import-actions", str(write_csv(portal_copy, RETURN))).code == 0
    before = (portal_copy / COLCHESTER).read_text(encoding="utf-8")
    following = RETURN.replace("2019-12-12,In-Progress,\"Half visited, so far\"", "2020-03-12,complete,All visited")
    following = following.replace("2019-12-12,planned,", "2019-12-12,planned,")
    run = crimeportal(portal_copy, "import-actions", str(write_csv(portal_copy, following, "next.csv")))
    assert run.code == 0
    assert run.lines[0] == (f"{COLCHESTER}: added progress for colchester-premises-visits (2020-03-12, complete); "
                            "colchester-reporting-centres (2019-12-12) already as given")
    assert actions_in(portal_copy, COLCHESTER)["colchester-premises-visits"]["progress"][-1] == {
        "as_at": date(2020, 3, 12), "status": "complete", "note": "All visited"}
    assert (portal_copy / COLCHESTER).read_text(encoding="utf-8").startswith(before.split("  - id: colchester-reporting-centres")[0])


def test_import_actions_check_writes_nothing(portal_copy, crimeportal):
    csv = write_csv(portal_copy, RETURN)
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "import-actions", str(csv), "--check")
    assert run.code == 0
    assert run.lines == [f"{COLCHESTER} (a new file): would add the actions colchester-premises-visits, colchester-reporting-centres", NOTHING]
    assert fingerprint(portal_copy) == before


def test_import_actions_with_area_fills_empty_areas(portal_copy, crimeportal):
    csv = write_csv(portal_copy, HEADER + "harlow-market-patrols,hate-crime,,,Patrol the market,Harlow Council,,,,2019-12-12,planned,\n")
    run = crimeportal(portal_copy, "import-actions", str(csv), "--area", "csp-harlow")
    assert run.code == 0
    assert actions_in(portal_copy, f"{ACTIONS}/csp-harlow.yml")["harlow-market-patrols"]["area"] == "csp-harlow"


def test_import_actions_lists_every_problem_with_its_line_and_writes_nothing(portal_copy, crimeportal):
    csv = write_csv(portal_copy, HEADER +
                    "Bad Id,hate-crime,colchester,,A,B,,,,2019-12-12,planned,\n"
                    "a-one,hate-crimes,colchester,prevention,,,2020-03,2019-12,,2019-12-12,planned,\n"
                    "a-two,hate-crime,basildon,,A,B,,,,2019-12-12,planned,\n"
                    "operation-sceptre,gangs-and-knife-crime,colchester,,A,B,,,,2019-12-12,planned,\n"
                    "a-three,hate-crime,colchestr,,A,B,,,,2019-12-12,planned,\n"
                    "a-four,hate-crime,colchester,,A,B,,2020-02-30,,2019-12-12,finished,\n"
                    "a-four,hate-crime,colchester,,A,B,,,,2019-12-12,planned,\n")
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "import-actions", str(csv))
    assert run.code == 1
    assert run.lines == [
        "return.csv:2:1: column 1 (id): must be lowercase letters, digits and single hyphens, such as "
        "colchester-street-patrols; found 'Bad Id'",
        "return.csv:3:2: column 2 (strand): there is no strand 'hate-crimes'; the strands are business-crime, "
        "digital-crime-and-fraud, domestic-abuse, extremism-and-radicalisation, gangs-and-knife-crime, hate-crime, "
        "house-burglary-and-street-robbery, night-time-economy, rural-crime, serious-and-organised-crime, "
        "sexual-crime-child-abuse-and-exploitation",
        "return.csv:3:4: column 4 (category): must be one of prepare, prevent, protect, pursue, or empty where the plan "
        "does not say; found 'prevention'",
        "return.csv:3:5: column 5 (title): is empty: a new action needs it",
        "return.csv:3:6: column 6 (owner): is empty: a new action needs it",
        "return.csv:3:8: column 8 (due): 2019-12 comes before the start, 2020-03: an action is due after it starts",
        "return.csv:4:3: column 3 (area): 'basildon' belongs to csp-basildon, but this return is csp-colchester's "
        "(line 2): import each partnership's return on its own",
        "return.csv:5:1: column 1 (id): operation-sceptre is an action of data/actions/gangs-and-knife-crime.yml, not of "
        "this partnership's return (data/actions/csp-colchester.yml): give the return's own actions new ids",
        "return.csv:6:3: column 3 (area): there is no area 'colchestr' in data/areas.yml",
        "return.csv:7:8: column 8 (due): 2020-02-30 is not a date in the calendar",
        "return.csv:7:11: column 11 (status): must be one of planned, in-progress, complete, delayed, stopped; found "
        "'finished'",
        "return.csv:8:1: column 1 (id): a-four is on line 7 already: one row per action"]
    assert run.err == "crimeportal: nothing was written: 12 problems to fix first.\n"
    assert fingerprint(portal_copy) == before


def test_a_returns_row_may_not_rewrite_its_action(portal_copy, crimeportal):
    assert crimeportal(portal_copy, "import-actions", str(write_csv(portal_copy, RETURN))).code == 0
    changed = RETURN.replace("Open two hate crime reporting centres", "Open three centres").replace("2019-12-12,planned,", "2020-03-12,planned,")
    csv = write_csv(portal_copy, changed, "next.csv")
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "import-actions", str(csv))
    assert run.code == 1
    assert "next.csv:3:5: column 5 (title): is 'Open three centres' but colchester-reporting-centres has 'Open two hate crime reporting " \
           "centres': a return adds progress to an action; change the action itself in its file" in run.lines
    assert fingerprint(portal_copy) == before


def test_import_actions_refuses_an_unknown_partnership(portal_copy, crimeportal):
    run = crimeportal(portal_copy, "import-actions", str(write_csv(portal_copy, RETURN)), "--area", "csp-colchestr")
    assert run.code == 1
    assert run.err.startswith("crimeportal: nothing was written: --area must be a partnership of data/areas.yml; there is no "
                              "partnership 'csp-colchestr'; did you mean 'csp-colchester'? the partnerships are csp-basildon, ")


def test_a_file_with_problems_of_its_own_is_not_changed(portal_copy, crimeportal):
    path = portal_copy / HATE
    path.write_text(path.read_text(encoding="utf-8").replace("status: complete\n", "status: finished\n", 1), encoding="utf-8")
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "new", "action", "--strand", "hate-crime", "--title", "Do a thing", "--owner", "X")
    assert run.code == 1
    assert len(run.lines) == 1 and run.lines[0].startswith(f"{HATE}:") and "finished" in run.lines[0]
    assert run.err == "crimeportal: nothing was written: 1 problem to fix first.\n"
    assert fingerprint(portal_copy) == before


def test_an_interrupted_write_leaves_no_leftovers_in_the_actions_folder(portal_copy, crimeportal):
    leftover = portal_copy / ACTIONS / ".hate-crime.yml.1234abcd.tmp"
    leftover.write_text("half", encoding="utf-8")
    assert crimeportal(portal_copy, "validate").code == 0
    assert not leftover.exists()


# --- the whole strategy's actions --------------------------------------------------------------------------

WHOLE = f"{ACTIONS}/strategy-wide.yml"


def test_new_action_strategy_wide_goes_in_the_reserved_file_with_no_strand(portal_copy, crimeportal):
    run = crimeportal(portal_copy, "new", "action", "--strategy-wide", "--title", "Publish one return template",
                      "--owner", "Essex Police", "--as-at", "2019-12-12")
    assert (run.code, run.lines, run.err) == (0, [f"{WHOLE}: added the action publish-one-return-template", CLEAN], "")
    action = actions_in(portal_copy, WHOLE)["publish-one-return-template"]
    assert "strand" not in action and action["owner"] == "Essex Police"
    assert [a.id for a in load_portal(portal_copy)[0].actions_of(None)][-1] == "publish-one-return-template"


def test_new_action_strategy_wide_needs_an_owner_and_no_strand(portal_copy, crimeportal):
    before = fingerprint(portal_copy)
    run = crimeportal(portal_copy, "new", "action", "--strategy-wide", "--title", "Publish one return template")
    assert run.code != 0 and "a strategy-wide action has no strand lead" in run.err
    both = crimeportal(portal_copy, "new", "action", "--strategy-wide", "--strand", "hate-crime", "--title", "X", "--owner", "Y")
    assert both.code != 0 and "not allowed with argument" in both.err
    assert fingerprint(portal_copy) == before


def test_progress_reaches_an_action_of_the_whole_strategy(portal_copy, crimeportal):
    csv = write_csv(portal_copy, "id,as_at,status,note\nstandard-csp-reporting-format,2019-12-12,complete,Agreed\n")
    run = crimeportal(portal_copy, "progress", str(csv))
    assert (run.code, run.lines) == (0, [f"{WHOLE}: added progress for standard-csp-reporting-format (2019-12-12, complete)", CLEAN])
    portal, problems = load_portal(portal_copy)
    assert problems == [] and portal.actions_of(None)[0].latest.status == "complete"


# --- columns in messages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("command, text, expected", [
    # the columns in another order than the layout's: the message follows the file, as the spreadsheet shows it
    ("progress", "note,id,as_at,status\n,operation-sceptre,2019-12-12,finished\n",
     "return.csv:2:4: column 4 (status): must be one of"),
    ("progress", "id,as_at,status,note\noperation-sceptre,2019-12-12,complete,\"bad\u202enote\"\n",
     "return.csv:2:4: column 4 (note):"),
    ("import-actions", HEADER + "a-one,hate-crime,colchester,prevention,A,B,,,,2019-12-12,planned,\n",
     "return.csv:2:4: column 4 (category): must be one of"),
])
def test_a_bad_cell_in_column_4_of_each_plan_csv_is_reported_at_column_4(portal_copy, crimeportal, command, text, expected):
    run = crimeportal(portal_copy, command, str(write_csv(portal_copy, text)))
    assert run.code == 1
    assert any(line.startswith(expected) for line in run.lines), run.lines
