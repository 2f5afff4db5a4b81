"""Hand posts to the spool in batches; then mark them seen and save the spider's marks.

Order matters for "nothing lost": the spool commits first, the crawl state second. A crash in
between re-delivers the batch next run, which the spool absorbs (idempotent by post id).
A :class:`~crawlers.backfill.Checkpoint` (a backfill's or an import's resume point) flushes
every post handed over before it and is saved only once they are committed and marked seen;
flushes take turns (one lock), so a checkpoint never overtakes a batch still being written.
With ``PANTAU_DRY_RUN`` nothing is written: posts are only counted (``pantau/dry_run``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy.exceptions import DropItem

from crawlers.backfill import Checkpoint
from crawlers.configure import config_from_settings
from pantau.post import Post
from pantau.spool import Spool

log = logging.getLogger(__name__)

SPOOL_FILE = "spool.sqlite3"


class SpoolPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.dry_run = crawler.settings.getbool("PANTAU_DRY_RUN")
        self.batch_size = crawler.settings.getint("PANTAU_SPOOL_BATCH", 200)
        self.path = config_from_settings(crawler.settings).data_dir / SPOOL_FILE
        self.buffer: list[Post] = []
        self.spool: Spool | None = None
        self.failed = False
        self.turn = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpoolPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if not self.dry_run:
            self.spool = Spool(self.path)

    async def process_item(self, item: Post | Checkpoint) -> Post:
        if isinstance(item, Checkpoint):
            await self._save_checkpoint(item)
            raise DropItem(f"resume point {item.mark} saved")  # not a post: not counted as kept
        if self.dry_run:
            self.crawler.stats.inc_value("pantau/dry_run")
            return item
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            await self._flush()
        return item

    async def _save_checkpoint(self, checkpoint: Checkpoint) -> None:
        if self.dry_run:
            return
        await self._flush()
        async with self.turn:
            if self.failed:  # posts before it were not spooled: the resume point must stay behind them
                return
            await asyncio.to_thread(self.crawler.spider.crawl_state.set_marks, checkpoint.source,
                                    {checkpoint.mark: checkpoint.value})

    async def _flush(self) -> None:
        async with self.turn:
            batch, self.buffer = self.buffer, []
            if not batch or self.spool is None:
                return
            spider = self.crawler.spider
            try:
                await asyncio.to_thread(self.spool.put_many, batch)
            except Exception as exc:  # a full disk must not kill the crawl silently: count it, keep the marks back
                self.failed = True
                log.error("%s: spooling %d posts failed: %s", spider.name, len(batch), exc)
                self.crawler.stats.inc_value("pantau/errors/spool", len(batch))
                return
            await asyncio.to_thread(spider.crawl_state.mark_seen, spider.name, [p.id for p in batch])
            self.crawler.stats.inc_value("pantau/spooled", len(batch))

    async def close_spider(self) -> None:
        await self._flush()
        spider = self.crawler.spider
        if not self.dry_run and not self.failed and spider.pending_marks:
            await asyncio.to_thread(spider.crawl_state.set_marks, spider.name, dict(spider.pending_marks))
        if self.spool is not None:
            self.spool.close()
