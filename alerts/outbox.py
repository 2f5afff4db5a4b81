"""The alert outbox: SQLite in the data directory (``alerts.sqlite3``).

Every notice is written (keyed by rule, scope and window) together with the emails that carry
it, in one transaction, before anything is sent. Delivery claims due emails, sends them and marks
them sent; a failure schedules a retry with doubling backoff (1 minute up to 1 hour), forever,
so nothing is lost while the mail server is down. A notice key already present is never queued
again, which is what makes a repeated ``alerts check`` send nothing twice. (If the process dies
between the server's "250 OK" and the mark, the message is re-sent after the claim expires with
the same Message-ID, so a mail client can still fold the two.)

The same database keeps each rule's episode state (cooldown), the watch-term posts already
reported and the daily digests sent, and is the history behind ``pantau alerts history``
(alert notices only; the dashboard reads it too).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from alerts.cooldown import QUIET, EpisodeState

FILE_NAME = "alerts.sqlite3"
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
CLAIM_TIMEOUT = timedelta(minutes=10)
SCHEMA = """
CREATE TABLE IF NOT EXISTS notices (key TEXT PRIMARY KEY, rule TEXT NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, recipient TEXT NOT NULL,
    subject TEXT NOT NULL, mime BLOB NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL, claimed_at TEXT, last_error TEXT, created_at TEXT NOT NULL, sent_at TEXT);
CREATE TABLE IF NOT EXISTS message_notices (message_id INTEGER NOT NULL, notice_key TEXT NOT NULL,
    PRIMARY KEY (message_id, notice_key));
