"""Fill a notice with what an agency head needs to act: sentiment split, driving terms, top
regions and sources, one sample post per cluster, amplification and the 7-day hourly series."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts.detectors.base import Finding, Observation
from alerts.notice import Notice
from alerts.series import SeriesReader
from indexer.query import DateRange, Query, all_of
from indexer.store import Cardinality, Count, DateHistogram, SignificantTerms, Sort, Terms

SAMPLE_CHARS = 280
AMPLIFICATION_RATIO = 3.0


def enrich(reader: SeriesReader, notice: Notice, query: Query, obs: Observation, finding: Finding | None,
           samples: int = 5) -> Notice:
    """Read the window's details from the store into ``notice`` (returned for chaining)."""
    store = reader.store
    window = all_of(query, DateRange(obs.start, obs.end))
    found = store.aggregate(window, {
        "sentiment": Terms("sentiment", size=3),
        "regions": Terms("region", size=3),
        "sources": Terms("source", size=3),
        "top_cluster": Terms("cluster_id", size=1, sub={"authors": Cardinality("author_hash")}),
        "top_author": Terms("author_hash", size=1),
        "posts": Count(),
    })
    notice.sentiment = {b.key: b.count for b in found["sentiment"].buckets}  # type: ignore[union-attr]
    notice.sources = [(b.key, b.count) for b in found["sources"].buckets]  # type: ignore[union-attr]
    hits = store.search(window, sort=Sort.NEWEST, size=100).hits
    names = {h.post.region.code: h.post.region.name for h in hits if h.post.region}
    notice.regions = [(names.get(b.key, b.key), b.count) for b in found["regions"].buckets]  # type: ignore[union-attr]
    notice.samples = one_per_cluster(hits, samples)
    if finding is not None and finding.detector == "emerging_terms":
        notice.terms = [t["term"] for t in finding.summary.get("terms", [])]
    else:
        baseline_start = obs.start - timedelta(weeks=max(len(obs.baseline), 1))
        sig = store.aggregate(window, {"t": SignificantTerms(background=all_of(query, DateRange(baseline_start, obs.end)), size=10)})["t"]
        notice.terms = [t.term for t in sig.terms if len(t.term) > 2 and not t.term.isdigit()][:5]  # type: ignore[union-attr]
    notice.amplification = amplification(found, obs, amplification_ratio(finding))
    notice.chart = hourly(reader, query, obs.end)
    return notice


def one_per_cluster(hits, limit: int) -> list[dict]:
    """Newest first, at most one post per near-duplicate cluster; texts are stored masked."""
    out, seen = [], set()
    for hit in hits:
        post = hit.post
        cluster = post.cluster_id or post.id
        if cluster in seen:
            continue
        seen.add(cluster)
        text = post.text if len(post.text) <= SAMPLE_CHARS else post.text[: SAMPLE_CHARS - 1].rstrip() + "…"
        out.append({"text": text, "source": post.source, "site": post.site, "url": post.url,
                    "published_at": post.published_at.isoformat(),
                    "region": post.region.name if post.region else "",
                    "sentiment": post.sentiment.label if post.sentiment else ""})
        if len(out) == limit:
            break
    return out


def amplification_ratio(finding: Finding | None) -> float:
    """The posts-per-voice ratio that names amplification (the volume detector's option)."""
    return float(finding.summary.get("amplification_ratio", AMPLIFICATION_RATIO)) if finding else AMPLIFICATION_RATIO


def amplification(found: dict, obs: Observation, ratio: float = AMPLIFICATION_RATIO) -> dict | None:
    """Name a window where posts far outnumber voices: one account or one copied text."""
    posts, voices = obs.current.posts, obs.current.voices
    if not posts or posts < ratio * max(voices, 1) or posts - voices < 10:
        return None
    cluster = found["top_cluster"].buckets[0] if found["top_cluster"].buckets else None
    author = found["top_author"].buckets[0] if found["top_author"].buckets else None
    return {"posts": posts, "voices": voices,
            "cluster_posts": cluster.count if cluster else 0,
            "cluster_accounts": cluster.sub["authors"].value if cluster else 0,
            "author_posts": author.count if author else 0}


def hourly(reader: SeriesReader, query: Query, end: datetime) -> list[tuple[datetime, int]]:
    start = end - timedelta(days=7)
    found = reader.store.aggregate(all_of(query, DateRange(start, end)),
                                   {"h": DateHistogram("hour", tz=reader.tz, bounds=(start, end))})["h"]
    return [(b.start, b.count) for b in found.buckets]  # type: ignore[union-attr]
