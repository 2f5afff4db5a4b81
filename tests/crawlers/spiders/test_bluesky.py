"""Bluesky: createSession, searchPosts fields, cursor paging and a rejected password."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.spiders.bluesky import BlueskySpider
from tests.crawlers.helpers import FILES, make_config, make_spider, response, split, stat

PAGE = "bluesky/xrpc/app.bsky.feed.searchPosts"
TOKEN = "eyJhbGciOiJFUzI1NksifQ.eyJzY29wZSI6ImNvbS5hdHByb3RvLmFwcFBhc3MifQ.c2lnbmF0dXJl"
KW = {"query": "jateng", "number": 1, "stop_at": None, "newest": None}
TOML = '[sources.bluesky]\nenabled = true\nhandle = "pantau-jateng.bsky.social"\napp_password = "abcd-efgh-ijkl-mnop"\nqueries = ["jateng"]\n'


@pytest.fixture
def spider(tmp_path):
    return make_spider(BlueskySpider, make_config(tmp_path, TOML))


@pytest.fixture
def parsed(spider):
    return split(spider.parse_posts(response(PAGE), **KW))


@pytest.fixture
def solo(parsed):
    return parsed[0][0]


def drain(spider):
    async def run():
        return [r async for r in spider.start()]
    return asyncio.run(run())


def test_session_is_created_with_the_app_password(spider):
    (request,) = drain(spider)
    assert request.url.endswith("/xrpc/com.atproto.server.createSession") and request.method == "POST"
    assert json.loads(request.body) == {"identifier": "pantau-jateng.bsky.social", "password": "abcd-efgh-ijkl-mnop"}


def test_session_token_is_used_for_search(spider):
    (request,) = split(spider.parse_session(response("bluesky/xrpc/com.atproto.server.createSession")))[1]
    assert request.meta["pantau_auth"] and "Authorization" not in request.headers
    assert spider.auth_headers() == {"Authorization": f"Bearer {TOKEN}"}
    q = parse_qs(urlsplit(request.url).query)
    assert (q["q"], q["lang"], q["sort"]) == (["jateng"], ["id"], ["latest"])


def test_native_id_is_the_at_uri(solo):
    assert solo.native_id == "at://did:plc:warga00000000000000001/app.bsky.feed.post/3lbxq2tjnfk2a"


def test_text(solo):
    assert solo.text.startswith("Antrean di RSUD Moewardi Solo lama banget")


def test_published_at(solo):
    assert solo.published_at == datetime(2026, 11, 20, 5, 10, tzinfo=timezone.utc)


def test_engagement(solo):
    assert (solo.likes, solo.replies, solo.shares) == (14, 3, 2)


def test_url_and_lang(solo):
    assert solo.url == "https://bsky.app/profile/wargasolo.bsky.social/post/3lbxq2tjnfk2a" and solo.lang == "id"


def test_author_hash_from_did(solo):
    assert solo.author_name == "Warga Solo" and "did:plc" not in solo.author_hash


def test_reply_keeps_parent_and_root(parsed):
    reply = parsed[0][1]
    assert reply.parent_id == reply.thread_id == "at://did:plc:warga00000000000000001/app.bsky.feed.post/3lbxaaaaaaa2a"
    assert reply.author_name == "ibuguru.bsky.social"


def test_cursor_pages(parsed):
    assert parse_qs(urlsplit(parsed[1][0].url).query)["cursor"] == ["cursor-page-2"]


def test_last_page_proposes_the_newest_mark(spider):
    body = (FILES / f"{PAGE}@cursor=cursor-page-2").read_bytes()
    split(spider.parse_posts(response(PAGE, body=body), **{**KW, "number": 2, "newest": "2026-11-20T05:10:00+00:00"}))
    assert spider.pending_marks == {"jateng:newest": "2026-11-20T05:10:00+00:00"}


def test_rejected_password_is_a_clear_counted_error(spider, caplog):
    spider.on_session_error(Failure(HttpError(response("bluesky/error-auth.json", status=401))))
    assert stat(spider, "errors/login_rejected") == 1 and "Invalid identifier or password" in caplog.text


def test_missing_password_is_a_clear_counted_error(tmp_path, caplog):
    spider = make_spider(BlueskySpider, make_config(tmp_path, '[sources.bluesky]\nhandle = "a.bsky.social"\n'))
    assert drain(spider) == [] and stat(spider, "errors/no_credentials") == 1 and "app password" in caplog.text
