"""Detectors on synthetic count series: seasonality, zeros, slow growth, a true spike, one account
posting 200 times, 50 accounts posting one copied text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from alerts.detectors.base import Counts, Observation, Term, robust_baseline
from alerts.detectors.emerging_terms import EmergingTermsDetector
from alerts.detectors.negative_share import NegativeShareDetector
from alerts.detectors.volume_spike import VolumeSpikeDetector
from alerts.detectors.watch_terms import WatchTermsDetector

END = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)
HOURS_PER_WEEK = 168


def organic(n: int, negative: float = 0.3) -> Counts:
    """``n`` independent people, one post each."""
    return Counts(n, n, n, round(n * negative))


def weekly_series(weeks: int = 7, seed: int = 1, growth: float = 0.0) -> np.ndarray:
    """Hourly voices with a daily and weekly rhythm (busy weekday mornings, quiet nights and Sundays)."""
    rng = np.random.default_rng(seed)
    hours = np.arange(weeks * HOURS_PER_WEEK)
    daily = 2 + 10 * np.exp(-((hours % 24 - 10) ** 2) / 18)
    weekly = np.where((hours // 24) % 7 >= 5, 0.5, 1.0)
    trend = 1 + growth * hours / HOURS_PER_WEEK
    return rng.poisson(daily * weekly * trend)


def observe(series: np.ndarray, end: int, window: int = 3, extra: Counts = Counts(), weeks: int = 6) -> Observation:
    """The window of ``window`` hours ending at hour ``end``, with ``extra`` added to it."""
    def at(stop: int) -> Counts:
        return organic(int(series[stop - window:stop].sum()))

    now = at(end)
    current = Counts(now.posts + extra.posts, now.authors + extra.authors, now.clusters + extra.clusters, now.negative + extra.negative)
    baseline = tuple(at(end - k * HOURS_PER_WEEK) for k in range(1, weeks + 1) if end - k * HOURS_PER_WEEK - window >= 0)
    return Observation(END - timedelta(hours=window), END, current, baseline)


def test_a_week_of_ordinary_seasonal_traffic_never_fires() -> None:
    series = weekly_series(weeks=8)
    detector = VolumeSpikeDetector()
    last_week = range(7 * HOURS_PER_WEEK, 8 * HOURS_PER_WEEK)
    fired = [h for h in last_week if detector.evaluate(observe(series, h)) is not None]
    assert fired == []


def test_zero_against_zero_and_three_against_one_do_not_fire() -> None:
    detector = VolumeSpikeDetector()
    zeros = Observation(END, END, Counts(), tuple(Counts() for _ in range(6)))
    assert detector.evaluate(zeros) is None
    small = Observation(END, END, organic(3), tuple(organic(1) for _ in range(6)))
    assert detector.evaluate(small) is None


def test_slow_growth_is_not_a_spike() -> None:
    series = weekly_series(weeks=8, growth=0.05, seed=3)
    detector = VolumeSpikeDetector()
    fired = [h for h in range(7 * HOURS_PER_WEEK, 8 * HOURS_PER_WEEK) if detector.evaluate(observe(series, h)) is not None]
    assert fired == []


def test_a_true_spike_fires_with_count_expected_and_ratio() -> None:
    series = weekly_series(weeks=8)
    hour = 7 * HOURS_PER_WEEK + 24 + 11  # Tuesday 11:00
    obs = observe(series, hour, extra=organic(90, negative=0.8))
    finding = VolumeSpikeDetector().evaluate(obs)
    assert finding is not None
    assert finding.unit == "voices"
    assert finding.observed == obs.current.voices
    assert finding.expected == pytest.approx(robust_baseline([c.voices for c in obs.baseline])[0])
    assert finding.ratio >= 3 and finding.z >= 5
    assert finding.summary["amplified"] is False


def test_one_account_posting_200_times_cannot_trigger_alone() -> None:
    series = weekly_series(weeks=8)
    hour = 7 * HOURS_PER_WEEK + 24 + 11
    one_account = Counts(posts=200, authors=1, clusters=200, negative=1)
    obs = observe(series, hour, extra=one_account)
    assert VolumeSpikeDetector().evaluate(obs) is None
    # counted in raw posts the same window would have fired: the unit is what protects
    raw = VolumeSpikeDetector(unit="posts").evaluate(obs)
    assert raw is not None and raw.summary["amplified"] is True


def test_fifty_accounts_posting_one_copied_text_cannot_trigger_alone() -> None:
    series = weekly_series(weeks=8)
    hour = 7 * HOURS_PER_WEEK + 24 + 11
    campaign = Counts(posts=50, authors=50, clusters=1, negative=1, shared=49)
    obs = observe(series, hour, extra=campaign)
    assert VolumeSpikeDetector().evaluate(obs) is None


def test_both_kinds_of_campaign_at_once_are_two_voices() -> None:
    both = Counts(posts=10 + 200 + 50, authors=10 + 1 + 50, clusters=10 + 200 + 1, shared=49)
    assert both.voices == 12


def test_a_real_spike_during_a_campaign_fires_and_names_the_amplification() -> None:
    series = weekly_series(weeks=8)
    hour = 7 * HOURS_PER_WEEK + 24 + 11
    both = Counts(posts=60 + 300, authors=60 + 1, clusters=60 + 300, negative=50)
    finding = VolumeSpikeDetector().evaluate(observe(series, hour, extra=both))
    assert finding is not None and finding.summary["amplified"] is True


def test_not_enough_history_does_not_fire() -> None:
    detector = VolumeSpikeDetector()
    obs = Observation(END, END, organic(500), (organic(5),))
    assert detector.evaluate(obs) is None  # one week of baseline < min_history_weeks


def test_flat_history_uses_poisson_floor_not_an_infinite_z() -> None:
    median, sigma = robust_baseline([10, 10, 10, 10])
    assert median == 10 and sigma == pytest.approx(10 ** 0.5)
    assert VolumeSpikeDetector().evaluate(Observation(END, END, organic(18), tuple(organic(10) for _ in range(6)))) is None


def test_negative_share_fires_at_normal_volume_only() -> None:
    detector = NegativeShareDetector()
    baseline = tuple(organic(40, negative=0.25) for _ in range(6))
    jump = Observation(END, END, organic(45, negative=0.8), baseline)
    finding = detector.evaluate(jump)
    assert finding is not None and finding.unit == "share"
    assert finding.observed == pytest.approx(36 / 45) and finding.expected == pytest.approx(0.25)
    volume_spike = Observation(END, END, organic(200, negative=0.8), baseline)
    assert detector.evaluate(volume_spike) is None  # the volume detector's case
    steady = Observation(END, END, organic(45, negative=0.3), baseline)
    assert detector.evaluate(steady) is None


def test_emerging_terms_need_count_and_lift() -> None:
    detector = EmergingTermsDetector(ignore=["jateng"])
    base = tuple(organic(30) for _ in range(6))
    terms = (Term("jateng", 40, 10, 50.0), Term("ambrol", 12, 0, 30.0), Term("jalan", 20, 400, 1.1), Term("rob", 3, 0, 40.0))
    finding = detector.evaluate(Observation(END, END, organic(40), base, terms))
    assert finding is not None
    assert [t["term"] for t in finding.summary["terms"]] == ["ambrol"]
    assert detector.evaluate(Observation(END, END, organic(40), base, (Term("jalan", 20, 400, 1.1),))) is None


def test_watch_terms_fire_at_once_without_history() -> None:
    detector = WatchTermsDetector(terms=["meninggal"])
    finding = detector.evaluate(Observation(END, END, Counts(), (), matches=("p1",)))
    assert finding is not None and finding.observed == 1 and finding.summary["post_ids"] == ["p1"]
    assert detector.evaluate(Observation(END, END, Counts(), (), matches=())) is None


def test_detector_options_are_checked() -> None:
    with pytest.raises(ValueError, match="missing required option 'terms'"):
        WatchTermsDetector()
    with pytest.raises(ValueError, match="unknown option 'min_ratoi'"):
        VolumeSpikeDetector(min_ratoi=3)
    with pytest.raises(ValueError, match="between 4 and 8"):
        VolumeSpikeDetector(baseline_weeks=2)
