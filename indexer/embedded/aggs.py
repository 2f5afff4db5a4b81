"""Aggregation requests as tantivy's Elasticsearch-shaped aggregation JSON, and back.

tantivy's ``date_histogram`` has no ``time_zone``; local buckets come from ``offset`` (the
zone's fixed UTC offset), which is exact for zones without daylight saving, such as WIB, WITA
and WIT. Other zones are refused with a clear error rather than bucketed wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pantau.errors import PantauError
from indexer import buckets
from indexer.embedded.schema import FIELD_MAP
from indexer.store import (
    Cardinality, CardinalityResult, Count, CountResult, DateHistogram, HistogramBucket, HistogramResult,
    SubAggregation, SubResult, TermBucket, Terms, TermsResult,
)

_EPOCH_MONDAY = timedelta(days=4)  # 1970-01-01 was a Thursday; buckets of weeks start on Monday
_INTERVAL = {"hour": "1h", "day": "1d", "week": "7d"}


def request(agg: DateHistogram | Terms | Cardinality) -> dict[str, Any]:
    if isinstance(agg, Cardinality):
        return {"cardinality": {"field": FIELD_MAP[agg.field]}}
    if isinstance(agg, Terms):
        body: dict[str, Any] = {"terms": {"field": FIELD_MAP[agg.field], "size": agg.size}}
    else:
        offset = buckets.fixed_offset(agg.tz)
        if offset is None:
            raise PantauError(f"the embedded store buckets by a fixed UTC offset; time zone {agg.tz} has daylight "
                              "saving: use the elasticsearch backend for it")
        shift = -offset + (_EPOCH_MONDAY if agg.interval == "week" else timedelta())
        if agg.interval == "hour":
            shift = timedelta(minutes=(shift.total_seconds() // 60) % 60)
        minutes = int(shift.total_seconds() // 60)
        body = {"date_histogram": {"field": "published_at", "fixed_interval": _INTERVAL[agg.interval],
                                   "offset": f"{minutes}m", "min_doc_count": 1}}
    subs = {name: request(sub) for name, sub in agg.sub.items() if not isinstance(sub, Count)}
    if subs:
        body["aggs"] = subs
    return body


def _subs(subs: Mapping[str, SubAggregation], raw: dict[str, Any]) -> dict[str, SubResult]:
    out: dict[str, SubResult] = {}
    for name, sub in subs.items():
        out[name] = CountResult(int(raw["doc_count"])) if isinstance(sub, Count) else result(sub, raw[name])
    return out


def result(agg: DateHistogram | Terms | Cardinality, raw: dict[str, Any]) -> Any:
    if isinstance(agg, Cardinality):
        return CardinalityResult(int(round(raw["value"] or 0)))
    if isinstance(agg, Terms):
        return TermsResult(
            [TermBucket(str(b["key"]), int(b["doc_count"]), _subs(agg.sub, b)) for b in raw["buckets"]],
            int(raw.get("sum_other_doc_count", 0)),
        )
    tz = ZoneInfo(agg.tz)
    found = {}
    for b in raw["buckets"]:
        start = datetime.fromtimestamp(b["key"] / 1000, tz)
        found[start] = HistogramBucket(start, int(b["doc_count"]), _subs(agg.sub, b))
    filled = buckets.fill(found, agg.interval, tz, agg.bounds, lambda: None)
    return HistogramResult([
        bucket if bucket is not None else HistogramBucket(start, 0, buckets.empty_subs(agg.sub)) for start, bucket in filled
    ])

