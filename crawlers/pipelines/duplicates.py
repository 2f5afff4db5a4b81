"""Drop posts already delivered, in this run or an earlier one (the crawl state's seen ids)."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawlers.backfill import Checkpoint
from pantau.post import Post


class DuplicatesPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.this_run: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DuplicatesPipeline:
        return cls(crawler)

    def process_item(self, item: Post | Checkpoint) -> Post | Checkpoint:
        if isinstance(item, Checkpoint):
            return item
        if item.id in self.this_run or self.crawler.spider.crawl_state.is_seen(item.source, item.id):
            self.crawler.stats.inc_value("pantau/dropped/duplicate")
            raise DropItem(f"already delivered: {item.source} {item.native_id}")
        self.this_run.add(item.id)
        return item
