"""``POST /api/posts``: push ingest with a per-channel bearer token (no session, no CSRF).

The token is checked before the body is read, so an unauthenticated caller learns nothing
about the expected shape.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from dashboard.context import context
from dashboard.errors import DashboardError, NotAuthenticated, Unprocessable
from dashboard.ingest import MAX_BATCH, channel_for, validate_batch
from pantau.config import Config
from pantau.spool import Spool

SPOOL_FILE = "spool.sqlite3"
BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["posts"],
            "properties": {"posts": {"type": "array", "maxItems": MAX_BATCH, "items": {
                "type": "object", "required": ["native_id", "text", "published_at"],
                "properties": {
                    "native_id": {"type": "string"}, "text": {"type": "string"},
                    "published_at": {"type": "string", "format": "date-time", "description": "ISO 8601 with a zone"},
                    "url": {"type": "string"}, "title": {"type": "string"}, "lang": {"type": "string"},
                    "author_id": {"type": "string", "description": "raw account id; stored only as a keyed hash"},
                    "author_name": {"type": "string"}, "thread_id": {"type": "string"}, "parent_id": {"type": "string"},
                    "likes": {"type": "integer"}, "replies": {"type": "integer"}, "shares": {"type": "integer"},
                    "rating": {"type": "number"}, "extra": {"type": "object"},
                }}}},
        }}},
    },
}


async def push_posts(request: Request) -> JSONResponse:
    """Validate and spool pushed posts (``Authorization: Bearer <channel token>``). 202 when all
    were accepted; 422 naming each bad record (index, field), in which case the good records of
    the batch are spooled all the same (resending the batch is safe: ids are stable)."""
    cfg = context(request).cfg
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    channel = channel_for(cfg, token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if channel is None:
        raise NotAuthenticated("push ingest needs 'Authorization: Bearer <channel token>' from [dashboard] push_tokens")
    try:
        payload: Any = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise DashboardError(f"the body is not JSON: {exc}", field="posts") from None
    records = payload.get("posts") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        raise Unprocessable('expected a JSON object {"posts": [...]}', field="posts")
    if len(records) > MAX_BATCH:
        raise DashboardError(f"at most {MAX_BATCH} posts per request; split the batch", status=413, field="posts")
    return await run_in_threadpool(_accept, cfg, channel, records)


def _accept(cfg: Config, channel: str, records: list[Any]) -> JSONResponse:
    posts, rejected = validate_batch(cfg, channel, records)
    with Spool(cfg.data_dir / SPOOL_FILE) as spool:
        spooled = spool.put_many(posts)
    body = {"channel": channel, "accepted": spooled, "ids": [p.id for p in posts]}
    if rejected:
        first = rejected[0]
        error = Unprocessable(f"posts[{first.index}].{first.field}: {first.problem}",
                              field=f"posts[{first.index}].{first.field}",
                              extra={**body, "rejected": [r.as_dict() for r in rejected]})
        return JSONResponse(error.payload(), status_code=422)
    return JSONResponse(body, status_code=202)


push_posts.openapi_extra = BODY_DOC  # type: ignore[attr-defined]
