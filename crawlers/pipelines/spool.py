"""Hand posts to the spool in batches; then mark them seen and save the spider's marks.

Order matters for "nothing lost": the spool commits first, the crawl state second. A crash in
between re-delivers the batch next run, which the spool absorbs (idempotent by post id).
With ``PANTAU_DRY_RUN`` nothing is written: posts are only counted (``pantau/dry_run``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

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

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpoolPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if not self.dry_run:
            self.spool = Spool(self.path)

    async def process_item(self, item: Post) -> Post:
        if self.dry_run:
            self.crawler.stats.inc_value("pantau/dry_run")
            return item
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            await self._flush()
        return item

    async def _flush(self) -> None:
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
