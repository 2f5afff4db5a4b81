"""Google Play reviews of the sample: three government apps, stars, versions, developers' replies."""

from __future__ import annotations

import random

from pantau.demo.items import Item, stable_id
from pantau.demo.texts import TextBank
from pantau.demo.timing import Clock

#: app key -> (package id, reviews in the sample, versions oldest first).
APPS = {
    "jkn": ("app.bpjs.mobile", 340, ("4.9.1", "4.10.0", "4.11.2")),
    "ikd": ("gov.dukcapil.mobile_id", 260, ("1.3.4", "1.4.0")),
    "paspor": ("id.go.imigrasi.paspor_online", 200, ("3.2.1", "3.3.0", "3.3.5")),
}
#: Share of reviews at or below 3 stars that get a developer's reply.
REPLY_SHARE = 0.35


def reviews(bank: TextBank, clock: Clock, rng: random.Random) -> list[Item]:
    out = []
    pool = [bank.person(rng) for _ in range(900)]
    for key, (package, count, versions) in APPS.items():
        written = [w for w in bank.reviews if w.key == key]
        replies = [w for w in bank.replies if w.key == key]
        for i, moment in enumerate(clock.times(count)):
            line = rng.choice(written)
            low, high = (int(x) for x in line.label.split("-"))
            region = bank.pick_region(rng)
            text = bank.social_post(rng, line, region, slang=rng.uniform(0.1, 0.7))
            name = rng.choice(pool)
            share = (moment - clock.hours[0]) / (clock.anchor - clock.hours[0])
            version = versions[min(int(share * len(versions)), len(versions) - 1)]
            stars = rng.randint(low, high)
            extra: dict[str, object] = {"app": package, "version": version if rng.random() < 0.9 else None,
                                        "rating": stars, "avatar": f"https://play-lh.googleusercontent.com/a/{stable_id('avatar', name, size=10)}"}
            if stars <= 3 and rng.random() < REPLY_SHARE:
                reply = bank.fill(rng.choice(replies).text, rng, region, {"name": name.split()[0]})
                extra.update(reply=reply, reply_at=clock.after(moment, 72))
            out.append(Item("playstore", "gp:AOqpTO" + stable_id("review", key, i, size=24), moment, text, key,
                            region=None, author_name=name, likes=int(rng.paretovariate(1.3)) - 1, extra=extra))
    return out
