"""Compile an :mod:`indexer.query` tree to an ``elasticsearch.dsl`` query.

Words match the ``std`` subfields (standard analyzer), like the embedded store's tokenizer;
keyword filters and date ranges go to filter context (no effect on scores).
"""

from __future__ import annotations

from datetime import timezone

from elasticsearch.dsl import Q
from elasticsearch.dsl.query import Query as DslQuery

from indexer.analysis import tokens
from indexer.query import And, DateRange, FieldIs, Not, Or, Phrase, Prefix, Query, Term

FIELD_MAP = {
    "source": "source", "site": "site", "sentiment": "sentiment.label", "kind": "kind", "topic": "topics",
    "agency": "agencies", "region": "region.code", "lang": "lang", "author_hash": "author_hash",
    "cluster_id": "cluster_id",
}
TEXT_FIELDS = ("text.std", "title.std")


def _in_text(kind: str, value: str) -> DslQuery:
    return Q("bool", should=[Q(kind, **{f: value}) for f in TEXT_FIELDS], minimum_should_match=1)


def _words(text: str) -> DslQuery:
    found = tokens(text)
    if not found:
        return Q("match_none")
    return _in_text("match" if len(found) == 1 else "match_phrase", " ".join(found))


def _is_filter(node: Query) -> bool:
    return isinstance(node, (FieldIs, DateRange))


def compile_query(node: Query) -> DslQuery:
    if isinstance(node, (Term, Phrase)):
        return _words(node.text)
    if isinstance(node, Prefix):
        found = tokens(node.text)
        return _in_text("prefix", found[0]) if len(found) == 1 else _words(node.text)
    if isinstance(node, FieldIs):
        return Q("term", **{FIELD_MAP[node.field]: node.value})
    if isinstance(node, DateRange):
        bounds = {}
        if node.start:
            bounds["gte"] = node.start.astimezone(timezone.utc).isoformat()
        if node.end:
            bounds["lt"] = node.end.astimezone(timezone.utc).isoformat()
        return Q("range", published_at=bounds) if bounds else Q("match_all")
    if isinstance(node, Not):
        return Q("bool", must_not=[compile_query(node.item)])
    if isinstance(node, And):
        if not node.items:
            return Q("match_all")
        must = [compile_query(i) for i in node.items if not isinstance(i, Not) and not _is_filter(i)]
        filters = [compile_query(i) for i in node.items if _is_filter(i)]
        must_not = [compile_query(i.item) for i in node.items if isinstance(i, Not)]
        return Q("bool", must=must, filter=filters, must_not=must_not)
    if isinstance(node, Or):
        if not node.items:
            return Q("match_none")
        return Q("bool", should=[compile_query(i) for i in node.items], minimum_should_match=1)
    raise TypeError(f"not a query node: {node!r}")
