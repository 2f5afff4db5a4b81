"""The spool -> tag -> index hand-off, with the real spool and the real embedded store.

The tagger here is a fault injector (it fails on a chosen post, or every time), which is the
point of these tests: what the pipeline does when a stage fails.
"""

from datetime import datetime, timezone

import pytest

from indexer.embedded.store import EmbeddedStore
from indexer.query import MATCH_ALL
from pantau.errors import StoreUnavailable
from pantau.pipeline import drain, process_batch
from pantau.post import Post
from pantau.spool import Spool

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


class LanguageTagger:
    """Tags every post as Indonesian; fails on posts whose text contains ``poison``."""

    def tag(self, posts):
        for post in posts:
            if "poison" in post.text:
                raise ValueError("cannot tag this post")
            post.lang = "id"
        return posts


class UnreachableStore:
    def put_many(self, posts):
        raise StoreUnavailable("index down")


def posts(n, text="air PDAM mati"):
    return [Post(source="import", native_id=f"p{i}", text=f"{text} {i}", published_at=NOW) for i in range(n)]


@pytest.fixture
def spool(tmp_path):
    with Spool(tmp_path / "spool.sqlite3", max_attempts=2) as s:
        yield s


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "store") as s:
        yield s


def test_drain_indexes_everything_once_and_empties_the_spool(spool, store):
    spool.put_many(posts(25))
    assert drain(spool, LanguageTagger(), store, batch_size=10) == 25
    assert store.count(MATCH_ALL) == 25
    assert spool.stats().pending == 0
    spool.put_many(posts(25))  # a re-crawl of the same posts
    drain(spool, LanguageTagger(), store, batch_size=10)
    assert store.count(MATCH_ALL) == 25
    assert store.get(posts(1)[0].id).lang == "id"


def test_a_poison_post_is_dead_lettered_alone(spool, store):
    batch = posts(5) + [Post(source="import", native_id="bad", text="poison pill", published_at=NOW)]
    spool.put_many(batch)
    drain(spool, LanguageTagger(), store, batch_size=10)
    assert store.count(MATCH_ALL) == 5
    assert spool.stats().dead == 1 and spool.stats().pending == 0


def test_store_down_keeps_the_batch_without_burning_attempts(spool, store):
    spool.put_many(posts(3))
    for _ in range(5):  # more outages than max_attempts: nothing may be dead-lettered
        with pytest.raises(StoreUnavailable):
            process_batch(spool, LanguageTagger(), UnreachableStore(), 10)
    assert spool.stats().pending == 3 and spool.stats().dead == 0
    assert drain(spool, LanguageTagger(), store, batch_size=10) == 3


def test_stop_is_checked_between_batches(spool, store):
    spool.put_many(posts(30))
    calls = []
    assert drain(spool, LanguageTagger(), store, batch_size=10, stop=lambda: len(calls) >= 1, on_batch=calls.append) == 10
    assert spool.stats().pending == 20
