"""YouTube comments and Mastodon toots of the sample, with the two spikes' voices.

Ordinary traffic comes from a pool of regular accounts (a few talk a lot, most rarely) over
the whole period; each spike's posts come from fresh accounts, one written voice each, so the
alerts count them as many distinct voices, as they would a real outcry.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from pantau.demo.items import Item, stable_id
from pantau.demo.texts import Region, TextBank, Written
from pantau.demo.timing import Clock, Spike

YOUTUBE_COMMENTS = 620
VIDEOS = 36
TOOTS = 300
INSTANCES = ("mastodon.social", "mastodon.id")
#: How many of each spike's written voices go to YouTube (the rest are toots).
SPIKE_COMMENTS = {"water": 20, "roads": 18}


@dataclass(frozen=True)
class Video:
    id: str
    channel: str
    title: str
    topic: str
    region: str
    published_at: datetime
    spike: str | None = None


def _handle(bank: TextBank, rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(bank.fragments["first_names"]), rng.choice(bank.fragments["last_names"])
    style = rng.choice(bank.fragments["handle_styles"])
    handle = style.format(first=first.lower(), last=last.lower(), n=rng.randint(1, 99))
    return handle, f"{first} {last}" if rng.random() < 0.6 else handle


def _fresh(bank: TextBank, rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A new account for a spike's voice: never one already used by another voice."""
    while True:
        handle, name = _handle(bank, rng)
        if handle not in used:
            used.add(handle)
            return handle, name


def _accounts(bank: TextBank, rng: random.Random, n: int) -> list[tuple[str, str]]:
    return [_handle(bank, rng) for _ in range(n)]


def _regular(rng: random.Random, pool: list[tuple[str, str]]) -> tuple[str, str]:
    """Zipf-like: a few accounts post often, most once or twice."""
    return pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1) if rng.random() < 0.35 else rng.randrange(len(pool))]


def videos(bank: TextBank, clock: Clock, rng: random.Random, planted: tuple[Spike, Spike]) -> list[Video]:
    channels = bank.fragments["youtube_channels"]
    topics = sorted(bank.fragments["video_titles"])
    found = []
    for i, moment in enumerate(clock.times(VIDEOS, news=True)):
        topic, region = rng.choice(topics), bank.pick_region(rng)
        title = bank.fill(bank.fragments["video_titles"][topic], rng, region)
        found.append(Video(stable_id("video", i, size=6)[:11], rng.choice(channels)["id"], title, topic, region.code, moment))
    for spike, channel in zip(planted, (channels[2], channels[1])):
        found.append(Video(stable_id("video", spike.name, size=6)[:11], channel["id"], bank.fragments["spike_videos"][spike.name],
                           spike.topic, spike.region_code, spike.start - timedelta(minutes=40), spike.name))
    return sorted(found, key=lambda v: v.published_at)


def _line(bank: TextBank, rng: random.Random, topic: str | None) -> tuple[Written, str]:
    lines = [w for w in bank.social if topic is None or w.key == topic] or bank.social
    chosen = rng.choice(lines)
    return chosen, chosen.key


def _second(bank: TextBank, rng: random.Random, topic: str, share: float) -> Written | None:
    """Now and then a second thought on the same topic, for longer posts."""
    return _line(bank, rng, topic)[0] if rng.random() < share else None


