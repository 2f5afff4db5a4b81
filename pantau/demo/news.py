"""News articles of the sample: four regional outlets and the province's own news pages.

An article is a headline, a lead, one or two quotes and a closing paragraph of one topic, all
about one place, with a reporter. Each planted spike also gets its article, published while
the outcry is under way.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

from pantau.demo.items import Item, stable_id
from pantau.demo.texts import TextBank
from pantau.demo.timing import Clock, Spike

ARTICLES = 150
#: outlet slug -> display name. ``beritadaerah`` is the province's HTML listing.
OUTLETS = {"tribun": "Tribun Jateng (sampel)", "detik": "detikJateng (sampel)", "antara": "Antara Jateng (sampel)",
           "suaramerdeka": "Suara Merdeka (sampel)", "beritadaerah": "Berita Daerah Jateng (sampel)"}


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]


def _compose(bank: TextBank, rng: random.Random, topic: str, region_code: str | None = None) -> tuple[str, list[str], str]:
    parts = {p: [w.text for w in bank.news if w.key == topic and w.label == p] for p in ("headline", "lead", "quote", "close")}
    region = bank.region(region_code) if region_code else bank.pick_region(rng)
    shared = {"kec": rng.choice(region.districts), "road": rng.choice(region.roads), "place": region.mentions[0],
              "official": bank.person(rng), "citizen": bank.person(rng)}
    fill = lambda text: bank.fill(text, rng, region, shared)  # noqa: E731 - one place for the whole article
    quotes = rng.sample(parts["quote"], k=min(len(parts["quote"]), rng.choice((1, 2))))
    body = [fill(rng.choice(parts["lead"])), *(fill(q) for q in quotes), fill(rng.choice(parts["close"]))]
    return fill(rng.choice(parts["headline"])), body, region.code


def articles(bank: TextBank, clock: Clock, rng: random.Random, planted: tuple[Spike, Spike]) -> list[Item]:
    topics = sorted({w.key for w in bank.news if not w.key.startswith("spike-")})
    out = []
    for i, moment in enumerate(clock.times(ARTICLES, news=True)):
        topic = rng.choice(topics)
        title, body, region = _compose(bank, rng, topic)
        outlet = rng.choices(list(OUTLETS), weights=(3, 3, 2, 2, 1))[0]
        out.append(_article(i, outlet, moment, title, body, topic, region, bank.person(rng), None))
    for spike in planted:
        title, body, region = _compose(bank, rng, f"spike-{spike.name}", spike.region_code)
        moment = spike.end - timedelta(minutes=50)
        out.append(_article(spike.name, "tribun" if spike.name == "water" else "detik", moment, title, body,
                            spike.topic, region, bank.person(rng), spike.name))
    return out


def _article(key: object, outlet: str, moment, title: str, body: list[str], topic: str, region: str, reporter: str,
             spike: str | None) -> Item:
    slug = f"{slugify(title)}-{stable_id('article', key, size=3)}"
    return Item("news", slug, moment, "\n\n".join(body), topic, region, spike, author_name=reporter, title=title,
                extra={"outlet": outlet, "paragraphs": body})
