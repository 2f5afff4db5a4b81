"""The overview cache: shared within its period, recomputed after it, off at 0."""

from __future__ import annotations

from dashboard.cache import TimedCache


def test_cache_shares_results_within_the_period_and_recomputes_after():
    calls = []
    clock = [100.0]
    cache = TimedCache(seconds=60, clock=lambda: clock[0])
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get_or_compute("k", compute) == 1
    assert cache.get_or_compute("k", compute) == 1
    assert cache.get_or_compute("other", compute) == 2
    clock[0] += 59
    assert cache.get_or_compute("k", compute) == 1
    clock[0] += 1
    assert cache.get_or_compute("k", compute) == 3


def test_cache_off_always_computes():
    calls = []
    cache = TimedCache(seconds=0)
    for _ in range(3):
        cache.get_or_compute("k", lambda: calls.append(1))
    assert len(calls) == 3