def comments(bank: TextBank, clock: Clock, rng: random.Random, vids: list[Video], planted: tuple[Spike, Spike]) -> list[Item]:
    pool = _accounts(bank, rng, 380)
    ordinary = [v for v in vids if v.spike is None]
    out = []
    for i, moment in enumerate(clock.times(YOUTUBE_COMMENTS)):
        older = [v for v in ordinary if v.published_at < moment] or ordinary[:1]
        video = rng.choices(older, weights=[1 + 3 * (j >= len(older) - 4) for j in range(len(older))])[0]
        on_topic = rng.random() < 0.7
        written, topic = _line(bank, rng, video.topic if on_topic else None)
        region = bank.region(video.region) if on_topic and rng.random() < 0.8 else bank.pick_region(rng)
        text = bank.social_post(rng, written, region, slang=rng.uniform(0.3, 0.9), more=_second(bank, rng, topic, 0.2))
        handle, name = _regular(rng, pool)
        out.append(_comment(i, moment, text, topic, region.code, handle, name, video, rng, None))
    used = {h for h, _ in pool}
    for spike in planted:
        voices = [w for w in bank.spikes if w.key == spike.name][: SPIKE_COMMENTS[spike.name]]
        video = next(v for v in vids if v.spike == spike.name)
        region = bank.region(spike.region_code)
        for j, (written, moment) in enumerate(zip(voices, clock.during(spike, len(voices), last=False))):
            text = bank.social_post(rng, written, region, slang=rng.uniform(0.1, 0.6), terse=0)
            handle, name = _fresh(bank, rng, used)
            out.append(_comment(f"{spike.name}{j}", moment, text, spike.topic, region.code, handle, name, video, rng, spike.name))
    return out


def _comment(key: object, moment: datetime, text: str, topic: str, region: str, handle: str, name: str,
             video: Video, rng: random.Random, spike: str | None) -> Item:
    return Item("youtube", "Ugz" + stable_id("comment", key, size=9), moment, text, topic, region, spike,
                author_id="UC" + stable_id("channel", handle, size=11)[:22], author_name=f"@{handle}",
                likes=int(rng.paretovariate(1.5)) - 1,
                extra={"video": video.id, "channel": video.channel, "replies": rng.choice((0, 0, 0, 1, 2))})


def _tags(bank: TextBank, rng: random.Random, region: Region, topic: str) -> list[str]:
    tags = ["semarang"] if region.code == "3374" and rng.random() < 0.75 else []
    tags.append("jateng" if rng.random() < 0.6 else "jawatengah")
    if rng.random() < 0.5:
        tags.append(rng.choice(bank.fragments["topic_hashtags"][topic]))
    return tags


def toots(bank: TextBank, clock: Clock, rng: random.Random, planted: tuple[Spike, Spike]) -> list[Item]:
    pool = _accounts(bank, rng, 140)
    out = []
    for i, moment in enumerate(clock.times(TOOTS)):
        written, topic = _line(bank, rng, None)
        region = bank.pick_region(rng)
        text = bank.social_post(rng, written, region, slang=rng.uniform(0.0, 0.5), more=_second(bank, rng, topic, 0.35))
        handle, name = _regular(rng, pool)
        out.append(_toot(i, moment, text, topic, region.code, handle, name, _tags(bank, rng, region, topic), rng, None))
    used = {h for h, _ in pool}
    for spike in planted:
        voices = [w for w in bank.spikes if w.key == spike.name][SPIKE_COMMENTS[spike.name]:]
        region = bank.region(spike.region_code)
        for j, (written, moment) in enumerate(zip(voices, clock.during(spike, len(voices)))):
            text = bank.social_post(rng, written, region, slang=rng.uniform(0.0, 0.4), terse=0)
            handle, name = _fresh(bank, rng, used)
            tags = (["semarang"] if spike.name == "water" else []) + ["jateng"] + ([rng.choice(bank.fragments["topic_hashtags"][spike.topic])] if rng.random() < 0.3 else [])
            out.append(_toot(f"{spike.name}{j}", moment, text, spike.topic, region.code, handle, name, tags, rng, spike.name))
    return out


def _toot(key: object, moment: datetime, text: str, topic: str, region: str, handle: str, name: str,
          tags: list[str], rng: random.Random, spike: str | None) -> Item:
    home = INSTANCES[int(stable_id("home", handle, size=2), 16) % len(INSTANCES)]
    federated = rng.random() < 0.3
    return Item("mastodon", stable_id("toot", key, size=8), moment, text, topic, region, spike,
                author_id=f"https://{home}/@{handle}", author_name=name, likes=int(rng.paretovariate(1.6)) - 1,
                extra={"instance": home, "handle": handle, "tags": tags, "federated": federated,
                       "reblogs": rng.choice((0, 0, 0, 1, 2, 4)), "replies": rng.choice((0, 0, 1))})
