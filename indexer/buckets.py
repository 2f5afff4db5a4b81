"""Local-time buckets for date histograms, shared by the backends.

Buckets start at local midnight (day), the local hour (hour) or Monday's local midnight (week)
in the province's time zone. Backends return only non-empty buckets; :func:`fill` lays them on
the full run of bucket starts so every histogram has its empty buckets as zeros.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from indexer.store import Cardinality, CardinalityResult, Count, CountResult, SubAggregation, SubResult, TermsResult

T = TypeVar("T")
STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}


def floor(moment: datetime, interval: str, tz: ZoneInfo) -> datetime:
    """The start of the local bucket holding ``moment``, as an aware local datetime."""
    local = moment.astimezone(tz)
    if interval == "hour":
        naive = local.replace(minute=0, second=0, microsecond=0, tzinfo=None)
    else:
        naive = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        if interval == "week":
            naive -= timedelta(days=naive.weekday())
    return _localize(naive, tz)


def next_start(start: datetime, interval: str, tz: ZoneInfo) -> datetime:
    """The next bucket start (wall-clock arithmetic, so days stay days across DST)."""
    if interval == "hour":
        return (start.astimezone(timezone.utc) + STEP["hour"]).astimezone(tz)
    return _localize(start.replace(tzinfo=None) + STEP[interval], tz)


def _localize(naive: datetime, tz: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=tz)


def fill(found: Mapping[datetime, T], interval: str, tz: ZoneInfo, bounds: tuple[datetime, datetime] | None,
         empty: Callable[[], T]) -> list[tuple[datetime, T]]:
    """Every bucket start from the first to the last bucket (or across ``bounds``, end exclusive)."""
    if bounds is not None:
        first, last = floor(bounds[0], interval, tz), floor(bounds[1] - timedelta(microseconds=1), interval, tz)
    elif found:
        first, last = min(found), max(found)
    else:
        return []
    by_instant = {k.timestamp(): v for k, v in found.items()}
    out: list[tuple[datetime, T]] = []
    current = first
    while current <= last:
        value = by_instant.get(current.timestamp())
        out.append((current, value if value is not None else empty()))
        current = next_start(current, interval, tz)
    return out


@lru_cache(maxsize=32)
def fixed_offset(tz_name: str) -> timedelta | None:
    """The zone's UTC offset if it has not changed since 1970 (all of Indonesia's), else None."""
    tz = ZoneInfo(tz_name)
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc)
    end = datetime.now(timezone.utc) + timedelta(days=3 * 365)
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        if moment.astimezone(tz).utcoffset() != offset:
            return None
        moment += timedelta(days=15)
    return offset


def empty_subs(subs: Mapping[str, SubAggregation]) -> dict[str, SubResult]:
    """Sub-aggregation results of an empty bucket."""
    return {name: CountResult(0) if isinstance(sub, Count) else CardinalityResult(0) if isinstance(sub, Cardinality)
            else TermsResult([]) for name, sub in subs.items()}
