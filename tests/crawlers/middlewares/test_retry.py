import asyncio
from datetime import datetime, timezone

from scrapy.http import Request, Response

from crawlers.middlewares.retry import BackoffRetryMiddleware, retry_after_seconds
from crawlers.spiders.mastodon import MastodonSpider
from tests.crawlers.helpers import make_config, make_crawler, stat


def test_retry_after_in_seconds():
    assert retry_after_seconds(b"120") == 120.0


def test_retry_after_as_http_date():
    now = datetime(2026, 11, 20, 7, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Fri, 20 Nov 2026 07:00:30 GMT", now) == 30.0


def test_retry_after_garbage_is_ignored():
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def middleware(tmp_path, toml="[crawl]\nbackoff_s = 0.0\n"):
    crawler = make_crawler(MastodonSpider, make_config(tmp_path, toml))
    crawler.spider = MastodonSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    return BackoffRetryMiddleware.from_crawler(crawler), crawler.spider


def test_429_with_retry_after_is_retried(tmp_path):
    mw, spider = middleware(tmp_path)
    request = Request("http://127.0.0.1/x")
    result = asyncio.run(mw.process_response(request, Response(request.url, status=429, headers={"Retry-After": "0"}, request=request)))
    assert isinstance(result, Request) and result.meta["retry_times"] == 1 and stat(spider, "retry/retry_after") == 1


def test_retry_after_longer_than_the_cap_gives_up_and_counts(tmp_path):
    mw, spider = middleware(tmp_path, "[crawl]\nretry_after_cap_s = 10.0\n")
    request = Request("http://127.0.0.1/x")
    response = Response(request.url, status=503, headers={"Retry-After": "3600"}, request=request)
    assert asyncio.run(mw.process_response(request, response)) is response
    assert stat(spider, "errors/retry_after_too_long") == 1


def test_retries_stop_after_the_limit(tmp_path):
    mw, _ = middleware(tmp_path, "[crawl]\nbackoff_s = 0.0\nmax_retries = 2\n")
    request = Request("http://127.0.0.1/x", meta={"retry_times": 2})
    response = Response(request.url, status=500, request=request)
    assert asyncio.run(mw.process_response(request, response)) is response


def test_success_passes_through(tmp_path):
    mw, _ = middleware(tmp_path)
    request = Request("http://127.0.0.1/x")
    response = Response(request.url, status=200, request=request)
    assert asyncio.run(mw.process_response(request, response)) is response


def test_x_rate_limit_reset_is_read_as_a_wait():
    from crawlers.middlewares.retry import rate_limit_reset_seconds

    assert rate_limit_reset_seconds(b"1000", now=940.0) == 60.0 and rate_limit_reset_seconds("x") is None


def test_429_with_x_rate_limit_reset_is_retried_and_counted(tmp_path):
    import time

    mw, spider = middleware(tmp_path)
    request = Request("http://127.0.0.1/x")
    headers = {"X-Rate-Limit-Reset": str(int(time.time()) - 5)}
    result = asyncio.run(mw.process_response(request, Response(request.url, status=429, headers=headers, request=request)))
    assert isinstance(result, Request) and stat(spider, "retry/retry_after") == 1
