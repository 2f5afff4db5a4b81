"""The bundled sample: large, varied, deterministic, with an ordinary week and two spikes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from pantau.demo.sample import build
from pantau.demo.texts import TextBank
from pantau.demo.timing import WIB

ANCHOR = datetime(2026, 11, 25, 10, 7, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sample():
    return build(ANCHOR)


def test_at_least_1500_posts_over_60_days_from_every_source(sample) -> None:
    assert len(sample.items) >= 1500
    assert {i.source for i in sample.items} == {"news", "playstore", "youtube", "mastodon"}
    times = [i.published_at for i in sample.items]
    assert max(times) <= ANCHOR
    assert ANCHOR - min(times) > timedelta(days=58)


def test_the_same_anchor_gives_the_same_posts_and_ids_never_depend_on_time(sample) -> None:
    assert [(i.native_id, i.text, i.published_at) for i in build(ANCHOR).items] == [
        (i.native_id, i.text, i.published_at) for i in sample.items]
    assert [i.native_id for i in build(ANCHOR + timedelta(hours=5)).items if i.source != "news"] == [
        i.native_id for i in sample.items if i.source != "news"]


def test_texts_are_varied_not_a_handful_of_templates(sample) -> None:
    texts = [i.text for i in sample.items if i.source != "news"]
    assert len(set(texts)) / len(texts) > 0.97
    words = Counter(w.lower() for t in texts for w in t.split())
    assert len(words) > 1800


def test_weekdays_are_busier_than_weekends_and_nights_quieter_than_evenings(sample) -> None:
    ordinary = [i.published_at.astimezone(WIB) for i in sample.items if i.spike is None]
    by_day = Counter(t.weekday() for t in ordinary)
    assert min(by_day[d] for d in range(5)) > max(by_day[5], by_day[6])
    by_hour = Counter(t.hour for t in ordinary)
    assert sum(by_hour[h] for h in (1, 2, 3)) * 3 < sum(by_hour[h] for h in (19, 20, 21))


@pytest.mark.parametrize("name, region, word", [("water", "3374", "Semarang"), ("roads", "3315", "Grobogan")])
def test_each_spike_is_many_distinct_voices_about_one_service_in_one_region(sample, name, region, word) -> None:
    spike = next(s for s in sample.spikes if s.name == name)
    posts = [i for i in sample.items if i.spike == name]
    social = [p for p in posts if p.source != "news"]
    assert len(social) >= 30
    assert len({p.author_id for p in social}) == len(social)
    assert len({p.text for p in social}) == len(social)
    places = [word.lower(), *(d.lower() for d in TextBank().region(region).districts)]
    assert all(p.region == region and any(place in p.text.lower() for place in places) for p in social)
    assert all(spike.start <= p.published_at <= spike.end for p in posts)
    late = [p for p in social if p.published_at > spike.end - timedelta(hours=3)]
    assert len(late) >= 15  # enough voices inside the alert window (3 h) that ends at the check
    assert spike.end < ANCHOR - timedelta(minutes=15)
