"""The embedded store's SQLite side: the records themselves and the replay journal.

Every post is kept here as its JSON record, so the tantivy index can always be rebuilt from it
(``pantau index rebuild``). ``pending`` is the journal that orders the two commits: a batch is
written here (records + pending ids) in one transaction *before* the index commit, and its ids
are cleared *after*; ids still pending when a writer opens are replayed into the index. So a
crash between or inside the two commits loses nothing and duplicates nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from pantau.errors import StoreUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    published_at REAL NOT NULL,
    payload TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_published ON records (published_at);
CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class RecordDB:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the record database {path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(f"SELECT id FROM records WHERE id IN ({marks})", chunk))
        return found

    def write(self, rows: Sequence[tuple[str, float, str]]) -> None:
        """Upsert records and journal their ids as pending, in one transaction."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO records (id, published_at, payload) VALUES (?, ?, ?)", rows)
            db.executemany("INSERT OR IGNORE INTO pending (id) VALUES (?)", [(r[0],) for r in rows])
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def clear_pending(self, ids: Sequence[str]) -> None:
        self.db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in ids])

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM pending")]

    def payloads(self, ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT id, payload FROM records WHERE id IN ({marks})", chunk))
        return found

    def iter_payloads(self, batch: int = 5000) -> Iterator[list[str]]:
        last = ""
        while True:
            rows = self.db.execute("SELECT id, payload FROM records WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [r[1] for r in rows]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def span(self) -> tuple[float | None, float | None]:
        return self.db.execute("SELECT MIN(published_at), MAX(published_at) FROM records").fetchone()

    def delete_before(self, cutoff: float) -> int:
        return self.db.execute("DELETE FROM records WHERE published_at < ?", (cutoff,)).rowcount
