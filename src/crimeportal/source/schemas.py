"""The JSON Schemas in schemas/, and their complaints put in words an editor can act on."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import jsonschema

import fastjsonschema

from ..core.conventions import SCHEMAS_DIR
from ..core.errors import PortalError
from ..core.problems import Problem, field_name
from .load import Document


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a set of fields",
    "boolean": "true or false",
    "null": "empty (null)",
}
_PATTERN_WORDS = {
    "id": "lowercase letters, digits and single hyphens, such as knife-enabled-crime",
    "strand": "a strand id: lowercase letters, digits and single hyphens",
    "end": "a month written YYYY-MM, such as 2019-07",
    "updated": "a date written YYYY-MM-DD, such as 2019-09-12",
}


@dataclass
class Schemas:
    """The JSON Schemas in schemas/, each compiled once per build when first needed."""

    root: Path
    _compiled: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    _validators: dict[str, "jsonschema.Draft7Validator"] = field(default_factory=dict)

    def is_valid(self, name: str, data: Any) -> bool:
        """A compiled check, many times faster than jsonschema; it waves clean files through."""
        if name not in self._compiled:
            try:
                self._compiled[name] = fastjsonschema.compile(_inlined(self._schema(name)))
            except fastjsonschema.JsonSchemaDefinitionException as error:
                raise SchemaFileError(f"{SCHEMAS_DIR.as_posix()}/{name} is not a JSON Schema the checks can use: {error}") from None
        try:
            self._compiled[name](data)
            return True
        except fastjsonschema.JsonSchemaException:
            return False

    def validator(self, name: str) -> "jsonschema.Draft7Validator":
        """jsonschema, which says what is wrong and where; imported only when something is."""
        import jsonschema

        if name not in self._validators:
            self._validators[name] = jsonschema.Draft7Validator(self._schema(name))
        return self._validators[name]

    def _schema(self, name: str) -> dict:
        path = self.root / SCHEMAS_DIR / name
        raw = path.read_bytes()  # a missing or unreadable schema is an OSError, which the command line explains
        try:
            return _ending_at_the_end(json.loads(raw.decode("utf-8")))
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError("the file is not UTF-8 text", raw.decode("utf-8", "replace"), error.start) from None


def _ending_at_the_end(node: Any) -> Any:
    """The schema with each `pattern` read as JSON Schema means it (ECMAScript, as editors' YAML tooling reads
    it): there `$` is the very end of the text, while Python's `re.search`, which jsonschema uses, also lets `$`
    match before a final line break, so `^[a-z0-9-]+$` passed "zz\\n" as an id. Each `$` becomes `\\Z`."""
    if isinstance(node, list):
        return [_ending_at_the_end(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: python_pattern(value) if key == "pattern" and isinstance(value, str) else _ending_at_the_end(value)
            for key, value in node.items()}


def python_pattern(ecma: str) -> str:
    """An ECMAScript pattern for Python's `re`: each `$` that is an anchor (not escaped, not in a [...] class)
    becomes `\\Z`, which matches only at the very end, as ECMAScript's `$` does without the multiline flag."""
    out: list[str] = []
    escaped = in_class = False
    for char in ecma:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


