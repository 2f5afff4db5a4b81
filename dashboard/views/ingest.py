"""``POST /api/posts``: push ingest with a per-channel bearer token (no session, no CSRF)."""

from __future__ import annotations

from typing import Any

from fastapi import Body, Request
from fastapi.responses import JSONResponse

from dashboard.context import context
from dashboard.errors import DashboardError, NotAuthenticated, Unprocessable
from dashboard.ingest import MAX_BATCH, channel_for, validate_batch
from pantau.spool import Spool

SPOOL_FILE = "spool.sqlite3"


def push_posts(
    request: Request,
    payload: Any = Body(..., description='{"posts": [record, ...]}; a record has native_id, text, '
                        "published_at (ISO 8601 with zone) and optionally url, title, lang, author_id, "
                        "author_name, thread_id, parent_id, likes, replies, shares, rating, extra."),
) -> JSONResponse:
    """Validate and spool pushed posts. 202 when all were accepted; 422 naming each bad record
    (index, field), in which case the good records of the batch are spooled all the same."""
    cfg = context(request).cfg
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    channel = channel_for(cfg, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if channel is None:
        raise NotAuthenticated("push ingest needs 'Authorization: Bearer <channel token>' from [dashboard] push_tokens")
    records = payload.get("posts") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        raise Unprocessable('expected a JSON object {"posts": [...]}', field="posts")
    if len(records) > MAX_BATCH:
        raise DashboardError(f"at most {MAX_BATCH} posts per request; split the batch", status=413, field="posts")
    posts, rejected = validate_batch(cfg, channel, records)
    with Spool(cfg.data_dir / SPOOL_FILE) as spool:
        spooled = spool.put_many(posts)
    body = {"channel": channel, "accepted": spooled, "ids": [p.id for p in posts]}
    if rejected:
        first = rejected[0]
        error = Unprocessable(f"posts[{first.index}].{first.field}: {first.problem}", field=f"posts[{first.index}].{first.field}",
                              extra={**body, "rejected": [r.as_dict() for r in rejected]})
        return JSONResponse(error.payload(), status_code=422)
    return JSONResponse(body, status_code=202)
