"""Posts as the API and the pages show them: JSON-ready, times in UTC ISO 8601 and local."""

from __future__ import annotations

from typing import Any

from indexer.store import Hit
from pantau.post import Post


def post_json(post: Post, tz: Any) -> dict[str, Any]:
    data = post.to_dict()
    data["published_local"] = post.published_at.astimezone(tz).isoformat()
    return data


def hit_json(hit: Hit, tz: Any) -> dict[str, Any]:
    return {"post": post_json(hit.post, tz), "snippet": hit.snippet.text, "spans": [list(s) for s in hit.snippet.spans],
            "snippet_html": hit.snippet.html(), "score": hit.score}