CREATE TABLE IF NOT EXISTS rule_state (rule TEXT NOT NULL, scope TEXT NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (rule, scope));
CREATE TABLE IF NOT EXISTS digests (key TEXT PRIMARY KEY, agency TEXT NOT NULL, date TEXT NOT NULL,
    created_at TEXT NOT NULL, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_seen (rule TEXT NOT NULL, post_id TEXT NOT NULL, seen_at TEXT NOT NULL,
    PRIMARY KEY (rule, post_id));
CREATE INDEX IF NOT EXISTS messages_due ON messages (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS notices_time ON notices (created_at);
"""


@dataclass(frozen=True)
class Message:
    id: int
    key: str
    recipient: str
    subject: str
    mime: bytes
    attempts: int


@dataclass(frozen=True)
class HistoryRow:
    key: str
    rule: str
    kind: str
    created_at: datetime
    payload: dict
    deliveries: list[tuple[str, str, int]]  # (recipient, status, attempts)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


class Outbox:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing notices and messages (call inside one transaction) ---------------------------
    def has_notice(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM notices WHERE key = ?", (key,)).fetchone() is not None

    def add_notice(self, key: str, rule: str, kind: str, payload: dict, now: datetime) -> bool:
        """Record a notice; False (and nothing written) when its key is already there."""
        cur = self.db.execute("INSERT OR IGNORE INTO notices VALUES (?, ?, ?, ?, ?)",
                              (key, rule, kind, _iso(now), json.dumps(payload, ensure_ascii=False)))
        return cur.rowcount == 1

    def has_digest(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM digests WHERE key = ?", (key,)).fetchone() is not None

    def add_digest(self, key: str, agency: str, date: str, payload: dict, now: datetime) -> bool:
        """Record a daily digest (kept apart from alert notices); False when already there."""
        cur = self.db.execute("INSERT OR IGNORE INTO digests VALUES (?, ?, ?, ?, ?)",
                              (key, agency, date, _iso(now), json.dumps(payload, ensure_ascii=False)))
        return cur.rowcount == 1

    def enqueue(self, key: str, recipient: str, subject: str, mime: bytes, notice_keys: list[str], now: datetime) -> bool:
        cur = self.db.execute(
            "INSERT OR IGNORE INTO messages (key, recipient, subject, mime, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (key, recipient, subject, mime, _iso(now), _iso(now)))
        if cur.rowcount != 1:
            return False
        self.db.executemany("INSERT OR IGNORE INTO message_notices VALUES (?, ?)", [(cur.lastrowid, k) for k in notice_keys])
        return True

    # -- delivery -----------------------------------------------------------------------------
    def claim_due(self, now: datetime, limit: int = 100) -> list[Message]:
        """Due messages, claimed so a second sender running at the same time skips them."""
        stale = _iso(now - CLAIM_TIMEOUT)
        with self.transaction():
            rows = self.db.execute(
                "SELECT id, key, recipient, subject, mime, attempts FROM messages WHERE next_attempt_at <= ? AND "
                "(status = 'pending' OR (status = 'sending' AND claimed_at < ?)) ORDER BY id LIMIT ?",
                (_iso(now), stale, limit)).fetchall()
            self.db.executemany("UPDATE messages SET status = 'sending', claimed_at = ? WHERE id = ?",
                                [(_iso(now), r[0]) for r in rows])
        return [Message(*r) for r in rows]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self.db.execute("UPDATE messages SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL "
                        "WHERE id = ?", (_iso(now), message_id))

    def mark_failed(self, message_id: int, error: str, now: datetime) -> datetime:
        """Back to pending with the next attempt after a doubling delay; returns that time."""
        attempts = self.db.execute("SELECT attempts FROM messages WHERE id = ?", (message_id,)).fetchone()[0] + 1
        delay = min(BACKOFF_FIRST * 2 ** (attempts - 1), BACKOFF_MAX)
        retry = now + delay
        self.db.execute("UPDATE messages SET status = 'pending', attempts = ?, last_error = ?, next_attempt_at = ?, "
                        "claimed_at = NULL WHERE id = ?", (attempts, error[:500], _iso(retry), message_id))
        return retry

    def release(self, message_id: int) -> None:
        """Give a claimed message back untouched (the run stopped before trying it)."""
        self.db.execute("UPDATE messages SET status = 'pending', claimed_at = NULL WHERE id = ?", (message_id,))

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status").fetchall())

    # -- rule state ---------------------------------------------------------------------------
    def state(self, rule: str, scope: str) -> EpisodeState:
        row = self.db.execute("SELECT state FROM rule_state WHERE rule = ? AND scope = ?", (rule, scope)).fetchone()
        if row is None:
            return QUIET
        data = json.loads(row[0])
        when = lambda v: datetime.fromisoformat(v) if v else None  # noqa: E731
        return EpisodeState(when(data["firing_since"]), when(data["last_firing"]), when(data["last_sent"]),
                            timedelta(seconds=data["cooldown_s"]), data["notices"])

    def set_state(self, rule: str, scope: str, state: EpisodeState) -> None:
        iso = lambda v: v.isoformat() if v else None  # noqa: E731
        data = {"firing_since": iso(state.firing_since), "last_firing": iso(state.last_firing),
                "last_sent": iso(state.last_sent), "cooldown_s": state.cooldown.total_seconds(), "notices": state.notices}
        self.db.execute("INSERT OR REPLACE INTO rule_state VALUES (?, ?, ?)", (rule, scope, json.dumps(data)))

    def unseen(self, rule: str, post_ids: tuple[str, ...]) -> list[str]:
        seen = {r[0] for r in self.db.execute(
            f"SELECT post_id FROM watch_seen WHERE rule = ? AND post_id IN ({','.join('?' * len(post_ids))})",
            (rule, *post_ids))} if post_ids else set()
        return [p for p in post_ids if p not in seen]

    def mark_seen(self, rule: str, post_ids: list[str], now: datetime) -> None:
        self.db.executemany("INSERT OR IGNORE INTO watch_seen VALUES (?, ?, ?)", [(rule, p, _iso(now)) for p in post_ids])

    # -- history ------------------------------------------------------------------------------
    def messages_of(self, notice_key: str) -> list[Message]:
        """The emails, as queued and sent, that carried the notice ``notice_key``."""
        rows = self.db.execute(
            "SELECT m.id, m.key, m.recipient, m.subject, m.mime, m.attempts FROM messages m "
            "JOIN message_notices n ON n.message_id = m.id WHERE n.notice_key = ? ORDER BY m.recipient",
            (notice_key,)).fetchall()
        return [Message(*row) for row in rows]

    def history(self, since: datetime | None = None, rule: str | None = None, limit: int = 50) -> list[HistoryRow]:
        sql = "SELECT key, rule, kind, created_at, payload FROM notices WHERE created_at >= ?"
        args: list = [_iso(since) if since else ""]
        if rule:
            sql += " AND rule = ?"
            args.append(rule)
        rows = self.db.execute(sql + " ORDER BY created_at DESC, key LIMIT ?", (*args, limit)).fetchall()
        out = []
        for key, rule_name, kind, created, payload in rows:
            deliveries = self.db.execute(
                "SELECT m.recipient, m.status, m.attempts FROM messages m JOIN message_notices n ON n.message_id = m.id "
                "WHERE n.notice_key = ? ORDER BY m.recipient", (key,)).fetchall()
            out.append(HistoryRow(key, rule_name, kind, datetime.fromisoformat(created), json.loads(payload),
                                  [tuple(d) for d in deliveries]))
        return out
