"""The one query model of Pantau, and the analysts' query language that builds it.

Every reader of the index (the dashboard, alerts, ``pantau search``) says *what* it wants with
this small tree of frozen dataclasses; each backend compiles it (``indexer/embedded/compile.py``,
``indexer/elastic/compile.py``). Nobody else builds backend queries.

Nodes:

- :class:`Term` ``word``: the word occurs in the title or text (case-insensitive, whole word).
- :class:`Phrase` ``"antre lama"``: the words occur next to each other, in order.
- :class:`Prefix` ``jemb*``: some word starts with the prefix.
- :class:`FieldIs` ``field:value``: an exact keyword filter. Fields (:data:`FIELDS`): source,
  site, sentiment, kind, topic, agency, region (BPS code), lang, author_hash, cluster_id.
  Multi-valued fields (topic, agency) match when any value equals.
- :class:`DateRange`: ``published_at`` in ``[start, end)``, both UTC-aware, either open.
- :class:`And`, :class:`Or`, :class:`Not`; :data:`MATCH_ALL` (an empty ``And``) matches everything.

Build trees by hand (``And((Term("banjir"), FieldIs("region", "3374")))``) or with the helpers
:func:`all_of`, :func:`any_of`, which flatten and drop redundant nesting.

The language (:func:`parse`)::

    (jalan OR jembatan) rusak -tol "antre lama" sentiment:negative region:3374
    agency:"DPU Bina Marga" source:playstore since:7d until:2025-01-31

- Juxtaposition is AND; ``AND`` may be written. ``OR`` binds looser than AND, so
  ``a b OR c`` is ``(a AND b) OR c``; use parentheses to say otherwise.
- ``-x`` and ``NOT x`` negate. ``word*`` is a prefix. ``"..."`` is a phrase.
- ``field:value`` or ``field:"value with spaces"``; unknown fields are errors, as are
  values outside a closed set (sentiment, kind, source).
- ``since:`` and ``until:`` take a relative age (``90m``, ``24h``, ``7d``, ``2w``), a local date
  ``2025-01-31`` (midnight in the province's time zone) or an ISO datetime with offset.
  ``until:`` a date includes that whole day.

Errors are :class:`QuerySyntaxError` with ``position`` (0-based character offset) and
``expected``; the message reads like ``at 14: expected ')' to close the '(' at 0``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Union
from zoneinfo import ZoneInfo

from pantau.errors import PantauError
from pantau.post import KINDS, SENTIMENT_LABELS, SOURCES

#: Keyword fields a query may filter on; the value set is closed for some of them.
FIELDS: dict[str, frozenset[str] | None] = {
    "source": SOURCES,
    "site": None,
    "sentiment": frozenset(SENTIMENT_LABELS),
    "kind": frozenset(KINDS),
    "topic": None,
    "agency": None,
    "region": None,
    "lang": None,
    "author_hash": None,
    "cluster_id": None,
}
#: Fields with more than one value per post.
MULTI_VALUED = frozenset({"topic", "agency"})
DATE_FIELDS = ("since", "until")


@dataclass(frozen=True, slots=True)
class Term:
    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class Prefix:
    text: str


@dataclass(frozen=True, slots=True)
class FieldIs:
    field: str
    value: str

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"unknown field {self.field!r}; known: {', '.join(FIELDS)}")


@dataclass(frozen=True, slots=True)
class DateRange:
    start: datetime | None = None
    end: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"DateRange.{name} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Query


Query = Union[Term, Phrase, Prefix, FieldIs, DateRange, And, Or, Not]
MATCH_ALL: Query = And(())


def all_of(*items: Query) -> Query:
    """AND of the items, flattening nested ANDs; one item is returned as is."""
    flat: list[Query] = []
    for item in items:
        flat.extend(item.items if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def any_of(*items: Query) -> Query:
    """OR of the items, flattening nested ORs; one item is returned as is."""
    flat: list[Query] = []
    for item in items:
        flat.extend(item.items if isinstance(item, Or) else (item,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


class QuerySyntaxError(PantauError):
    """A query the language cannot read: where (0-based offset) and what was expected."""

    def __init__(self, query: str, position: int, expected: str) -> None:
        self.query = query
        self.position = position
        self.expected = expected
        super().__init__(f"query syntax error at {position}: expected {expected}\n  {query}\n  {' ' * position}^")


def parse(text: str, *, now: datetime | None = None, tz: tzinfo | str = "Asia/Jakarta") -> Query:
    """Parse the analysts' language into a :data:`Query`; an empty text is :data:`MATCH_ALL`.

    ``now`` anchors relative dates (default: the current time); ``tz`` is the province's time
    zone, in which bare dates are read.
    """
    from indexer.parser import Parser

    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return Parser(text, now or datetime.now(timezone.utc), zone).parse()


def walk(query: Query):
    """Every node of the tree, depth first (the root first)."""
    yield query
    if isinstance(query, (And, Or)):
        for item in query.items:
            yield from walk(item)
    elif isinstance(query, Not):
        yield from walk(query.item)


def text_terms(query: Query) -> list[str]:
    """The positive words, phrases and prefixes of a query (for highlighting and hints)."""
    words: list[str] = []
    for node in _positive(query):
        if isinstance(node, (Term, Phrase, Prefix)):
            words.append(node.text)
    return words


def _positive(query: Query):
    if isinstance(query, Not):
        return
    yield query
    if isinstance(query, (And, Or)):
        for item in query.items:
            yield from _positive(item)
