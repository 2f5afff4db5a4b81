"""Dashboard users: roles, agency scopes and argon2 password hashes.

Roles: ``admin`` (everything), ``humas`` (the PR team: all data, alert rules), ``analyst`` (all
data, alert rules) and ``agency`` (an agency head: only the posts of the agencies listed in the
user's scope, read-only alerts).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dashboard.db import Database
from dashboard.errors import DashboardError, NotFound

ROLES: tuple[str, ...] = ("admin", "humas", "analyst", "agency")
EDITOR_ROLES = frozenset({"admin", "humas", "analyst"})
MIN_PASSWORD_CHARS = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so a login takes as long for an
# unknown name as for a wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("pantau-no-such-user")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    agencies: tuple[str, ...] = ()
    created_at: float = 0.0
    previous_visit_at: float | None = None

    @property
    def scoped(self) -> bool:
        """True when the user may only see some agencies' posts."""
        return self.role == "agency"

    @property
    def can_edit_rules(self) -> bool:
        return self.role in EDITOR_ROLES

    def may_see_agency(self, slug: str) -> bool:
        return not self.scoped or slug in self.agencies


class UserStore:
    """Users in the dashboard database; ``hasher`` sets the argon2 cost (tests use a cheap one)."""

    def __init__(self, db: Database, hasher: PasswordHasher = _hasher) -> None:
        self.db = db
        self.hasher = hasher

    def add(self, username: str, password: str, role: str, agencies: tuple[str, ...] = ()) -> User:
        username = username.strip().lower()
        if not _USERNAME.fullmatch(username):
            raise DashboardError("username: use 2-40 lower-case letters, digits, '.', '_' or '-'", field="username")
        if role not in ROLES:
            raise DashboardError(f"role: expected one of {', '.join(ROLES)}, got {role!r}", field="role")
        if role == "agency" and not agencies:
            raise DashboardError("agencies: an agency user needs at least one agency slug", field="agencies")
        if role != "agency" and agencies:
            raise DashboardError("agencies: only agency users are scoped to agencies", field="agencies")
        if len(password) < MIN_PASSWORD_CHARS:
            raise DashboardError(f"password: use at least {MIN_PASSWORD_CHARS} characters", field="password")
        now = time.time()
        with self.db.connect() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise DashboardError(f"user {username!r} exists; remove it first to replace it", field="username", status=409)
            db.execute(
                "INSERT INTO users (username, password_hash, role, agencies, created_at) VALUES (?, ?, ?, ?, ?)",
                (username, self.hasher.hash(password), role, json.dumps(sorted(set(agencies))), now),
            )
        return User(username, role, tuple(sorted(set(agencies))), now)

    def get(self, username: str) -> User | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
        return _user(row) if row else None

    def list(self) -> list[User]:
        with self.db.connect() as db:
            return [_user(r) for r in db.execute("SELECT * FROM users ORDER BY username")]

    def remove(self, username: str) -> None:
        with self.db.connect() as db:
            if db.execute("DELETE FROM users WHERE username = ?", (username.strip().lower(),)).rowcount == 0:
                raise NotFound(f"no user {username!r}; `pantau users list` shows who exists")

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password is right, else None (same cost either way)."""
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM users WHERE username = ?", (username.strip().lower(),)).fetchone()
        try:
            self.hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        if self.hasher.check_needs_rehash(row["password_hash"]):
            with self.db.connect() as db:
                db.execute("UPDATE users SET password_hash = ? WHERE username = ?", (self.hasher.hash(password), row["username"]))
        return _user(row)

    def record_login(self, username: str) -> None:
        """Remember the previous visit, so the overview can show what is new since then."""
        with self.db.connect() as db:
            db.execute(
                "UPDATE users SET previous_visit_at = last_seen_at, last_seen_at = ? WHERE username = ?",
                (time.time(), username),
            )


def _user(row: object) -> User:
    return User(
        username=row["username"],  # type: ignore[index]
        role=row["role"],  # type: ignore[index]
        agencies=tuple(json.loads(row["agencies"])),  # type: ignore[index]
        created_at=row["created_at"],  # type: ignore[index]
        previous_visit_at=row["previous_visit_at"],  # type: ignore[index]
    )
