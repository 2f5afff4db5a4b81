"""Server-side pages: one Jinja2 environment with autoescaping on for every template.

User text reaches pages only through ``{{ }}`` (escaped) or through :meth:`Snippet.html`
(escaped by the indexer, only ``<mark>`` added). Chart data is embedded with ``tojson`` inside
``<script type="application/json">`` blocks, which escapes ``<``, ``>`` and ``&``; the browser
never executes them, and the page's scripts (static files only, CSP ``script-src 'self'``)
read them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from dashboard import csrf
from dashboard.context import context
from dashboard.i18n import LANGUAGES, translator

TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE = "pantau_lang"

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["as_datetime"] = datetime.fromisoformat


def language(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in LANGUAGES else context(request).cfg.province.language


def local_time(request: Request, moment: datetime | None, with_date: bool = True) -> str:
    """A UTC time in the province's zone with its abbreviation (``2025-01-31 14:05 WIB``)."""
    if moment is None:
        return "-"
    local = moment.astimezone(context(request).cfg.tz)
    text = local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
    return f"{text} {local.tzname()}"


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    ctx = context(request)
    auth = getattr(request.state, "auth", None)
    lang = language(request)
    page = {
        "request": request,
        "user": auth[1] if auth else None,
        "csrf_token": auth[0].csrf if auth else "",
        "csrf_field": csrf.FIELD,
        "lang": lang,
        "t": translator(lang),
        "when": lambda moment, with_date=True: local_time(request, moment, with_date),
        "province": ctx.cfg.province.name,
        "tz_name": ctx.cfg.province.timezone,
        "tz_label": datetime.now(ctx.cfg.tz).tzname(),
        "qs": lambda **params: urlencode({k: v for k, v in params.items() if v not in (None, "")}),
        **values,
    }
    return HTMLResponse(_env.get_template(template).render(page), status_code=status)
