"""Posts to and from the JSON kept as a store's record, fast enough for bulk indexing.

Records written by earlier versions of the embedded store also carry derived keys starting with
an underscore (``_sentiment``, ``_region``); :func:`decode` drops them.

``Post.to_dict`` (``dataclasses.asdict``) deep-copies every value and costs ~100 us a post,
more than indexing it; :func:`to_record` writes the same JSON shape field by field at a fraction
of that, and :func:`pack` (the embedded store's stored record) lets orjson serialise the dataclass
itself in ~4 us: the same shape with empty fields as ``null``. :func:`decode` reads any of them
back the same quick way, and falls back to ``Post.from_dict`` (which names the bad field) when a
record is not what it should be, so the record stays the one Post contract.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import orjson

from pantau.post import Post, Region, Sentiment

_SCALARS = (
    "source", "native_id", "site", "url", "thread_id", "parent_id", "author_hash", "author_name",
    "title", "text", "lang", "likes", "replies", "shares", "rating", "kind", "cluster_id",
    "model_version", "id",
)


def to_record(post: Post) -> dict:
    """The JSON-ready dict of ``post``: ``Post.to_dict`` without its empty (None) fields, times in UTC.

    The Elasticsearch backend's ``_source``: leaving out the Nones keeps it small.
    """
    record = {name: value for name in _SCALARS if (value := getattr(post, name)) is not None}
    record["published_at"] = post.published_at.astimezone(timezone.utc).isoformat()
    record["collected_at"] = post.collected_at.astimezone(timezone.utc).isoformat()
    s, r = post.sentiment, post.region
    if s is not None:
        record["sentiment"] = {"label": s.label, "score": s.score}
    if r is not None:
        record["region"] = {"code": r.code, "name": r.name}
    record["topics"] = list(post.topics)
    record["agencies"] = list(post.agencies)
    if post.extra:
        record["extra"] = post.extra
    return record


def pack(post: Post) -> bytes:
    """The record as compact JSON bytes (``Post.to_dict``'s shape, times in UTC, Nones as null)."""
    if post.published_at.tzinfo is not timezone.utc or post.collected_at.tzinfo is not timezone.utc:
        post = dataclasses.replace(post, published_at=post.published_at.astimezone(timezone.utc),
                                   collected_at=post.collected_at.astimezone(timezone.utc))
    return orjson.dumps(post)


def decode(payload: str | bytes) -> Post:
    return from_record(orjson.loads(payload))


def from_record(data: dict) -> Post:
    """The Post of a record; a record that is not one raises ``InvalidPost`` naming the field."""
    try:
        values = dict(data)
        values.pop("_sentiment", None)
        values.pop("_region", None)
        values["published_at"] = datetime.fromisoformat(values["published_at"])
        values["collected_at"] = datetime.fromisoformat(values["collected_at"])
        if (s := values.get("sentiment")) is not None:
            values["sentiment"] = Sentiment(s["label"], s["score"])
        if (r := values.get("region")) is not None:
            values["region"] = Region(r["code"], r["name"])
        return Post(**values)
    except (KeyError, TypeError, ValueError):
        return Post.from_dict({k: v for k, v in data.items() if not k.startswith("_")})  # names what is wrong
