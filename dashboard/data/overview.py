"""The overview's numbers for one user: volume and sentiment over time, kinds, top topics,
agencies and sources, posts per region, and what is new since the user's last visit.

One ``aggregate`` call on the user's scope and window does the charts; two cheap reads do
"new since last visit". Pages and ``/api/overview`` both serve this dict.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from dashboard.context import Dashboard
from dashboard.data.posts import post_json
from dashboard.params import scoped
from dashboard.users import User
from indexer.query import DateRange, Query, all_of
from indexer.store import Cardinality, DateHistogram, Sort, Terms
from pantau.post import SENTIMENT_LABELS

RANGES: dict[str, timedelta] = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
                                "90d": timedelta(days=90)}
DEFAULT_INTERVAL = {"24h": "hour", "7d": "day", "30d": "day", "90d": "week"}
NEW_POSTS_SHOWN = 5


def overview(ctx: Dashboard, user: User, range_key: str, interval: str, now: datetime | None = None,
             focus: Query | None = None) -> dict[str, Any]:
    """The numbers of the window ending ``now``; ``focus`` narrows them (the agency page).

    The window's numbers are shared through the dashboard's cache by every user of the same
    scope (the window end floored to ``cache_seconds``); "new since" is the user's own.
    """
    now = now or datetime.now(timezone.utc)
    period = ctx.cfg.dashboard.cache_seconds
    end = datetime.fromtimestamp(now.timestamp() // period * period, timezone.utc) if period > 0 else now
    key = ("overview", user.agencies if user.scoped else "*", range_key, interval, focus, end)
    numbers = ctx.cache.get_or_compute(key, lambda: _window(ctx, user, range_key, interval, end, focus))
    return {**numbers, "new": new_since(ctx, user, now, focus)}


def _window(ctx: Dashboard, user: User, range_key: str, interval: str, end: datetime,
            focus: Query | None) -> dict[str, Any]:
    start = end - RANGES[range_key]
    tz = ctx.cfg.province.timezone
    window = scoped(user, all_of(DateRange(start=start, end=end), *([focus] if focus else [])))
    result = ctx.store.aggregate(window, {
        "volume": DateHistogram(interval, tz=tz, bounds=(start, end), sub={"sentiment": Terms("sentiment", size=3)}),
        "kinds": Terms("kind", size=5),
        "topics": Terms("topic", size=10),
        "agencies": Terms("agency", size=10 + len(user.agencies)),
        "sources": Terms("source", size=10),
        "regions": Terms("region", size=100, sub={"negative": Terms("sentiment", size=3)}),
        "authors": Cardinality("author_hash"),
    })
    volume = []
    for bucket in result["volume"].buckets:
        by_label = {b.key: b.count for b in bucket.sub["sentiment"].buckets}
        volume.append({"start": bucket.start.isoformat(), "count": bucket.count,
                       **{label: by_label.get(label, 0) for label in SENTIMENT_LABELS}})
    # The histogram spans exactly the window, so its buckets add up to the totals.
    sentiment = [{"key": label, "count": sum(b[label] for b in volume)} for label in SENTIMENT_LABELS]
    agencies = [b for b in result["agencies"].buckets if user.may_see_agency(b.key)][:10]
    return {
        "range": range_key,
        "interval": interval,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "total": sum(b["count"] for b in volume),
        "authors": result["authors"].value,
        "volume": volume,
        "sentiment": sorted((s for s in sentiment if s["count"]), key=lambda s: -s["count"]),
        "kinds": _terms(result["kinds"].buckets),
        "topics": _terms(result["topics"].buckets),
        "agencies": _terms(agencies),
        "sources": _terms(result["sources"].buckets),
        "regions": {
            b.key: {"count": b.count, "negative": next((s.count for s in b.sub["negative"].buckets if s.key == "negative"), 0)}
            for b in result["regions"].buckets
        },
    }


def new_since(ctx: Dashboard, user: User, now: datetime, focus: Query | None = None) -> dict[str, Any]:
    """Posts published since the user's previous visit (the newest few, and how many)."""
    if user.previous_visit_at is None:
        return {"since": None, "count": 0, "posts": []}
    since = datetime.fromtimestamp(user.previous_visit_at, timezone.utc)
    query = scoped(user, all_of(DateRange(start=since, end=now), *([focus] if focus else [])))
    found = ctx.store.search(query, Sort.NEWEST, 1, NEW_POSTS_SHOWN)
    return {"since": since.isoformat(), "count": found.total, "posts": [post_json(h.post, ctx.cfg.tz) for h in found.hits]}


def _terms(buckets: list[Any]) -> list[dict[str, Any]]:
    return [{"key": b.key, "count": b.count} for b in buckets]
