"""YouTube: commentThreads.list fields, paging, quota and error bodies."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.youtube import YoutubeSpider
from tests.crawlers.helpers import make_config, make_spider, response, split, stat

PAGE = "youtube/v3/commentThreads"
TARGET = ("allThreadsRelatedToChannelId", "UCpemprovjateng000000001")
KW = {"target": TARGET, "number": 1, "stop_at": None, "newest": None}
TOML = '[sources.youtube]\nenabled = true\napi_key = "AIzaTEST"\nchannels = ["UCpemprovjateng000000001"]\nsearch_terms = "jalan"\ndaily_quota = 3\n'


@pytest.fixture
def spider(tmp_path):
    return make_spider(YoutubeSpider, make_config(tmp_path, TOML))


@pytest.fixture
def parsed(spider):
    return split(spider.parse_threads(response(PAGE), **KW))


@pytest.fixture
def first(parsed):
    return parsed[0][0]


def query(request):
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def test_request_asks_for_the_channel_newest_first(spider):
    q = query(spider.page(TARGET, None, 1, None, None))
    assert q["allThreadsRelatedToChannelId"] == "UCpemprovjateng000000001" and q["order"] == "time"
    assert q["searchTerms"] == "jalan" and q["part"] == "snippet"


def test_api_key_travels_in_a_header_not_the_url(spider):
    request = spider.page(TARGET, None, 1, None, None)
    assert "AIza" not in request.url and request.meta["pantau_auth"]
    assert spider.auth_headers() == {"X-Goog-Api-Key": "AIzaTEST"}


def test_native_id_is_the_comment_id(first):
    assert first.native_id == "UgzKq1xY2wV3uT4sR5qP6AaABAg"


def test_text_is_the_original_not_the_html(first):
    assert first.text.endswith("diperbaiki & diberi penerangan.")


def test_published_at(first):
    assert first.published_at == datetime(2026, 11, 20, 6, 12, 45, tzinfo=timezone.utc)


def test_likes_and_replies(first):
    assert (first.likes, first.replies) == (24, 3)


def test_site_is_the_channel(first):
    assert first.site == "UCpemprovjateng000000001"


def test_url_and_video(first):
    assert first.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzKq1xY2wV3uT4sR5qP6AaABAg"
    assert first.extra == {"video_id": "dQw4w9WgXcQ"}


def test_author_is_hashed_from_the_channel_id(first):
    assert first.author_name == "@warga_tembalang" and "UCwarga" not in first.author_hash


def test_next_page_token_is_sent(parsed):
    assert query(parsed[1][0])["pageToken"] == "QURTSl9pMlRfUEFHRTI"


def test_quota_is_counted_and_respected(spider):
    requests = [spider.page(TARGET, None, 1, None, None) for _ in range(4)]
    assert [r is not None for r in requests] == [True, True, True, False]
    assert stat(spider, "youtube/quota_units") == 3 and stat(spider, "youtube/quota_exhausted") == 1


def test_paging_stops_at_the_newest_comment_already_seen(spider):
    posts, requests = split(spider.parse_threads(response(PAGE), **{**KW, "stop_at": "2026-11-20T05:00:00+00:00"}))
    assert len(posts) == 1 and not requests
    assert spider.pending_marks == {"UCpemprovjateng000000001:newest": "2026-11-20T06:12:45+00:00"}


def _http_failure(copy, status):
    return Failure(HttpError(response(copy, status=status)))


def test_quota_error_body_is_logged_and_counted(spider, caplog):
    spider.on_api_error(_http_failure("youtube/error-quota.json", 403))
    assert stat(spider, "errors/forbidden") == 1 and "exceeded your" in caplog.text
    assert spider.page(TARGET, None, 1, None, None) is None and stat(spider, "youtube/quota_exhausted") == 1


def test_comments_disabled_is_not_a_failure(spider):
    spider.on_api_error(_http_failure("youtube/error-comments-disabled.json", 403))
    assert stat(spider, "youtube/comments_disabled") == 1 and stat(spider, "errors/forbidden") == 0


def test_truncated_json_is_a_counted_failure(spider):
    posts, requests = split(spider.parse_threads(response(PAGE, body=b'{"items": [{"id": "Ugz'), **KW))
    assert (posts, requests) == ([], []) and stat(spider, "errors/bad_json") == 1


def test_missing_api_key_is_a_clear_counted_error(tmp_path, caplog):
    import asyncio

    spider = make_spider(YoutubeSpider, make_config(tmp_path, "[sources.youtube]\nchannels = [\"UC1\"]\n"))

    async def drain():
        return [r async for r in spider.start()]

    assert asyncio.run(drain()) == []
    assert stat(spider, "errors/no_api_key") == 1 and "PANTAU_YOUTUBE_API_KEY" in caplog.text
