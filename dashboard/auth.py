"""Who is asking: the signed-in user of a request, CSRF checks, login rate limiting.

Nothing but ``/health``, the login page and the static files is readable without a session;
push ingest authenticates with its own per-channel token (see ``views/ingest.py``).
"""

from __future__ import annotations

import time

from fastapi import Request
from starlette.datastructures import FormData

from dashboard import csrf
from dashboard.context import context
from dashboard.db import Database
from dashboard.errors import Forbidden, NotAuthenticated, TooManyRequests
from dashboard.sessions import COOKIE, Session
from dashboard.users import User

WINDOW_S = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20


def current_session(request: Request) -> tuple[Session, User]:
    """The request's session and user; raises :class:`NotAuthenticated` when there is none."""
    cached = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    ctx = context(request)
    session = ctx.sessions.load(request.cookies.get(COOKIE))
    user = ctx.users.get(session.username) if session else None
    if session is None or user is None:
        raise NotAuthenticated("sign in to see this page")
    request.state.auth = (session, user)
    return session, user


def current_user(request: Request) -> User:
    return current_session(request)[1]


async def form_of(request: Request) -> FormData:
    """The posted form of a signed-in user, after its CSRF token was checked."""
    session, _user = current_session(request)
    form = await request.form()
    given = form.get(csrf.FIELD)
    csrf.check(session.csrf, given if isinstance(given, str) else None)
    return form


def api_writer(request: Request) -> User:
    """A signed-in user calling a state-changing JSON endpoint (CSRF token in a header)."""
    session, user = current_session(request)
    csrf.check(session.csrf, request.headers.get(csrf.HEADER))
    return user


def editor(user: User) -> User:
    if not user.can_edit_rules:
        raise Forbidden("only admin, humas and analyst users may change alert rules")
    return user


class LoginLimiter:
    """Counts failed logins per user name and per address; too many in the window -> 429."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def check(self, address: str, username: str) -> None:
        since = time.time() - WINDOW_S
        with self.db.connect() as db:
            db.execute("DELETE FROM login_failures WHERE at < ?", (since,))
            per_user = db.execute("SELECT COUNT(*) FROM login_failures WHERE key = ?", (f"user:{username}",)).fetchone()[0]
            per_addr = db.execute("SELECT COUNT(*) FROM login_failures WHERE key = ?", (f"addr:{address}",)).fetchone()[0]
        if per_user >= MAX_FAILURES_PER_USER or per_addr >= MAX_FAILURES_PER_ADDRESS:
            raise TooManyRequests(
                f"too many failed sign-ins; wait {WINDOW_S // 60} minutes and try again",
                extra={"retry_after": WINDOW_S},
            )

    def fail(self, address: str, username: str) -> None:
        now = time.time()
        with self.db.connect() as db:
            db.executemany("INSERT INTO login_failures (key, at) VALUES (?, ?)",
                           [(f"user:{username}", now), (f"addr:{address}", now)])

    def succeed(self, username: str) -> None:
        with self.db.connect() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (f"user:{username}",))
