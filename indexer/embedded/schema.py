"""The embedded index's tantivy schema, its version, and a post's index document.

The index holds what search and aggregation need (analysed text, keyword fast fields, the
date); the record itself lives in SQLite (``records.py``). Bump :data:`SCHEMA_VERSION` on any
change here: a store with an older version refuses to open until ``pantau index rebuild``.
"""

from __future__ import annotations

import json
from datetime import timezone

from pantau.post import Post

SCHEMA_VERSION = 1
TEXT_FIELD = "body"
#: Keyword fast fields: the query language's field name -> the index field.
KEYWORDS = ("source", "site", "sentiment", "kind", "topic", "agency", "region", "lang", "author_hash", "cluster_id")
_dumps = json.JSONEncoder(separators=(",", ":")).encode


def build_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field(TEXT_FIELD, tokenizer_name="default", index_option="position")
    for name in KEYWORDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("published_at", indexed=True, fast=True)
    return sb.build()


def body(post: Post) -> str:
    """The searched text: title and text, the text first (snippets come from it)."""
    return f"{post.text}\n{post.title}" if post.title else post.text


def index_json(post: Post) -> str:
    """The tantivy document of ``post`` as JSON (``IndexWriter.add_json``)."""
    doc: dict[str, object] = {
        "id": post.id,
        TEXT_FIELD: body(post),
        "source": post.source,
        "published_at": post.published_at.astimezone(timezone.utc).isoformat(),
    }
    for name in ("site", "kind", "lang", "author_hash", "cluster_id"):
        value = getattr(post, name)
        if value:
            doc[name] = value
    if post.sentiment is not None:
        doc["sentiment"] = post.sentiment.label
    if post.region is not None:
        doc["region"] = post.region.code
    if post.topics:
        doc["topic"] = post.topics
    if post.agencies:
        doc["agency"] = post.agencies
    return _dumps(doc)
