"""Synthetic traffic for the alerts benchmark: 15-minute counts per agency with daily and
weekly seasonality, slow growth, overdispersed noise, planted spikes and repost storms.

The benchmark runs the detectors over these count series directly (not through a store): it
measures the detection logic, not the index. Each step holds posts, distinct authors, distinct
clusters, negative voices and authors sharing a copied text, as :mod:`alerts.series` would read them from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import numpy as np

STEP = timedelta(minutes=15)
STEPS_PER_DAY = 96
STEPS_PER_WEEK = 7 * STEPS_PER_DAY
# Share of a day's voices in each local hour (WIB): quiet nights, a morning and an evening peak.
HOURLY = np.array([1, .6, .4, .3, .4, .9, 2, 3.5, 5, 6, 6, 5.5, 5, 5, 5, 4.8, 4.5, 4.5, 5, 5.5, 5.5, 4.5, 3, 1.8])
WEEKDAY = np.array([1.05, 1.0, 1.0, 1.0, 0.95, 0.75, 0.65])  # Monday first
SIZES = (1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 8.0)


@dataclass(frozen=True)
class Spike:
    agency: str
    region: str
    start: int  # step index
    steps: int
    size: float  # voices during the spike / expected voices


@dataclass(frozen=True)
class Storm:
    agency: str
    start: int
    steps: int
    kind: str  # "one_account" (one author, many texts) or "copy_text" (many authors, one text)
    posts: int


@dataclass
class Traffic:
    start: datetime  # UTC time of step 0 (local midnight)
    steps: int
    agencies: list[str]
    regions: list[str]
    posts: dict[str, np.ndarray] = field(default_factory=dict)
    authors: dict[str, np.ndarray] = field(default_factory=dict)
    clusters: dict[str, np.ndarray] = field(default_factory=dict)
    negative: dict[str, np.ndarray] = field(default_factory=dict)
    shared: dict[str, np.ndarray] = field(default_factory=dict)
    spikes: list[Spike] = field(default_factory=list)
    storms: list[Storm] = field(default_factory=list)

    def time(self, step: int) -> datetime:
        return self.start + step * STEP


def generate(*, seed: int = 7, days: int = 90, agencies: int = 8, regions: int = 6, spikes: int = 60,
             storms: int = 24, first_day: int = 28, utc_offset_h: int = 7) -> Traffic:
    """Traffic of ``days`` days; spikes and storms are planted from ``first_day`` on (the
    detectors need that much history for their seasonal baseline)."""
    rng = np.random.default_rng(seed)
    steps = days * STEPS_PER_DAY
    start = datetime(2025, 3, 3, tzinfo=timezone.utc) - timedelta(hours=utc_offset_h)  # a Monday, local midnight
    names = [f"agency-{i + 1:02d}" for i in range(agencies)]
    region_names = [f"33{i + 1:02d}" for i in range(regions)]
    traffic = Traffic(start, steps, names, region_names)
    idx = np.arange(steps)
    hour = (idx // 4) % 24
    weekday = (idx // STEPS_PER_DAY) % 7
    shape = HOURLY[hour] / HOURLY.sum() / 4 * WEEKDAY[weekday]
    daily = np.repeat(rng.lognormal(0, 0.12, size=(agencies, days)), STEPS_PER_DAY, axis=1)
    growth = 1 + 0.015 * idx / STEPS_PER_WEEK
    expected = {}
    for i, name in enumerate(names):
        per_day = float(rng.uniform(60, 800))
        expected[name] = per_day * shape * growth * daily[i]
    plans = _plant_spikes(rng, names, region_names, spikes, first_day, days)
    extra = {name: np.zeros(steps) for name in names}
    neg_extra = {name: np.zeros(steps) for name in names}
    for spike in plans:
        span = slice(spike.start, spike.start + spike.steps)
        add = (spike.size - 1) * expected[spike.agency][span]
        extra[spike.agency][span] += add
        neg_extra[spike.agency][span] += 0.7 * add
    for name in names:
        lam = rng.gamma(8.0, (expected[name] + extra[name]) / 8.0)  # overdispersed: gamma-Poisson
        voices = rng.poisson(lam)
        spike_voices = np.minimum(rng.poisson(extra[name]), voices)
        negative = rng.binomial(voices - spike_voices, 0.3) + rng.binomial(spike_voices, 0.75)
        traffic.posts[name] = voices + rng.binomial(voices, 0.08)
        traffic.authors[name] = voices.copy()
        traffic.clusters[name] = voices - rng.binomial(voices, 0.03)  # a few people echo one text
        traffic.shared[name] = voices - traffic.clusters[name]
        traffic.negative[name] = negative
    traffic.spikes = plans
    traffic.storms = _plant_storms(rng, traffic, storms, first_day, days)
    return traffic


def _plant_spikes(rng: np.random.Generator, names: list[str], regions: list[str], count: int, first_day: int, days: int) -> list[Spike]:
    """Non-overlapping spikes (at least two days apart per agency), starting in local daytime."""
    taken: dict[str, list[int]] = {n: [] for n in names}
    out: list[Spike] = []
    while len(out) < count:
        agency = names[int(rng.integers(len(names)))]
        day = int(rng.integers(first_day, days - 1))
        if any(abs(day - d) < 2 for d in taken[agency]):
            continue
        taken[agency].append(day)
        start = day * STEPS_PER_DAY + int(rng.integers(7 * 4, 20 * 4))
        out.append(Spike(agency, regions[int(rng.integers(len(regions)))], start, int(rng.integers(8, 33)),
                         float(SIZES[len(out) % len(SIZES)])))
    return sorted(out, key=lambda s: s.start)


def _plant_storms(rng: np.random.Generator, traffic: Traffic, count: int, first_day: int, days: int) -> list[Storm]:
    """Repost storms: one account posting 50-300 times, or 30-150 accounts posting one text."""
    out: list[Storm] = []
    for i in range(count):
        agency = traffic.agencies[int(rng.integers(len(traffic.agencies)))]
        start = int(rng.integers(first_day, days - 1)) * STEPS_PER_DAY + int(rng.integers(6 * 4, 21 * 4))
        steps = int(rng.integers(4, 13))
        kind = "one_account" if i % 2 == 0 else "copy_text"
        posts = int(rng.integers(50, 301)) if kind == "one_account" else int(rng.integers(30, 151))
        per_step = np.bincount(rng.integers(0, steps, size=posts), minlength=steps)
        span = slice(start, start + steps)
        # Series are summed over a window, so the storm's one account (or one text) is counted
        # once, at the storm's first step, not once per step.
        first = np.zeros(steps, dtype=int)
        first[0] = 1
        traffic.posts[agency][span] += per_step
        if kind == "one_account":
            traffic.authors[agency][span] += first
            traffic.clusters[agency][span] += per_step
        else:
            traffic.authors[agency][span] += per_step
            traffic.clusters[agency][span] += first
            traffic.shared[agency][span] += per_step - first
        traffic.negative[agency][span] += first if kind == "copy_text" else 0
        out.append(Storm(agency, start, steps, kind, posts))
    return out
