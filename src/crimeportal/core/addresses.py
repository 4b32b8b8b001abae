"""The one rule for what a page may load: the site's own files and `data:` images, nothing from another host.

The portal promises readers that nothing it serves comes from elsewhere: no other host learns who reads a page,
and every page works offline and from a frozen release. Links to other sites are fine (the reader chooses to
follow them); an image, a video's poster or any other thing a browser fetches by itself is not. Editors' pages
are checked against this rule by `validate` (source/pages.py), and the HTML the build publishes is held to it
again (site/escaping.py), so a form the check did not foresee is dropped rather than published.
"""

from __future__ import annotations

import html
import re

# Attributes through which a browser fetches something by itself when the page is shown. `href` loads only on
# these elements (on <a> and <area> it is a link, which a reader follows or not).
LOADING_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc", "longdesc",
                                "formaction", "xlink:href"})
LOADING_HREF_TAGS = frozenset({"link", "image", "use", "feimage", "script", "base"})

# Schemes that name no other host: a `data:` image is inside the page itself; a script link or the like is no
# fetch from elsewhere (the sanitiser and the checks on script deal with those, and validate leaves them to it).
_FETCH_FROM_NO_HOST = frozenset({"data", "javascript", "vbscript", "about", "blob", "mailto", "tel"})
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
# Browsers drop ASCII tabs and line breaks anywhere in an address, and spaces and controls around it.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20]")


def from_elsewhere(address: str) -> bool:
    """Whether loading `address` (as written in a page; entities allowed) would fetch from another host.

    Read as a browser reads it: entities decoded, tabs, line breaks and surrounding spaces dropped, a backslash
    taken for a slash (so `\\\\host/x` is `//host/x`). What is left may be a path in the site or a `data:`
    URL; any scheme that reaches a host (https:, ftp:, file:, even `https:host/x` without slashes, which
    browsers read as `https://host/x`) and any `//host` address is from elsewhere."""
    text = _IGNORED_BY_BROWSERS.sub("", html.unescape(html.unescape(address))).replace("\\", "/")
    if text.startswith("//"):
        return True
    scheme = _SCHEME.match(text)
    return scheme is not None and scheme[0].lower().rstrip(":") not in _FETCH_FROM_NO_HOST


def srcset_from_elsewhere(srcset: str) -> bool:
    """Whether any candidate of a `srcset` (addresses each followed by a width or density, comma-separated)
    would come from another host."""
    return any(from_elsewhere(candidate.split()[0]) for candidate in html.unescape(srcset).split(",")
               if candidate.split())


def loads_from_elsewhere(tag: str, attribute: str, value: str) -> bool:
    """Whether this attribute of this element makes the browser fetch from another host by itself."""
    attribute, tag = attribute.lower(), tag.lower()
    if attribute in ("srcset", "imagesrcset"):
        return srcset_from_elsewhere(value)
    if attribute in LOADING_ATTRIBUTES or (attribute == "href" and tag in LOADING_HREF_TAGS):
        return from_elsewhere(value)
    return False


def shown_address(address: str, most: int = 80) -> str:
    """An address as a message may quote it: on one line, controls shown as '?', cut to `most` characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", "?", html.unescape(address).strip())
    return text if len(text) <= most else text[: most - 1] + "…"
