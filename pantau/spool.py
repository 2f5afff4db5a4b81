"""The spool: a durable on-disk queue between crawling and tagging.

SQLite in WAL mode. Producers ``put_many`` posts (one transaction a batch, so a crash never
leaves half a batch); a consumer ``claim``s a batch, which leases its items, and ``ack``s it only
after the next stage has committed. A consumer that dies leaves its lease to expire (or to be
released by ``release_claims`` when the only consumer restarts), and the items are delivered
again: at-least-once hand-off, made exactly-once in effect by consumers idempotent by post id.

A post spooled again while still pending replaces the pending copy rather than queueing twice.
Items that fail ``max_attempts`` times move to a dead-letter table with their error: kept, never
retried forever, never lost.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pantau.errors import SpoolError
from pantau.post import InvalidPost, Post

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    enqueued_at REAL NOT NULL,
    lease_owner TEXT,
    lease_until REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS items_lease ON items (lease_until, seq);
CREATE TABLE IF NOT EXISTS dead (
    post_id TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    error TEXT NOT NULL,
    failed_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Batch:
    """Posts claimed together; hand the batch back with ``ack`` or ``nack``."""

    token: str
    posts: list[Post]
    seqs: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.posts)

    def subset(self, post_ids: set[str]) -> Batch:
        """The part of this batch holding ``post_ids``, under the same lease."""
        kept = [(p, s) for p, s in zip(self.posts, self.seqs) if p.id in post_ids]
        return Batch(token=self.token, posts=[p for p, _ in kept], seqs=tuple(s for _, s in kept))


@dataclass(frozen=True)
class SpoolStats:
    pending: int
    claimed: int
    dead: int


class Spool:
    """A durable queue of :class:`Post` records in ``path`` (an SQLite file)."""

    def __init__(self, path: str | os.PathLike[str], lease_s: float = 300.0, max_attempts: int = 5) -> None:
        self.path = Path(path)
        self.lease_s = lease_s
        self.max_attempts = max_attempts
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection may serve several threads (a crawl flushes from a thread pool); a
        # transaction is the connection's, so they take turns.
        self._mutex = threading.RLock()
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise SpoolError(f"cannot open the spool at {self.path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; any SQLite failure (a full disk too) rolls the whole
        transaction back and becomes a :class:`SpoolError` that says what to do."""
        with self._mutex:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # SQLite has already rolled back what it could not write
                if isinstance(exc, sqlite3.Error):
                    raise SpoolError(_explain(self.path, exc)) from exc
                raise

    def put_many(self, posts: Iterable[Post]) -> int:
        """Spool posts atomically; a pending copy of the same post is replaced. Returns the count."""
        now = time.time()
        rows = [(p.id, json.dumps(p.to_dict(), ensure_ascii=False), now) for p in posts]
        if not rows:
            return 0
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO items (post_id, payload, enqueued_at) VALUES (?, ?, ?) "
                "ON CONFLICT(post_id) DO UPDATE SET payload = excluded.payload",
                rows,
            )
        return len(rows)

    def claim(self, limit: int, owner: str | None = None) -> Batch | None:
        """Lease up to ``limit`` unclaimed (or expired) items, oldest first; None when empty."""
        token = owner or uuid.uuid4().hex
        now = time.time()
        with self._transaction() as db:
            rows = db.execute(
                "SELECT seq, payload FROM items WHERE lease_until IS NULL OR lease_until < ? ORDER BY seq LIMIT ?",
                (now, limit),
            ).fetchall()
            if not rows:
                return None
            seqs = tuple(r[0] for r in rows)
            db.executemany(
                "UPDATE items SET lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE seq = ?",
                [(token, now + self.lease_s, s) for s in seqs],
            )
        posts, good = self._decode(rows)
        return Batch(token=token, posts=posts, seqs=good)

    def _decode(self, rows: list[tuple[int, str]]) -> tuple[list[Post], tuple[int, ...]]:
        """Undecodable payloads go to the dead-letter table instead of blocking the queue."""
        posts: list[Post] = []
        good: list[int] = []
        for seq, payload in rows:
            try:
                posts.append(Post.from_dict(json.loads(payload)))
                good.append(seq)
            except (ValueError, TypeError, InvalidPost) as exc:
                self._bury([seq], f"undecodable payload: {exc}")
        return posts, tuple(good)

    def ack(self, batch: Batch) -> None:
        """The next stage committed the batch: remove its items (only those this lease holds)."""
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM items WHERE seq = ? AND lease_owner = ?", [(s, batch.token) for s in batch.seqs]
            )

    def nack(self, batch: Batch, error: str) -> None:
        """The batch failed: release it for a retry, or bury items that failed too often."""
        with self._mutex:
            with self._transaction() as db:
                db.executemany(
                    "UPDATE items SET lease_owner = NULL, lease_until = NULL, last_error = ? WHERE seq = ? AND lease_owner = ?",
                    [(error, s, batch.token) for s in batch.seqs],
                )
            worn = [
                s for (s,) in self._db.execute(
                    f"SELECT seq FROM items WHERE attempts >= ? AND seq IN ({','.join('?' * len(batch.seqs))})",
                    (self.max_attempts, *batch.seqs),
                )
            ] if batch.seqs else []
            if worn:
                self._bury(worn, error)

    def release(self, batch: Batch) -> None:
        """Give the batch back untouched, without counting an attempt (the next stage was down,
        the posts were not at fault)."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE items SET lease_owner = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0) "
                "WHERE seq = ? AND lease_owner = ?",
                [(s, batch.token) for s in batch.seqs],
            )

    def _bury(self, seqs: list[int], error: str) -> None:
        with self._transaction() as db:
            for seq in seqs:
                db.execute(
                    "INSERT OR REPLACE INTO dead (post_id, payload, error, failed_at) "
                    "SELECT post_id, payload, ?, ? FROM items WHERE seq = ?",
                    (error, time.time(), seq),
                )
                db.execute("DELETE FROM items WHERE seq = ?", (seq,))

    def release_claims(self) -> int:
        """Release every lease: call when the only consumer (re)starts, after a crash."""
        with self._transaction() as db:
            return db.execute("UPDATE items SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL").rowcount

    def requeue_dead(self) -> int:
        """Give dead-lettered posts another chance (after the cause was fixed)."""
        with self._transaction() as db:
            moved = db.execute(
                "INSERT OR IGNORE INTO items (post_id, payload, enqueued_at) SELECT post_id, payload, ? FROM dead",
                (time.time(),),
            ).rowcount
            db.execute("DELETE FROM dead")
        return moved

    def stats(self) -> SpoolStats:
        with self._mutex:
            return self._stats()

    def _stats(self) -> SpoolStats:
        now = time.time()
        pending, claimed = self._db.execute(
            "SELECT COALESCE(SUM(lease_until IS NULL OR lease_until < ?), 0), COALESCE(SUM(lease_until >= ?), 0) FROM items",
            (now, now),
        ).fetchone()
        (dead,) = self._db.execute("SELECT COUNT(*) FROM dead").fetchone()
        return SpoolStats(pending=int(pending), claimed=int(claimed), dead=int(dead))


def _explain(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if any(sign in text for sign in ("full", "disk I/O", "too large", "readonly", "read-only")):
        return (f"cannot write the spool at {path} ({text}): the data disk is full or not writable; "
                "free space and run again (nothing was lost: the change was rolled back)")
    return f"spool {path}: {text}; nothing of this change was written"
