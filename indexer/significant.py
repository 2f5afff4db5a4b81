"""Significant terms: words over-represented in a foreground query against a background.

One algorithm for both backends, so they agree: candidates are the words of the foreground's
newest ``sample_size`` posts (read with the shared tokenizer); each candidate's foreground and
background post counts are then counted exactly by the backend, and scored with JLH, the
default heuristic of Elasticsearch's ``significant_terms``::

    fg% = fg_count / fg_total, bg% = bg_count / bg_total
    score = (fg% - bg%) * (fg% / bg%)   when fg% > bg%, else not significant

Elasticsearch's own ``significant_text`` samples per shard and scores on shard statistics, and
osmem-server does not implement it; counting exactly here gives the same terms everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from indexer.analysis import tokens
from indexer.query import MATCH_ALL, Query, Term, all_of
from indexer.store import SignificantResult, SignificantTerm, SignificantTerms

MAX_CANDIDATES = 200


def jlh(fg_count: int, fg_total: int, bg_count: int, bg_total: int) -> float:
    if not fg_total or not bg_total or not bg_count:
        return 0.0
    fg, bg = fg_count / fg_total, bg_count / bg_total
    return (fg - bg) * (fg / bg) if fg > bg else 0.0


def significant_terms(
    query: Query,
    agg: SignificantTerms,
    sample_texts: Callable[[Query, int], list[str]],
    counts: Callable[[Sequence[Query]], list[int]],
) -> SignificantResult:
    """``sample_texts(query, n)``: texts of the newest n matches; ``counts(queries)``: exact counts."""
    background = agg.background if agg.background is not None else MATCH_ALL
    doc_freq: Counter[str] = Counter()
    texts = sample_texts(query, agg.sample_size)
    for text in texts:
        doc_freq.update(set(tokens(text)))
    # a partial sample may hold a word fewer times than the foreground does
    floor = agg.min_doc_count if len(texts) < agg.sample_size else min(agg.min_doc_count, 2)
    candidates = sorted((w for w, n in doc_freq.items() if n >= floor), key=lambda w: (-doc_freq[w], w))[:MAX_CANDIDATES]
    questions: list[Query] = [query, background]
    for word in candidates:
        questions += [all_of(query, Term(word)), all_of(background, Term(word))]
    answers = counts(questions)
    fg_total, bg_total = answers[0], answers[1]
    scored = []
    for i, word in enumerate(candidates):
        fg_count, bg_count = answers[2 + 2 * i], answers[3 + 2 * i]
        score = jlh(fg_count, fg_total, bg_count, bg_total)
        if fg_count >= agg.min_doc_count and score > 0:
            scored.append(SignificantTerm(word, fg_count, bg_count, score))
    scored.sort(key=lambda t: (-t.score, t.term))
    return SignificantResult(fg_total, bg_total, scored[: agg.size])
