"""Aggregation requests as ``elasticsearch.dsl`` aggregations, and their answers as Store results.

Histograms use ``calendar_interval`` with ``time_zone``, so buckets are local hours, days and
(Monday-based) weeks in the province's zone, daylight saving included.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch.dsl import A

from indexer import buckets
from indexer.elastic.compile import FIELD_MAP
from indexer.store import (
    Cardinality, CardinalityResult, Count, CountResult, DateHistogram, HistogramBucket, HistogramResult,
    SubAggregation, SubResult, TermBucket, Terms, TermsResult,
)


def request(agg: DateHistogram | Terms | Cardinality, tz: str):
    if isinstance(agg, Cardinality):
        return A("cardinality", field=FIELD_MAP[agg.field])
    if isinstance(agg, Terms):
        outer = A("terms", field=FIELD_MAP[agg.field], size=agg.size)
    else:
        outer = A("date_histogram", field="published_at", calendar_interval=agg.interval, time_zone=agg.tz, min_doc_count=1)
    for name, sub in agg.sub.items():
        if not isinstance(sub, Count):
            outer.bucket(name, request(sub, tz))
    return outer


def _subs(subs: Mapping[str, SubAggregation], raw: dict[str, Any], tz: str) -> dict[str, SubResult]:
    return {name: CountResult(int(raw["doc_count"])) if isinstance(sub, Count) else parse_result(sub, raw.get(name), tz)
            for name, sub in subs.items()}


def parse_result(agg: DateHistogram | Terms | Cardinality, raw: dict[str, Any] | None, tz: str) -> Any:
    """``raw`` None (no index yet) reads as an empty result."""
    if isinstance(agg, Cardinality):
        return CardinalityResult(int((raw or {}).get("value") or 0))
    if isinstance(agg, Terms):
        raw = raw or {"buckets": []}
        return TermsResult([TermBucket(str(b["key"]), int(b["doc_count"]), _subs(agg.sub, b, tz)) for b in raw["buckets"]],
                           int(raw.get("sum_other_doc_count", 0)))
    zone = ZoneInfo(agg.tz)
    found = {}
    for b in (raw or {"buckets": []})["buckets"]:
        start = datetime.fromtimestamp(b["key"] / 1000, zone)
        found[start] = HistogramBucket(start, int(b["doc_count"]), _subs(agg.sub, b, tz))
    filled = buckets.fill(found, agg.interval, zone, agg.bounds, lambda: None)
    return HistogramResult([b if b is not None else HistogramBucket(s, 0, buckets.empty_subs(agg.sub)) for s, b in filled])

