"""The sources page and ``GET /api/sources``: per source, what was collected and what failed."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from dashboard.auth import current_user
from dashboard.context import context
from dashboard.data.sources import sources
from dashboard.errors import Forbidden
from dashboard.render import render
from dashboard.users import User


def _operator(user: User) -> User:
    if user.scoped:
        raise Forbidden("the sources page is for the PR team, analysts and admins")
    return user


def sources_api(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    """Per source: posts indexed (all time, last 24 h), sites, newest post, posts delivered by
    the crawlers, and the spool's pending/claimed/dead counts. Not for agency users (403)."""
    _operator(user)
    return sources(context(request))


def sources_page(request: Request, user: User = Depends(current_user)) -> HTMLResponse:
    _operator(user)
    return render(request, "sources.html", data=sources(context(request)))
