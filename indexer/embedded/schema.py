"""The embedded index's tantivy schema and its version.

The index holds what search and aggregation need (analysed text, keyword fast fields, the
date); the record itself lives in SQLite (``recorddb.py``). :func:`index_doc` writes a post as
the small JSON document tantivy parses fastest: only the indexed fields, flat (the sentiment label
and region code as ``_sentiment`` and ``_region``: tantivy indexes flat keyword fields about a
third faster than nested objects), no nulls (tantivy refuses them).

Bump :data:`SCHEMA_VERSION` on any change here: a store with an older index refuses to serve
until ``pantau index rebuild``.
"""

from __future__ import annotations

from orjson import dumps as _dumps

SCHEMA_VERSION = 2
TEXT_FIELDS = ("text", "title")
SNIPPET_FIELD = "text"
#: The query language's keyword fields -> the index field holding them.
FIELD_MAP = {
    "source": "source", "site": "site", "sentiment": "_sentiment", "kind": "kind", "topic": "topics",
    "agency": "agencies", "region": "_region", "lang": "lang", "author_hash": "author_hash",
    "cluster_id": "cluster_id",
}
_OPTIONAL = ("title", "kind", "lang", "author_hash", "cluster_id")
_KEYWORDS = ("source", "site", "kind", "lang", "author_hash", "cluster_id", "topics", "agencies", "_sentiment", "_region")


def build_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="default", index_option="position")
    for name in _KEYWORDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("published_at", indexed=True, fast=True)
    return sb.build()


def index_doc(post) -> str:
    """``post`` (a :class:`pantau.post.Post`) as the JSON document of this schema."""
    doc = {"id": post.id, "text": post.text, "published_at": post.published_at, "source": post.source,
           "site": post.site, "topics": post.topics, "agencies": post.agencies}
    for name in _OPTIONAL:
        if (value := getattr(post, name)) is not None:
            doc[name] = value
    if post.sentiment is not None:
        doc["_sentiment"] = post.sentiment.label
    if post.region is not None:
        doc["_region"] = post.region.code
    return _dumps(doc).decode()
