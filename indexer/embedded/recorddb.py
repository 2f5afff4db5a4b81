"""The embedded store's SQLite side: the records themselves and the replay journal.

Every post is kept here as its JSON record (``records.pack``: UTF-8 bytes in a BLOB; stores written
before held it as TEXT, which reads back the same), so the tantivy index can always be rebuilt from it
(``pantau index rebuild``). The journal orders the two commits: a batch's records get a fresh,
contiguous run of rowids, and that run is journalled in the same transaction, *before* the
index commit; the journal row is deleted *after* it. A writer that finds journal rows when it
starts reindexes those records. So a crash between or inside the two commits loses nothing and
duplicates nothing (the index replaces documents by record key).

Every change of the records (a write, a retention delete) bumps the ``generation`` meta counter
in its own transaction, so an interrupted ``pantau index rebuild`` can tell whether the records it
was reindexing are still the same ones (see ``rebuild.py``). The ``index_dir`` meta key names the
live index directory: a rebuild switches it, with the schema version, in one transaction.

Records are appended (an upsert deletes the old row and appends the new one), which keeps bulk
writes sequential. Posts are found by ``key``, a 64-bit hash of the post id, rather than by an
index on the id text itself: ids are hashes, so every batch of new posts lands all over that
index and dirties nearly every page of it, which SQLite then writes twice (WAL, checkpoint). An
index of 8-byte keys is a third of the size, and at a million posts halves the cost of a write.
Stores made before it are migrated when opened (one transaction). there is deliberately no index on ``published_at``: retention and the
oldest/newest of ``stats`` scan, once in a while, rather than every write paying for it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from itertools import chain
from collections.abc import Iterator, Sequence
from pathlib import Path

from pantau.errors import StoreUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY,
    key INTEGER NOT NULL,
    id TEXT NOT NULL,
    published_at REAL NOT NULL,
    payload NOT NULL
);
CREATE INDEX IF NOT EXISTS records_key ON records (key);
CREATE TABLE IF NOT EXISTS journal (first INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_AUTOCHECKPOINT = 1000  # SQLite's default, in pages
_MAX_PARAMS = 20_480  # host parameters a statement (SQLite's own limit may be lower: 999 before 3.32)
_BUMP = ("INSERT INTO meta (key, value) VALUES ('generation', '1') "
         "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


_MIGRATE = """
CREATE TABLE records_keyed (seq INTEGER PRIMARY KEY, key INTEGER NOT NULL, id TEXT NOT NULL,
                            published_at REAL NOT NULL, payload NOT NULL);
