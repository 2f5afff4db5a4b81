"""Compile an :mod:`indexer.query` tree to a tantivy query.

Words are looked for in the analysed ``text`` and ``title`` fields; keyword filters and date ranges are
constant-score so that they narrow the hits without changing relevance.
"""

from __future__ import annotations

from datetime import timezone

from indexer.analysis import tokens
from indexer.embedded.schema import FIELD_MAP, TEXT_FIELDS
from indexer.query import And, DateRange, FieldIs, Not, Or, Phrase, Prefix, Query, Term


def compile_query(query: Query, schema):
    import tantivy

    Q, Occur = tantivy.Query, tantivy.Occur

    def in_text(make) -> object:
        return Q.boolean_query([(Occur.Should, make(name)) for name in TEXT_FIELDS])

    def words(text: str):
        found = tokens(text)
        if not found:
            return Q.empty_query()
        if len(found) == 1:
            return in_text(lambda f: Q.term_query(schema, f, found[0]))
        return in_text(lambda f: Q.phrase_query(schema, f, found))

    def build(node: Query):
        if isinstance(node, (Term, Phrase)):
            return words(node.text)
        if isinstance(node, Prefix):
            found = tokens(node.text)
            if len(found) != 1:
                return words(node.text)
            return in_text(lambda f: Q.regex_query(schema, f, f"{found[0]}.*"))
        if isinstance(node, FieldIs):
            return Q.const_score_query(Q.term_query(schema, FIELD_MAP[node.field], node.value), 0.0)
        if isinstance(node, DateRange):
            lower = node.start.astimezone(timezone.utc) if node.start else None
            upper = node.end.astimezone(timezone.utc) if node.end else None
            if lower is None and upper is None:
                return Q.all_query()
            return Q.const_score_query(
                Q.range_query(schema, "published_at", tantivy.FieldType.Date, lower, upper,
                              include_lower=True, include_upper=upper is None), 0.0)
        if isinstance(node, Not):
            return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, build(node.item))])
        if isinstance(node, And):
            if not node.items:
                return Q.all_query()
            clauses = [(Occur.MustNot, build(i.item)) if isinstance(i, Not) else (Occur.Must, build(i)) for i in node.items]
            if all(occur == Occur.MustNot for occur, _ in clauses):
                clauses.append((Occur.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        if isinstance(node, Or):
            if not node.items:
                return Q.empty_query()
            return Q.boolean_query([(Occur.Should, build(i)) for i in node.items])
        raise TypeError(f"not a query node: {node!r}")

    return build(query)
