"""A small time-bounded cache for the overview's aggregations.

The PR team keeps the overview open all day and many users share one scope, while the numbers
of a 90-day window over a million posts cost hundreds of milliseconds to aggregate. Results are
kept for ``[dashboard] cache_seconds`` under a key that includes the window end floored to that
period, so a cached answer is never older than the period and every user of a scope shares it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

MAX_ENTRIES = 256


class TimedCache:
    def __init__(self, seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.seconds <= 0:
            return compute()
        now = self.clock()
        with self._lock:
            found = self._items.get(key)
            if found is not None and now - found[0] < self.seconds:
                self._items.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > MAX_ENTRIES:
                self._items.popitem(last=False)
        return value
