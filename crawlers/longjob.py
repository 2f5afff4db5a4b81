"""Long crawl jobs (``pantau backfill``, ``pantau import``) watched from the terminal.

The crawl runs in its child process (see :mod:`crawlers.run`) from a worker thread, while the
calling thread polls the crawl state for progress. Ctrl-C reaches the child too (same process
group): Scrapy stops after the requests in flight and the spool pipeline saves what it has, so
the job's resume point is where it stopped; this waits for that, then re-raises the interrupt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_watched(job: Callable[[], T], poll: Callable[[], None], interval_s: float = 0.5) -> T:
    """``job()`` in a thread, ``poll()`` every ``interval_s`` until it returns; its result or error."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = job()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="pantau-long-job", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            poll()
            worker.join(interval_s)
    except KeyboardInterrupt:
        worker.join()  # the child stops on the same SIGINT, after saving its resume point
        raise
    poll()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
