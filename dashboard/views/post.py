"""The post page (``/posts/{id}``) and ``GET /api/posts/{id}``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from dashboard.auth import current_user
from dashboard.context import context
from dashboard.data.post import post_detail
from dashboard.labels import Labels
from dashboard.render import language, render
from dashboard.users import User


def post_api(request: Request, post_id: str, user: User = Depends(current_user)) -> dict[str, Any]:
    """One post (text PII-masked), its near-duplicates and the author's other posts within
    30 days either side (by author hash). 403 when the post is outside the caller's agencies."""
    return post_detail(context(request), user, post_id)


def post_page(request: Request, post_id: str, user: User = Depends(current_user)) -> HTMLResponse:
    ctx = context(request)
    detail = post_detail(ctx, user, post_id)
    url = detail["post"]["url"]
    # Only web links become links: a pushed record could carry javascript: or data: URLs.
    link = url if url and urlsplit(url).scheme in ("http", "https") else None
    return render(request, "post.html", detail=detail, p=detail["post"], link=link, labels=Labels(ctx, language(request)))
