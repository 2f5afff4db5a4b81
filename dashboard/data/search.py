"""A search for one user: the page of hits, the facets and the volume of the query over time.

The user's scope is AND-ed into the query before the store sees it, so an agency user can
never search, count or export outside their agencies.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from dashboard.context import Dashboard
from dashboard.data.posts import hit_json
from dashboard.params import FACET_FIELDS, SearchParams, scoped
from dashboard.users import User
from indexer.query import Query
from indexer.store import DateHistogram, Terms

FACET_SIZE = 10


def user_query(ctx: Dashboard, user: User, params: SearchParams, now: datetime | None = None) -> Query:
    return scoped(user, params.query(ctx.cfg.province.timezone, now or datetime.now(timezone.utc)))


def search(ctx: Dashboard, user: User, params: SearchParams, now: datetime | None = None) -> dict[str, Any]:
    query = user_query(ctx, user, params, now)
    found = ctx.store.search(query, params.sort, params.page, params.size)
    wanted: dict[str, Any] = {name: Terms(name, size=FACET_SIZE) for name in FACET_FIELDS}
    wanted["volume"] = DateHistogram(params.interval, tz=ctx.cfg.province.timezone)
    result = ctx.store.aggregate(query, wanted) if found.total else {}
    facets = {
        name: [{"key": b.key, "count": b.count} for b in result[name].buckets if name != "agency" or user.may_see_agency(b.key)]
        for name in FACET_FIELDS
    } if result else {name: [] for name in FACET_FIELDS}
    volume = [{"start": b.start.isoformat(), "count": b.count} for b in result["volume"].buckets] if result else []
    return {
        "query": params.text(),
        "total": found.total,
        "page": found.page,
        "size": found.size,
        "pages": max(1, -(-found.total // found.size)),
        "sort": params.sort.value,
        "hits": [hit_json(h, ctx.cfg.tz) for h in found.hits],
        "facets": facets,
        "volume": volume,
        "interval": params.interval,
    }
