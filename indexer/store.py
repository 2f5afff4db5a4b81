"""The Store protocol: what every index backend offers, with typed requests and answers.

Get a store with ``indexer.factory.open_store(cfg)``; never import a backend. Queries are
:mod:`indexer.query` trees (build them by hand or with ``indexer.query.parse``).

Writing (the daemon, ``pantau index``):

- ``put_many(posts) -> int``: index posts, idempotent by ``post.id`` (a re-indexed post replaces
  the old copy, never duplicates). Returns only after the posts are durable and searchable,
  so ack the spool after it returns, not before.
- ``delete_older_than(days) -> int``: retention; removes posts published more than ``days``
  days ago, returns how many.

Reading (dashboard, alerts, ``pantau search``):

- ``get(post_id) -> Post | None``.
- ``search(query, sort=Sort.RELEVANCE, page=1, size=20) -> SearchResult``: ``total`` (exact
  count of matches) and ``hits`` of that page, each with the full :class:`Post` and a
  :class:`Snippet` of the text with the query's words marked.
- ``scan(query, batch=1000) -> Iterator[Post]``: every matching post, newest first, without
  the paging limits of ``search`` (for exports).
- ``count(query) -> int``.
- ``aggregate(query, {name: aggregation}) -> {name: result}``: run several aggregations over
  the posts matching ``query``. Aggregations and their results:

  ===================  ===================  =============================================
  request              result               meaning
  ===================  ===================  =============================================
  DateHistogram        HistogramResult      posts per hour/day/week in the province's
                                            local time (bucket keys are aware local
                                            datetimes; empty buckets between
                                            ``bounds`` are included with count 0)
  Terms                TermsResult          top values of a keyword field by count
  Cardinality          CardinalityResult    distinct authors (author_hash) or clusters
  SignificantTerms     SignificantResult    words over-represented in ``query`` compared
                                            with ``background`` (JLH score, like ES)
  Count                CountResult          number of matching posts
  ===================  ===================  =============================================

  DateHistogram and Terms take ``sub`` aggregations (Terms, Cardinality or Count), computed
  per bucket: day x sentiment is
  ``DateHistogram("day", sub={"sentiment": Terms("sentiment")})``.
- ``stats() -> StoreStats``; ``close()``. Stores are context managers.

Backends raise ``pantau.errors.StoreUnavailable`` when the index cannot be reached or written
(a cluster down, another process holding the embedded writer lock).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Literal, Protocol, Union, runtime_checkable

from pantau.post import Post
from indexer.query import Query

#: Keyword fields that Terms can bucket (the query language's filter fields).
TERMS_FIELDS = ("source", "site", "sentiment", "kind", "topic", "agency", "region", "lang", "author_hash", "cluster_id")
CARDINALITY_FIELDS = ("author_hash", "cluster_id")
Interval = Literal["hour", "day", "week"]


class Sort(str, Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


@dataclass(frozen=True, slots=True)
class Snippet:
    """A fragment of the post's text; ``spans`` are [start, end) character offsets of matches."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    @classmethod
    def lead(cls, text: str, limit: int = 240) -> Snippet:
        """The start of ``text`` cut at a word boundary: the snippet when no word matched."""
        if len(text) <= limit:
            return cls(text)
        cut = text.rfind(" ", 0, limit)
        return cls(text[: cut if cut > limit // 2 else limit] + " …")

    def html(self, tag: str = "mark") -> str:
        """The fragment HTML-escaped, matches wrapped in ``<mark>``: safe to insert in a page."""
        out, last = [], 0
        for start, end in self.spans:
            out.append(html.escape(self.text[last:start]))
            out.append(f"<{tag}>{html.escape(self.text[start:end])}</{tag}>")
            last = end
        out.append(html.escape(self.text[last:]))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Hit:
    post: Post
    snippet: Snippet
    score: float | None = None  # relevance; backend-specific scale, None when sorted by time


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    page: int
    size: int


@dataclass(frozen=True, slots=True)
class Count:
    """The number of matching posts (also usable as a sub-aggregation)."""


@dataclass(frozen=True, slots=True)
class Terms:
    field: str
    size: int = 10
    sub: Mapping[str, SubAggregation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.field not in TERMS_FIELDS:
            raise ValueError(f"Terms: unknown field {self.field!r}; known: {', '.join(TERMS_FIELDS)}")


@dataclass(frozen=True, slots=True)
class Cardinality:
    """Distinct values of ``field``; exact on small sets, approximate (HyperLogLog) on large ones."""

    field: str = "author_hash"

    def __post_init__(self) -> None:
        if self.field not in CARDINALITY_FIELDS:
            raise ValueError(f"Cardinality: field must be one of {', '.join(CARDINALITY_FIELDS)}")


@dataclass(frozen=True, slots=True)
class DateHistogram:
    """Posts per ``interval`` of local time in ``tz``; weeks start on Monday.

    ``bounds`` (aware datetimes) extends the buckets to cover that span even when empty;
    without it the buckets run from the first to the last matching post.
    """

    interval: Interval = "day"
    tz: str = "Asia/Jakarta"
    bounds: tuple[datetime, datetime] | None = None
    sub: Mapping[str, SubAggregation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.interval not in ("hour", "day", "week"):
            raise ValueError(f"DateHistogram: interval must be hour, day or week, not {self.interval!r}")


@dataclass(frozen=True, slots=True)
class SignificantTerms:
    """Words of the text frequent in the foreground query compared with ``background``.

    ``background`` None means all posts. Words need ``min_doc_count`` foreground posts.
    The foreground is read from its newest ``sample_size`` posts; counts are then exact.
    """

    background: Query | None = None
    size: int = 10
    min_doc_count: int = 3
    sample_size: int = 500


SubAggregation = Union[Terms, Cardinality, Count]
Aggregation = Union[DateHistogram, Terms, Cardinality, SignificantTerms, Count]


@dataclass(frozen=True, slots=True)
class CountResult:
    value: int


@dataclass(frozen=True, slots=True)
class CardinalityResult:
    value: int


@dataclass(frozen=True, slots=True)
class TermBucket:
    key: str
    count: int
    sub: dict[str, SubResult] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TermsResult:
    buckets: list[TermBucket]
    other: int = 0  # posts with a value outside the top ``size`` (multi-valued: value hits)


@dataclass(frozen=True, slots=True)
class HistogramBucket:
    start: datetime  # aware, in the histogram's time zone
    count: int
    sub: dict[str, SubResult] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistogramResult:
    buckets: list[HistogramBucket]


@dataclass(frozen=True, slots=True)
class SignificantTerm:
    term: str
    fg_count: int  # foreground posts containing the word
    bg_count: int  # background posts containing the word
    score: float


@dataclass(frozen=True, slots=True)
class SignificantResult:
    fg_total: int
    bg_total: int
    terms: list[SignificantTerm]


SubResult = Union[TermsResult, CardinalityResult, CountResult]
AggResult = Union[HistogramResult, TermsResult, CardinalityResult, SignificantResult, CountResult]


@dataclass(frozen=True, slots=True)
class StoreStats:
    backend: str
    docs: int
    size_bytes: int
    oldest: datetime | None
    newest: datetime | None
    schema_version: int
    location: str


@runtime_checkable
class Store(Protocol):
    def put_many(self, posts: Iterable[Post]) -> int: ...

    def get(self, post_id: str) -> Post | None: ...

    def search(self, query: Query, sort: Sort = Sort.RELEVANCE, page: int = 1, size: int = 20) -> SearchResult: ...

    def scan(self, query: Query, batch: int = 1000) -> Iterator[Post]: ...

    def count(self, query: Query) -> int: ...

    def aggregate(self, query: Query, aggregations: Mapping[str, Aggregation]) -> dict[str, AggResult]: ...

    def delete_older_than(self, days: int) -> int: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


@runtime_checkable
class Rebuildable(Protocol):
    """A store that keeps its records apart from its index and can rebuild the index from them."""

    def rebuild(self, progress: Callable[[int, int], None] | None = None, commit_every: int = 100_000) -> int:
        """Reindex every stored record; ``progress(done, total)`` is called along. Returns the count.

        Resumable: a checkpoint is committed every ``commit_every`` records, and a rerun after an
        interruption carries on from the last one; readers see the old index until the new one is whole.
        """
        ...
