"""Backfill and resume points: how far back a long job got, saved only after the spool committed.

A spider in backfill mode (``since`` given) or an import yields a :class:`Checkpoint` after the
posts of each page (or each block of rows). The spool pipeline flushes every post handed to it
before the checkpoint, then saves the checkpoint in the crawl state under ``backfill:<key>`` (or
``import:<key>``), apart from the normal crawl's high-water marks, so a backfill never moves
them. A rerun after Ctrl-C or kill -9 continues from the last saved checkpoint; the posts after
it that were spooled before the kill are dropped as seen, so nothing is spooled twice.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

BACKFILL_PREFIX = "backfill:"
IMPORT_PREFIX = "import:"


@dataclass
class Checkpoint:
    """An item meaning "everything yielded before me is handled; save this resume point"."""

    source: str
    mark: str  # the crawl-state key, e.g. "backfill:mastodon.social:jateng"
    value: str  # the JSON of a Resume


@dataclass(frozen=True)
class Resume:
    """Where a backfill of one key (an instance and tag, an app, a channel, a query) stands.

    ``cursor`` is the source's own paging token for the next (older) page, ``oldest`` the ISO
    time of the oldest post reached, ``exhausted`` that the source had nothing older to give.
    """

    cursor: str | None = None
    oldest: str | None = None
    exhausted: bool = False
    pages: int = 0
    posts: int = 0

    def reached(self, since: datetime) -> bool:
        """Nothing more to fetch for a backfill back to ``since``."""
        return self.exhausted or (self.oldest is not None and datetime.fromisoformat(self.oldest) <= since)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> Resume:
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(**{k: data[k] for k in ("cursor", "oldest", "exhausted", "pages", "posts") if k in data})
        except (ValueError, TypeError):
            return cls()  # an unreadable point starts over: seen ids keep that from spooling twice

    def after_page(self, cursor: str | None, oldest: datetime | None, exhausted: bool, posts: int) -> Resume:
        """The point after one more page: the cursor moves on, ``oldest`` only ever goes back."""
        stamp = oldest.isoformat() if oldest else None
        if self.oldest and (stamp is None or self.oldest < stamp):
            stamp = self.oldest
        return Resume(cursor, stamp, exhausted, self.pages + 1, self.posts + posts)
