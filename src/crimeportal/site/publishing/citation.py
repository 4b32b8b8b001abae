"""The one citation format: the same words on the About page, every measure page, the JSON downloads and
the data package, so that a figure is cited the same way wherever a reader found it.

    Essex Police. Knife-enabled crime offences. Essex Police Crime Prevention Portal, September 2019
    release, published 20 September 2019. https://example.org/2019-09/metrics/knife-enabled-crime/

A release's address is its own frozen folder, so the citation keeps pointing at the figures as cited.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.formats import long_date
from ...releases.register import Release

PREVIEW_WORDS = "preview, not a published release"


@dataclass(frozen=True)
class Citation:
    publisher: str
    title: str  # what is cited: a measure's title, or the portal's name for the whole portal
    site_name: str
    release: Release | None  # None in a preview
    url: str

    @property
    def release_words(self) -> str:
        if self.release is None:
            return PREVIEW_WORDS
        return f"{self.release.name} release, published {long_date(self.release.published)}"

    @property
    def text(self) -> str:
        # the portal's own name is not repeated when the portal itself is what is cited
        release = self.release_words if self.title != self.site_name else _capitalised(self.release_words)
        where = "" if self.title == self.site_name else f"{self.site_name}, "
        return f"{self.publisher}. {self.title}. {where}{release}. {self.url}"

    def record(self) -> dict[str, str | None]:
        """The citation's parts, for the JSON downloads and the data package."""
        return {"text": self.text, "title": self.title, "publisher": self.publisher, "site": self.site_name,
                "release": self.release.version if self.release else None,
                "date": self.release.published if self.release else None, "url": self.url}


def _capitalised(words: str) -> str:
    return words[:1].upper() + words[1:]


def site_address(site_url: str | None, path: str) -> str:
    """`path` (from the site's root) as a full address when the site has one, else as it is."""
    return (site_url.rstrip("/") + "/" + path) if site_url else path
