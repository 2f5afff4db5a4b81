"""Credentials are added to a request only on its way out, never stored with it.

A request marked ``meta["pantau_auth"] = True`` gets the spider's ``auth_headers()`` here, in
the downloader. So API keys and tokens are neither in URLs (which Scrapy logs) nor in the
requests a JOBDIR writes to disk.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Request


class AuthHeadersMiddleware:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> AuthHeadersMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if request.meta.get("pantau_auth"):
            for name, value in self.crawler.spider.auth_headers().items():
                request.headers[name] = value
