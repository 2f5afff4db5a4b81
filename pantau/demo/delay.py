"""How long after a spike's last post its alert email arrives, under the daemon's cadences.

``pantau run`` crawls each source every ``every_minutes`` and evaluates the alerts every
``alerts.check_every_minutes``, each on its own timetable started when the daemon starts, so
where a post falls between two ticks is chance. The delay of one spike is therefore:

1. the wait for the next crawl of the source carrying the last post (uniform over the cadence);
2. the measured time of a crawl cycle plus tagging and indexing (the benchmark's run);
3. the wait for the next alert check (uniform over its cadence), repeated while the check's
   window (its time floored to the cadence, see ``alerts.engine.window_end``) still ends before
   the post, since such a window cannot contain it;
4. the measured time from the start of a check to the email's arrival at the SMTP server.

The waits are averaged over random timetable phases (Monte Carlo, seeded): the mean is the
expected delay, the 95th percentile and the maximum bound it.
"""

from __future__ import annotations

import random
import statistics
from datetime import datetime, timedelta

from alerts.engine import window_end

SAMPLES = 20_000


def expected_delay(last_post: datetime, crawl_every_min: int, check_every_min: int, pipeline_s: float,
                   check_to_mail_s: float, seed: int = 0) -> dict[str, float]:
    rng = random.Random(seed)
    crawl, check = crawl_every_min * 60.0, check_every_min * 60.0
    delays = []
    for _ in range(SAMPLES):
        indexed = last_post + timedelta(seconds=rng.uniform(0, crawl) + pipeline_s)
        tick = indexed + timedelta(seconds=rng.uniform(0, check))
        while window_end(tick, check_every_min) <= last_post:
            tick += timedelta(seconds=check)
        delays.append((tick - last_post).total_seconds() + check_to_mail_s)
    delays.sort()
    return {"mean_s": round(statistics.fmean(delays), 1), "p95_s": round(delays[int(0.95 * len(delays))], 1),
            "max_s": round(delays[-1], 1)}
