"""The crawl state: seen ids and marks in one SQLite file that several spiders and threads share."""

from __future__ import annotations

import sqlite3
import threading
import time

from crawlers.state import STATE_FILE, CrawlState


def test_seen_ids_and_marks_round_trip(tmp_path):
    state = CrawlState(tmp_path / STATE_FILE)
    state.mark_seen("news", ["a", "b", "a"])
    state.set_marks("news", {"feed:1": "2026-11-25T00:00:00+00:00"})
    assert state.is_seen("news", "a") and not state.is_seen("playstore", "a") and state.seen_count("news") == 2
    assert state.mark("news", "feed:1") == "2026-11-25T00:00:00+00:00" and state.marks("news", "feed:") == {"feed:1": "2026-11-25T00:00:00+00:00"}
    state.close()


def test_lookups_on_the_crawl_thread_do_not_stall_behind_other_spiders_writers(tmp_path):
    """One crawl process runs several spiders, each with its own CrawlState on the same file: the
    reactor thread looks ids up while worker threads mark batches seen. A lookup must never wait
    on a connection whose writer sleeps on SQLite's lock, which (the lookup holding the GIL) also
    stalls the writer holding that lock: the crawl hung for the 30-second busy timeout, then lost
    the batch's seen marks ("database is locked")."""
    path = tmp_path / STATE_FILE
    spiders = {"news": CrawlState(path), "mastodon": CrawlState(path)}
    errors: list[Exception] = []
    batches = {name: 0 for name in spiders}
    until = time.monotonic() + 3.0

    def mark_batches(name: str) -> None:
        while time.monotonic() < until:
            try:
                spiders[name].mark_seen(name, [f"{name}-{batches[name]}-{i}" for i in range(200)])
            except sqlite3.OperationalError as exc:
                errors.append(exc)
                return
            batches[name] += 1

    workers = [threading.Thread(target=mark_batches, args=(name,)) for name in spiders]
    for worker in workers:
        worker.start()
    lookups = 0
    while time.monotonic() < until:
        spiders["mastodon"].is_seen("mastodon", f"mastodon-0-{lookups % 200}")
        lookups += 1
    for worker in workers:
        worker.join()
    assert not errors
    assert all(spiders[name].seen_count(name) == 200 * batches[name] > 0 for name in spiders)
