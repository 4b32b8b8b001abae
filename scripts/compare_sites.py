"""Compare two built sites page by page, as a reader's browser would parse them.

    python scripts/compare_sites.py [--theme-upgrade] OLD_SITE NEW_SITE

Each HTML page is parsed into its elements, their attributes and their text;
whitespace is collapsed and entities decoded, so `&#x27;` and `'`, or a line
break between two tags, count as the same. Anything else that differs is
printed, page by page; the exit code is 1 if any page differs. Used to show that
a refactor changed nothing a reader sees.

--theme-upgrade: Material names its bundle, search worker and stylesheets with a
hash of their content (bundle.79ae519e.min.js), so a new Material release changes
every page's links to them and nothing else need change. With this option those
names are compared without the hash; the assets themselves are Material's to
change, and its changelog says how.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Material's own assets, named with a hash of their content: assets/javascripts/bundle.79ae519e.min.js,
# assets/javascripts/workers/search.2c215733.min.js, assets/stylesheets/main.484c7ddc.min.css
_THEME_ASSET = re.compile(r"(assets/(?:javascripts|stylesheets)/(?:workers/)?[\w-]+)\.[0-9a-f]{8}(\.min\.(?:js|css))")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Outline(HTMLParser):
    """A page as a flat list of events: ('<tag', sorted attributes), ('text', words), ('>tag',)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        words = " ".join("".join(self._text).split())
        if words:
            self.events.append(("text", words))
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.events.append(("<" + tag, tuple(sorted((name, " ".join((value or "").split())) for name, value in attrs))))
        if tag in _VOID:
            self.events.append((">" + tag,))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.events.append((">" + tag,))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self._flush()
        self.events.append((">" + tag,))

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def outline(html: str) -> list[tuple]:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser.events


def differences(old: Path, new: Path, theme_upgrade: bool = False) -> list[str]:
    """One line per page that is missing, added, or parses differently (with the first event that differs);
    with `theme_upgrade`, the hashes in the names of Material's assets are left out."""
    def read(page: Path) -> str:
        html = page.read_text(encoding="utf-8")
        return _THEME_ASSET.sub(r"\1\2", html) if theme_upgrade else html

    old_pages = {p.relative_to(old).as_posix() for p in old.rglob("*.html")}
    new_pages = {p.relative_to(new).as_posix() for p in new.rglob("*.html")}
    lines = [f"only in {old}: {page}" for page in sorted(old_pages - new_pages)]
    lines += [f"only in {new}: {page}" for page in sorted(new_pages - old_pages)]
    for page in sorted(old_pages & new_pages):
        before = outline(read(old / page))
        after = outline(read(new / page))
        if before != after:
            at = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
            lines.append(f"{page}: differs at element {at}: {before[at:at + 2]} -> {after[at:at + 2]}")
    return lines


def main(argv: list[str]) -> int:
    theme_upgrade = "--theme-upgrade" in argv
    argv = [arg for arg in argv if arg != "--theme-upgrade"]
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lines = differences(Path(argv[0]), Path(argv[1]), theme_upgrade)
    print("\n".join(lines) if lines else "The two sites parse to the same pages.")
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
