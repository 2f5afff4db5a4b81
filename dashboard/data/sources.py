"""Per source: the last successful crawl, posts seen by the crawlers, posts indexed (all
time and last 24 hours), sites, the newest post, and the queue with its dead letters.

The last successful crawl comes from the daemon's ``health.json`` (``crawl:<source>`` stages),
the last crawl run with its counts and failure reasons from the crawlers' history, and the
seen counts from the crawlers' state file; each is read only when present.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from dashboard.context import Dashboard
from indexer.query import MATCH_ALL, DateRange, FieldIs
from indexer.store import Sort, Terms
from pantau.health import read_health
from pantau.post import SOURCES
from pantau.spool import Spool

SPOOL_FILE = "spool.sqlite3"


def sources(ctx: Dashboard, now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(timezone.utc)
    store = ctx.store
    result = store.aggregate(MATCH_ALL, {"all": Terms("source", size=len(SOURCES), sub={"sites": Terms("site", size=10)})})
    recent = store.aggregate(DateRange(start=now - timedelta(hours=24), end=now), {"day": Terms("source", size=len(SOURCES))})
    last_day = {b.key: b.count for b in recent["day"].buckets}
    delivered = _delivered(ctx)
    crawled = {stage.split(":", 1)[1]: at for stage, at in read_health(ctx.cfg.data_dir).items() if stage.startswith("crawl:")}
    runs = _last_runs(ctx)
    rows = []
    for bucket in result["all"].buckets:
        newest = store.search(FieldIs("source", bucket.key), Sort.NEWEST, 1, 1).hits
        rows.append({
            "source": bucket.key, "posts": bucket.count, "posts_24h": last_day.get(bucket.key, 0),
            "sites": [{"key": s.key, "count": s.count} for s in bucket.sub["sites"].buckets],
            "newest_at": newest[0].post.published_at.isoformat() if newest else None,
            "collected_at": newest[0].post.collected_at.isoformat() if newest else None,
            "delivered": delivered.get(bucket.key), "last_crawl": crawled.get(bucket.key),
            "last_run": runs.get(bucket.key),
        })
    for source in sorted((set(delivered) | set(crawled) | set(runs)) - {r["source"] for r in rows}):
        rows.append({"source": source, "posts": 0, "posts_24h": 0, "sites": [], "newest_at": None,
                     "collected_at": None, "delivered": delivered.get(source), "last_crawl": crawled.get(source),
                     "last_run": runs.get(source)})
    spool_path = ctx.cfg.data_dir / SPOOL_FILE
    queue = None
    if spool_path.exists():
        with Spool(spool_path) as spool:
            stats = spool.stats()
        queue = {"pending": stats.pending, "claimed": stats.claimed, "dead": stats.dead}
    return {"sources": rows, "spool": queue}


def _last_runs(ctx: Dashboard) -> dict[str, dict[str, Any]]:
    """Per source, the newest crawl run: when, requests, posts kept, drops and errors by reason."""
    from crawlers.history import latest_runs

    return {
        source: {"finished_at": run.finished_at.isoformat(), "failed": run.report.failed, "requests": run.report.requests,
                 "kept": run.report.kept, "dropped": run.report.dropped, "errors": run.report.errors}
        for source, run in latest_runs(ctx.cfg.data_dir).items()
    }


def _delivered(ctx: Dashboard) -> dict[str, int]:
    """Posts the crawlers have seen per source (spooled, or dropped as irrelevant), from their
    state file when present."""
    from crawlers.state import STATE_FILE, CrawlState

    path = ctx.cfg.data_dir / STATE_FILE
    if not path.exists():
        return {}
    state = CrawlState(path)
    try:
        return {source: n for source in sorted(SOURCES) if (n := state.seen_count(source))}
    finally:
        state.close()
