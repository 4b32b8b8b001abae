"""The live preview's file watching and what a measure's page is rebuilt from (site/preview.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from crimeportal.site import preview
from crimeportal.source.validate import check_portal

REPO = Path(__file__).resolve().parents[1]


def _server(tmp_path: Path) -> LiveReloadServer:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    (tmp_path / "watched").mkdir()
    (tmp_path / "watched" / "page.md").write_text("# A page\n", encoding="utf-8")
    server.watch(str(tmp_path / "watched"))
    return server


def _wants_rebuild_within(server: LiveReloadServer, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.01)
    return False


def test_a_save_is_seen_at_once_and_reading_a_file_starts_no_build(tmp_path):
    server = preview.watch_natively(_server(tmp_path))
    assert not isinstance(server.observer, PollingObserver)
    assert list(server._watched_paths) == [str(tmp_path / "watched")]
    server.observer.start()
    try:
        time.sleep(0.2)
        (tmp_path / "watched" / "page.md").read_text(encoding="utf-8")  # as every build reads it
        assert not _wants_rebuild_within(server, 0.5)
        (tmp_path / "watched" / "page.md").write_text("# A page, edited\n", encoding="utf-8")
        assert _wants_rebuild_within(server, 0.3)  # polling would take up to half a second
    finally:
        server.observer.stop()
        server.observer.join()


def test_where_the_system_refuses_notifications_the_server_polls_as_before(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(preview._SavesOnly, "schedule", refuse)
    server = preview.watch_natively(_server(tmp_path))
    assert isinstance(server.observer, PollingObserver)
    assert list(server._watched_paths) == [str(tmp_path / "watched")]
    assert len(server.observer.emitters) == 1


def test_a_measures_page_is_made_from_its_strands_front_matter_not_its_text():
    portal = check_portal(REPO).portal
    sources = preview.source_digests(REPO) | preview.strand_facts(portal)
    metric = next(m for m in portal.metrics if m.path)
    made_from = preview.PageSources(portal, sources, REPO).of(f"metrics/{metric.id}.md")
    assert made_from is not None
    assert preview.strand_facts_name(metric.strand) in made_from
    assert f"content/strands/{metric.strand}.md" not in made_from
    # and the strand's page is still made from its text
    strand_page = preview.PageSources(portal, sources, REPO).of(f"strands/{metric.strand}.md")
    assert strand_page is not None and f"content/strands/{metric.strand}.md" in strand_page


@pytest.mark.parametrize("field", ["title", "summary", "status"])
def test_a_change_to_a_strands_front_matter_changes_its_facts(field):
    portal = check_portal(REPO).portal
    strand = portal.strands[0]
    before = preview.strand_facts(portal)[preview.strand_facts_name(strand.id)]
    setattr(strand, field, getattr(strand, field) + " (changed)")
    assert preview.strand_facts(portal)[preview.strand_facts_name(strand.id)] != before
