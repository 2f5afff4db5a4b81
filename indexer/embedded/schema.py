"""The embedded index's tantivy schema and its version.

The index holds what search and aggregation need (analysed text, keyword fast fields, the
date); the record itself lives in SQLite (``recorddb.py``). Field names are those of the record
JSON (``indexer/records.py``), so one JSON string per post feeds both: tantivy skips the
record's other fields. The sentiment label and region code are indexed from the record's flat
copies ``_sentiment`` and ``_region``.

Bump :data:`SCHEMA_VERSION` on any change here: a store with an older index refuses to serve
until ``pantau index rebuild``.
"""

from __future__ import annotations

SCHEMA_VERSION = 2
TEXT_FIELDS = ("text", "title")
SNIPPET_FIELD = "text"
#: The query language's keyword fields -> the index field holding them.
FIELD_MAP = {
    "source": "source", "site": "site", "sentiment": "_sentiment", "kind": "kind", "topic": "topics",
    "agency": "agencies", "region": "_region", "lang": "lang", "author_hash": "author_hash",
    "cluster_id": "cluster_id",
}
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
