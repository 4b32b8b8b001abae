"""The board report: strand text moved into one page, its headings and links still right."""

from __future__ import annotations

import subprocess
import sys

from html_tree import parse
from pathlib import Path

from crimeportal.site.pages.board_report import demote_headings, rebase_links

CRIMEPORTAL = Path(sys.executable).parent / "crimeportal"


def test_headings_move_down_one_level_except_inside_code():
    text = "## Update\n\n### Detail\n\n```\n## not a heading\n```\n\n###### deepest stays\n#hashtag\n"
    assert demote_headings(text) == ("### Update\n\n#### Detail\n\n```\n## not a heading\n```\n\n"
                                      "###### deepest stays\n#hashtag\n")


def test_links_written_from_the_strands_folder_work_from_the_top():
    text = ("See [judging](../about/how-we-judge-change.md#tests), [knife crime](gangs-and-knife-crime.md), "
            "[below](#what-comes-next), [the force](https://www.example.org/x), [mail](mailto:a@example.org) "
            "and ![map](map.png).\n\n[ref]: ../data.md\n")
    assert rebase_links(text, "hate-crime") == (
        "See [judging](about/how-we-judge-change.md#tests), [knife crime](strands/gangs-and-knife-crime.md), "
        "[below](strands/hate-crime.md#what-comes-next), [the force](https://www.example.org/x), "
        "[mail](mailto:a@example.org) and ![map](strands/map.png).\n\n[ref]: data.md\n")


def test_a_strand_with_links_and_a_metric_marker_builds_strictly_into_the_report(portal_copy: Path, replace_in):
    replace_in("content/strands/hate-crime.md", "## What comes next\n",
               "See [how we judge change](../about/how-we-judge-change.md) and [what comes next](#what-comes-next).\n\n"
               "<!-- metric: hate-crime-solved-outcomes -->\n\n## What comes next\n")
    result = subprocess.run([str(CRIMEPORTAL), "build"], cwd=portal_copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = (portal_copy / "site" / "board-report" / "index.html").read_text(encoding="utf-8")
    section = report[report.index('id="hate-crime"'):report.index('id="serious-and-organised-crime"')]
    assert 'href="../about/how-we-judge-change/"' in section
    assert 'href="../strands/hate-crime/#what-comes-next"' in section
    headings = [h.text for h in parse(section).find_all("h3") if h.attrs.get("id", "").startswith("what-comes-next")]
    assert headings and headings[0].startswith("What comes next"), "the strand's ## is a ### in the report"
    # the measure appears once, under Measures, not again where the marker was
    assert section.count("<caption>Hate crime solved outcomes: figures by period</caption>") == 1
