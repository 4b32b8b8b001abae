"""Read the areas register (data/areas.yml) and the delivery plans (data/actions/*.yml) into plain data.

Each file is read strictly and checked against its schema, as metric files are, then against the rules a
schema cannot state (`plan_rules`); a file with problems contributes nothing, so the site never shows half of
a plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.conventions import ACTIONS_SCHEMA, AREAS_REGISTER, AREAS_SCHEMA, SCHEMA_LINE_ACTIONS, SCHEMA_LINE_AREAS
from ..core.model import Action, Area, Population, Progress
from ..core.problems import Problem, field_name
from .files import shown_path
from .load import Document, parse_yaml, read_text
from .plan_rules import Register, action_problems, file_name_problems, register_problems, repeated_action_ids
from .rules import schema_line_notes, text_field_problems
from .schemas import Schemas, schema_problems

AREAS_TEXT = (("name",), ("areas", int, "name"), ("population", "source"))
ACTIONS_TEXT = (("actions", int, "title"), ("actions", int, "owner"), ("actions", int, "outcome"),
                ("actions", int, "progress", int, "note"))


def check_plans(root: Path, paths: list[Path], schemas: Schemas, strands: set[str], document: Document | None,
                problems: list[Problem], notes: list[Problem]) -> list[Action]:
    """Every actions file, checked on its own and then across files, against the register as `load_areas`
    read it (`document`, None when it could not be read); only files that passed every check contribute actions."""
    register = Register(present=(root / AREAS_REGISTER).exists(), usable=document is not None,
                        areas={a["id"]: a for a in document.data["areas"]} if document is not None else {})
    checked: list[tuple[Path, Document, str]] = []
    for path in paths:
        found: list[Problem] = []
        read = read_checked(path, root, schemas, ACTIONS_SCHEMA, ACTIONS_TEXT, found, notes, SCHEMA_LINE_ACTIONS)
        found += file_name_problems(path, shown_path(path, root), strands, register)
        if read is not None:
            found += action_problems(read[0], path, read[1], strands, register)
        problems += found
        if read is not None and not found:
            checked.append((path, *read))
    repeats = repeated_action_ids([(document, shown_as) for _, document, shown_as in checked])
    problems += repeats
    refused = {p.file for p in repeats}
    actions = [_action(data, path) for path, document, shown_as in checked if shown_as not in refused
               for data in document.data["actions"]]
    return actions


def read_checked(path: Path, root: Path, schemas: Schemas, schema: str, shapes: tuple,
                 problems: list[Problem], notes: list[Problem], schema_line: str) -> tuple[Document, str] | None:
    """A YAML file parsed and checked against its schema and text rules, or None with its problems added."""
    source = read_text(path, shown_path(path, root))
    problems += source.problems
    if source.text is None:
        return None
    notes += schema_line_notes(source.text, source.path, schema_line)
    document, found = parse_yaml(source.text, source.path)
    if document is not None and not found:
        found = schema_problems(document, schemas, schema, source.path)
    if document is not None and not found:
        found = [Problem(source.path, *document.locate(where), field_name(where), message)
                 for where, message in text_field_problems(document.data, shapes)]
    problems += found
    return None if document is None or found else (document, source.path)


def load_areas(root: Path, schemas: Schemas, problems: list[Problem],
               notes: list[Problem]) -> tuple[list[Area], Population | None, Document | None]:
    """The register's areas in its order (none when the portal has no register or it has problems), its
    population source, and the parsed file, which the checks on actions read."""
    path = root / AREAS_REGISTER
    if path.is_symlink() or not path.exists():  # a link is refused by the folder scan already
        return [], None, None
    checked = read_checked(path, root, schemas, AREAS_SCHEMA, AREAS_TEXT, problems, notes, SCHEMA_LINE_AREAS)
    found = register_problems(*checked) if checked is not None else []
    problems += found
    if checked is None or found:
        return [], None, None
    data = checked[0].data
    areas = [Area(id=a["id"], name=a["name"], kind=a["kind"], ons_code=a.get("ons_code"),
                  covers=tuple(a.get("covers", ())), population=a.get("population")) for a in data["areas"]]
    population = Population(**data["population"]) if "population" in data else None
    return areas, population, checked[0]


def _action(data: dict[str, Any], path: Path) -> Action:
    progress = [Progress(**entry) for entry in data["progress"]]
    fields = {"strand": None} | {k: v for k, v in data.items() if k != "progress"}  # no strand: strategy-wide
    return Action(**fields, progress=progress, path=path)



def area_name(document: Document | None) -> str | None:
    """The register's name for the whole area its districts make up, when it gives one."""
    return document.data.get("name") if document is not None else None
