"""A fault of Material's base.html that no override can reach, mended in the built HTML.

Material (9.8.2) writes its drawer and search toggles straight into base.html's <body>, outside any Jinja block,
so `overrides/` cannot change them short of copying the whole base template (which would then silently miss
every fix of a Material upgrade). The Nu HTML Checker faults them on every page:

- `autocomplete="off"` on a checkbox: HTML allows autocomplete only on text-like inputs. Material sets it so that
  Firefox does not restore an open drawer on Back; without it Firefox may, which a click closes.

Each mend replaces Material's exact text, and a page without that text is left as it is: `tests/test_vnu.py`
fails when an upgrade brings the fault back in another form.
"""

from __future__ import annotations

_TOGGLES = (
    ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'),
    ('<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">'),
)


def mend(html: str) -> str:
    """The page with Material's invalid markup replaced by its valid equivalent."""
    for fault, mended in _TOGGLES:
        html = html.replace(fault, mended, 1)
    return html
