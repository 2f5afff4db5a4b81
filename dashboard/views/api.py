"""The API's own description and the caller's identity."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request

from dashboard.auth import current_session, current_user
from dashboard.users import User


def openapi(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    """The OpenAPI document of the JSON API (signed-in users only, like all data)."""
    return request.app.openapi()


def me(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    """Who is signed in, their role and agencies, and the CSRF token to send in ``X-CSRF-Token``."""
    session, _user = current_session(request)
    return {"username": user.username, "role": user.role, "agencies": list(user.agencies), "csrf_token": session.csrf}
