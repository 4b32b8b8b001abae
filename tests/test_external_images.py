"""One rule for what a page may load: the site's own files and data: images. Every way an editor could write an
image from another host, in every kind of page, is refused by validate at its line, and by the build; the
published HTML never loads one."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.site.escaping import sanitised
from payloads import EXTERNAL_IMAGE_FORMS, EXTERNAL_URLS


# Every kind of page an editor writes: a strand page (which the board report is also made from), an About page
# and the home page.
CONTENT_PAGES = ["content/strands/domestic-abuse.md", "content/about/index.md", "content/index.md"]


@pytest.mark.parametrize("url", EXTERNAL_URLS)
@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_validate_refuses_every_external_image_form_at_its_line(portal_copy: Path, run_cli, page: str, url: str):
    path = portal_copy / page
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    expected: list[int] = []
    for form in EXTERNAL_IMAGE_FORMS:
        line = text.count("\n") + 2
        text += "\n" + form.format(url=url) + "\n"
        expected.append(line)
    # code, comments and links are not loaded: never refused
    text += "\n`<img src=\"https://x.example/a.png\">`\n\n```\n![x](https://x.example/a.png)\n```\n\n"
    text += "<!-- ![x](https://x.example/a.png) -->\n\n[a link](https://x.example/) and ![ours](../images/a.png)\n"
    path.write_text(text, encoding="utf-8")
    result = run_cli(portal_copy)
    assert result.code == 1
    found = [line for line in result.lines if line.startswith(page + ":") and "another website" in line]
    assert [int(line.split(":")[1]) for line in found] == expected, "\n".join(result.lines)
    assert all("content/images/" in line and "Traceback" not in line for line in found)


@pytest.mark.parametrize("url", EXTERNAL_URLS)
def test_the_published_html_never_loads_from_another_host(url: str):
    for form in EXTERNAL_IMAGE_FORMS[:6]:  # the HTML forms; Markdown's become <img src> before sanitising
        html = sanitised(form.replace("{url}", url))
        assert "tracker.example" not in html, html
    assert "tracker.example" not in sanitised(f'<p><img src="{url}" alt="x"></p>')
    assert sanitised('<img src="../images/a.png" alt="x">') == '<img src="../images/a.png" alt="x">'


def test_the_build_refuses_an_external_image_with_the_same_message(portal_copy: Path, run_console):
    page = portal_copy / "content" / "about" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![pixel](https://tracker.example/p.gif)\n", encoding="utf-8")
    result = run_console("--root", str(portal_copy), "build")
    assert result.code == 1
    assert "content/about/index.md" in result.stderr and "another website" in result.stderr
    assert not (portal_copy / "site").exists()
