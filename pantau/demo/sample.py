"""The demo sample: every post of the bundled sample site, generated from the written texts.

:func:`build` is deterministic: the same anchor and seed give the same posts, authors, ids,
wordings and times. Social and review ids depend on the seed only; news ids are the article
slugs (from their headlines). The demo keeps its anchor, so re-runs serve the same site and a
re-crawl adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from pantau.demo import social
from pantau.demo.items import Item
from pantau.demo.news import articles
from pantau.demo.reviews import reviews
from pantau.demo.texts import TextBank
from pantau.demo.timing import Clock, Spike, spikes

SEED = 7


@dataclass
class Sample:
    anchor: datetime
    items: list[Item]
    spikes: tuple[Spike, Spike]
    videos: list[social.Video]

    def by_source(self, source: str) -> list[Item]:
        return [i for i in self.items if i.source == source]


def build(anchor: datetime, seed: int = SEED) -> Sample:
    """All posts of the sample site for a demo anchored at ``anchor`` (timezone-aware)."""
    bank = TextBank()
    clock = Clock(anchor, random.Random(seed))
    rng = random.Random(seed + 1)
    planted = spikes(clock.anchor)
    videos = social.videos(bank, clock, rng, planted)
    items: list[Item] = []
    items += articles(bank, clock, rng, planted)
    items += reviews(bank, clock, rng)
    items += social.comments(bank, clock, rng, videos, planted)
    items += social.toots(bank, clock, rng, planted)
    return Sample(clock.anchor, items, planted, videos)
