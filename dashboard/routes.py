"""Every route of the dashboard in one table: (method, path, handler).

Paths under ``/api`` are the JSON API and appear in the OpenAPI document; the others are pages
and form posts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashboard.views import account, ingest

ROUTES: list[tuple[str, str, Callable[..., Any]]] = [
    ("GET", "/health", account.health),
    ("GET", "/login", account.login_form),
    ("POST", "/login", account.login),
    ("POST", "/logout", account.logout),
    ("GET", "/lang/{code}", account.switch_language),
    ("POST", "/api/posts", ingest.push_posts),
]
