"""Local-time bucket starts, including zones with daylight saving (the Elasticsearch path)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from indexer import buckets

WIB = ZoneInfo("Asia/Jakarta")
AMS = ZoneInfo("Europe/Amsterdam")


def test_floor_to_local_day_hour_and_monday():
    moment = datetime(2025, 3, 9, 17, 30, tzinfo=timezone.utc)  # 00:30 WIB on Monday 10 March
    assert buckets.floor(moment, "day", WIB) == datetime(2025, 3, 10, tzinfo=WIB)
    assert buckets.floor(moment, "hour", WIB) == datetime(2025, 3, 10, 0, tzinfo=WIB)
    assert buckets.floor(moment - timedelta(hours=1), "week", WIB) == datetime(2025, 3, 3, tzinfo=WIB)


def test_fill_lays_found_buckets_on_every_start_within_bounds():
    found = {datetime(2025, 3, 9, tzinfo=WIB): "x"}
    filled = buckets.fill(found, "day", WIB, (datetime(2025, 3, 8, tzinfo=WIB), datetime(2025, 3, 11, tzinfo=WIB)), lambda: "-")
    assert [(s.day, v) for s, v in filled] == [(8, "-"), (9, "x"), (10, "-")]


def test_days_stay_local_days_across_daylight_saving():
    start, end = datetime(2025, 3, 29, tzinfo=AMS), datetime(2025, 4, 1, tzinfo=AMS)
    starts = [s for s, _ in buckets.fill({}, "day", AMS, (start, end), lambda: 0)]
    assert [s.day for s in starts] == [29, 30, 31]
    assert all((s.hour, s.minute) == (0, 0) for s in starts)
    assert starts[2].timestamp() - starts[1].timestamp() == 23 * 3600  # 30 March lost an hour


def test_fixed_offset_zones():
    assert buckets.fixed_offset("Asia/Jakarta") == timedelta(hours=7)
    assert buckets.fixed_offset("Asia/Makassar") == timedelta(hours=8)
    assert buckets.fixed_offset("Asia/Jayapura") == timedelta(hours=9)
    assert buckets.fixed_offset("Europe/Amsterdam") is None
