"""Options named the way the editor gives them: `REVISE=1` to make, `--revise` to crimeportal.

A message that tells an editor to run a command again with an option is only followed if it names what they
would type. The Makefile's targets set VIA_MAKE for the command they run (and for nothing else, so `make test`
does not change the tests' words); without it the editor typed crimeportal's own options.
"""

from __future__ import annotations

import os

VIA_MAKE = "CRIMEPORTAL_VIA_MAKE"

# each option a Makefile target passes on, and the variable that passes it
_MAKE_VARIABLES = {"--revise": "REVISE=1", "--check": "CHECK=1", "--replace": "REPLACE=1", "--push": "PUSH=1"}
_MAKE_TARGETS = {"validate": "make check", "add-period": "make add-period", "publish": "make publish"}
# each option that takes a value, and the variable a Makefile target passes it in
_MAKE_VALUES = {"--year": "YEAR", "--source": "SOURCE"}


def via_make() -> bool:
    return os.environ.get(VIA_MAKE) == "1"


def option(flag: str) -> str:
    """'--revise', or 'REVISE=1' when the editor ran the command through make."""
    return _MAKE_VARIABLES[flag] if via_make() else flag


def option_with(flag: str, value: str) -> str:
    """'--year 2022', or 'YEAR=2022' when the editor ran the command through make; a value with spaces is quoted."""
    shown = f'"{value}"' if " " in value else value
    return f"{_MAKE_VALUES[flag]}={shown}" if via_make() else f"{flag} {shown}"


def command(name: str, *arguments: str) -> str:
    """'crimeportal validate FILE', or 'make check' when the editor works through make (its targets take no files)."""
    return _MAKE_TARGETS[name] if via_make() else " ".join(("crimeportal", name, *arguments))
