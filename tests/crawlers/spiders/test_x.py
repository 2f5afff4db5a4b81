"""X: recent search fields, since_id/next_token paging, a missing or rejected token."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.x import XSpider
from tests.crawlers.helpers import make_config, make_spider, response, split, stat

PAGE = "x/2/tweets/search/recent"
TOML = '[sources.x]\nenabled = true\nbearer_token = "AAAATEST"\n'


@pytest.fixture
def spider(tmp_path):
    return make_spider(XSpider, make_config(tmp_path, TOML))


@pytest.fixture
def parsed(spider):
    return split(spider.parse_tweets(response(PAGE), number=1, since_id=None))


@pytest.fixture
def nur(parsed):
    return parsed[0][0]


def drain(spider):
    async def run():
        return [r async for r in spider.start()]
    return asyncio.run(run())


def test_request_sends_the_bearer_token_and_query(spider):
    (request,) = drain(spider)
    assert request.meta["pantau_auth"] and spider.auth_headers() == {"Authorization": "Bearer AAAATEST"}
    assert parse_qs(urlsplit(request.url).query)["query"] == ["(jateng OR semarang) lang:id -is:retweet"]


def test_native_id(nur):
    assert nur.native_id == "1858000000000000002"


def test_text(nur):
    assert nur.text == "Pelayanan KTP di Disdukcapil Semarang hari ini cepat banget, salut 👍"


def test_published_at(nur):
    assert nur.published_at == datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)


def test_engagement_counts_retweets_and_quotes_as_shares(nur):
    assert (nur.likes, nur.replies, nur.shares) == (25, 1, 5)


def test_author_from_includes(nur):
    assert nur.author_name == "Nur Aini" and nur.url == "https://x.com/nuraini_smg/status/1858000000000000002"
    assert "2244994945" not in nur.author_hash


def test_reply_parent_and_conversation(parsed):
    reply = parsed[0][1]
    assert (reply.parent_id, reply.thread_id) == ("1857999999999999000", "1857999999999999000")


def test_next_token_pages_and_newest_id_is_the_mark(spider, parsed):
    assert parse_qs(urlsplit(parsed[1][0].url).query)["next_token"] == ["b26v89c19zqg8o3fpds"]
    assert spider.pending_marks == {"newest_id": "1858000000000000002"}


def test_since_id_comes_from_the_mark(spider):
    spider.crawl_state.set_marks("x", {"newest_id": "1857000000000000000"})
    (request,) = drain(spider)
    assert parse_qs(urlsplit(request.url).query)["since_id"] == ["1857000000000000000"]


def test_missing_token_is_a_clear_counted_error(tmp_path, caplog):
    spider = make_spider(XSpider, make_config(tmp_path))
    assert drain(spider) == [] and stat(spider, "errors/no_token") == 1 and "PANTAU_X_BEARER_TOKEN" in caplog.text


def test_rejected_token_is_a_clear_counted_error(spider, caplog):
    spider.on_api_error(Failure(HttpError(response("x/error-unauthorized.json", status=401))))
    assert stat(spider, "errors/token_rejected") == 1 and "bearer token was rejected" in caplog.text
