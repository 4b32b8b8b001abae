"""Who publishes the portal, under which licence, how to cite it and whom to contact: the `extra: portal:`
settings of mkdocs.yml, read once per build and checked like any other input.

Every page's footer, the downloads, the data package, the feed and the citations read these settings, so
the licence and the contact are stated in one place. The force must confirm them (see docs/publishing.md): until it
does, `confirmed: false` keeps a visible note on the pages that the wording is still a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from ...core.errors import PortalError

SETTINGS_KEY = "portal"  # under mkdocs.yml's `extra:`
_SAFE_SCHEMES = ("https://", "mailto:")


class SettingsError(PortalError):
    """mkdocs.yml's `extra: portal:` settings are missing a value or hold one of the wrong kind."""


@dataclass(frozen=True)
class Licence:
    name: str  # "Open Government Licence v3.0"
    identifier: str  # the SPDX-style id a data package names it by, "OGL-UK-3.0"
    url: str
    attribution: str  # the statement the licence asks re-users to give
    confirmed: bool


@dataclass(frozen=True)
class Contact:
    name: str  # who answers: "Essex Police"
    url: str  # where a reader writes to them: a web form (https://) or an address (mailto:)
    confirmed: bool


@dataclass(frozen=True)
class Publication:
    publisher: str
    licence: Licence
    contact: Contact

    @property
    def placeholder(self) -> bool:
        """True while the force has not confirmed the licence or the contact."""
        return not (self.licence.confirmed and self.contact.confirmed)

    def licence_record(self) -> dict[str, str]:
        """The licence as every JSON download carries it."""
        return {"name": self.licence.name, "id": self.licence.identifier, "url": self.licence.url,
                "attribution": self.licence.attribution}


def read_publication(extra: Mapping[str, Any]) -> Publication:
    """The settings under `extra: portal:`; a missing or malformed one stops the build with a plain message."""
    settings = _mapping(extra.get(SETTINGS_KEY), SETTINGS_KEY)
    licence = _mapping(settings.get("licence"), f"{SETTINGS_KEY}.licence")
    contact = _mapping(settings.get("contact"), f"{SETTINGS_KEY}.contact")
    return Publication(
        publisher=_text(settings, "publisher", SETTINGS_KEY),
        licence=Licence(_text(licence, "name", "licence"), _text(licence, "id", "licence"),
                        _address(licence, "url", "licence"), _text(licence, "attribution", "licence"),
                        _flag(licence, "confirmed", "licence")),
        contact=Contact(_text(contact, "name", "contact"), _address(contact, "url", "contact"),
                        _flag(contact, "confirmed", "contact")),
    )


def _where(section: str, key: str) -> str:
    return f"extra.{section}.{key}" if section == SETTINGS_KEY else f"extra.{SETTINGS_KEY}.{section}.{key}"


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SettingsError(f"mkdocs.yml needs the setting extra.{where}, a group of settings (see docs/publishing.md, "
                            "\"Licence and contact\").")
    return value


def _text(settings: Mapping[str, Any], key: str, section: str) -> str:
    value = settings.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"mkdocs.yml's setting {_where(section, key)} must be some text.")
    return value.strip()


def _address(settings: Mapping[str, Any], key: str, section: str) -> str:
    value = _text(settings, key, section)
    # the address becomes a link on every page: no javascript: or data: address can get there
    if not value.startswith(_SAFE_SCHEMES) or any(c.isspace() or c in "<>\"'" for c in value):
        raise SettingsError(f"mkdocs.yml's setting {_where(section, key)} must be an address starting https:// "
                            f"or mailto:, without spaces or quotes; it is {value!r}.")
    return value


def _flag(settings: Mapping[str, Any], key: str, section: str) -> bool:
    value = settings.get(key)
    if not isinstance(value, bool):
        raise SettingsError(f"mkdocs.yml's setting {_where(section, key)} must be true or false.")
    return value
