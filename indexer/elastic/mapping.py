"""The Elasticsearch layout: an index template, monthly indices and the alias that reads them all.

Indices are ``<prefix>-posts-YYYY.MM`` (the month of ``published_at``, UTC), created on first
write from the template ``<prefix>-posts``, which also puts them behind the alias
``<prefix>-posts``; every read goes through the alias. The document is the post's record JSON
(``indexer/records.py``), so ``_source`` is the record and nothing else needs storing.

Text fields are analysed twice: with ES's built-in ``indonesian`` analyzer (stop words and
stemming, used to rank) and as a ``std`` subfield with the ``standard`` analyzer (what queries
match, word for word, the same as the embedded store).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

KEYWORD = {"type": "keyword"}
STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}


def alias(prefix: str) -> str:
    return f"{prefix}-posts"


def index_for(prefix: str, published_at: datetime) -> str:
    return f"{prefix}-posts-{published_at.astimezone(timezone.utc):%Y.%m}"


def text_field(analyzer: str) -> dict[str, Any]:
    return {"type": "text", "analyzer": analyzer, "fields": {"std": {"type": "text", "analyzer": "standard"}}}


def mappings(analyzer: str) -> dict[str, Any]:
    return {
        "dynamic": "strict",
        "properties": {
            "id": KEYWORD, "source": KEYWORD, "native_id": KEYWORD, "site": KEYWORD, "url": STORED_ONLY,
            "thread_id": KEYWORD, "parent_id": KEYWORD, "author_hash": KEYWORD, "author_name": STORED_ONLY,
            "title": text_field(analyzer), "text": text_field(analyzer), "lang": KEYWORD,
            "published_at": {"type": "date"}, "collected_at": {"type": "date"},
            "likes": {"type": "integer"}, "replies": {"type": "integer"}, "shares": {"type": "integer"},
            "rating": {"type": "float"},
            "sentiment": {"properties": {"label": KEYWORD, "score": {"type": "float"}}},
            "kind": KEYWORD, "topics": KEYWORD, "agencies": KEYWORD,
            "region": {"properties": {"code": KEYWORD, "name": KEYWORD}},
            "cluster_id": KEYWORD, "model_version": KEYWORD,
            "extra": {"type": "object", "enabled": False},
        },
    }


def template(prefix: str, shards: int, replicas: int, ilm_policy: str, analyzer: str = "indonesian") -> dict[str, Any]:
    """The body of ``PUT _index_template/<prefix>-posts``."""
    settings: dict[str, Any] = {"number_of_shards": shards, "number_of_replicas": replicas}
    if ilm_policy:
        settings["index.lifecycle.name"] = ilm_policy
    return {
        "index_patterns": [f"{alias(prefix)}-*"],
        "priority": 200,
        "template": {"settings": settings, "mappings": mappings(analyzer), "aliases": {alias(prefix): {}}},
        "_meta": {"managed_by": "pantau", "schema_version": 1},
    }