INSERT INTO records_keyed SELECT seq, pantau_record_key(id), id, published_at, payload FROM records;
DROP TABLE records;
ALTER TABLE records_keyed RENAME TO records;
"""


def record_key(post_id: str) -> int:
    """The signed 64-bit lookup key of a post id (collisions are told apart by the id column)."""
    return int.from_bytes(hashlib.blake2b(post_id.encode(), digest_size=8).digest(), "big", signed=True)


def _migrate(db: sqlite3.Connection) -> None:
    """Give a store made before ``key`` existed (``id TEXT UNIQUE``) the keyed table, in one transaction."""
    columns = [row[1] for row in db.execute("PRAGMA table_info(records)")]
    if not columns or "key" in columns:
        return
    db.create_function("pantau_record_key", 1, record_key, deterministic=True)
    db.executescript(f"BEGIN IMMEDIATE;{_MIGRATE}COMMIT;")


class RecordDB:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")
            self._checkpointer: sqlite3.Connection | None = None
            self._params = min(_MAX_PARAMS, self.db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
            _migrate(self.db)
            self.db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the record database {path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()
        if self._checkpointer is not None:
            self._checkpointer.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))

    def _by_key(self, columns: str, keys: Sequence[int]) -> Iterator[tuple]:
        """Rows (``columns``) of the records with these keys."""
        for start in range(0, len(keys), self._params):
            chunk = keys[start:start + self._params]
            yield from self.db.execute(f"SELECT {columns} FROM records WHERE key IN ({','.join('?' * len(chunk))})", chunk)

    def existing(self, ids: Sequence[str], keys: Sequence[int] | None = None) -> set[str]:
        """The ids among ``ids`` already stored; ``keys``: their record keys, when the caller has them."""
        wanted = set(ids)
        found = self._by_key("id", keys if keys is not None else [record_key(i) for i in wanted])
        return {row[0] for row in found if row[0] in wanted}

    def write(self, rows: Sequence[tuple[str, float, str | bytes]], existing: set[str] | None = None) -> tuple[int, int]:
        """Upsert ``(id, published_at, payload)`` rows (distinct ids) and journal them, in one transaction.

        ``existing``: the ids among them already stored, when the caller has just looked them up.
        """
        first = self.begin()
        try:
            if existing is None:
                existing = self.existing([row[0] for row in rows])
            self.insert([(first + i, record_key(row[0]), *row) for i, row in enumerate(rows)],
                        [(record_key(i), i) for i in existing])
            self.finish(first, first + len(rows) - 1)
        except BaseException:
            self.abort()
            raise
        return first, first + len(rows) - 1

    # A write in steps, for a caller that streams a batch in (the embedded store's put_many):
    # begin() -> insert() ... -> finish(first, last), or abort() on any failure.
    def begin(self) -> int:
        """Open the write transaction; returns the first fresh ``seq`` (never reused) for its rows."""
        self.db.execute("BEGIN IMMEDIATE")
        return self.db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM records").fetchone()[0]

    def insert(self, rows: Sequence[tuple[int, int, str, float, str | bytes]], replaced: Sequence[tuple[int, str]] = ()) -> None:
        """Within the transaction: drop the ``(key, id)`` records being replaced, add ``(seq, key, id, published_at, payload)`` rows."""
        if replaced:
            self.db.executemany("DELETE FROM records WHERE key = ? AND id = ?", replaced)
        # Many rows a statement: binding them all takes the GIL once, and the insert itself runs
        # without it, where executemany takes it back for every row (a thread that writes records
        # while the main thread runs Python then waits for the GIL at each row).
        per = max(1, self._params // 5)
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            self.db.execute("INSERT INTO records (seq, key, id, published_at, payload) VALUES "
                            + ",".join(["(?,?,?,?,?)"] * len(part)), list(chain.from_iterable(part)))

    def finish(self, first: int, last: int) -> None:
        """Journal the run ``first..last`` written in this transaction and commit it, leaving the
        WAL to :meth:`checkpoint` (the commit does not wait for the copy into the database file)."""
        db = self.db
        db.execute("INSERT INTO journal (first, last) VALUES (?, ?)", (first, last))
        db.execute(_BUMP)
        db.execute("PRAGMA wal_autocheckpoint=0")
        try:
            db.execute("COMMIT")
        finally:
            db.execute(f"PRAGMA wal_autocheckpoint={_AUTOCHECKPOINT}")

    def checkpoint(self) -> None:
        """Copy the WAL into the database file (a passive checkpoint, through a connection of its
        own, so a helper thread can run it while this connection goes on)."""
        if self._checkpointer is None:
            self._checkpointer = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def abort(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def settle(self, first: int, last: int) -> None:
        """The index committed records ``first..last``: drop their journal entry."""
        self.db.execute("DELETE FROM journal WHERE first = ? AND last = ?", (first, last))

    def journal(self) -> list[tuple[int, int]]:
        return self.db.execute("SELECT first, last FROM journal ORDER BY first").fetchall()

    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    def index_meta(self) -> dict[str, str]:
        """The keys that say which index serves: ``index_dir``, ``schema_version``, ``needs_rebuild``."""
        return dict(self.db.execute(
            "SELECT key, value FROM meta WHERE key IN ('index_dir', 'schema_version', 'needs_rebuild')").fetchall())

    def switch_index(self, index_dir: str, schema_version: int) -> None:
        """Make ``index_dir`` the live index in one transaction; it holds every record, so the journal goes too."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           [("index_dir", index_dir), ("schema_version", str(schema_version))])
            db.execute("DELETE FROM meta WHERE key IN ('needs_rebuild', 'rebuild')")
            db.execute("DELETE FROM journal")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def payloads_between(self, first: int, last: int) -> list[tuple[int, str | bytes]]:
        """``(key, payload)`` of the records ``first..last``."""
        return self.db.execute("SELECT key, payload FROM records WHERE seq BETWEEN ? AND ?", (first, last)).fetchall()

    def payloads(self, ids: Sequence[str]) -> dict[str, str | bytes]:
        wanted = set(ids)
        return {row[0]: row[1] for row in self._by_key("id, payload", [record_key(i) for i in wanted]) if row[0] in wanted}

    def payloads_by_key(self, keys: Sequence[int]) -> dict[int, str | bytes]:
        """The payloads of the records with these keys (for two records sharing a key, which a 64-bit
        hash of the ids makes vanishingly rare, one of them)."""
        return dict(self._by_key("key, payload", list(set(keys))))

    def seq_at(self, offset: int) -> int:
        """The ``seq`` of the record at 0-based position ``offset`` in ``seq`` order (0 before the first)."""
        if offset < 0:
            return 0
        row = self.db.execute("SELECT seq FROM records ORDER BY seq LIMIT 1 OFFSET ?", (offset,)).fetchone()
        return row[0] if row else 0

    def iter_payloads(self, after: int = 0, batch: int = 5000) -> Iterator[list[tuple[int, str | bytes]]]:
        """``(key, payload)`` of the records with ``seq > after``, in ``seq`` order, ``batch`` at a time."""
        last = after
        while True:
            rows = self.db.execute("SELECT seq, key, payload FROM records WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [r[1:] for r in rows]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]

    def span(self) -> tuple[float | None, float | None]:
        return self.db.execute("SELECT MIN(published_at), MAX(published_at) FROM records").fetchone()

    def delete_before(self, cutoff: float) -> int:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            deleted = db.execute("DELETE FROM records WHERE published_at < ?", (cutoff,)).rowcount
            if deleted:
                db.execute(_BUMP)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return deleted
