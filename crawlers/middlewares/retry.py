"""Retries with exponential backoff, and ``Retry-After`` honoured on 429 and 503.

Replaces Scrapy's RetryMiddleware (which retries at once). Before a retry the request waits:
the server's ``Retry-After`` (seconds or an HTTP date) when it sent one (or X's
``x-rate-limit-reset``), else ``PANTAU_BACKOFF_S * 2**n``. A Retry-After longer than ``PANTAU_RETRY_AFTER_CAP_S`` is not
waited out: the request fails and is counted (``pantau/errors/retry_after_too_long``), because
holding a crawl cycle for an hour helps nobody.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object

log = logging.getLogger(__name__)

RETRY_HTTP_CODES = frozenset({429, 500, 502, 503, 504, 408, 522, 524})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def rate_limit_reset_seconds(value: bytes | str, now: float | None = None) -> float | None:
    """Seconds until an ``x-rate-limit-reset`` epoch time; None if unreadable."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if not text.strip().isdigit():
        return None
    return max(0.0, int(text) - (time.time() if now is None else now))


class BackoffRetryMiddleware:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.max_retries = settings.getint("RETRY_TIMES", 3)
        self.backoff_s = settings.getfloat("PANTAU_BACKOFF_S", 2.0)
        self.cap_s = settings.getfloat("PANTAU_RETRY_AFTER_CAP_S", 300.0)
        self.exceptions = tuple(load_object(x) if isinstance(x, str) else x for x in settings.getlist("RETRY_EXCEPTIONS"))

    @classmethod
    def from_crawler(cls, crawler: Any) -> BackoffRetryMiddleware:
        return cls(crawler)

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"pantau/{key}")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in RETRY_HTTP_CODES:
            return response
        wait = None
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait is None and response.headers.get(b"X-Rate-Limit-Reset"):  # X API: epoch second of the reset
                wait = rate_limit_reset_seconds(response.headers[b"X-Rate-Limit-Reset"])
            if wait is not None:
                self._count("retry/retry_after")
                if wait > self.cap_s:
                    log.warning("%s asks to retry after %.0f s (cap %.0f s): giving up", request.url, wait, self.cap_s)
                    self._count("errors/retry_after_too_long")
                    return response
        return await self._retry(request, f"status {response.status}", wait) or response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        return await self._retry(request, type(exception).__name__, None)

    async def _retry(self, request: Request, reason: str, wait: float | None) -> Request | None:
        attempt = request.meta.get("retry_times", 0)
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=reason, max_retry_times=self.max_retries
        )
        if retry is None:
            return None
        delay = wait if wait is not None else self.backoff_s * (2**attempt)
        if delay > 0:
            log.info("retrying %s in %.1f s (%s)", request.url, delay, reason)
            await asyncio.sleep(delay)
        return retry
