"""Only valid Post records go on (and resume points): anything else is dropped and counted by the field at fault."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from crawlers.backfill import Checkpoint
from crawlers.configure import config_from_settings
from pantau.post import InvalidPost, Post


class ValidatePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.max_text_chars = config_from_settings(crawler.settings).crawl.max_text_chars

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Checkpoint):
            return item  # a resume point, saved by the spool pipeline
        if not isinstance(item, Post):
            self.crawler.stats.inc_value("pantau/dropped/not_a_post")
            raise DropItem(f"not a Post: {type(item).__name__}")
        try:
            return item.validate(self.max_text_chars)
        except InvalidPost as exc:
            self.crawler.stats.inc_value(f"pantau/dropped/invalid/{exc.field}")
            raise DropItem(f"{item.source} {item.native_id!r}: {exc}") from None
