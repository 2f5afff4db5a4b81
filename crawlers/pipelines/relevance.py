"""Keep only posts about the province's services, agencies, regions or watch terms.

Sources configured with ``keep_all`` (news, import) pass everything. Dropped posts are counted
as ``pantau/dropped/irrelevant``; kept ones by the kinds of term they matched
(``pantau/relevant/<kind>``), so an operator can see why the filter keeps what it keeps.
Dropped posts are remembered as seen too, so the next run neither fetches nor judges them again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.exceptions import DropItem

from crawlers import vocabulary
from crawlers.backfill import Checkpoint
from crawlers.configure import config_from_settings
from pantau.post import Post


class RelevancePipeline:
    def __init__(self, crawler: Any, relevance: vocabulary.Relevance) -> None:
        self.crawler = crawler
        self.relevance = relevance
        self.cfg = config_from_settings(crawler.settings)
        self.dry_run = crawler.settings.getbool("PANTAU_DRY_RUN")
        self.irrelevant: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> RelevancePipeline:
        return cls(crawler, vocabulary.from_config(config_from_settings(crawler.settings)))

    def _keep_all(self, source: str) -> bool:
        section = getattr(self.cfg.sources, "import_" if source == "import" else source, None)
        return bool(getattr(section, "keep_all", False))

    def process_item(self, item: Post | Checkpoint) -> Post | Checkpoint:
        if isinstance(item, Checkpoint):
            return item
        stats = self.crawler.stats
        if self._keep_all(item.source):
            stats.inc_value("pantau/relevant/keep_all")
            return item
        kinds = self.relevance.kinds(f"{item.title or ''}\n{item.text}")
        if not kinds:
            stats.inc_value("pantau/dropped/irrelevant")
            self.irrelevant.append(item.id)
            raise DropItem(f"irrelevant: {item.source} {item.native_id}")
        for kind in sorted(kinds):
            stats.inc_value(f"pantau/relevant/{kind}")
        return item

    async def close_spider(self) -> None:
        spider = self.crawler.spider
        if self.irrelevant and not self.dry_run:
            await asyncio.to_thread(spider.crawl_state.mark_seen, spider.name, self.irrelevant)
