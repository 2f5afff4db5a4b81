"""Hand-written Mastodon tag timelines of any length, paged as the API pages them, for backfills.

``write_timeline`` writes ``mastodon/api/v1/timelines/tag/<tag>`` (the newest page) and one
``<tag>@max_id=<id>`` file per older page, as the harness's file server picks page variants:
each page holds the statuses just older than the ``max_id`` the client sent, newest first, and
the page after the oldest status is ``[]``, as Mastodon answers at the end of a timeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

FIRST_ID = 113_600_000_000_000_000
PLACES = ("Kota Semarang", "Kabupaten Demak", "Kabupaten Grobogan", "Kota Surakarta")
COMPLAINTS = ("jalan rusak belum diperbaiki", "air PDAM mati sejak pagi", "antrean Samsat lama sekali",
              "lampu jalan padam berhari-hari")


@dataclass(frozen=True)
class Timeline:
    uris: list[str]  # newest first
    times: list[datetime]
    pages: int


def status(number: int, at: datetime, tag: str) -> dict:
    sid = str(FIRST_ID + number)
    user = f"warga{number % 97}"
    text = f"{COMPLAINTS[number % len(COMPLAINTS)].capitalize()} di {PLACES[number % len(PLACES)]} (laporan {number})"
    return {
        "id": sid, "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "in_reply_to_id": None, "sensitive": False,
        "spoiler_text": "", "visibility": "public", "language": "id",
        "uri": f"https://mastodon.social/users/{user}/statuses/{sid}", "url": f"https://mastodon.social/@{user}/{sid}",
        "replies_count": number % 3, "reblogs_count": 0, "favourites_count": number % 5, "edited_at": None,
        "content": f"<p>{text} <a href=\"https://mastodon.social/tags/{tag}\" class=\"mention hashtag\">#<span>{tag}</span></a></p>",
        "reblog": None, "account": {"id": str(number % 97), "username": user, "acct": user, "display_name": f"Warga {number % 97}",
                                    "url": f"https://mastodon.social/@{user}"},
        "media_attachments": [], "mentions": [], "tags": [{"name": tag, "url": f"https://mastodon.social/tags/{tag}"}],
    }


def write_timeline(root: Path, tag: str, count: int, newest: datetime, step: timedelta, per_page: int = 40) -> Timeline:
    """``count`` statuses, one every ``step`` back from ``newest``, in pages of ``per_page``."""
    folder = root / "mastodon" / "api" / "v1" / "timelines" / "tag"
    folder.mkdir(parents=True, exist_ok=True)
    numbers = list(range(count - 1, -1, -1))  # newest first: the highest id is the newest status
    times = [newest - step * (count - 1 - n) for n in numbers]
    statuses = [status(n, at, tag) for n, at in zip(numbers, times)]
    pages = [statuses[i: i + per_page] for i in range(0, count, per_page)]
    name = tag
    for page in pages:
        (folder / name).write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")
        name = f"{tag}@max_id={page[-1]['id']}"
    (folder / name).write_text("[]", encoding="utf-8")
    return Timeline([s["uri"] for s in statuses], times, len(pages))
