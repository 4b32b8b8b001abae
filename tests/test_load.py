"""The quick reader must never accept what the careful one would read differently or report."""

from __future__ import annotations

from pathlib import Path

import pytest

from crimeportal.source.load import parse_yaml, quick_load

pytestmark = pytest.mark.editor  # runs on Windows too (pytest -m editor)

REPO = Path(__file__).resolve().parents[1]

SNIPPETS = [
    "a: no", "a: Off", "a: yes", "a: 1\na: 2", "a: .nan", "a: -.inf", "a: 017", "a: 1e3", "a: 1_000", "a: 0x1A",
    "a: 2:56", "a: [1, no]", "a: '017'", 'a: "no"', "a: 2019-09-12", "a: 12", "a: -3", "a: +3", "a: 46.28",
    "a: true", "a: null", "a: ~", "a:", "- end: 2019-07\n  value: 176", "a: &x 1\nb: *x", "a:\n\t- 1",
    "a: !!python/name:os.system x", "a: {b: 1, c: [2, 3]}", "a: 'it''s'", "a: |\n  two\n  lines\n",
    "a: -.5e-3", "a: .5e3", "a: 1.0e+400", "a: " + "9" * 40, "a: 18446744073709551617", "a: " + "[" * 30 + "]" * 30,
    "a: =", "a: <<", "a: 0b101", "a: 0o17",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_quick_reading_agrees_with_careful_reading_or_declines(text):
    quick = quick_load(text)
    document, problems = parse_yaml(text, "x.yml")
    if quick is not None:
        assert not problems and document is not None and document.data == quick
        assert [type(v) for v in _leaves(quick)] == [type(v) for v in _leaves(document.data)]


@pytest.mark.parametrize("text", ["a: no", "a: 1\na: 2", "a: .nan", "a: 017", "a: &x 1\nb: *x", "a:\n\t- 1"])
def test_traps_are_left_to_the_careful_reader(text):
    assert quick_load(text) is None


def test_every_real_metric_file_is_read_the_same_both_ways():
    for path in sorted((REPO / "data" / "metrics").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        quick = quick_load(text)
        assert quick is not None, path
        assert quick == parse_yaml(text, path.name)[0].data


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value
