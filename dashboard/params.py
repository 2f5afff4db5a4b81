"""What a search page or API call asks for, read from the URL and turned into one query.

``q`` is the analysts' query language; ``f`` adds facet filters (``f=sentiment:negative``,
repeatable: values of one field are OR-ed, fields AND-ed); ``since``/``until`` take what the
language's ``since:``/``until:`` take. :meth:`SearchParams.text` writes it all back as one
query-language string, which is what saved searches and alert rules keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from dashboard.errors import DashboardError, Forbidden
from dashboard.users import User
from indexer.query import FIELDS, MATCH_ALL, DateRange, FieldIs, Query, QuerySyntaxError, all_of, any_of, parse, walk
from indexer.store import Sort

FACET_FIELDS = ("source", "sentiment", "kind", "topic", "agency", "region")
INTERVALS = ("hour", "day", "week")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: tuple[tuple[str, str], ...] = ()
    since: str = ""
    until: str = ""
    sort: Sort = Sort.NEWEST
    page: int = 1
    size: int = 20
    interval: str = "day"

    @classmethod
    def from_request(cls, args: Any) -> SearchParams:
        """From query-string arguments (a starlette ``QueryParams`` or a dict of lists)."""
        get_list = args.getlist if hasattr(args, "getlist") else (lambda k: args.get(k, []))
        first = lambda k, d="": (get_list(k) or [d])[0]  # noqa: E731
        filters = []
        for raw in get_list("f"):
            name, sep, value = raw.partition(":")
            if not sep or name not in FACET_FIELDS or not value:
                raise DashboardError(f"f: expected field:value with a field of {', '.join(FACET_FIELDS)}, got {raw!r}", field="f")
            allowed = FIELDS[name]
            if allowed is not None and value not in allowed:
                raise DashboardError(f"f: {name} must be one of {', '.join(sorted(allowed))}", field="f")
            filters.append((name, value))
        try:
            sort = Sort(first("sort", Sort.NEWEST.value))
        except ValueError:
            raise DashboardError(f"sort: expected one of {', '.join(s.value for s in Sort)}", field="sort") from None
        interval = first("interval", "day")
        if interval not in INTERVALS:
            raise DashboardError(f"interval: expected one of {', '.join(INTERVALS)}", field="interval")
        return cls(q=first("q").strip(), filters=tuple(dict.fromkeys(filters)), since=first("since").strip(),
                   until=first("until").strip(), sort=sort, page=_int(first("page", "1"), "page", 1, 10_000),
                   size=_int(first("size", "20"), "size", 1, MAX_PAGE_SIZE), interval=interval)

    def query(self, tz: str, now: datetime | None = None) -> Query:
        """The query tree; syntax errors in ``q`` keep their position in ``q``."""
        now = now or datetime.now(timezone.utc)
        parts: list[Query] = [parse(self.q, now=now, tz=tz)] if self.q else []
        by_field: dict[str, list[Query]] = {}
        for name, value in self.filters:
            by_field.setdefault(name, []).append(FieldIs(name, value))
        parts.extend(any_of(*values) for values in by_field.values())
        for name in ("since", "until"):
            value = getattr(self, name)
            if value:
                parts.append(_moment(name, value, tz, now))
        return all_of(*parts) if parts else MATCH_ALL

    def text(self) -> str:
        """Everything as one query-language string."""
        alone = not (self.filters or self.since or self.until)
        parts = [self.q if alone or not re.search(r"\bOR\b", self.q) else f"({self.q})"]
        by_field: dict[str, list[str]] = {}
        for name, value in self.filters:
            by_field.setdefault(name, []).append(f"{name}:{_quote(value)}")
        for terms in by_field.values():
            parts.append(terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")")
        parts += [f"{n}:{getattr(self, n)}" for n in ("since", "until") if getattr(self, n)]
        return " ".join(p for p in parts if p)

    def url(self, path: str = "/search", **changes: Any) -> str:
        """This search with some parameters changed, as a local URL."""
        other = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = [("q", other.q)] if other.q else []
        pairs += [("f", f"{n}:{v}") for n, v in other.filters]
        pairs += [(n, str(getattr(other, n))) for n in ("since", "until") if getattr(other, n)]
        if other.sort != Sort.NEWEST:
            pairs.append(("sort", other.sort.value))
        if other.page != 1:
            pairs.append(("page", str(other.page)))
        if other.interval != "day":
            pairs.append(("interval", other.interval))
        return path + ("?" + urlencode(pairs) if pairs else "")

    def toggled(self, name: str, value: str) -> SearchParams:
        """With the facet filter added, or removed when present; back to page 1."""
        pair = (name, value)
        filters = tuple(p for p in self.filters if p != pair) if pair in self.filters else (*self.filters, pair)
        return replace(self, filters=filters, page=1)


def scoped(user: User, query: Query) -> Query:
    """``query`` limited to what ``user`` may see: an agency user only their agencies' posts.

    An agency user who names another agency in the query gets a 403, not an empty answer.
    """
    if not user.scoped:
        return query
    for node in walk(query):
        if isinstance(node, FieldIs) and node.field == "agency" and node.value not in user.agencies:
            raise Forbidden(f"agency {node.value!r} is outside your scope ({', '.join(user.agencies)})")
    return all_of(query, any_of(*(FieldIs("agency", a) for a in user.agencies)))


def _moment(name: str, value: str, tz: str, now: datetime) -> DateRange:
    try:
        node = parse(f"{name}:{value}", now=now, tz=tz)
    except QuerySyntaxError as exc:
        raise DashboardError(f"{name}: {exc.expected}", field=name) from None
    assert isinstance(node, DateRange)
    return node


def _quote(value: str) -> str:
    return value if re.fullmatch(r"[\w.-]+", value) else '"' + value.replace('"', "") + '"'


def _int(raw: str, name: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise DashboardError(f"{name}: expected a whole number, got {raw!r}", field=name) from None
    if not low <= value <= high:
        raise DashboardError(f"{name}: expected {low}-{high}, got {value}", field=name)
    return value
