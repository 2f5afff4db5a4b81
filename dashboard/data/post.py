"""One post with its context: the near-duplicate cluster and the author's other posts.

The author is known only by the keyed hash, so "other posts by the author" is a filter on
``author_hash``; both lists stay within the reader's scope.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dashboard.context import Dashboard
from dashboard.data.posts import post_json
from dashboard.errors import Forbidden, NotFound
from dashboard.params import scoped
from dashboard.users import User
from indexer.query import DateRange, FieldIs, all_of
from indexer.store import Sort
from pantau.post import Post

RELATED = 20
AUTHOR_WINDOW = timedelta(days=30)


def readable_post(ctx: Dashboard, user: User, post_id: str) -> Post:
    post = ctx.store.get(post_id)
    if post is None:
        raise NotFound(f"no post {post_id!r}; it may have been removed by retention")
    if user.scoped and not set(post.agencies) & set(user.agencies):
        raise Forbidden("this post belongs to another agency's scope")
    return post


def post_detail(ctx: Dashboard, user: User, post_id: str) -> dict[str, Any]:
    post = readable_post(ctx, user, post_id)
    cluster: list[Post] = []
    if post.cluster_id:
        found = ctx.store.search(scoped(user, FieldIs("cluster_id", post.cluster_id)), Sort.NEWEST, 1, RELATED + 1)
        cluster = [h.post for h in found.hits if h.post.id != post.id][:RELATED]
    by_author: list[Post] = []
    if post.author_hash:
        window = DateRange(start=post.published_at - AUTHOR_WINDOW, end=post.published_at + AUTHOR_WINDOW)
        found = ctx.store.search(scoped(user, all_of(FieldIs("author_hash", post.author_hash), window)),
                                 Sort.NEWEST, 1, RELATED + 1)
        by_author = [h.post for h in found.hits if h.post.id != post.id][:RELATED]
    return {
        "post": post_json(post, ctx.cfg.tz),
        "cluster": [post_json(p, ctx.cfg.tz) for p in cluster],
        "author_posts": [post_json(p, ctx.cfg.tz) for p in by_author],
        "author_window_days": AUTHOR_WINDOW.days,
    }
