"""Read the areas register (data/areas.yml) and the delivery plans (data/actions/*.yml) into plain data.

Each file is read strictly and checked against its schema, as metric files are; a file with problems
contributes nothing, so the site never shows half of a plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.conventions import ACTIONS_SCHEMA, AREAS_REGISTER, AREAS_SCHEMA
from ..core.model import Action, Area, Population, Progress
from ..core.problems import Problem, field_name
from .files import shown_path
from .load import Document, parse_yaml, read_text
from .rules import text_field_problems
from .schemas import Schemas, schema_problems

AREAS_TEXT = (("name",), ("areas", int, "name"), ("population", "source"))
ACTIONS_TEXT = (("actions", int, "title"), ("actions", int, "owner"), ("actions", int, "outcome"),
                ("actions", int, "progress", int, "note"))


def read_checked(path: Path, root: Path, schemas: Schemas, schema: str, shapes: tuple,
                 problems: list[Problem]) -> tuple[Document, str] | None:
    """A YAML file parsed and checked against its schema and text rules, or None with its problems added."""
    source = read_text(path, shown_path(path, root))
    problems += source.problems
    if source.text is None:
        return None
    document, found = parse_yaml(source.text, source.path)
    if document is not None and not found:
        found = schema_problems(document, schemas, schema, source.path)
    if document is not None and not found:
        found = [Problem(source.path, *document.locate(where), field_name(where), message)
                 for where, message in text_field_problems(document.data, shapes)]
    problems += found
    return None if document is None or found else (document, source.path)


def load_areas(root: Path, schemas: Schemas, problems: list[Problem]) -> tuple[list[Area], Population | None, Document | None]:
    """The register's areas in its order (none when the portal has no register), its population source, and
    the parsed file, which the checks across files use to point at lines."""
    path = root / AREAS_REGISTER
    if path.is_symlink() or not path.exists():  # a link is refused by the folder scan already
        return [], None, None
    checked = read_checked(path, root, schemas, AREAS_SCHEMA, AREAS_TEXT, problems)
    if checked is None:
        return [], None, None
    data = checked[0].data
    areas = [Area(id=a["id"], name=a["name"], kind=a["kind"], ons_code=a.get("ons_code"),
                  covers=tuple(a.get("covers", ())), population=a.get("population")) for a in data["areas"]]
    population = Population(**data["population"]) if "population" in data else None
    return areas, population, checked[0]


def load_actions(path: Path, root: Path, schemas: Schemas, problems: list[Problem]) -> tuple[list[Action], Document | None]:
    """One actions file's actions in file order, and the parsed file."""
    checked = read_checked(path, root, schemas, ACTIONS_SCHEMA, ACTIONS_TEXT, problems)
    if checked is None:
        return [], None
    return [_action(data, path) for data in checked[0].data["actions"]], checked[0]


def _action(data: dict[str, Any], path: Path) -> Action:
    progress = [Progress(**entry) for entry in data["progress"]]
    fields = {k: v for k, v in data.items() if k != "progress"}
    return Action(**fields, progress=progress, path=path)



def area_name(document: Document | None) -> str | None:
    """The register's name for the whole area its districts make up, when it gives one."""
    return document.data.get("name") if document is not None else None
