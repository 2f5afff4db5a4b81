"""A callback that raises must not end a crawl: log it, count it, carry on.

Bad data from a source is the normal case (a changed page, a truncated answer). Spiders count
the failures they expect themselves; this catches the rest, as ``pantau/errors/<Exception>``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.http import Response

log = logging.getLogger(__name__)


class FailureCountMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> FailureCountMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any]:
        name = type(exception).__name__
        log.error("%s: parsing %s failed: %s: %s", self.crawler.spider.name, response.url, name, exception)
        self.crawler.stats.inc_value(f"pantau/errors/{name}")
        return []
