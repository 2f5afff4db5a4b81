"""Fixtures of the alerts tests: a real embedded store in tmp_path and a post factory."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from indexer.embedded.store import EmbeddedStore
from pantau.config import Config, SmtpSettings, AlertsSettings, PathsSettings
from pantau.post import Post, Region, Sentiment

_ids = itertools.count()
NOW = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)  # Monday 12:00 WIB


def make_post(at: datetime, text: str = "jalan rusak parah di desa kami", *, author: str | None = None,
              cluster: str | None = None, agency: str = "dpu-bina-marga", sentiment: str = "negative",
              region: tuple[str, str] = ("3374", "Kota Semarang"), source: str = "mastodon") -> Post:
    n = next(_ids)
    return Post(source=source, native_id=f"p{n}", text=text, published_at=at, site="mastodon.social",
                url=f"https://mastodon.social/@x/{n}", author_hash=author or f"a{n:05d}", cluster_id=cluster or f"c{n:05d}",
                sentiment=Sentiment(sentiment, 0.9), kind="complaint", agencies=[agency], topics=["jalan"],
                region=Region(*region), lang="id")


def weekly_traffic(end: datetime, weeks: int = 6, per_hour: int = 2) -> list[Post]:
    """A steady history: ``per_hour`` independent posts every hour of the last ``weeks`` weeks."""
    posts = []
    hours = weeks * 7 * 24
    for h in range(1, hours + 1):
        at = end - timedelta(hours=h)
        for i in range(per_hour):
            posts.append(make_post(at + timedelta(minutes=7 * i), "jalan berlubang belum diperbaiki",
                                   sentiment="negative" if (h + i) % 3 == 0 else "neutral"))
    return posts


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path / "store") as s:
        yield s


@pytest.fixture
def config(tmp_path: Path, smtp_server) -> Config:
    return dataclasses.replace(
        Config(),
        paths=PathsSettings(data_dir=str(tmp_path / "data")),
        smtp=SmtpSettings(host=smtp_server.host, port=smtp_server.port, security="plain", sender="Pantau <pantau@jatengprov.go.id>"),
        alerts=AlertsSettings(dashboard_url="https://pantau.example.go.id"),
    )
