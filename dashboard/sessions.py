"""Server-side sessions behind a signed cookie.

The cookie carries only a random session id, signed with the dashboard key (itsdangerous), so
a forged or altered cookie is rejected before the database is asked. The session row holds the
user and the session's CSRF token; logging out or removing the user ends it at once.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.db import Database
from pantau.config import Config

COOKIE = "pantau_session"
LIFETIME_S = 12 * 3600
KEY_FILE = "dashboard.key"


@dataclass(frozen=True)
class Session:
    sid: str
    username: str
    csrf: str


def secret_key(cfg: Config) -> str:
    """The configured key, else a random one created once in the data directory (mode 0600)."""
    configured = cfg.dashboard.secret_key.reveal()
    if configured:
        return configured
    path = cfg.data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return Path(path).read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return Path(path).read_text().strip()


class SessionStore:
    def __init__(self, db: Database, key: str) -> None:
        self.db = db
        self.signer = URLSafeTimedSerializer(key, salt="pantau-session")

    def create(self, username: str) -> tuple[Session, str]:
        """A new session and its signed cookie value."""
        session = Session(secrets.token_urlsafe(32), username, secrets.token_urlsafe(32))
        now = time.time()
        with self.db.connect() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            db.execute(
                "INSERT INTO sessions (sid, username, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                (session.sid, username, session.csrf, now, now + LIFETIME_S),
            )
        return session, self.signer.dumps(session.sid)

    def load(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            sid = self.signer.loads(cookie, max_age=LIFETIME_S)
        except BadSignature:
            return None
        with self.db.connect() as db:
            row = db.execute(
                "SELECT sid, username, csrf FROM sessions WHERE sid = ? AND expires_at >= ?", (sid, time.time())
            ).fetchone()
        return Session(row["sid"], row["username"], row["csrf"]) if row else None

    def end(self, sid: str) -> None:
        with self.db.connect() as db:
            db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))
