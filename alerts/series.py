"""Rule scope -> the counts a detector needs, read through indexer's query layer only.

For a window ``[end - window, end)`` it asks the store for posts, distinct authors and distinct
clusters (overall and among negative posts) in that window and in the same hour-of-week window of
each of the previous ``baseline_weeks`` weeks. Weeks before the store's oldest post are left out
(no history is not the same as zero posts). For emerging terms it asks for significant terms of
the window against the baseline period; for watch terms, the ids of matching posts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from alerts.detectors.base import Counts, Observation, Term
from alerts.rules import Rule, Scope
from indexer.query import DateRange, Phrase, Query, Term as WordTerm, all_of, any_of, parse
from indexer.store import Cardinality, Count, SignificantTerms, Sort, Store, Terms

WEEK = timedelta(weeks=1)
#: The largest near-duplicate clusters whose extra authors are folded into one voice each.
TOP_CLUSTERS = 10
VOICE_AGGS = {"authors": Cardinality("author_hash"), "clusters": Cardinality("cluster_id")}


@lru_cache(maxsize=512)
def scope_query(scope: Scope, tz: str) -> Query:
    """The scope as a query tree: exactly what the dashboard link (``scope.text()``) searches."""
    return parse(scope.text(), tz=tz)


def watch_query(terms: list[str]) -> Query:
    from indexer.analysis import tokens

    parts: list[Query] = []
    for term in terms:
        words = tokens(term)
        if words:
            parts.append(WordTerm(words[0]) if len(words) == 1 else Phrase(" ".join(words)))
    return any_of(*parts)


class SeriesReader:
    """Reads observations for rules from one store."""

    def __init__(self, store: Store, tz: str = "Asia/Jakarta") -> None:
        self.store = store
        self.tz = tz
        self._oldest: datetime | None = store.stats().oldest
        self._counts: dict[tuple[Query, datetime, datetime], Counts] = {}

    def query(self, rule: Rule) -> Query:
        return scope_query(rule.scope, self.tz)

    def counts(self, query: Query, start: datetime, end: datetime) -> Counts:
        """Counts of one window; remembered, since week k's baseline is week k+1's current window
        (one reader serves one evaluation or one backtest, so the memory stays small)."""
        key = (query, start, end)
        if key not in self._counts:
            self._counts[key] = self._read_counts(query, start, end)
        return self._counts[key]

    def _read_counts(self, query: Query, start: datetime, end: datetime) -> Counts:
        found = self.store.aggregate(all_of(query, DateRange(start, end)), {
            "posts": Count(), **VOICE_AGGS, "sentiment": Terms("sentiment", size=3, sub=dict(VOICE_AGGS)),
            "copies": Terms("cluster_id", size=TOP_CLUSTERS, sub={"authors": Cardinality("author_hash")}),
        })
        shared = sum(max(b.sub["authors"].value - 1, 0) for b in found["copies"].buckets)  # type: ignore[union-attr]
        negative = next((b for b in found["sentiment"].buckets if b.key == "negative"), None)  # type: ignore[union-attr]
        neg = Counts(negative.count, negative.sub["authors"].value, negative.sub["clusters"].value) if negative else Counts()  # type: ignore[union-attr]
        total = Counts(found["posts"].value, found["authors"].value, found["clusters"].value, 0, shared)  # type: ignore[union-attr]
        return Counts(total.posts, total.authors, total.clusters, min(neg.voices, total.voices), shared)

    def observe(self, rule: Rule, end: datetime) -> Observation:
        detector = rule.detector
        window: timedelta = detector.window
        start = end - window
        query = self.query(rule)
        if "matches" in detector.needs:
            return Observation(start, end, Counts(), (), matches=self.matches(rule, query, start, end))
        current = self.counts(query, start, end)
        weeks = [k for k in range(1, detector.baseline_weeks + 1) if self._has_history(start - k * WEEK)]
        baseline = tuple(self.counts(query, start - k * WEEK, end - k * WEEK) for k in weeks)
        terms: tuple[Term, ...] = ()
        if "terms" in detector.needs and current.posts:
            terms = self.terms(query, start, end, start - len(weeks or [1]) * WEEK)
        return Observation(start, end, current, baseline, terms)

    def _has_history(self, start: datetime) -> bool:
        return self._oldest is not None and self._oldest <= start

    def terms(self, query: Query, start: datetime, end: datetime, since: datetime, size: int = 20) -> tuple[Term, ...]:
        """Words of the window with their lift over the baseline period (add-one smoothed).

        The background includes the window (so a brand-new word still has a background count);
        the lift compares the window with the background minus the window.
        """
        found = self.store.aggregate(all_of(query, DateRange(start, end)), {
            "terms": SignificantTerms(background=all_of(query, DateRange(since, end)), size=size, min_doc_count=2),
        })["terms"]
        fg_total, bg_only_total = found.fg_total, max(found.bg_total - found.fg_total, 0)  # type: ignore[union-attr]
        out = []
        for t in found.terms:  # type: ignore[union-attr]
            before = max(t.bg_count - t.fg_count, 0)
            lift = (t.fg_count / max(fg_total, 1)) / ((before + 1) / (bg_only_total + 1))
            out.append(Term(t.term, t.fg_count, before, lift))
        return tuple(out)

    def matches(self, rule: Rule, query: Query, start: datetime, end: datetime, limit: int = 50) -> tuple[str, ...]:
        found = self.store.search(all_of(query, watch_query(rule.detector.terms), DateRange(start, end)), sort=Sort.NEWEST, size=limit)
        return tuple(hit.post.id for hit in found.hits)
