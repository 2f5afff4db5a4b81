"""A site that keeps publishing, for the daemon fault tests: Play reviews and Mastodon statuses
written as the real APIs answer them, into a folder served by the harness's file server.

``publish(play, toots)`` adds that many new posts (newer than all before) and rewrites the pages:
Play pages of ``PAGE`` reviews newest first, each naming the next page's token (the file
``batchexecute@<token>``); the Mastodon tag timeline's newest page (``jateng``) and, for every
status id a crawl may have kept as its mark, ``jateng@min_id=<id>``: the up to 40 statuses
just after it, newest first, as Mastodon answers ``min_id`` (``[]`` after the newest).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pantau.demo.formats import batchexecute
from pantau.post import post_id
from tests.crawlers.backfill_site import status

APP = "id.go.jatengprov.samsat"
PAGE = 20
FIRST_ID = 113_700_000_000_000_000


@dataclass
class GrowingSite:
    root: Path
    reviews: list[list] = field(default_factory=list)  # newest first
    statuses: list[dict] = field(default_factory=list)  # newest first
    start: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1))

    def publish(self, play: int, toots: int) -> None:
        for _ in range(play):
            n = len(self.reviews)
            at = int(self.start.timestamp()) + n  # one a second from an hour ago: a new review is the newest
            text = f"Aplikasi Samsat online error terus waktu bayar pajak kendaraan, percobaan ke-{n}"
            self.reviews.insert(0, [f"gp:rev-{n:05d}", [f"Pengguna {n}", [None, 2, [96, 96], [None, None, f"https://a/{n}"]]],
                                    1 + n % 5, None, text, [at, 0], n % 4, None, None, None, "2.3.0"])
        for _ in range(toots):
            n = len(self.statuses)
            raw = status(n, self.start + timedelta(seconds=n), "jateng")
            raw["id"] = str(FIRST_ID + n)
            raw["uri"] = raw["uri"].rsplit("/", 1)[0] + f"/{raw['id']}"
            self.statuses.insert(0, raw)
        self._write()

    def _write(self) -> None:
        play = self.root / "play" / "_" / "PlayStoreUi" / "data"
        play.mkdir(parents=True, exist_ok=True)
        pages = [self.reviews[i: i + PAGE] for i in range(0, len(self.reviews), PAGE)] or [[]]
        for number, page in enumerate(pages):
            token = f"pagetok-{number + 2:04d}" if number + 1 < len(pages) else None
            name = "batchexecute" if number == 0 else f"batchexecute@pagetok-{number + 1:04d}"
            (play / name).write_text(batchexecute(page, token), encoding="utf-8")
        tags = self.root / "mastodon" / "api" / "v1" / "timelines" / "tag"
        tags.mkdir(parents=True, exist_ok=True)
        (tags / "jateng").write_text(json.dumps(self.statuses[:40]), encoding="utf-8")
        for index, raw in enumerate(self.statuses):
            newer = self.statuses[max(0, index - 40): index]
            (tags / f"jateng@min_id={raw['id']}").write_text(json.dumps(newer), encoding="utf-8")

    def post_ids(self) -> set[str]:
        return ({post_id("playstore", r[0]) for r in self.reviews}
                | {post_id("mastodon", s["uri"]) for s in self.statuses})

    def native_ids(self) -> set[str]:
        return {r[0] for r in self.reviews} | {s["uri"] for s in self.statuses}

    def config(self, base_url: str, data_dir: Path, extra: str = "") -> str:
        quiet = "".join(f"[sources.{s}]\nenabled = false\n" for s in ("news", "youtube", "bluesky", "x"))
        return f"""[paths]
data_dir = "{data_dir}"
[privacy]
author_key = "fault-test"
[crawl]
download_delay_s = 0.0
backoff_s = 0.0
max_retries = 1
[sources.playstore]
apps = ["{APP}"]
base_url = "{base_url}play"
page_size = {PAGE}
every_minutes = 1
[sources.mastodon]
instances = ["{base_url}mastodon"]
tags = ["jateng"]
every_minutes = 1
{quiet}{extra}"""
