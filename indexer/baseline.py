"""A SQLite FTS5 index of the same posts: the baseline ``pantau bench index`` measures against.

Built the way a careful developer would use SQLite alone: records in a table, an FTS5 table
over title and text sharing its rowid, BM25 ranking, ``snippet()`` for highlights and GROUP BY
for the day x sentiment aggregation (days in the province's fixed UTC offset).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from pantau.post import Post
from indexer import records as rec


class Fts5Baseline:
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS posts (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, published_at REAL,
                sentiment TEXT, payload TEXT);
            CREATE INDEX IF NOT EXISTS posts_published ON posts (published_at);
            CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(body);
        """)
        self.rows = self.db.execute("SELECT COUNT(*) FROM posts").fetchone()[0]

    def put_many(self, posts: Sequence[Post]) -> None:
        start = self.rows + 1
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO posts (rowid, id, published_at, sentiment, payload) VALUES (?, ?, ?, ?, ?)",
            [(start + i, p.id, p.published_at.timestamp(), p.sentiment.label if p.sentiment else None, rec.pack(p))
             for i, p in enumerate(posts)])
        self.db.executemany("INSERT INTO fts (rowid, body) VALUES (?, ?)", [(start + i, f"{p.text}\n{p.title or ''}") for i, p in enumerate(posts)])
        self.db.execute("COMMIT")
        self.rows += len(posts)

    def search(self, word: str, start: datetime, end: datetime, size: int = 20) -> tuple[int, list[tuple[Post, str]]]:
        args = (f'"{word}"', start.timestamp(), end.timestamp())
        where = "fts MATCH ? AND p.published_at >= ? AND p.published_at < ?"
        total = self.db.execute(f"SELECT COUNT(*) FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE {where}", args).fetchone()[0]
        rows = self.db.execute(
            f"SELECT p.payload, snippet(fts, 0, '<mark>', '</mark>', '…', 24) FROM fts JOIN posts p ON p.rowid = fts.rowid "
            f"WHERE {where} ORDER BY fts.rank LIMIT ?", (*args, size)).fetchall()
        return total, [(rec.decode(payload), snip) for payload, snip in rows]

    def day_by_sentiment(self, word: str, offset_s: int) -> list[tuple[int, str, int]]:
        return self.db.execute(
            "SELECT CAST((p.published_at + ?) / 86400 AS INTEGER) AS day, p.sentiment, COUNT(*) "
            "FROM fts JOIN posts p ON p.rowid = fts.rowid WHERE fts MATCH ? GROUP BY day, p.sentiment",
            (offset_s, f'"{word}"')).fetchall()

    def close(self) -> None:
        self.db.close()