def _inlined(schema: dict) -> dict:
    """The schema with each plain local reference (`{"$ref": "#/definitions/x"}`) replaced by what it names.

    It means the same; fastjsonschema checks an inlined definition in its caller's loop, where a referenced one
    costs a function call per item and a name built for an error that never comes (a third of the time on a
    file of 60 observations). A reference of any other kind, or one that leads back to itself, stays.
    """
    definitions = schema.get("definitions")
    if not isinstance(definitions, dict):
        return schema

    def inline(node: Any, seen: frozenset[str]) -> Any:
        if isinstance(node, list):
            return [inline(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if len(node) == 1 and isinstance(reference, str) and reference.startswith("#/definitions/"):
            name = reference.removeprefix("#/definitions/")
            if name in definitions and "/" not in name and "~" not in name and name not in seen:
                return inline(definitions[name], seen | {name})
        return {key: inline(value, seen) for key, value in node.items()}

    return inline(schema, frozenset())


class SchemaFileError(PortalError):
    """A schema in schemas/ that is JSON but not a schema the checks can use."""


def schema_problems(document: Document, schemas: Schemas, name: str, shown_as: str) -> list[Problem]:
    if not isinstance(document.data, dict):
        return [Problem(shown_as, *document.locate(()), "", "the file must be a set of 'field: value' lines")]
    if schemas.is_valid(name, document.data):
        return []
    return [_explain(error, document, shown_as) for error in schemas.validator(name).iter_errors(document.data)]


def _explain(error: jsonschema.ValidationError, document: Document, shown_as: str) -> Problem:
    path = tuple(error.absolute_path)
    line, column = document.locate(path)
    kind, expected = error.validator, error.validator_value
    name = path[-1] if path else ""
    if kind == "required":
        return _missing_field(error, document, path, shown_as)
    if kind == "additionalProperties":
        return _unknown_field(error, document, path, shown_as)
    found = error.instance
    if kind == "enum":
        message = f"must be one of {', '.join(expected)}; found {show_value(found)}"
        if path in document.yes_no_words:
            message += f" (YAML reads the word {document.yes_no_words[path]} as {show_value(found)})"
    elif kind == "type":
        message = _type_message(expected, found, document.yes_no_words.get(path))
    elif kind == "pattern":
        message = f"must be {_PATTERN_WORDS.get(str(name), 'in the documented form')}; found {show_value(found)}"
    elif kind == "minLength":
        message = "must not be empty"
    elif kind == "minItems":
        message = "must have at least one entry"
    elif kind == "minimum":
        message = f"must be at least {expected}; found {show_value(found)}"
    else:  # pragma: no cover - every keyword the schemas use is handled above
        message = error.message
    return Problem(shown_as, line, column, field_name(path), message)


def _missing_field(error: jsonschema.ValidationError, document: Document, path: tuple, shown_as: str) -> Problem:
    """At the line of the record the field belongs to; a top-level field, above the field that should follow it."""
    missing = error.message.split("'")[1]
    message = "is missing: this field is required"
    line, column = document.locate(path)
    if not path:  # the record is the whole file, whose first line says nothing about where the field goes
        order = list(error.schema.get("properties", {}))
        place = order.index(missing) if missing in order else len(order)
        following = next((name for name in order[place + 1:] if (name,) in document.key_at), None)
        preceding = next((name for name in reversed(order[:place]) if (name,) in document.key_at), None)
        if following is not None:
            line, column = document.key_at[(following,)]
            message += f"; add a line '{missing}: ...' above this one"
        elif preceding is not None:
            line, column = document.key_at[(preceding,)]
            message += f"; add a line '{missing}: ...' after this field"
    return Problem(shown_as, line, column, field_name(path + (missing,)), message)


def _unknown_field(error: jsonschema.ValidationError, document: Document, path: tuple, shown_as: str) -> Problem:
    allowed = list(error.schema.get("properties", {}))
    extra = sorted(set(error.instance) - set(allowed))[0]
    line, column = document.key_at.get(path + (extra,), document.locate(path))
    close = difflib.get_close_matches(extra, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; the fields allowed are {', '.join(allowed)}"
    return Problem(shown_as, line, column, field_name(path + (extra,)), f"is not a field this file can have{hint}")


def _type_message(expected: str | list[str], found: Any, yes_no_word: str | None) -> str:
    wanted = " or ".join(_TYPE_WORDS[t] for t in ([expected] if isinstance(expected, str) else expected))
    if yes_no_word is not None:
        return f"must be {wanted}; found {yes_no_word}, which YAML reads as {str(found).lower()}: put it in quotes, \"{yes_no_word}\""
    if isinstance(found, str) and "number" in wanted and _NUMBER_TO_OTHERS.fullmatch(found):
        return (f"must be {wanted}; found {show_value(found)}, which this portal's YAML reads as text and other YAML "
                "readers read as a number: write the number as plain digits, such as 1500")
    return f"must be {wanted}; found {show_value(found)}"


# Numbers to YAML 1.2 (editors' tools) that YAML 1.1 (the portal's reader) reads as text: 0o17, 1e3, 1.5E-2
_NUMBER_TO_OTHERS = re.compile(r"[-+]?(0o[0-7]+|([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+)")


def show_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a set of fields"
    return repr(value) if isinstance(value, str) else str(value)
