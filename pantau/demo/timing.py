"""When the sample's posts are published: an ordinary week, a daily cycle, and two spikes.

Times are drawn in the province's time zone (WIB) so that the daily cycle is local: quiet
nights, a morning peak, lunch and an evening peak; weekdays busier than weekends. Everything is
relative to an anchor ("now" when the sample is generated), so the last days are current.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
DAYS = 60
#: Relative activity by local hour 0-23 (social posts; news uses working hours).
HOURLY = (2, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 7, 9, 8, 7, 7, 8, 9, 9, 10, 11, 10, 7, 4)
NEWS_HOURLY = (0, 0, 0, 0, 0, 1, 3, 6, 8, 9, 9, 8, 7, 8, 8, 7, 6, 5, 4, 3, 3, 2, 1, 0)
#: Monday .. Sunday.
WEEKLY = (1.0, 1.0, 0.95, 0.95, 0.9, 0.7, 0.55)


@dataclass(frozen=True)
class Spike:
    """A planted complaint spike: ``voices`` posts between ``start`` and ``end`` (UTC)."""

    name: str
    topic: str
    agency: str
    region_code: str
    region_name: str
    start: datetime
    end: datetime


def spikes(anchor: datetime) -> tuple[Spike, Spike]:
    """The two planted spikes, both ending shortly before the anchor.

    They end 20 and 25 minutes before the anchor so that an alert check run right after the
    crawl (its window ends at the anchor floored to the default 15-minute cadence) sees them
    whole; the water spike lasts about six hours, the road spike about four.
    """
    water = Spike("water", "water", "pdam", "3374", "Kota Semarang",
                  anchor - timedelta(hours=6, minutes=20), anchor - timedelta(minutes=20))
    roads = Spike("roads", "roads", "dpu-bina-marga", "3315", "Kabupaten Grobogan",
                  anchor - timedelta(hours=4, minutes=25), anchor - timedelta(minutes=25))
    return water, roads


class Clock:
    """Draws publication times over the ``DAYS`` before ``anchor`` with the weekly rhythm."""

    def __init__(self, anchor: datetime, rng: random.Random) -> None:
        self.anchor = anchor.astimezone(timezone.utc)
        self.rng = rng
        start_local = (self.anchor - timedelta(days=DAYS)).astimezone(WIB).replace(minute=0, second=0, microsecond=0)
        self.hours = [start_local + timedelta(hours=h) for h in range(DAYS * 24)]

    def _weights(self, hourly: tuple[int, ...]) -> list[float]:
        return [WEEKLY[h.weekday()] * hourly[h.hour] for h in self.hours]

    def times(self, n: int, news: bool = False) -> list[datetime]:
        """``n`` times in the past ``DAYS`` days (UTC, sorted), never after the anchor."""
        weights = self._weights(NEWS_HOURLY if news else HOURLY)
        out = []
        while len(out) < n:
            hour = self.rng.choices(self.hours, weights=weights)[0]
            moment = (hour + timedelta(seconds=self.rng.randrange(3600))).astimezone(timezone.utc)
            if moment < self.anchor - timedelta(minutes=30):
                out.append(moment.replace(microsecond=0))
        return sorted(out)

    def after(self, moment: datetime, max_hours: float) -> datetime:
        """A time after ``moment`` (a reply, a comment under a video), capped at the anchor."""
        later = moment + timedelta(seconds=self.rng.uniform(600, max_hours * 3600))
        return min(later, self.anchor - timedelta(minutes=35)).replace(microsecond=0)

    def during(self, spike: Spike, n: int, last: bool = True) -> list[datetime]:
        """``n`` times over the spike, rising to a peak in its second half (triangular draw).

        With ``last`` the final one is the spike's end: the spike's last post, the benchmark's
        reference point (one source carries it, so its crawl cadence is the one that counts).
        """
        end = spike.end if last else spike.end - timedelta(minutes=4)
        span = (end - spike.start).total_seconds()
        times = [spike.start + timedelta(seconds=self.rng.triangular(0, span, span * 0.8)) for _ in range(n - 1)]
        times.append(end)
        return sorted(t.replace(microsecond=0) for t in times)
