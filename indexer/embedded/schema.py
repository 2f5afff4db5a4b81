"""The embedded index's tantivy schema and its version.

The index holds what search and aggregation need (analysed text, keyword fast fields, the
date); the record itself lives in SQLite (``recorddb.py``). :func:`index_doc` writes a post as
the small JSON document tantivy parses fastest: only the indexed fields, flat (the sentiment label
and region code as ``_sentiment`` and ``_region``: tantivy indexes flat keyword fields about a
third faster than nested objects), no nulls (tantivy refuses them).

What makes indexing cheap (measured on 2 cores, per post of tantivy's indexing thread): every
distinct term of a segment costs a dictionary entry at commit, so fields whose values are nearly
all distinct are kept out of the term dictionary.

- A post is named in the index by ``key``, the unsigned form of its 64-bit record key
  (``recorddb.record_key``), as a fast field only: hits are mapped to records through it, with
  no stored document and no indexed id term (a post id indexed as text cost ~6 us a post).
  Replacing a post deletes by ``bucket`` (the key's top bits, indexed: a few thousand terms
  per segment) and ``key`` (a fast-field range of one value within that bucket's postings).
- ``published_at`` is a fast field only (indexing its near-unique seconds cost ~4 us a post):
  date ranges and retention run over the column, and sorting by time uses it as before.

Bump :data:`SCHEMA_VERSION` on any change here: a store with an older index refuses to serve
until ``pantau index rebuild``.
"""

from __future__ import annotations

from orjson import dumps as _dumps

SCHEMA_VERSION = 3
TEXT_FIELDS = ("text", "title")
SNIPPET_FIELD = "text"
KEY_FIELD = "key"
BUCKET_FIELD = "bucket"
BUCKET_SHIFT = 52  # 4,096 buckets
_U64 = (1 << 64) - 1
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
    sb.add_unsigned_field(KEY_FIELD, fast=True)
    sb.add_unsigned_field(BUCKET_FIELD, indexed=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="default", index_option="position")
    for name in _KEYWORDS:
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("published_at", fast=True)
    return sb.build()


def index_key(record_key: int) -> int:
    """The index's (unsigned) key of a record's signed 64-bit key."""
    return record_key & _U64


def record_key_of(index_key: int) -> int:
    """The record's signed key of an index key: the inverse of :func:`index_key`."""
    return index_key - (1 << 64) if index_key >> 63 else index_key


def index_doc(post, record_key: int) -> str:
    """``post`` (a :class:`pantau.post.Post`, whose record key is ``record_key``) as this schema's JSON document."""
    key = record_key & _U64
    doc = {"key": key, "bucket": key >> BUCKET_SHIFT, "text": post.text, "published_at": post.published_at,
           "source": post.source, "site": post.site, "topics": post.topics, "agencies": post.agencies}
    for name in _OPTIONAL:
        if (value := getattr(post, name)) is not None:
            doc[name] = value
    if post.sentiment is not None:
        doc["_sentiment"] = post.sentiment.label
    if post.region is not None:
        doc["_region"] = post.region.code
    return _dumps(doc).decode()


def replace_query(record_key: int, schema):
    """The query matching the document of the record with this key (to delete it before re-adding)."""
    import tantivy

    key = record_key & _U64
    Q = tantivy.Query
    return Q.boolean_query([
        (tantivy.Occur.Must, Q.term_query(schema, BUCKET_FIELD, key >> BUCKET_SHIFT)),
        (tantivy.Occur.Must, Q.range_query(schema, KEY_FIELD, tantivy.FieldType.Unsigned, key, key)),
    ])
