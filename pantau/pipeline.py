"""Spool -> tag -> index: the hand-off that makes crawled posts searchable.

A batch is acknowledged only after the store has committed it, so a crash anywhere re-delivers
the batch, and the store's idempotent ``put_many`` (by post id) makes the replay harmless. A
store that is down releases the batch untouched (the spool grows and drains when it is back);
a post that makes the tagger fail is isolated and dead-lettered alone, so one poison post never
holds up the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from pantau.errors import StoreUnavailable
from pantau.post import Post
from pantau.spool import Batch, Spool

log = logging.getLogger(__name__)


class Tagger(Protocol):
    def tag(self, posts: list[Post]) -> list[Post]: ...


class Sink(Protocol):
    def put_many(self, posts: list[Post]) -> object: ...


def process_batch(spool: Spool, tagger: Tagger, store: Sink, batch_size: int) -> int:
    """Tag and index one batch; return how many posts were indexed (0: the spool is empty).

    Raises :class:`StoreUnavailable` after releasing the batch when the store is down.
    """
    batch = spool.claim(batch_size)
    if batch is None:
        return 0
    try:
        tagged = tagger.tag(batch.posts)
    except Exception as exc:  # noqa: BLE001 - any tagger failure: find the post that causes it
        log.warning("tagging a batch of %d failed (%s); tagging its posts one by one", len(batch), exc)
        tagged = _tag_one_by_one(spool, tagger, batch)
    try:
        store.put_many(tagged)
    except StoreUnavailable:
        spool.release(batch.subset({p.id for p in tagged}))
        raise
    spool.ack(batch.subset({p.id for p in tagged}))
    return len(tagged)


def _tag_one_by_one(spool: Spool, tagger: Tagger, batch: Batch) -> list[Post]:
    tagged: list[Post] = []
    for post in batch.posts:
        try:
            tagged.extend(tagger.tag([post]))
        except Exception as exc:  # noqa: BLE001 - recorded with the post in the dead-letter table
            log.error("post %s cannot be tagged: %s", post.id, exc)
            spool.nack(batch.subset({post.id}), f"tagging failed: {exc}")
    return tagged


def drain(
    spool: Spool,
    tagger: Tagger,
    store: Sink,
    batch_size: int = 256,
    stop: Callable[[], bool] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Process batches until the spool is empty or ``stop()`` says so; return the count indexed.

    ``stop`` is checked between batches only: the batch in hand is always finished.
    """
    total = 0
    while not (stop and stop()):
        done = process_batch(spool, tagger, store, batch_size)
        if done == 0 and spool.stats().pending == 0:
            break
        total += done
        if on_batch:
            on_batch(done)
    return total
