"""Signing in and out, and the language switch."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from dashboard import csrf
from dashboard.auth import current_session, form_of
from dashboard.context import context
from dashboard.i18n import LANGUAGES
from dashboard.render import LANG_COOKIE, render
from dashboard.sessions import COOKIE, LIFETIME_S
from pantau.health import stage_ages


def safe_next(target: str | None) -> str:
    """Only local paths: a ``next`` pointing elsewhere would make the login an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _login_page(request: Request, next_url: str, error: str = "", status: int = 200) -> Response:
    ctx = context(request)
    token, cookie = ctx.login_token.issue()
    response = render(request, "login.html", status=status, login_token=token, next_url=next_url, error=error)
    response.set_cookie(csrf.LOGIN_COOKIE, cookie, max_age=csrf.LOGIN_MAX_AGE_S, httponly=True,
                        secure=ctx.cfg.dashboard.secure_cookies, samesite="strict")
    return response


def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, safe_next(next))


async def login(request: Request) -> Response:
    ctx = context(request)
    form = await request.form()
    username = str(form.get("username", "")).strip().lower()
    password = str(form.get("password", ""))
    next_url = safe_next(str(form.get("next", "/")))
    given = form.get(csrf.FIELD)
    ctx.login_token.check(request.cookies.get(csrf.LOGIN_COOKIE), given if isinstance(given, str) else None)
    address = request.client.host if request.client else "unknown"
    ctx.limiter.check(address, username)
    user = ctx.users.authenticate(username, password)
    if user is None:
        ctx.limiter.fail(address, username)
        return _login_page(request, next_url, error="login_failed", status=401)
    ctx.limiter.succeed(username)
    ctx.users.record_login(user.username)
    _session, cookie = ctx.sessions.create(user.username)
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(COOKIE, cookie, max_age=LIFETIME_S, httponly=True,
                        secure=ctx.cfg.dashboard.secure_cookies, samesite="lax")
    response.delete_cookie(csrf.LOGIN_COOKIE)
    return response


async def logout(request: Request) -> Response:
    await form_of(request)
    session, _user = current_session(request)
    context(request).sessions.end(session.sid)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the chosen language in a cookie; open to everyone (the login page has it too)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, httponly=True,
                            secure=context(request).cfg.dashboard.secure_cookies, samesite="lax")
    return response


def health(request: Request) -> dict[str, Any]:
    """Liveness for load balancers and monitors, the only endpoint open without a session:
    ``status`` and the seconds since each daemon stage last succeeded (no posts, no users)."""
    return {"status": "ok", "stages": stage_ages(context(request).cfg.data_dir)}
