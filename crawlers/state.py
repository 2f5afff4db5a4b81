"""Cross-run crawl state: which posts each source already delivered, and its high-water marks.

scrapy-deltafetch no longer works with current Scrapy, so this is Pantau's own, in SQLite in
the data directory (``crawl-state.sqlite3``). A post is marked seen only after the spool has
committed it, and a source's marks (newest id or time read) move only after its run flushed,
so a crash re-delivers (the spool is idempotent by post id) rather than loses.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

STATE_FILE = "crawl-state.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (source, post_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS marks (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;
"""


class CrawlState:
    """Seen post ids and high-water marks per source (one SQLite file, WAL, safe across processes)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Two connections: lookups (the spider's thread) and writes (worker threads, one at a
        # time under the mutex). Python's sqlite3 calls some SQLite functions holding the GIL; a
        # lookup on a connection whose writer sleeps on SQLite's lock (another spider's writer
        # holds it) then blocks holding the GIL, and that other writer cannot get the GIL to
        # commit: every thread stalls until the 30-second busy timeout ("database is locked").
        # Lookups never wait on a lock in WAL mode, so on their own connection they never stall.
        self._writer = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._writer.execute("PRAGMA journal_mode=WAL")
        self._writer.executescript(_SCHEMA)
        self._reader = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._mutex = threading.RLock()

    def close(self) -> None:
        self._reader.close()
        self._writer.close()

    def is_seen(self, source: str, post_id: str) -> bool:
        row = self._reader.execute("SELECT 1 FROM seen WHERE source = ? AND post_id = ?", (source, post_id)).fetchone()
        return row is not None

    def mark_seen(self, source: str, post_ids: Iterable[str]) -> None:
        now = time.time()
        rows = [(source, pid, now) for pid in post_ids]
        if not rows:
            return
        with self._mutex:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                self._writer.executemany("INSERT OR IGNORE INTO seen (source, post_id, seen_at) VALUES (?, ?, ?)", rows)
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")

    def seen_count(self, source: str) -> int:
        (count,) = self._reader.execute("SELECT COUNT(*) FROM seen WHERE source = ?", (source,)).fetchone()
        return int(count)

    def mark(self, source: str, key: str) -> str | None:
        """The high-water mark ``key`` of ``source`` (a newest id, cursor or ISO time), if any."""
        row = self._reader.execute("SELECT value FROM marks WHERE source = ? AND key = ?", (source, key)).fetchone()
        return row[0] if row else None

    def marks(self, source: str, prefix: str = "") -> dict[str, str]:
        """Every mark of ``source`` whose key starts with ``prefix`` (e.g. the backfill points)."""
        rows = self._reader.execute("SELECT key, value FROM marks WHERE source = ? AND substr(key, 1, ?) = ?",
                                (source, len(prefix), prefix)).fetchall()
        return dict(rows)

    def set_marks(self, source: str, marks: dict[str, str]) -> None:
        now = time.time()
        with self._mutex:
            self._writer.executemany(
                "INSERT INTO marks (source, key, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                [(source, key, value, now) for key, value in marks.items()],
            )
